"""Every statement check, in the paper's order, with its THEORY.md label and dependencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import (barycenter_recursion, collapse, convergence, degeneration, markov_feller, martingale,
               stationary_barycenter, tightness)
from .analysis import Analysis
from .certificate import Certificate


@dataclass(frozen=True)
class Entry:
    statement: str          # as the paper numbers it
    label: str              # stable THEORY.md label
    check: Callable[[Analysis], Certificate]
    uses: tuple[str, ...]   # labels of the statements its proof uses
    module: str


REGISTRY: tuple[Entry, ...] = (
    Entry(barycenter_recursion.STATEMENT, "lem:III.1", barycenter_recursion.check, ("thm:VI.1",), "proofs_checks.barycenter_recursion"),
    Entry(markov_feller.STATEMENT, "lem:III.2", markov_feller.check, ("lem:III.1",), "proofs_checks.markov_feller"),
    Entry(stationary_barycenter.STATEMENT, "thm:III.3", stationary_barycenter.check, ("lem:III.1", "lem:III.2"), "proofs_checks.stationary_barycenter"),
    Entry(degeneration.STATEMENT, "cor:degeneration", degeneration.check, ("thm:III.3",), "proofs_checks.degeneration"),
    Entry(martingale.STATEMENT, "lem:IV.1", martingale.check, (), "proofs_checks.martingale"),
    Entry(convergence.STATEMENT, "cor:IV.2", convergence.check, ("lem:III.1", "lem:IV.1"), "proofs_checks.convergence"),
    Entry(collapse.STATEMENT, "thm:IV.3", collapse.check, ("lem:III.2", "cor:IV.2", "lem:IV.1"), "proofs_checks.collapse"),
    Entry(tightness.STATEMENT, "thm:VI.1", tightness.check, (), "proofs_checks.tightness"),
)


def check_all(an: Analysis) -> list[Certificate]:
    """Every statement's certificate on one analysed instance, in paper order."""
    return [entry.check(an) for entry in REGISTRY]
