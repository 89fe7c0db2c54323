"""Progress lines on stderr for computations expected to take more than a couple of seconds.

Only when stderr is a terminal (never in pipes, files or tests), so the output stays
clean for programs that read it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

Progress = Callable[[int, int], None]
SHOW_AFTER_SECONDS = 2.0


def terminal_progress(label: str) -> Progress | None:
    """A callback printing ``label done/total`` on one stderr line when it is a terminal, else None."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r  {label} {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    return show


def terminal_note(text: str) -> None:
    """One line on stderr when it is a terminal (a phase of a long computation), else nothing."""
    if sys.stderr.isatty():
        print(text, file=sys.stderr, flush=True)
