"""λ = 0, d = 2: exact expected absorption times of the neutral Wright-Fisher chain by back
substitution in the falling-factorial basis, and their certification.

At λ = 0 with two types the chain is ``P(k, j) = C(N, j) (k/N)^j (1 - k/N)^{N-j}`` on
``k = 0..N`` (theory-reference §4.4).  Every function on ``{0..N}`` is a polynomial of
degree at most ``N`` in ``k``; in the basis of falling factorials ``(k)_l``

    P (k)_l = (N)_l k^l / N^l = ((N)_l / N^l) sum_{i <= l} S(l, i) (k)_i

(Stirling numbers of the second kind), so ``P`` is triangular with Feller's eigenvalues
``(N)_l / N^l`` on the diagonal.  The expected absorption time ``t`` solves ``(I - P) t =
g`` with ``g = 1 - delta_0 - delta_N`` on all of ``{0..N}``, whose Newton coefficients are
``g_l = -(-1)^l / l!`` for ``2 <= l < N`` (and ``g_N = -((-1)^N + 1)/N!``, ``g_1 = 1``,
``g_0 = 0``).  Writing ``t = sum_l c_l (k)_l`` and ``v_l = c_l (N)_l / N^l``:

    v_i = (N)_i (g_i + sum_{l > i} S(l, i) v_l) / (N^i - (N)_i),      i = N, ..., 2,

and ``c_0, c_1`` (the eigenvalue 1 is double: the harmonic functions ``1`` and ``k``) come
from ``t(0) = t(N) = 0``.  The values follow from the forward differences
``Delta^l t(0) = l! c_l`` by repeated summation (additions only).  Everything runs on
integers over one common denominator (the ``(N)_i / (N^i - (N)_i)`` ratios cancelled
first, as in :mod:`reference.moments`); the equation for ``i = 1``, which the substitution
does not use, is checked as a consistency identity.

The absorption probabilities are the martingale's ``k / N`` (Theorem IV.3).  Both are
certified by :func:`absorption_identity_test`: ``(I - P) t = g`` and ``P h = h`` at every
state, modulo random primes (the error bound of :mod:`reference.identity`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from fractions import Fraction
from math import comb, factorial, lcm

from .errors import CheckFailed
from .identity import TARGET_ERROR, IdentityTest, error_per_trial, random_prime
from .lowest_terms import coprime_fraction, lowest_terms


def neutral_absorption_times(samples: int, progress: Callable[[int, int], None] | None = None) -> list[Fraction]:
    """``t(k)``, ``k = 0..N`` (k counts type 0): expected generations until fixation at λ = 0.

    >>> [str(t) for t in neutral_absorption_times(2)], [str(t) for t in neutral_absorption_times(3)]
    (['0', '2', '0'], ['0', '3', '3', '0'])
    """
    import flint

    n = samples
    if n == 1:
        return [Fraction(0), Fraction(0)]
    one = flint.fmpz(1)
    e, f = [one] * (n + 1), [one] * (n + 1)
    falling = one
    for m in range(1, n + 1):
        falling = falling * (n - m + 1)
        if m >= 2:
            em, fm = one * n**m - falling, falling
            g = em.gcd(fm)
            e[m], f[m] = em // g, fm // g
    suffix = [one] * (n + 2)  # suffix[l] = e[l] ... e[n], made as e[l] is finalised
    stirling = _stirling_rows(n)
    nfact = factorial(n)
    w = [one * 0] * (n + 1)  # v_l = w_l / (N! * suffix[l])
    for i in range(n, 1, -1):
        acc = one * 0
        for l in range(n, i, -1):
            acc = acc * e[l] + stirling[l][i] * w[l] if l < n else stirling[n][i] * w[n]
        # N! g_i: -(-1)^i N!/i! below N; at i = N also the -delta_N part
        ng = -(-1) ** i * (nfact // factorial(i)) - (1 if i == n else 0)
        w[i] = f[i] * (ng * suffix[i + 1] + acc)
        # cancel what w_i shares with e_i (cheap: e_i is small); v_i = w_i / (N! e_i suffix[i+1])
        # stays exact and later steps see the smaller e_i.  It halves the common denominator.
        h = (w[i] % e[i]).gcd(e[i])
        if h != 1:
            w[i], e[i] = w[i] // h, e[i] // h
        suffix[i] = suffix[i + 1] * e[i]
        if progress is not None:
            progress(n - i + 1, n - 1)
    # the unused equation i = 1: sum_{l >= 2} v_l = -g_1 = -1
    prefix = [one] * (n + 2)  # prefix[l] = e[2] ... e[l - 1]
    for m in range(3, n + 2):
        prefix[m] = prefix[m - 1] * e[m - 1]
    if sum(w[l] * prefix[l] for l in range(2, n + 1)) != -nfact * suffix[2]:
        raise CheckFailed(f"the back substitution for N = {n} violates its consistency identity")
    # a_l = l! c_l = v_l N^l / C(N, l) over Den = N * N! * suffix[2] * M, M = lcm_l C(N, l)
    big_m = lcm(*(comb(n, l) for l in range(n + 1)))
    a = [one * 0] * (n + 1)
    for l in range(2, n + 1):
        a[l] = n * w[l] * n**l * prefix[l] * (big_m // comb(n, l))
    a[1] = -sum(comb(n, l) * (a[l] // n) for l in range(2, n + 1))  # t(N) = sum_l C(N, l) a_l = 0
    denominator = n * nfact * suffix[2] * big_m
    values = list(a)  # Delta^l t(0) = a_l  ->  t(k) by repeated summation
    for r in range(n, 0, -1):
        for j in range(r, n + 1):
            values[j] = values[j] + values[j - 1]
    if values[0] != 0 or values[n] != 0:
        raise CheckFailed(f"the back substitution for N = {n} does not vanish at the absorbing states")
    return [coprime_fraction(int(p), int(q)) for p, q in lowest_terms(values, one * denominator)]


def _stirling_rows(n: int) -> list[list[int]]:
    """``S(l, i)`` for ``0 <= i <= l <= n`` (second kind), by ``S(l, i) = i S(l-1, i) + S(l-1, i-1)``.

    >>> _stirling_rows(4)[4]
    [0, 1, 7, 6, 1]
    """
    rows = [[1]]
    for l in range(1, n + 1):
        prev = rows[-1] + [0]
        rows.append([0] + [i * prev[i] + prev[i - 1] for i in range(1, l + 1)])
    return rows


def absorption_identity_test(samples: int, times: Sequence[Fraction], rng: random.Random | None = None,
                             target_error: Fraction = TARGET_ERROR) -> IdentityTest:
    """Check ``t = 1 + P t`` at ``k = 1..N-1``, ``t(0) = t(N) = 0`` and ``P h = h`` for
    ``h(k) = k/N`` modulo random primes ``p`` in ``[2^61, 2^62)`` (every state is evaluated,
    so a trial's point is empty).

    With ``t = T / X`` in integers and ``B(k) = sum_j C(N, j) k^j (N - k)^{N-j} T_j``
    (``N^N (P t)(k) X``), the identity is ``B(k) = N^N (T_k - X)``: an integer equation per
    state.  A wrong ``t`` makes some ``w_k = B(k) - N^N (T_k - X)`` a non-zero integer of
    fewer than ``beta`` bits, divisible by at most ``beta / 61`` of the ``K`` candidate
    primes (:mod:`reference.identity`), so one prime passes it with probability at most
    ``ceil(beta / 61) / K``.

    >>> absorption_identity_test(3, [Fraction(0), Fraction(3), Fraction(3), Fraction(0)], random.Random(1)).passed
    True
    >>> absorption_identity_test(3, [Fraction(0), Fraction(3), Fraction(4), Fraction(0)], random.Random(1)).passed
    False
    """
    rng = rng or random.SystemRandom()
    n = samples
    den = lcm(*(t.denominator for t in times))
    num = [t.numerator * (den // t.denominator) for t in times]
    if num[0] != 0 or num[n] != 0:
        return IdentityTest(False, (), Fraction(0), "t is not 0 at the absorbing states")
    beta = max(abs(x) for x in num).bit_length() + den.bit_length() + n * n.bit_length() + n + 2
    eps = error_per_trial(beta, 0)
    bound, primes = Fraction(1), []
    binomials = [comb(n, j) for j in range(n + 1)]
    while bound > target_error:
        p = random_prime(rng)
        primes.append(p)
        bound *= eps
        t = [x % p * b % p for x, b in zip(num, binomials)]  # C(N, j) T_j
        h = [j * b % p for j, b in enumerate(binomials)]  # C(N, j) * j   (h = j/N, scaled by N)
        nn = pow(n, n, p)
        for k in range(1, n):
            m = n - k
            pw = [1] * (n + 1)
            for i in range(1, n + 1):
                pw[i] = pw[i - 1] * m % p
            acc_t, acc_h = t[n], h[n]
            for j in range(n - 1, -1, -1):
                acc_t = (acc_t * k + t[j] * pw[n - j]) % p
                acc_h = (acc_h * k + h[j] * pw[n - j]) % p
            if (acc_t - nn * (num[k] - den)) % p:
                return IdentityTest(False, tuple((q, ()) for q in primes), bound, f"t = 1 + P t fails at k = {k} modulo {p}")
            if (acc_h - nn * k) % p:
                return IdentityTest(False, tuple((q, ()) for q in primes), bound, f"P h = h fails at k = {k} modulo {p}")
    return IdentityTest(True, tuple((q, ()) for q in primes), bound)
