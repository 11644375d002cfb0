"""Isolated multi-language execution of generated programs."""
