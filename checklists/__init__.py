"""Checklist criteria (YAML package data) and the LLM judge that scores samples against them."""

# JudgeConfig needs BackendConfig from coderforge.config, which imports it back (through the
# filters' section) to build Config; loading coderforge.config first keeps that cycle well ordered.
import coderforge.config  # noqa: F401
