"""Prompt templates per role and language (package data)."""
