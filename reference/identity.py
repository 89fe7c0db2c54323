"""Certify a stationary law of the paper's chain by a randomised polynomial identity test.

The full check of ``pi P = pi`` (:meth:`reference.chain.FiniteChain.certify`) multiplies
the law by the ``n x n`` integer kernel: ``n^2`` products of numbers with up to ``10^5``
-``10^6`` bits, which dominates everything else from d = 2, N = 200 on.  This module
checks the same identity in ``O(n d)`` word operations per trial.

Why it is the same identity.  For the paper's model (empirical law, i.i.d. mixing) the
sampling law from type ``k`` is ``q(k) = u(k) / c`` with integers ``u_x(k)`` summing to
``c`` (:func:`reference.kernel.sampling_weights`), so ``P(k, j) = mult(N; j) prod_x
u_x(k)^{j_x} / c^N``.  Write the law as integers ``x_k / X``.  By the multinomial theorem

    sum_j (x P c^N)_j s^j  =  sum_k x_k (u(k) . s)^N ,

a homogeneous polynomial of degree ``N`` in ``s = (s_1..s_d)`` whose monomials ``s^j``
are exactly the types ``j``.  Hence ``pi P = pi`` holds if and only if the polynomial

    w(s) = sum_k x_k (u(k) . s)^N  -  c^N sum_j x_j s^j

is identically zero.  A trial picks a prime ``p`` uniformly among the primes in
``[2^61, 2^62)`` and a point ``s`` uniformly in ``F_p^d`` and evaluates ``w(s) mod p``.

Error bound (why a wrong law passes a trial with probability at most ``eps``).  If
``w != 0`` some coefficient ``w_j`` is a non-zero integer with ``|w_j| < 2^beta``,
``beta = bits(X) + N bits(c)`` (the law is checked to be non-negative and to sum to
``X`` first, so ``|(x P c^N)_j|, |c^N x_j| <= X c^N``).  At most ``beta / 61`` primes
``>= 2^61`` divide ``w_j``; there are at least ``K`` primes in ``[2^61, 2^62)`` with
``K`` from Rosser and Schoenfeld's bounds ``x / ln x < pi(x) < 1.25506 x / ln x``
(Illinois J. Math. 6, 1962, Corollary 1 and Theorem 2).  If ``p`` does not divide ``w``,
``w mod p`` is a non-zero polynomial of total degree ``N`` and vanishes at a uniform
point with probability at most ``N / p`` (Schwartz-Zippel lemma).  So
``eps <= ceil(beta / 61) / K + N / 2^61``; independent trials multiply, and
:func:`stationary_identity_test` runs enough of them to push the bound below
``2^-128``.  The primes and points used are returned, so anyone can replay the trials.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import prod
from typing import Any

TARGET_ERROR = Fraction(1, 2**128)
_LOW, _HIGH = 2**61, 2**62
# ln 2 lies in (0.6931, 0.6932); Rosser-Schoenfeld: x/ln x < pi(x) < 1.25506 x/ln x (x >= 17)
PRIMES_IN_RANGE_AT_LEAST = (Fraction(_HIGH) / (62 * Fraction(6932, 10000))
                            - Fraction(125506, 100000) * _LOW / (61 * Fraction(6931, 10000)))


@dataclass(frozen=True)
class IdentityTest:
    """The outcome of :func:`stationary_identity_test`."""

    passed: bool
    trials: tuple[tuple[int, tuple[int, ...]], ...]  # (prime, point) per trial
    error_bound: Fraction  # probability that a wrong law passes every trial, at most this
    failure: str = ""


def random_prime(rng: random.Random) -> int:
    """A prime drawn uniformly from ``[2^61, 2^62)`` (rejection sampling; FLINT's proven test).

    >>> p = random_prime(random.Random(1)); 2**61 <= p < 2**62
    True
    """
    import flint

    while True:
        candidate = rng.randrange(_LOW, _HIGH) | 1
        if flint.fmpz(candidate).is_prime():
            return candidate


def error_per_trial(beta: int, samples: int) -> Fraction:
    """``ceil(beta / 61) / K + N / 2^61``: a wrong law passes one trial with at most this probability."""
    return Fraction(-(-beta // 61)) / PRIMES_IN_RANGE_AT_LEAST + Fraction(samples, _LOW)


def stationary_identity_test(weights: Sequence[Sequence[int]], c: int, samples: int, types: Sequence[Sequence[int]],
                             numerators: Sequence[int], denominator: int, rng: random.Random | None = None,
                             target_error: Fraction = TARGET_ERROR) -> IdentityTest:
    """Test ``sum_k x_k (u(k).s)^N == c^N sum_j x_j s^j`` at random points modulo random primes.

    ``weights[k]`` are the integer sampling weights of type ``types[k]`` (summing to ``c``),
    ``numerators / denominator`` the law.  Sign and sum are checked exactly first.

    >>> from reference.kernel import sampling_weights
    >>> from reference import Instance
    >>> inst = Instance(target=(Fraction(1, 4), Fraction(3, 4)), samples=4, lam=Fraction(1, 3))
    >>> u, c = sampling_weights(inst)
    >>> law = [6, 21, 45, 79, 105]   # theory-reference row 1, over 256
    >>> stationary_identity_test(u, c, 4, inst.space.types, law, 256, random.Random(0)).passed
    True
    >>> stationary_identity_test(u, c, 4, inst.space.types, [6, 21, 46, 78, 105], 256, random.Random(0)).passed
    False
    """
    rng = rng or random.SystemRandom()
    if any(x < 0 for x in numerators) or sum(numerators) != denominator:
        return IdentityTest(False, (), Fraction(0), "the law is negative somewhere or does not sum to 1")
    beta = denominator.bit_length() + samples * c.bit_length()
    eps = error_per_trial(beta, samples)
    d = len(types[0]) if types else 0
    chosen, bound = [], Fraction(1)  # every trial's prime and point first (the same draws, in the same order)
    while bound > target_error:
        p = random_prime(rng)
        chosen.append((p, tuple(rng.randrange(p) for _ in range(d))))
        bound *= eps
    big: Sequence[Any] = numerators
    if denominator.bit_length() > 20_000:  # long numbers: reduce with FLINT (GMP's division)
        import flint

        big = [flint.fmpz(x) for x in numerators]
    # one remainder of each long numerator by the product of the primes, then cheap ones per prime
    all_primes = prod(p for p, _ in chosen)
    shared = [int(x % all_primes) for x in big]
    bound, trials = Fraction(1), []
    for p, point in chosen:
        trials.append((p, point))
        bound *= eps
        residues = [x % p for x in shared]
        lhs = 0
        for x, u in zip(residues, weights, strict=True):
            if x:
                lhs += x * pow(sum(ux * sx for ux, sx in zip(u, point)) % p, samples, p)
        powers = [[1] * (samples + 1) for _ in range(d)]
        for y in range(d):
            for i in range(1, samples + 1):
                powers[y][i] = powers[y][i - 1] * point[y] % p
        rhs = 0
        for x, j in zip(residues, types, strict=True):
            if x:
                term = x
                for y, jy in enumerate(j):
                    term = term * powers[y][jy] % p
                rhs += term
        if (lhs - pow(c, samples, p) * rhs) % p:
            return IdentityTest(False, tuple(trials), bound,
                                f"pi P != pi: the generating polynomials differ modulo {p} at {list(point)}")
    return IdentityTest(True, tuple(trials), bound)
