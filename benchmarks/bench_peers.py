"""Exact stationary laws against the strongest exact peers, side by side in one run.

Run: ``python benchmarks/bench_peers.py`` (a few minutes; ``--quick`` for the small rows;
``--crossover`` for the ratio on the smallest chains, size by size: about 2 min).
Peers, each optional and skipped with a note when not installed:

* Storm's exact engine (``pip install stormpy``; never a runtime dependency):
  ``stormpy.analysis.compute_steady_state_distribution`` on a ``SparseDtmc`` over GMP
  rationals with the ``exact`` environment.  Only the steady-state call is timed (the
  model is built first, untimed), which favours Storm.
* sympy ``Matrix.solve`` on the stationary system (the naive exact baseline; small sizes).

``ours`` is ``reference.solve`` end to end (kernel structure, the factorial-moment
recursion, lowest terms, certification with the method ``auto`` picks); ``ours-law`` the
stationary law alone (``moments.exact_stationary_law``: the recursion, inversion, lowest
terms), the like-for-like row for Storm's timed call.  Every measurement runs in a fresh
process (median over 5 repeats; a peer that takes over 0.5 s is timed once), which reports its peak memory
(``VmHWM``, plus its largest forked worker's ``ru_maxrss``); answers are compared through a SHA-256
of their exact texts, and a mismatch aborts the run.  The table: instance, method, median
seconds, peak MiB, bits of the largest denominator, ratios peer / ours and peer /
ours-law, agreement.

``--crossover`` prints, for d = 2, 3, 4 and growing N, Storm's time against ours and the
law alone: on the smallest chains Storm's call takes well under a millisecond (0.15 ms
for 3 states), below what a Python call that builds the answer's fractions costs, so a
fixed ratio cannot hold at every size; the table shows from which size on it does.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from fractions import Fraction as F
from math import comb

from reference import Instance, solve
from reference.kernel import kernel_rows
from reference.moments import exact_stationary_law
from reference.rationals import format_rational, parse_rational


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


def ours(inst: Instance) -> tuple[float, list[F]]:
    """``reference.solve`` end to end: chain structure, the fast path, lowest terms, certificate."""
    t0 = time.perf_counter()
    law = list(solve(inst).stationary[0])
    return time.perf_counter() - t0, law


def ours_law(inst: Instance) -> tuple[float, list[F]]:
    """The stationary law alone (``moments.exact_stationary_law``), like Storm's steady-state call alone."""
    t0 = time.perf_counter()
    law = exact_stationary_law(list(inst.target), inst.samples, inst.lam)
    return time.perf_counter() - t0, law


METHODS = {"ours": ours, "ours-law": ours_law, "storm-exact": storm_stationary, "sympy": sympy_stationary}
THIRD = F(1, 3)
QUARTER, THREE, FOUR = (F(1, 4), F(3, 4)), (F(1, 2), F(1, 3), F(1, 6)), (F(1, 10), F(1, 5), F(3, 10), F(2, 5))


