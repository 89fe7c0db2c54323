"""The exact evolution ``start P^n`` of the paper's chain on two points, by power sums.

For d = 2 a row of the integer kernel is a binomial law: from state ``k`` with integer
sampling weight ``u_k`` out of ``c`` (:func:`reference.kernel.sampling_weights`),

    sum_j A[k][j] y^{j_0} = (u_k y + c - u_k)^N = (c + u_k (y - 1))^N        (theory-reference §2)

so for a vector ``v`` over the states

    sum_j (v A)_j y^{j_0} = G(y - 1),   G(z) = sum_i C(N, i) c^(N - i) S_i z^i,   S_i = sum_k v_k u_k^i.

The power sums ``S_0 .. S_N`` are the first coefficients of the rational function
``sum_k v_k / (1 - u_k t)``, summed by a product tree of FLINT polynomials and expanded
by a power series quotient; ``G(y - 1)`` is one Taylor shift.  That replaces the
``n x n`` product ``v A`` (FLINT's ``fmpz_mat``: 0.48 s per generation at N = 200 once the
law's numbers reach 40,000 bits) by a few polynomial products of the same total size
(0.11 s).  The generic path (:meth:`reference.chain.FiniteChain.evolve`) stays for every
other chain; the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from math import comb
from typing import Any

from .lowest_terms import coprime_fraction, divide_common_factor, lowest_terms, small_primes_of


def power_sums(values: Sequence[Any], points: Sequence[int], order: int) -> list[Any]:
    """``[sum_k values[k] points[k]^i for i in range(order)]`` (FLINT integers).

    >>> import flint
    >>> [int(s) for s in power_sums([flint.fmpz(2), flint.fmpz(5)], [3, 0], 4)]   # 2*3^i + 5*0^i
    [7, 6, 18, 54]
    """
    import flint

    poly = flint.fmpz_poly
    nodes = [(poly([v]), poly([1, -p])) for v, p in zip(values, points, strict=True) if v]
    if not nodes:
        return [flint.fmpz(0)] * order
    while len(nodes) > 1:  # sum_k v_k / (1 - u_k t) as one fraction, pairwise
        paired = [(n1 * d2 + n2 * d1, d1 * d2) for (n1, d1), (n2, d2) in zip(nodes[::2], nodes[1::2])]
        nodes = paired + ([nodes[-1]] if len(nodes) % 2 else [])
    numerator, denominator = nodes[0]
    # 1 / denominator mod t^order by Newton's iteration (the constant term is 1), then one low product
    inverse, done = poly([1]), 1
    while done < order:
        done = min(2 * done, order)
        inverse = inverse.mul_low(poly([2]) - denominator.mul_low(inverse, done), done)
    coeffs = numerator.mul_low(inverse, order).coeffs()
    return coeffs + [flint.fmpz(0)] * (order - len(coeffs))


def binomial_step(vector: Sequence[Any], weights: Sequence[int], c: int, samples: int) -> list[Any]:
    """``(v A)_m`` for ``m = 0..N`` indexed by the first coordinate ``j_0 = m`` of the
    target state, ``A[k][j] = C(N, j_0) u_k^{j_0} (c - u_k)^{N - j_0}``.

    >>> import flint
    >>> [int(x) for x in binomial_step([flint.fmpz(1), flint.fmpz(0)], [1, 3], 4, 2)]   # (y + 3)^2
    [9, 6, 1]
    """
    import flint

    n = samples
    sums = power_sums(vector, weights, n + 1)
    g = flint.fmpz_poly([comb(n, i) * c ** (n - i) * s for i, s in enumerate(sums)])
    coeffs = g(flint.fmpz_poly([-1, 1])).coeffs()
    return coeffs + [flint.fmpz(0)] * (n + 1 - len(coeffs))


def binomial_evolution(weights: Sequence[int], c: int, samples: int, first_counts: Sequence[int],
                       start: int, generations: int,
                       progress: Callable[[int, int], None] | None = None) -> tuple[tuple[Fraction, ...], ...]:
    """The exact laws ``e_start P^n``, ``n = 0..generations``, of the chain on two points
    whose state ``k`` samples point 0 with probability ``weights[k] / c``;
    ``first_counts[k]`` is state ``k``'s count of point 0 (its type is
    ``(first_counts[k], N - first_counts[k])``).  Integers over one common denominator
    (common factors divided out), each law in lowest terms in batch, as in
    :meth:`reference.chain.FiniteChain.evolve`.
    """
    import flint

    states = len(weights)
    vector = [flint.fmpz(int(k == start)) for k in range(states)]
    den, scale = flint.fmpz(1), flint.fmpz(c) ** samples
    primes = small_primes_of(c)  # the denominators are divisors of powers of c
    laws = [tuple(Fraction(int(k == start)) for k in range(states))]
    for g in range(generations):
        by_count = binomial_step(vector, weights, c, samples)
        vector, den = [by_count[first_counts[k]] for k in range(states)], den * scale
        vector, den = divide_common_factor(vector, den)
        laws.append(tuple(coprime_fraction(p, q) for p, q in lowest_terms(vector, den, primes=primes)))
        if progress is not None:
            progress(g + 1, generations)
    return tuple(laws)
