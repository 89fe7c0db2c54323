"""Every statement over a grid of instances, with the verdict each one should have.

For the paper's model the hypotheses are decided by ``lam`` alone: the Section III
statements (Theorem III.3, the degeneration inequality) apply iff ``lam > 0``, the
Section IV ones (Lemma IV.1, Corollary IV.2, Theorem IV.3) iff ``lam = 0``, and Lemmas
III.1, III.2 and Theorem VI.1 always.  A sweep passes when every certificate is
``verified`` where it applies and ``not-applicable`` where it does not; ``refuted`` or an
unexpected ``not-applicable`` fails it.

Instances run through any ``concurrent.futures.Executor`` (a process pool by default;
a dask.distributed or Ray executor with the same interface runs a large grid unchanged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Any

from reference import Instance

from .analysis import Analysis
from .certificate import NOT_APPLICABLE, VERIFIED
from .registry import REGISTRY

SECTION_III = {"thm:III.3", "cor:degeneration"}
SECTION_IV = {"lem:IV.1", "cor:IV.2", "thm:IV.3"}


def default_grid() -> list[Instance]:
    """d = 1..4; N up to 8; lam in {0, 1/7, 1/3, 1/2, 1}; targets with and without full support."""
    targets = {
        1: [(F(1),)],
        2: [(F(1, 2), F(1, 2)), (F(1, 5), F(4, 5)), (F(1), F(0))],
        3: [(F(1, 2), F(1, 3), F(1, 6)), (F(1, 2), F(1, 2), F(0)), (F(1, 3), F(1, 3), F(1, 3))],
        4: [(F(1, 10), F(1, 5), F(3, 10), F(2, 5)), (F(1, 4), F(1, 4), F(1, 2), F(0))],
    }
    samples = {1: [1, 2, 3], 2: [1, 2, 3, 5, 8], 3: [1, 2, 4], 4: [1, 2, 3]}
    lams = [F(0), F(1, 7), F(1, 3), F(1, 2), F(1)]
    return [Instance(target=t, samples=n, lam=lam) for d in targets for t in targets[d] for n in samples[d] for lam in lams]


def expected_verdict(label: str, instance: Instance) -> str:
    """The verdict the paper's model must get (see the module docstring)."""
    if label in SECTION_III:
        return VERIFIED if instance.lam > 0 else NOT_APPLICABLE
    if label in SECTION_IV:
        return VERIFIED if instance.lam == 0 else NOT_APPLICABLE
    return VERIFIED


def run_one(instance: Instance) -> list[dict[str, Any]]:
    """Every certificate for one instance, as JSON, each with its expected verdict (picklable for executors)."""
    an = Analysis(instance)
    out = []
    for entry in REGISTRY:
        cert = entry.check(an)
        data = cert.to_json()
        data["label"] = entry.label
        data["expected_verdict"] = expected_verdict(entry.label, instance)
        out.append(data)
    return out


@dataclass(frozen=True)
class SweepResult:
    instances: tuple[dict[str, Any], ...]
    results: tuple[tuple[dict[str, Any], ...], ...]

    @property
    def failures(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        return [(inst, r) for inst, rs in zip(self.instances, self.results) for r in rs
                if r["verdict"] != r["expected_verdict"]]

    def counts(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for rs in self.results:
            for r in rs:
                row = table.setdefault(r["statement"], {"verified": 0, "not-applicable": 0, "refuted": 0, "unexpected": 0})
                row[r["verdict"]] += 1
                if r["verdict"] != r["expected_verdict"]:
                    row["unexpected"] += 1
        return table


def run_sweep(instances: Sequence[Instance], executor: Executor | None = None,
              progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Run every statement on every instance (through ``executor`` when given, in order)."""
    results: list[list[dict[str, Any]]] = []
    total = len(instances)
    mapped: Iterable[list[dict[str, Any]]] = executor.map(run_one, instances) if executor else map(run_one, instances)
    for done, rs in enumerate(mapped, start=1):
        results.append(rs)
        if progress:
            progress(done, total)
    return SweepResult(tuple(i.describe() for i in instances), tuple(tuple(r) for r in results))
