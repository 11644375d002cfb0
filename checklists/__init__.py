"""The checklists stage judges data: the filter chain (parse, near-dedup, decontamination, sandbox
verdicts, the LLM judge), checklist criteria (YAML package data) and the judge's calibration."""
