"""Exceptions that carry what was wrong, for messages a user can act on."""

from __future__ import annotations


class CoderforgeError(Exception):
    """Base class: an error whose message is meant for the user as it stands."""


class ConfigError(CoderforgeError, ValueError):
    """A configuration file (or value) is invalid.

    ``source`` names the file, ``path`` the field (``backend.endpoints[1].url``).
    """

    def __init__(self, message: str, *, source: str | None = None, path: str | None = None) -> None:
        self.source = source
        self.path = path
        where = ": ".join(p for p in (source, path) if p)
        super().__init__(f"{where}: {message}" if where else message)


class BackendError(CoderforgeError, RuntimeError):
    """An LLM backend failed in a way retries did not fix."""


class ModelNotFoundError(CoderforgeError, FileNotFoundError):
    """A model named in the configuration cannot be found or prepared."""


class ModelIntegrityError(CoderforgeError, ValueError):
    """A model's files are not the bytes the catalog pins (size or sha256 differ)."""
