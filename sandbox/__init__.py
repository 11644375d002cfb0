"""Stage: the sandbox runs programs. Isolated multi-language execution of generated programs:
`Sandbox(config).execute(programs)`, the test harnesses and what tests are checked with (stubs,
mutants, probes). Imports the shared base only (docs/architecture.md)."""

from coderforge.sandbox.config import SandboxConfig
from coderforge.sandbox.program import Program, Result, Status
from coderforge.sandbox.sandbox import Sandbox

__all__ = ["Program", "Result", "Sandbox", "SandboxConfig", "Status"]
