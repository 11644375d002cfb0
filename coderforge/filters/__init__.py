"""Quality filters: decontamination, near-dedup and the filter chain that runs every stage."""

# Our section (coderforge.filters.config) needs BackendConfig from coderforge.config, which imports
# the section back to build Config; loading coderforge.config first keeps that cycle well ordered.
import coderforge.config  # noqa: F401
