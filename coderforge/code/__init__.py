"""Code analysis shared by every part: tree-sitter parsing, code blocks in model output, language
identification, seed extraction and fill-in-the-middle samples."""
