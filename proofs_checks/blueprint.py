"""Lint THEORY.md against the registry, Lean-blueprint style.

THEORY.md marks each statement with a heading carrying a stable label and two bullet
lines::

    ## Theorem III.3 {#thm:III.3}
    - **check:** `proofs_checks.stationary_barycenter`
    - **uses:** lem:III.1, lem:III.2

The lint demands: every registry entry has a section whose label, statement and check
module match; every section is in the registry; every ``uses`` label exists and agrees
with the registry; the dependency graph has no cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .registry import REGISTRY

HEADING = re.compile(r"^##\s+(?P<title>.+?)\s+\{#(?P<label>[\w:.\-]+)\}\s*$")
CHECK = re.compile(r"^-\s+\*\*check:\*\*\s+`(?P<module>[\w.]+)`")
USES = re.compile(r"^-\s+\*\*uses:\*\*\s*(?P<uses>.*)$")


@dataclass(frozen=True)
class Section:
    label: str
    title: str
    check: str | None
    uses: tuple[str, ...]


def parse(text: str) -> list[Section]:
    sections: list[Section] = []
    current: dict | None = None
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            if current:
                sections.append(Section(**current))
            current = {"label": m["label"], "title": m["title"], "check": None, "uses": ()}
            continue
        if current is None:
            continue
        if (m := CHECK.match(line)):
            current["check"] = m["module"]
        elif (m := USES.match(line)):
            uses = m["uses"].strip()
            current["uses"] = () if uses in ("", "—", "-", "none") else tuple(u.strip() for u in uses.split(","))
    if current:
        sections.append(Section(**current))
    return sections


def lint(text: str) -> list[str]:
    """Every inconsistency between THEORY.md and the registry (empty when clean)."""
    problems: list[str] = []
    sections = {s.label: s for s in parse(text)}
    registry = {e.label: e for e in REGISTRY}
    for label, entry in registry.items():
        s = sections.get(label)
        if s is None:
            problems.append(f"{entry.statement} ({label}) has a check but no THEORY.md section")
            continue
        if not s.title.startswith(entry.statement):
            problems.append(f"section {label} is titled {s.title!r}, expected it to start with {entry.statement!r}")
        if s.check != entry.module:
            problems.append(f"section {label} names check {s.check!r}, the registry has {entry.module!r}")
        if set(s.uses) != set(entry.uses):
            problems.append(f"section {label} uses {sorted(s.uses)}, the registry says {sorted(entry.uses)}")
    for label, s in sections.items():
        if label not in registry:
            problems.append(f"THEORY.md section {label} ({s.title}) has no check in the registry")
        for u in s.uses:
            if u not in sections:
                problems.append(f"section {label} uses unknown label {u!r}")
    # cycles (depth-first search over 'uses')
    state: dict[str, int] = {}

    def visit(label: str, path: list[str]) -> None:
        state[label] = 1
        for u in sections[label].uses if label in sections else ():
            if state.get(u) == 1:
                problems.append("dependency cycle: " + " -> ".join(path + [label, u]))
            elif u in sections and state.get(u) is None:
                visit(u, path + [label])
        state[label] = 2

    for label in sections:
        if state.get(label) is None:
            visit(label, [])
    return problems


def theory_path() -> Path:
    """THEORY.md beside the package (a source checkout), else in the working directory."""
    beside = Path(__file__).resolve().parent.parent / "THEORY.md"
    return beside if beside.exists() else Path.cwd() / "THEORY.md"
