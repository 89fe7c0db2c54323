"""The phases of a large exact answer, each against its baseline in the same run.

Run: ``python benchmarks/bench_phases.py [N ...]`` (default N = 200 and 400; about 1.5 min).
Not part of the test suite.

d = 2, lam = 1/3, mu* = (1/4, 3/4).  For each phase the fast version and the baseline it
replaced are timed on the same inputs, one after the other, and their outputs compared:

* recursion: the d = 2 moment recursion in one process (``_line_recursion``) and in two
  (``moments_pair.line_recursion_in_pair``);
* inversion: binomial inversion term by term (``_binomial_inversion``) and as one FLINT
  Taylor shift (``flint_binomial_inversion``);
* product mod C (the heart of lowest terms): ``x * y % C`` on FLINT integers and FLINT's
  residues (``fmpz_mod_ctx``), one worker;
* lowest terms: the batch reduction with one worker and with all (``COLLAPSE_REF_WORKERS``);
* shared texts: the law's ``"p/q"`` texts one by one (``format_rational``) and with the
  denominators written from their common multiple (``format_rationals``), one worker;
* digits: the decimal texts of the answer with one worker and with all.

Then, beyond d = 2:

* d >= 3 recursion: the box sums over ``l <= j`` with a Horner scheme in the level (the
  algorithm before sum factorisation, written out below as the baseline) and
  ``moments._factorised_recursion``, at d = 3, N = 60 and 100, d = 4, N = 30;
* evolution step (d = 2, N = 200, a law whose numbers have 40,000 bits): ``v A`` as FLINT's
  ``fmpz_mat`` product and by power sums (``binomial_evolution.binomial_step``);
* evolution lowest terms: the product-and-gcd batch and the valuations at ``c``'s primes.

Ratios are baseline / fast (> 1: the fast version wins).
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from collections.abc import Callable
from fractions import Fraction as F
from math import factorial, gcd
from typing import Any

import flint

from reference import Instance, parallel
from reference.lowest_terms import lowest_terms
from reference.moments import (
    _binomial_inversion,
    _factorised_recursion,
    _indices,
    _line_recursion,
    _power_tables,
    flint_binomial_inversion,
)
from reference.moments_pair import line_recursion_in_pair
from reference.rationals import format_rational, format_rationals
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
    tables, d_factors, f_factors, _ = integer_inputs((F(1, 4), F(3, 4)), n)
    return tables[0], d_factors, f_factors


def integer_inputs(target: tuple[F, ...], n: int) -> tuple[list, list, list, list]:
    """Tables T_x, D_i, f_i and the suffix products of the fraction-free recursion (lam = 1/3)."""
    from math import lcm

    one = flint.fmpz(1)
    p, r = 1, 3
    big_t = lcm(*(t.denominator for t in target))
    ints = [t.numerator * (big_t // t.denominator) for t in target]
    a, b, c = [p * tx * n for tx in ints[:-1]], (r - p) * big_t, r * big_t * n
    g = gcd(*a, b, c)
    a, b, c = [flint.fmpz(x // g) for x in a], flint.fmpz(b // g), flint.fmpz(c // g)
    tables = _power_tables(a, b, n, one)
    d_factors, f_factors = [one], [one]
    b_power, c_power, falling = one, one, 1
    for i in range(1, n + 1):
        b_power, c_power, falling = b_power * b, c_power * c, falling * (n - i + 1)
        d_i, f_i = c_power - falling * b_power, one * falling
        common = d_i.gcd(f_i)
        d_factors.append(d_i // common)
        f_factors.append(f_i // common)
    suffix = [one] * (n + 2)
    for i in range(n, 0, -1):
        suffix[i] = suffix[i + 1] * d_factors[i]
    return tables, d_factors, f_factors, suffix


def box_recursion(tables: list, d_factors: list, f_factors: list, suffix: list, n: int) -> dict:
    """The baseline: every ``P_j`` from the whole box ``l <= j``, grouped by level and summed
    by a Horner scheme in the level (``prod_x (j_x + 1)`` terms per ``j``)."""
    coords = len(tables)
    one = flint.fmpz(1)
    known = {(0,) * coords: one}
    for j in _indices(n, coords)[1:]:
        s = sum(j)
        terms = [(0, one, ())]
        for x in range(coords):
            row = tables[x][j[x]]
            terms = [(t + lx, c * row[lx], l + (lx,)) for t, c, l in terms for lx in range(j[x] + 1)]
        levels = [one * 0] * s
        for t, c, l in terms:
            if t < s:
                levels[t] = levels[t] + c * known[l]
        acc = levels[0]
        for t in range(1, s):
            acc = acc * d_factors[t] + levels[t]
        known[j] = f_factors[s] * acc
    return {l: v * suffix[sum(l) + 1] for l, v in known.items()}


def beyond_two_points() -> None:
    from reference.binomial_evolution import binomial_step
    from reference.kernel import build_chain, sampling_weights
    from reference.lowest_terms import small_primes_of

    three, four = (F(1, 2), F(1, 3), F(1, 6)), (F(1, 10), F(1, 5), F(3, 10), F(2, 5))
    for target, n in ((three, 60), (three, 100), (four, 30)):
        tables, d_factors, f_factors, suffix = integer_inputs(target, n)
        base, box = timed(lambda: box_recursion(tables, d_factors, f_factors, suffix, n))
        fast, fact = timed(lambda: _factorised_recursion(tables, d_factors, f_factors, suffix, n,
                                                         flint.fmpz(0), flint.fmpz(1)))
        name = f"d={len(target)} N={n}"
        print(f"{name:>9} {'recursion':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {box == fact}")
    inst = Instance(target=(F(1, 4), F(3, 4)), samples=200, lam=F(1, 3))
    weights, c = sampling_weights(inst)
    a, m = build_chain(inst).integer_kernel
    kernel = flint.fmpz_mat([list(a[i]) for i in range(len(a))])
    rng = random.Random(1)
    v = [flint.fmpz(rng.getrandbits(40_000)) for _ in range(len(a))]
    base, product = timed(lambda: (flint.fmpz_mat(1, len(v), v) * kernel).entries())
    fast, by_count = timed(lambda: binomial_step(v, [w[0] for w in weights], c, 200))
    # the chain's kernel is A = M P, the power sums give c^N P: compare on the same scale
    same = [x * (c**200 // m) for x in product] == [by_count[t[0]] for t in inst.space.types]
    print(f"{'d=2 N=200':>9} {'evolution step':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {same}")
    den = flint.fmpz(c) ** (200 * 20)
    nums = [flint.fmpz(rng.getrandbits(den.bit_length() - 8)) * 6 for _ in range(201)]
    base, slow = timed(with_workers(1, lambda: lowest_terms(nums, den)))
    fast, quick = timed(lambda: lowest_terms(nums, den, primes=small_primes_of(c)))
    print(f"{'d=2 N=200':>9} {'evol. lowest':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {slow == quick}")


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
        def product_by_remainders() -> int:
            product = flint.fmpz(1)
            for x in nums:
                if x:
                    product = product * x % den
            return int(product)

        def product_by_residues() -> int:
            residue = flint.fmpz_mod_ctx(den)(1)
            for x in nums:
                if x:
                    residue = residue * x
            return int(residue)

        base, prod1 = timed(product_by_remainders)
        fast, prod2 = timed(product_by_residues)
        print(f"{n:>4} {'product mod C':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {prod1 == prod2}")
        base, red = timed(with_workers(1, lambda: lowest_terms(nums, den)))
        fast, red2 = timed(with_workers(cores, lambda: lowest_terms(nums, den)))
        print(f"{n:>4} {'lowest terms':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {red == red2}")
        base, one_by_one = timed(lambda: [format_rational(v) for v in law])
        fast, shared = timed(lambda: format_rationals(law))
        print(f"{n:>4} {'shared texts':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {one_by_one == shared}")
        base, texts = timed(with_workers(1, lambda: rationals(law)))
        fast, texts2 = timed(with_workers(cores, lambda: rationals(law)))
        print(f"{n:>4} {'digits':<14} {base:>11.3f} {fast:>8.3f} {base / fast:>6.1f}x  {texts == texts2}")
    if not sys.argv[1:]:
        beyond_two_points()


if __name__ == "__main__":
    main()
