"""Checklist criteria and the LLM judge that scores samples against them."""
