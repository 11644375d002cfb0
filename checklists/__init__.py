"""Checklist criteria (YAML package data) and the LLM judge that scores samples against them."""

# JudgeConfig imports Section from coderforge.config, which imports it back to build Config;
# loading coderforge.config first keeps that cycle well ordered.
import coderforge.config  # noqa: F401
