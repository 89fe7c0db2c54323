"""The exceptions of the exact engine.

Callers catch what they mean (after sympy's ``DMShapeError`` family): bad user input,
an instance too large to build, or a mathematical check that failed.  The command line
maps them to exit codes 2, 2 and 1.
"""

from __future__ import annotations


class CollapseRefError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(CollapseRefError, ValueError):
    """A value given by the user is malformed or outside what is allowed.

    The message names the bad value and what is allowed, on one line.
    """


class SizeError(CollapseRefError):
    """An instance whose estimated cost exceeds the size guard.

    The message carries the estimate and the flag that overrides the guard.
    """


class CheckFailed(CollapseRefError):
    """An exact identity that must hold did not (a bug, reported loudly)."""


class StatementRefuted(CollapseRefError):
    """A statement check returned ``refuted``: its output is still printed, then exit 1."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output
