"""Exact stationary laws against the strongest exact peers, side by side in one run.

Run: ``python benchmarks/bench_peers.py`` (a few minutes; ``--quick`` for the small rows).
Peers, each optional and skipped with a note when not installed:

* Storm's exact engine (``pip install stormpy``; never a runtime dependency):
  ``stormpy.analysis.compute_steady_state_distribution`` on a ``SparseDtmc`` over GMP
  rationals with the ``exact`` environment.  Only the steady-state call is timed (the
  model is built first, untimed), which favours Storm.
* sympy ``Matrix.solve`` on the stationary system (the naive exact baseline; small sizes).

``ours`` is ``reference.solve`` end to end (kernel structure, the factorial-moment
recursion, lowest terms, certification with the method ``auto`` picks).  Every peer's
answer is compared with ours entry by entry; a mismatch aborts the run.  The table:
instance, method, median seconds over repeats, ratio (peer time / ours), agreement.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from fractions import Fraction as F

from reference import Instance, solve
from reference.kernel import kernel_rows
from reference.rationals import parse_rational


def storm_stationary(inst: Instance) -> tuple[float, list[F]] | None:
    try:
        import stormpy
        import stormpy.analysis
        import stormpy.datastructures
        import stormpy.models
        from stormpy.developer.storage import _storage
    except ImportError:
        return None
    rational = stormpy.Rational
    kind = type(rational(1))
    rows = kernel_rows(inst)
    n = len(rows)
    builder = stormpy.datastructures.SparseMatrixBuilder.instantiations[(kind,)](
        n, n, sum(1 for r in rows for p in r if p), True, False, 0)
    for i, row in enumerate(rows):
        for j, p in enumerate(row):
            if p:
                builder.add_next_value(i, j, rational(f"{p.numerator}/{p.denominator}"))
    labels = _storage.StateLabeling(n)
    labels.add_label("init")
    labels.add_label_to_state("init", 0)
    components = stormpy.models.SparseModelComponents.instantiations[(kind,)](
        transition_matrix=builder.build(), state_labeling=labels)
    dtmc = stormpy.models.SparseDtmc.instantiations[(kind,)](components)
    env = stormpy.environments.exact()
    t0 = time.perf_counter()
    result = stormpy.analysis.compute_steady_state_distribution(dtmc, environment=env)
    seconds = time.perf_counter() - t0
    law = [parse_rational(str(v.value)) for v in result]  # BoundedValue(value=Rational), exact
    return seconds, law


def sympy_stationary(inst: Instance) -> tuple[float, list[F]]:
    import sympy

    rows = kernel_rows(inst)
    n = len(rows)
    a = sympy.Matrix([[sympy.Rational(rows[i][j].numerator, rows[i][j].denominator) - (1 if i == j else 0)
                       for i in range(n)] for j in range(n - 1)] + [[1] * n])
    b = sympy.Matrix([0] * (n - 1) + [1])
    t0 = time.perf_counter()
    x = a.solve(b)
    seconds = time.perf_counter() - t0
    return seconds, [F(int(v.p), int(v.q)) for v in x]


def ours(inst: Instance, repeats: int) -> tuple[float, list[F]]:
    times, law = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        law = list(solve(inst).stationary[0])
        times.append(time.perf_counter() - t0)
    return statistics.median(times), law


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    third = F(1, 3)
    quarter = (F(1, 4), F(3, 4))
    three = (F(1, 2), F(1, 3), F(1, 6))
    four = (F(1, 10), F(1, 5), F(3, 10), F(2, 5))
    cases = [("d=2 N=20", quarter, 20, True), ("d=2 N=50", quarter, 50, True), ("d=3 N=10", three, 10, True),
             ("d=4 N=5", four, 5, True), ("d=4 N=8", four, 8, True)]
    if "--quick" not in sys.argv:
        cases += [("d=2 N=100", quarter, 100, False), ("d=3 N=20", three, 20, False)]
    print(f"{'instance (lam=1/3)':<20} {'method':<12} {'median s':>10} {'peer/ours':>10}  agrees")
    for name, target, n, with_sympy in cases:
        inst = Instance(target=target, samples=n, lam=third)
        base, law = ours(inst, 3)
        print(f"{name:<20} {'ours':<12} {base:>10.4f} {'1':>10}  -")
        peers = [("storm-exact", storm_stationary)] + ([("sympy", sympy_stationary)] if with_sympy else [])
        for label, fn in peers:
            out = fn(inst)
            if out is None:
                print(f"{name:<20} {label:<12} {'not installed (pip install stormpy)':>33}")
                continue
            seconds, peer_law = out
            if peer_law != law:
                raise SystemExit(f"{label} disagrees with ours on {name}")
            print(f"{name:<20} {label:<12} {seconds:>10.4f} {seconds / base:>9.0f}x  yes")


if __name__ == "__main__":
    main()
