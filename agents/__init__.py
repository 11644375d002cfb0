"""Stage: agents write. Language agent pools over a shared memory graph turn seeds into instructions,
tests and solutions, run them through the sandbox and the filter chain (checklists), and emit events.
Imports the shared base, checklists and sandbox; never the entry points (docs/architecture.md)."""
