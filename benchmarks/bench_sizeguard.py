"""Calibrate the size guard: measured time and peak memory of ``solve`` against the estimate.

Run: ``python benchmarks/bench_sizeguard.py`` (not part of the test suite).  A ratio
``estimate / measured`` well above 1 means the guard is conservative; below 1, it
under-estimates and its constants in ``reference/sizeguard.py`` need raising.
"""

from __future__ import annotations

import time
import tracemalloc
from fractions import Fraction as F

from reference import Instance, solve
from reference.sizeguard import estimate_instance

CASES = [((F(1, 4), F(3, 4)), 60), ((F(1, 4), F(3, 4)), 120), ((F(1, 2), F(1, 3), F(1, 6)), 15),
         ((F(1, 2), F(1, 3), F(1, 6)), 22), ((F(1, 10), F(2, 10), F(3, 10), F(4, 10)), 8),
         ((F(1, 2), F(1, 2)), 40)]


def main() -> None:
    print(f"{'instance':<26} {'states':>6} {'est s':>8} {'meas s':>8} {'ratio':>6} {'est MiB':>8} {'peak MiB':>9} {'ratio':>6}")
    for target, n in CASES:
        for lam in (F(1, 3), F(0)):
            inst = Instance(target=target, samples=n, lam=lam)
            est = estimate_instance(inst)
            t0 = time.perf_counter()
            sol = solve(inst)
            _ = sol.stationary, sol.expected_absorption_time
            seconds = time.perf_counter() - t0
            tracemalloc.start()  # a second run for memory: tracemalloc slows Python 2-3x
            sol = solve(inst)
            _ = sol.stationary, sol.expected_absorption_time
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            name = f"d={len(target)} N={n} lam={lam}"
            print(f"{name:<26} {est.states:>6} {est.seconds:>8.2f} {seconds:>8.2f} {est.seconds / seconds:>6.1f}"
                  f" {est.bytes / 2**20:>8.0f} {peak / 2**20:>9.0f} {est.bytes / peak:>6.1f}", flush=True)


if __name__ == "__main__":
    main()
