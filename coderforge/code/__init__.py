"""Shared base: code analysis every stage uses: tree-sitter parsing (syntax.py), code blocks in model
output, language identification, corpora and seeds, demo code, fill-in-the-middle samples. Imports
nothing above the base (docs/architecture.md)."""
