"""How big can it go: end-to-end exact solves by method, with peak memory and answer size.

Run: ``python benchmarks/bench_scale.py`` (about 1 min; ``--large`` instead runs the three
large instances, about 5 min).  Not part of the test suite.  For each
instance it times, in the same run,

* ``moments``: ``solve(method="moments")`` — kernel build + fraction-free factorial-moment
  stationary law + certification against the kernel (the default for lam > 0);
* ``dense``: ``solve(method="dense")`` — the same with FLINT's exact dense solve;
* ``sympy``: sympy ``Matrix`` solving the stationary system (the naive baseline; small
  sizes only),

and reports the median over repeats, the peak Python memory (tracemalloc, separate run),
the ratio to the sympy baseline where it ran, and the bits of the largest denominator in
the answer.  The machine is printed first.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import tracemalloc
from fractions import Fraction as F

from reference import Instance, solve
from reference.kernel import kernel_rows


def sympy_baseline(inst: Instance) -> float:
    import sympy

    rows = kernel_rows(inst)
    n = len(rows)
    a = sympy.Matrix([[sympy.Rational(rows[i][j].numerator, rows[i][j].denominator) - (1 if i == j else 0)
                       for i in range(n)] for j in range(n - 1)] + [[1] * n])
    b = sympy.Matrix([0] * (n - 1) + [1])
    t0 = time.perf_counter()
    a.solve(b)
    return time.perf_counter() - t0


def timed(fn, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def peak(fn) -> float:
    tracemalloc.start()
    fn()
    value = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value / 2**20


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    third = F(1, 3)
    cases = [
        ("d=2 N=20", (F(1, 4), F(3, 4)), 20, third, True),
        ("d=2 N=50", (F(1, 4), F(3, 4)), 50, third, False),
        ("d=2 N=100", (F(1, 4), F(3, 4)), 100, third, False),
        ("d=2 N=200", (F(1, 4), F(3, 4)), 200, third, False),
        ("d=3 N=10", (F(1, 2), F(1, 3), F(1, 6)), 10, third, True),
        ("d=3 N=30", (F(1, 2), F(1, 3), F(1, 6)), 30, third, False),
        ("d=4 N=8", (F(1, 10), F(1, 5), F(3, 10), F(2, 5)), 8, third, True),
        ("d=4 N=15", (F(1, 10), F(1, 5), F(3, 10), F(2, 5)), 15, third, False),
        ("d=2 N=100 lam=0", (F(1, 2), F(1, 2)), 100, F(0), False),
    ]
    if "--large" in sys.argv:
        cases = [("d=2 N=200 lam=0", (F(1, 2), F(1, 2)), 200, F(0), False),
                 ("d=3 N=60", (F(1, 2), F(1, 3), F(1, 6)), 60, third, False),
                 ("d=2 N=400", (F(1, 4), F(3, 4)), 400, third, False)]
    print(f"{'instance (lam=1/3 unless said)':<32} {'method':<8} {'median s':>9} {'peak MiB':>9} {'vs sympy':>9} {'answer bits':>11}")
    for name, target, n, lam, with_sympy in cases:
        inst = Instance(target=target, samples=n, lam=lam)
        base = sympy_baseline(inst) if with_sympy else None
        if base is not None:
            print(f"{name:<32} {'sympy':<8} {base:>9.3f} {'':>9} {'1x':>9}")
        methods = ["moments", "dense"] if lam > 0 else ["dense"]
        for method in methods:
            if method == "dense" and n >= 200 and lam > 0:
                continue  # FLINT's dense solve at these sizes takes minutes; the moment path is the one to use
            repeats = 3 if n <= 100 else 1
            big = len(inst.space) > 150
            holder = {}
            t = timed(lambda: holder.update(sol=solve(inst, method=method)) or holder["sol"].stationary, repeats)
            mem = "-" if big else f"{peak(lambda: solve(inst, method=method).stationary):.0f}"  # tracemalloc is slow on big runs
            sol = holder["sol"]
            bits = max(p.denominator.bit_length() for pi in sol.stationary for p in pi)
            ratio = f"{base / t:,.0f}x" if base else ""
            print(f"{name:<32} {method:<8} {t:>9.3f} {mem:>9} {ratio:>9} {bits:>11,}", flush=True)


if __name__ == "__main__":
    main()
