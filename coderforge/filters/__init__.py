"""Quality filters: decontamination, near-dedup and the filter chain that runs every stage."""

# The section models below import Section from coderforge.config, which in turn imports them to
# build the top-level Config; loading coderforge.config first keeps that cycle well ordered.
import coderforge.config  # noqa: F401
