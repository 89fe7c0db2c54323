"""The float64 path against the exact law, as far as the exact law goes; then its speed alone.

Run: ``python benchmarks/bench_numeric.py`` (about 2 minutes; ``--quick`` stops at N = 400).
Not part of the test suite (the tests check N <= 400 against the exact law).

For d = 2, lam = 1/3, mu* = (1/4, 3/4) and each N: the float path's time
(``reference.numeric.float_stationary``, no exact comparison inside), the exact law's time
(``reference.moments.exact_stationary_law``, in this process, no JSON), the largest
relative error ``|pi_float / pi_exact - 1|`` over every state (tails included), the float
path's own residual check, and the smallest exact probability (how deep the tails go).
Beyond the exact range only the float path's time and residual are printed.
"""

from __future__ import annotations

import math
import os
import platform
import sys
import time
from fractions import Fraction as F

import numpy as np

from reference import Instance
from reference.numeric import _exact_log_law, float_stationary


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    exact_sizes = [200, 400] + ([] if "--quick" in sys.argv else [800])
    float_only = [] if "--quick" in sys.argv else [2_000, 10_000]
    print(f"{'N':>6} {'float s':>8} {'exact s':>8} {'max rel. error':>15} {'residual':>10} {'smallest pi':>12}")
    for n in exact_sizes + float_only:
        inst = Instance(target=(F(1, 4), F(3, 4)), samples=n, lam=F(1, 3))
        t0 = time.perf_counter()
        law = float_stationary(inst, compare_exact=False)
        seconds = time.perf_counter() - t0
        if n in exact_sizes:
            t0 = time.perf_counter()
            exact = _exact_log_law(inst)
            exact_seconds = time.perf_counter() - t0
            error = float(np.max(np.abs(np.expm1(law.log_pi - exact))))
            smallest = float(exact.min()) / math.log(10)
            print(f"{n:>6} {seconds:>8.2f} {exact_seconds:>8.1f} {error:>15.2e} {law.max_relative_residual:>10.1e} "
                  f"{'1e' + format(smallest, '.0f'):>12}")
        else:
            smallest = float(law.log_pi.min()) / math.log(10)
            print(f"{n:>6} {seconds:>8.2f} {'-':>8} {'-':>15} {law.max_relative_residual:>10.1e} "
                  f"{'1e' + format(smallest, '.0f'):>12}")


if __name__ == "__main__":
    main()
