"""The fraction-free moment path for d >= 3 (sum factorisation) against independent routes:
the readable rational recursion over Fractions (every box term, no factorisation) and the
law's own factorial moments, summed over its states."""

from __future__ import annotations

from fractions import Fraction as F
from math import prod

import flint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.moments import _factorised_recursion, exact_stationary_law, stationary_factorial_moments
from reference.typespace import iter_types


def falling(k: int, j: int) -> int:
    return prod(range(k - j + 1, k + 1))


def assert_law_has_the_recursion_moments(target: list[F], n: int, lam: F) -> None:
    law = exact_stationary_law(target, n, lam)
    assert sum(law) == 1 and all(p > 0 for p in law)
    moments = stationary_factorial_moments(target, n, lam, one=F(1))  # Fractions, the O(N^(2d-2)) box sums
    states = list(iter_types(n, len(target)))
    for j, m in moments.items():
        assert sum(p * prod(falling(k[x], jx) for x, jx in enumerate(j)) for p, k in zip(law, states)) == m, j


@pytest.mark.parametrize("target, n, lam", [
    ([F(1, 2), F(1, 3), F(1, 6)], 12, F(1, 3)),
    ([F(1, 10), F(1, 5), F(3, 10), F(2, 5)], 7, F(2, 7)),
    ([F(1, 5)] * 5, 5, F(1, 2)),
    ([F(1, 2), F(1, 4), F(1, 8), F(1, 8)], 6, F(1)),
    ([F(3, 4), F(1, 8), F(1, 8)], 15, F(1, 9)),
])
def test_law_moments_equal_the_rational_recursion(target, n, lam):
    assert_law_has_the_recursion_moments(target, n, lam)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=9), min_size=3, max_size=4), st.integers(min_value=1, max_value=7),
       st.fractions(min_value=F(1, 20), max_value=1, max_denominator=20))
def test_random_instances_d3_d4(weights, n, lam):
    total = sum(weights)
    assert_law_has_the_recursion_moments([F(w, total) for w in weights], n, lam)


def test_factorised_sums_equal_the_box_sums_in_any_ring():
    """Integers built by hand for d = 3, N = 3 (every box term written out) against the factorised sums."""
    one = flint.fmpz(1)
    t0 = [[one], [one * 2, one * 3], [one * 4, one * 5, one * 6], [one * 7, one * 8, one * 9, one * 10]]
    t1 = [[one], [one * 3, one * 1], [one * 2, one * 7, one * 5], [one * 1, one * 4, one * 2, one * 3]]
    d = [one, one * 11, one * 13, one * 17]
    f = [one, one * 2, one * 3, one * 5]
    suffix = [one, d[1] * d[2] * d[3], d[2] * d[3], d[3], one]
    p = {(0, 0): one}
    for s in (1, 2, 3):  # P_j = f_s sum_{l <= j, l != j} T0(j0, l0) T1(j1, l1) P_l D_{|l|+1} .. D_{s-1}
        for j in [(s - i, i) for i in range(s + 1)]:
            total = 0
            for l0 in range(j[0] + 1):
                for l1 in range(j[1] + 1):
                    if (l0, l1) != j:
                        total += t0[j[0]][l0] * t1[j[1]][l1] * p[(l0, l1)] * prod(d[i] for i in range(l0 + l1 + 1, s))
            p[j] = f[s] * total
    expected = {l: v * suffix[sum(l) + 1] for l, v in p.items()}
    assert _factorised_recursion([t0, t1], d, f, suffix, 3, one * 0, one) == expected
