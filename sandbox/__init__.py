"""Isolated multi-language execution of generated programs: `Sandbox(config).execute(programs)`."""

from coderforge.sandbox.config import SandboxConfig
from coderforge.sandbox.program import Program, Result, Status
from coderforge.sandbox.sandbox import Sandbox

__all__ = ["Program", "Result", "Sandbox", "SandboxConfig", "Status"]
