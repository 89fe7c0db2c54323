"""The phases of a large exact answer, each against its baseline in the same run.

Run: ``python benchmarks/bench_phases.py [N ...]`` (default N = 200 and 400; about 1 min).
Not part of the test suite.

d = 2, lam = 1/3, mu* = (1/4, 3/4).  For each phase the fast version and the baseline it
replaced are timed on the same inputs, one after the other, and their outputs compared:

* recursion: the d = 2 moment recursion in one process (``_line_recursion``) and in two
  (``moments_pair.line_recursion_in_pair``);
* inversion: binomial inversion term by term (``_binomial_inversion``) and as one FLINT
  Taylor shift (``flint_binomial_inversion``);
* lowest terms: the batch reduction with one worker and with all (``COLLAPSE_REF_WORKERS``);
* digits: the decimal texts of the answer with one worker and with all.

Ratios are baseline / fast (> 1: the fast version wins).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from fractions import Fraction as F
from math import factorial, gcd
from typing import Any

import flint

from reference import parallel
from reference.lowest_terms import lowest_terms
from reference.moments import _binomial_inversion, _line_recursion, _power_tables, flint_binomial_inversion
from reference.moments_pair import line_recursion_in_pair
from reference.serialise import rationals


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def with_workers(count: int, fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        old = os.environ.get(parallel.WORKERS_VARIABLE)
        os.environ[parallel.WORKERS_VARIABLE] = str(count)
        try:
            return fn()
        finally:
            if old is None:
                del os.environ[parallel.WORKERS_VARIABLE]
            else:
                os.environ[parallel.WORKERS_VARIABLE] = old
    return run


def inputs(n: int) -> tuple[list, list, list]:
    """Rows T(j, .), D_i and f_i of the d = 2 recursion, as ``exact_stationary_law`` builds them."""
    one = flint.fmpz(1)
    a, b, c = n * 1 * 1, 2 * 4, 3 * 4 * n  # lam = 1/3, mu* = (1/4, 3/4): q = (p t N + (r - p) T k) / (r T N)
    g = gcd(a, b, c)
    a, b, c = flint.fmpz(a // g), flint.fmpz(b // g), flint.fmpz(c // g)
    rows = _power_tables([a], b, n, one)[0]
    d_factors, f_factors = [one], [one]
    b_power, c_power, falling = one, one, 1
    for i in range(1, n + 1):
        b_power, c_power, falling = b_power * b, c_power * c, falling * (n - i + 1)
        d_i, f_i = c_power - falling * b_power, one * falling
        common = d_i.gcd(f_i)
        d_factors.append(d_i // common)
        f_factors.append(f_i // common)
    return rows, d_factors, f_factors


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [200, 400]
    cores = parallel.workers()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"workers {cores}")
    print(f"{'N':>4} {'phase':<14} {'baseline s':>11} {'fast s':>8} {'ratio':>7}  same output")
    for n in sizes:
        rows, d_factors, f_factors = inputs(n)
        base, line = timed(lambda: _line_recursion(rows, d_factors, f_factors, n))
        fast, line2 = timed(lambda: line_recursion_in_pair(rows, d_factors, f_factors, n))
        print(f"{n:>4} {'recursion':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {line == line2}")
        suffix = [flint.fmpz(1)] * (n + 2)
        for i in range(n, 0, -1):
            suffix[i] = suffix[i + 1] * d_factors[i]
        values = [p * suffix[l + 1] * (factorial(n) // factorial(l)) for l, p in enumerate(line)]  # the inversion's input
        base, inv = timed(lambda: _binomial_inversion(values))
        fast, inv2 = timed(lambda: flint_binomial_inversion(values))
        print(f"{n:>4} {'inversion':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {inv == inv2}")
        from reference.moments import exact_stationary_law

        law = exact_stationary_law([F(1, 4), F(3, 4)], n, F(1, 3))
        den = flint.fmpz(1)
        for v in law:
            den = den.lcm(flint.fmpz(v.denominator))
        nums = [flint.fmpz(v.numerator) * (den // v.denominator) for v in law]
        base, red = timed(with_workers(1, lambda: lowest_terms(nums, den)))
        fast, red2 = timed(with_workers(cores, lambda: lowest_terms(nums, den)))
        print(f"{n:>4} {'lowest terms':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {red == red2}")
        base, texts = timed(with_workers(1, lambda: rationals(law)))
        fast, texts2 = timed(with_workers(cores, lambda: rationals(law)))
        print(f"{n:>4} {'digits':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {texts == texts2}")


if __name__ == "__main__":
    main()