def measure_here(method: str, target: tuple[F, ...], n: int, repeats: int) -> None:
    """In a fresh process: time ``method`` (median over repeats), print JSON with its peak memory."""
    inst = Instance(target=target, samples=n, lam=THIRD)
    runs = []
    for _ in range(repeats):
        out = METHODS[method](inst)
        if out is None:
            print(json.dumps({"missing": True}))
            return
        runs.append(out)
    law = runs[-1][1]
    digest = hashlib.sha256(",".join(format_rational(v) for v in law).encode()).hexdigest()
    print(json.dumps({"seconds": statistics.median(r[0] for r in runs), "digest": digest,
                      "bits": max(v.denominator.bit_length() for v in law),
                      "peak_mib": (own_peak_kib() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024}))


def own_peak_kib() -> int:
    """This process's peak resident memory (``VmHWM``; ``ru_maxrss`` would carry the parent's over exec)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def measure(method: str, target: tuple[F, ...], n: int, repeats: int) -> dict:
    args = [sys.executable, __file__, "--one", method, ",".join(format_rational(t) for t in target), str(n), str(repeats)]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_peer(method: str, target: tuple[F, ...], n: int) -> dict:
    """A peer with the same protocol as ours (median of 5), except that a run over 0.5 s is timed once."""
    row = measure(method, target, n, 1)
    if not row.get("missing") and row["seconds"] < 0.5:
        row = measure(method, target, n, 5)
    return row


def crossover() -> None:
    """Storm against ours, size by size from the smallest chains, for each d: where the ratio reaches 100x."""
    print(f"{'instance (lam=1/3)':<20} {'states':>7} {'storm s':>10} {'ours s':>10} {'law s':>10} "
          f"{'storm/ours':>10} {'storm/law':>9}")
    for target, sizes in ((QUARTER, (2, 5, 10, 15, 20, 25, 30, 40)), (THREE, (2, 4, 6, 8, 10, 12)),
                          (FOUR, (2, 3, 4, 5, 6, 7))):
        for n in sizes:
            peer = measure_peer("storm-exact", target, n)
            if peer.get("missing"):
                print("storm-exact not installed (pip install stormpy)")
                return
            mine, law = measure("ours", target, n, 5), measure("ours-law", target, n, 5)
            if not peer["digest"] == mine["digest"] == law["digest"]:
                raise SystemExit(f"answers differ at d={len(target)} N={n}")
            print(f"{f'd={len(target)} N={n}':<20} {comb(n + len(target) - 1, n):>7} {peer['seconds']:>10.5f} "
                  f"{mine['seconds']:>10.5f} {law['seconds']:>10.5f} {peer['seconds'] / mine['seconds']:>9.0f}x "
                  f"{peer['seconds'] / law['seconds']:>8.0f}x", flush=True)


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        method, target, n, repeats = sys.argv[2:6]
        measure_here(method, tuple(parse_rational(t) for t in target.split(",")), int(n), int(repeats))
        return
    if "--crossover" in sys.argv:
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        crossover()
        return
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    cases = [("d=2 N=20", QUARTER, 20, True), ("d=2 N=50", QUARTER, 50, True), ("d=3 N=10", THREE, 10, True),
             ("d=4 N=5", FOUR, 5, True), ("d=4 N=8", FOUR, 8, True)]
    if "--quick" not in sys.argv:
        cases += [("d=2 N=100", QUARTER, 100, False), ("d=3 N=20", THREE, 20, False)]
    print(f"{'instance (lam=1/3)':<20} {'method':<12} {'median s':>10} {'peak MiB':>9} {'answer bits':>11} "
          f"{'peer/ours':>10} {'peer/law':>9}  agrees")
    for name, target, n, with_sympy in cases:
        mine = measure("ours", target, n, 5)
        law = measure("ours-law", target, n, 5)
        if law["digest"] != mine["digest"]:
            raise SystemExit(f"the law alone disagrees with solve on {name}")
        for label, row in (("ours", mine), ("ours-law", law)):
            print(f"{name:<20} {label:<12} {row['seconds']:>10.4f} {row['peak_mib']:>9.0f} {row['bits']:>11,} "
                  f"{'-':>10} {'-':>9}  -")
        for label in ["storm-exact"] + (["sympy"] if with_sympy else []):
            row = measure_peer(label, target, n)
            if row.get("missing"):
                print(f"{name:<20} {label:<12} {'not installed (pip install stormpy)':>33}")
                continue
            if row["digest"] != mine["digest"]:
                raise SystemExit(f"{label} disagrees with ours on {name}")
            print(f"{name:<20} {label:<12} {row['seconds']:>10.4f} {row['peak_mib']:>9.0f} {row['bits']:>11,} "
                  f"{row['seconds'] / mine['seconds']:>9.0f}x {row['seconds'] / law['seconds']:>8.0f}x  yes")


if __name__ == "__main__":
    main()
