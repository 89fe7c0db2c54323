"""λ = 0: exact expected absorption times of the neutral Wright-Fisher chain by back
substitution in the falling-factorial basis, and their certification — on two points
(below) and on any number of points (:func:`neutral_absorption_times_multi`,
:func:`neutral_identity_test`).

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
certified by :func:`neutral_identity_test` (any number of points): ``(I - P) t = g`` and
``P h = h`` at every state, modulo random 31-bit primes, every state at once on numpy
vectors (error bound :func:`error_per_trial_31`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from fractions import Fraction
from math import comb, factorial, lcm, perm, prod
from typing import Any

from .errors import CheckFailed, InputError
from .identity import TARGET_ERROR, IdentityTest
from .lowest_terms import coprime_fraction, lowest_terms
from .moments import PAIR_FROM_SAMPLES
from .moments_pair import neutral_back_substitution_in_pair
from .parallel import workers


def neutral_absorption_times(samples: int, progress: Callable[[int, int], None] | None = None,
                             pair: bool | None = None) -> list[Fraction]:
    """``t(k)``, ``k = 0..N`` (k counts type 0): expected generations until fixation at λ = 0.

    ``pair`` runs the back substitution on two cores (:mod:`reference.moments_pair`;
    default: from ``N = PAIR_FROM_SAMPLES`` on, with two workers); the numbers are the same.

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
    stirling = [[one * s for s in row] for row in _stirling_rows(n)]
    nfact = factorial(n)

    def finish(i: int, acc: Any, suffix_next: Any, e_i: Any) -> tuple[Any, Any]:
        """``(w_i, e_i)`` from the Horner sum ``acc`` of the columns ``l > i`` and ``e_{i+1} ... e_N``."""
        # N! g_i: -(-1)^i N!/i! below N; at i = N also the -delta_N part
        ng = -(-1) ** i * (nfact // factorial(i)) - (1 if i == n else 0)
        w_i = f[i] * (ng * suffix_next + acc)
        # cancel what w_i shares with e_i (cheap: e_i is small); v_i = w_i / (N! e_i suffix[i+1])
        # stays exact and later steps see the smaller e_i.  It halves the common denominator.
        h = (w_i % e_i).gcd(e_i)
        return (w_i // h, e_i // h) if h != 1 else (w_i, e_i)

    # v_l = w_l / (N! * suffix[l]), suffix[l] = e[l] ... e[n]
    if pair is None:
        pair = n >= PAIR_FROM_SAMPLES and workers() >= 2
    solved = neutral_back_substitution_in_pair(n, e, stirling, finish, progress) if pair else None
    w, e = solved if solved is not None else _back_substitution(n, e, stirling, finish, progress)
    suffix = [one] * (n + 2)
    for i in range(n, 1, -1):
        suffix[i] = suffix[i + 1] * e[i]
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


def neutral_absorption_times_multi(samples: int, size: int,
                                   progress: Callable[[int, int], None] | None = None) -> list[Fraction]:
    """``t(k)`` for every type ``k`` of ``N`` on ``size`` points (canonical order): the
    expected generations until one point holds all ``N`` samples, at λ = 0.

    The d = 2 back substitution of :func:`neutral_absorption_times` in several coordinates.
    On ``e_j = prod_{x < d-1} (k_x)_{j_x}``, ``P e_j = beta_{|j|} prod_x sum_i S(j_x, i) e_i``
    (``beta_s = (N)_s / N^s``), so ``(I - P) t = g`` with ``g = 1 - sum_vertices delta_v``,
    whose Newton coefficients are ``[l = 0] - prod_x (-1)^{l_x} / l_x!`` (the vertex where
    the first ``d - 1`` counts are 0) and ``-1/N!`` at ``l = N e_x`` (the others), is solved
    from ``|l| = N`` down to 2:

        v_l = (N)_s / (N^s - (N)_s) (g_l + sum_{j > l} prod_x S(j_x, l_x) v_j),   v_j = beta_{|j|} c_j.

    The sum over ``j >= l`` is factorised one coordinate at a time, like the forward
    recursion of :func:`reference.moments._factorised_recursion` mirrored (partial sums
    ``U_x[l] = U_{x+1}[l] + sum_{u > l_x} S(u, l_x) U_{x+1}[l with l_x = u]``, stored along
    lines at their own level's scale, read by a Horner scheme applying the ``N^s - (N)_s``
    factors), on integers over ``N! (N^2 - (N)_2) ... (N^N - (N)_N)``: ``O(N^d)`` in all.
    Level 1 gives ``d - 1`` identities (checked); ``c_0 = 0`` and
    ``c_{e_x} = -sum_{m >= 2} c_{m e_x} (N)_m / N`` make ``t`` vanish at the vertices, and
    the values ``t(k) = sum_{j <= k} (k)_j c_j`` follow coordinate by coordinate by repeated
    summation (additions only).

    >>> [str(t) for t in neutral_absorption_times_multi(3, 2)]   # = neutral_absorption_times(3)
    ['0', '3', '3', '0']
    >>> [str(t) for t in neutral_absorption_times_multi(2, 3)]   # (2,0,0) (1,1,0) (1,0,1) (0,2,0) (0,1,1) (0,0,2)
    ['0', '2', '2', '0', '2', '0']
    """
    import flint

    from .typespace import iter_types

    n, coords = samples, size - 1
    one, zero = flint.fmpz(1), flint.fmpz(0)
    if n == 1 or size == 1:  # every type is a vertex
        return [Fraction(0)] * size
    stirling = _stirling_rows(n)
    column = [[one * stirling[u][i] if i <= u else zero for u in range(n + 1)] for i in range(n + 1)]  # S(u, i)
    nfact = factorial(n)
    e, f = [one] * (n + 2), [one] * (n + 2)  # (N^s - (N)_s) / g and (N)_s / g, their gcd g cancelled
    for s in range(2, n + 1):
        es, fs = one * (n**s - perm(n, s)), one * perm(n, s)
        g = es.gcd(fs)
        e[s], f[s] = es // g, fs // g
    suffix = [one] * (n + 2)  # suffix[s] = e_s ... e_N
    for s in range(n, 1, -1):
        suffix[s] = suffix[s + 1] * e[s]

    def scaled_g(l: tuple[int, ...]) -> int:
        """``N! g_l`` (an integer)."""
        value, sign = nfact, 1
        for lx in l:
            value //= factorial(lx)
            sign = -sign if lx % 2 else sign
        return -sign * value + (nfact if not any(l) else 0) - sum(1 for lx in l if lx == n)

    # stored[x]: U_x (x = 1 .. d-1) as lines along coordinate x - 1, keyed by the other coordinates
    stored: list[dict[tuple[int, ...], list[Any]]] = [{} for _ in range(coords + 1)]

    def line(x: int, t: tuple[int, ...]) -> list[Any]:
        key = t[:x - 1] + t[x:]
        if key not in stored[x]:
            stored[x][key] = [zero] * (n - sum(key) + 1)
        return stored[x][key]

    w: dict[tuple[int, ...], Any] = {}  # v_l = w_l / (N! suffix[|l|])
    for s in range(n, 1, -1):
        for l in iter_types(s, coords):
            total, partial = zero, []
            for x in range(coords - 1, -1, -1):  # entries u > l_x of the line through l along x: Horner from the top
                lx, entries = l[x], line(x + 1, l)
                r = zero
                if len(entries) - 1 > lx:
                    base, top = s - lx, len(entries) - 1
                    r = column[lx][top] * entries[top]
                    for u in range(top - 1, lx, -1):
                        r = r * e[base + u] + column[lx][u] * entries[u]
                partial.append(r)
                total += r
            w[l] = value = f[s] * (scaled_g(l) * suffix[s + 1] + total)
            line(coords, l)[l[coords - 1]] = value
            for x, r in zip(range(coords - 1, 0, -1), partial):  # U_x[l], at its own level's scale
                value = value + e[s] * r
                line(x, l)[l[x - 1]] = value
        if progress is not None:
            progress(n - s + 1, n - 1)
    prefix = [one] * (n + 2)  # prefix[m] = e_2 ... e_{m-1}
    for m in range(3, n + 2):
        prefix[m] = prefix[m - 1] * e[m - 1]

    def axis(x: int, m: int) -> tuple[int, ...]:
        return tuple(m if y == x else 0 for y in range(coords))

    for x in range(coords):  # level 1, unused by the substitution: sum_{m >= 2} v_{m e_x} = -1
        if sum((w[axis(x, m)] * prefix[m] for m in range(2, n + 1)), zero) != -nfact * suffix[2]:
            raise CheckFailed(f"the back substitution for N = {n}, d = {size} violates its consistency identity")
    # c_l = v_l N^s / (N)_s over Den = N * N!^2 * suffix[2]: numerators N * w_l N^s prefix[s] (N! / (N)_s)
    c = {l: n * wl * n ** sum(l) * prefix[sum(l)] * (nfact // perm(n, sum(l))) for l, wl in w.items()}
    c[(0,) * coords] = zero
    for x in range(coords):  # t = 0 at the vertex N e_x: sum_m c_{m e_x} (N)_m = 0
        c[axis(x, 1)] = -sum((c[axis(x, m)] * perm(n, m) for m in range(2, n + 1)), zero) // n
    denominator = one * n * nfact * nfact * suffix[2]
    values = c
    for x in range(coords):  # t = sum_j (k)_j c_j along coordinate x: a_j = j! c_j, then repeated summation
        lines: dict[tuple[int, ...], dict[int, Any]] = {}
        for t, v in values.items():
            lines.setdefault(t[:x] + t[x + 1:], {})[t[x]] = v
        values = {}
        for key, entries in lines.items():
            top = n - sum(key)
            run = [entries.get(j, zero) * factorial(j) for j in range(top + 1)]
            for r in range(top, 0, -1):
                for j in range(r, top + 1):
                    run[j] = run[j] + run[j - 1]
            for k, v in enumerate(run):
                values[key[:x] + (k,) + key[x:]] = v
    types = list(iter_types(n, size))
    vertices = [i for i, k in enumerate(types) if n in k]
    numerators = [values[k[:coords]] for k in types]
    if any(numerators[i] != 0 for i in vertices):
        raise CheckFailed(f"the back substitution for N = {n}, d = {size} does not vanish at the vertices")
    return [coprime_fraction(p, q) for p, q in lowest_terms(numerators, denominator, common_factor_first=True)]


def _back_substitution(n: int, e: list[Any], stirling: list[list[Any]],
                       finish: Callable[[int, Any, Any, Any], tuple[Any, Any]],
                       progress: Callable[[int, int], None] | None = None) -> tuple[list[Any], list[Any]]:
    """The loop of :func:`neutral_absorption_times` in one process: for ``i = N .. 2``,
    ``acc_i = (..(S(N,i) w_N) e_{N-1} + S(N-1,i) w_{N-1}) e_{N-2} + ..) + S(i+1,i) w_{i+1}``
    and ``(w_i, e_i) = finish(i, acc_i, e_{i+1} ... e_N, e_i)``.  Returns ``w`` and the
    cancelled ``e`` (:mod:`reference.moments_pair` has the two-process version)."""
    e = list(e)
    zero = e[0] * 0
    w = [zero] * (n + 1)
    suffix_next = zero + 1
    for i in range(n, 1, -1):
        acc = zero
        for l in range(n, i, -1):
            acc = acc * e[l] + stirling[l][i] * w[l] if l < n else stirling[n][i] * w[n]
        w[i], e[i] = finish(i, acc, suffix_next, e[i])
        suffix_next = suffix_next * e[i]
        if progress is not None:
            progress(n - i + 1, n - 1)
    return w, e


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


_LOW31, _HIGH31 = 2**30, 2**31
# Rosser-Schoenfeld (x/ln x < pi(x) < 1.25506 x/ln x, x >= 17), ln 2 in (0.6931, 0.6932):
# at least this many primes lie in [2^30, 2^31)
PRIMES_31_AT_LEAST = (Fraction(_HIGH31) / (31 * Fraction(6932, 10000))
                      - Fraction(125506, 100000) * _LOW31 / (30 * Fraction(6931, 10000)))


def _trial_primes(eps: Fraction, target_error: Fraction, rng: random.Random,
                  numbers: Sequence[int]) -> tuple[list[int], list[int]]:
    """Primes of ``[2^30, 2^31)`` drawn until ``eps`` per trial makes the bound at most
    ``target_error``, and each of ``numbers`` reduced once modulo their product (FLINT's
    remainder; Python's of a 283,000-bit number had cost 0.1 s per list), so that each
    trial's residues are remainders of short numbers."""
    import flint

    chosen, bound = [], Fraction(1)
    while bound > target_error:
        chosen.append(_random_prime_31(rng))
        bound *= eps
    modulus = flint.fmpz(prod(chosen))
    return chosen, [int(flint.fmpz(x) % modulus) for x in numbers]


def _random_prime_31(rng: random.Random) -> int:
    """A prime drawn uniformly from ``[2^30, 2^31)`` (so that products of two residues fit int64)."""
    import flint

    while True:
        candidate = rng.randrange(_LOW31, _HIGH31) | 1
        if flint.fmpz(candidate).is_prime():
            return candidate


def neutral_identity_test(samples: int, types: Sequence[Sequence[int]], times: Sequence[Fraction],
                          rng: random.Random | None = None, target_error: Fraction = TARGET_ERROR) -> IdentityTest:
    """The λ = 0 certificate on any number of points: ``t = 1 + P t`` at every type that is
    not a vertex, ``t = 0`` at the vertices, and ``P h_x = h_x`` for ``h_x(k) = k_x / N``,
    modulo random primes ``p`` in ``[2^30, 2^31)`` (a trial's point is empty: every state is
    evaluated).

    With ``t = T / X`` and the integer kernel ``A[k][j] = (N! / prod j_x!) prod_x k_x^{j_x}``
    (``N^N P``), the first identity is ``sum_j A[k][j] T_j = N^N (T_k - X)`` at every
    transient ``k``: the left side is a homogeneous polynomial in ``k``, evaluated at every
    type at once modulo ``p`` (:class:`reference.type_polynomials.TypeGrid`, numpy
    ``int64``, no float).  A wrong ``t`` leaves some non-zero integer ``w_k`` of fewer than
    ``beta`` bits, divisible by at most ``beta / 30`` primes of the range, so one trial
    passes it with probability at most ``ceil(beta / 30) / K`` (``K``
    :data:`PRIMES_31_AT_LEAST`); trials are added until the product is below
    ``target_error``.  ``P h_x = h_x`` at every state is the polynomial identity
    ``sum_j (N! / prod j_x!) j_x z^j = N z_x (z_0 + .. + z_{d-1})^{N-1}`` (the multinomial
    theorem, differentiated) at the types; each trial tests it at a random point of
    ``F_p^d`` (a false identity of degree ``N`` would pass with probability at most
    ``N / p``, Schwartz–Zippel).

    >>> from reference.typespace import iter_types
    >>> types = list(iter_types(2, 3))   # (2,0,0) (1,1,0) (1,0,1) (0,2,0) (0,1,1) (0,0,2)
    >>> good = [Fraction(v) for v in (0, 2, 2, 0, 2, 0)]
    >>> neutral_identity_test(2, types, good, random.Random(1)).passed
    True
    >>> neutral_identity_test(2, types, [Fraction(v) for v in (0, 2, 3, 0, 2, 0)], random.Random(1)).passed
    False
    """
    import numpy as np

    from .type_polynomials import TypeGrid

    rng = rng or random.SystemRandom()
    n, size = samples, len(types[0])
    den = lcm(*(t.denominator for t in times))
    num = [t.numerator * (den // t.denominator) for t in times]
    vertices = {i for i, k in enumerate(types) if n in k}
    if any(num[i] for i in vertices):
        return IdentityTest(False, (), Fraction(0), "t is not 0 at the vertices")
    if len(types) * max(n, 1) >= 2**32:  # the unreduced sums of the P h test below would not fit int64
        raise InputError(f"{len(types)} states with N = {n} are beyond the modular identity test")
    top = max((abs(x) for x in num), default=0).bit_length() + den.bit_length()
    beta = len(types).bit_length() + n * max(n, 2).bit_length() + top + 2
    eps = error_per_trial_31(beta)
    grid = TypeGrid(n, types)
    coords = grid.coords
    multinomials = [factorial(n) for _ in types]
    for i, k in enumerate(types):
        for kx in k:
            multinomials[i] //= factorial(kx)
    chosen, shared = _trial_primes(eps, target_error, rng, num)
    transient = np.array([i for i in range(len(types)) if i not in vertices], dtype=np.int64)
    bound, primes = Fraction(1), []
    for p in chosen:
        primes.append(p)
        bound *= eps
        t = np.array([x % p for x in shared], dtype=np.int64)
        mult = np.array([m % p for m in multinomials], dtype=np.int64)
        scale, x_mod = pow(n, n, p), den % p
        image = grid.evaluate(mult * t % p, p)  # sum_j A[k][j] T_j mod p at every type k
        wrong = np.flatnonzero(image[transient] != scale * ((t[transient] - x_mod) % p) % p)
        if wrong.size:
            return IdentityTest(False, tuple((q, ()) for q in primes), bound,
                                f"t = 1 + P t fails at state {transient[wrong[0]]} modulo {p}")
        z = [rng.randrange(p) for _ in range(size)]  # P h = h: the differentiated multinomial theorem at z
        monomials = mult
        for x in range(size):
            z_powers = np.array([pow(z[x], e, p) for e in range(n + 1)], dtype=np.int64)
            monomials = monomials * z_powers[coords[:, x]] % p
        total = pow(sum(z) % p, n - 1, p) if n >= 1 else 0
        for x in range(size):  # residues below 2^31 times counts up to N, n N < 2^32 terms: no reduction before the sum
            if int((monomials * coords[:, x]).sum()) % p != n * z[x] * total % p:
                return IdentityTest(False, tuple((q, ()) for q in primes), bound,
                                    f"P h = h fails for point {x} modulo {p}")
    return IdentityTest(True, tuple((q, ()) for q in primes), bound)


def error_per_trial_31(beta: int) -> Fraction:
    """``ceil(beta / 30) / K``: a non-zero integer of fewer than ``beta`` bits is divisible by at
    most ``beta / 30`` primes of ``[2^30, 2^31)``, of which there are at least ``K``."""
    return Fraction(-(-beta // 30)) / PRIMES_31_AT_LEAST
