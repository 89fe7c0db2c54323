"""Stationary factorial moments and the stationary law by moment inversion (λ > 0).

For the paper's chain (i.i.d. mixing, empirical law) the factorial moments of a
multinomial give, for a multi-index ``j`` on the first ``d - 1`` coordinates
(theory-reference §4.1),

    E[ prod_x (K'_x)_{j_x} | K = k ] = (N)_{|j|} prod_x q_x(k)^{j_x},   q_x(k) = a_x + b k_x,

with ``a_x = lam mu*_x`` and ``b = (1 - lam)/N``.  Writing ``q_x^{j}`` in the falling
factorial basis, ``q_x(k)^j = sum_l T_x(j, l) (k_x)_l`` with
``T_x(j+1, l) = (a_x + b l) T_x(j, l) + b T_x(j, l-1)``, the kernel is triangular in that
basis and its diagonal is Feller's ``beta_{|j|} = (N)_{|j|} b^{|j|}``.  So the stationary
factorial moments ``M_j = E_pi prod (K_x)_{j_x}`` solve

    M_j (1 - beta_{|j|}) = (N)_{|j|} sum_{l <= j, l != j} prod_x T_x(j_x, l_x) M_l,

by forward substitution in ``|j|``, and the law follows by binomial-moment inversion,
``pi(k) = sum_{l >= k} prod_x (-1)^{l_x - k_x} C(l_x, k_x) B_l`` with
``B_l = M_l / prod l_x!`` (``B_l = 0`` for ``|l| > N``), one coordinate at a time.

The algorithm only adds, subtracts, multiplies and divides, so it runs unchanged over any
field: :class:`fractions.Fraction` (exact numbers), rational functions of a symbolic λ,
or sympy's fraction fields.  ``beta_j < 1`` for ``j >= 1`` exactly when ``lam > 0`` (or
``N = 1``); at ``lam = 0`` the stationary law is not unique and this path does not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product
from fractions import Fraction
from functools import lru_cache
from math import comb, factorial, gcd, lcm
from typing import Any

from .errors import InputError
from .lowest_terms import coprime_fraction, lowest_terms
from .moments_pair import line_recursion_in_pair
from .parallel import workers
from .typespace import iter_types

Index = tuple[int, ...]


@lru_cache(maxsize=16)
def _indices(total: int, size: int) -> tuple[Index, ...]:
    """Multi-indices of ``size`` coordinates with sum <= total, by increasing sum."""
    if size == 0:
        return ((),)
    out: list[Index] = []
    for s in range(total + 1):
        out.extend(reversed(list(iter_types(s, size))))
    return tuple(out)


def _falling(n: int, j: int) -> int:
    out = 1
    for i in range(j):
        out *= n - i
    return out


def _power_tables(a: Sequence[Any], b: Any, order: int, one: Any) -> list[list[list[Any]]]:
    """``T[x][j][l]``: the coefficient of ``(k_x)_l`` in ``(a_x + b k_x)^j``, ``j <= order``.

    Multiplying by ``a + b k`` maps ``(k)_l`` to ``(a + b l) (k)_l + b (k)_{l+1}``, hence
    ``T(j+1, l) = (a + b l) T(j, l) + b T(j, l-1)``.
    """
    tables = []
    for ax in a:
        t = [[one]]
        for j in range(order):
            prev = t[-1]
            row = [(ax + b * l) * prev[l] for l in range(j + 1)] + [one * 0]
            for l in range(1, j + 2):
                row[l] = row[l] + b * prev[l - 1]
            t.append(row)
        tables.append(t)
    return tables


def stationary_factorial_moments(target: Sequence[Any], samples: int, lam: Any, one: Any = 1,
                                 max_order: int | None = None) -> dict[Index, Any]:
    """``M_j`` for every multi-index ``j`` on the first ``d - 1`` coordinates, ``|j| <= N``
    (or ``|j| <= max_order``: the recursion only reads lower orders, so low moments are
    cheap even for very large N).

    ``target`` and ``lam`` are elements of a field (``one`` is its unit); the result is in
    the same field.

    >>> from fractions import Fraction as F
    >>> m = stationary_factorial_moments([F(1, 4), F(3, 4)], 4, F(1, 3))
    >>> m[(1,)], m[(2,)]   # E K = N m = 1;  E K(K-1) = Var + (E K)^2 - E K
    (Fraction(1, 1), Fraction(9, 8))
    """
    n = samples
    order = n if max_order is None else min(max_order, n)
    coords = len(target) - 1
    one = one * 1
    b = (one - lam) / n
    tables = _power_tables([lam * t for t in target[:coords]], b, order, one)
    moments: dict[Index, Any] = {tuple([0] * coords): one}
    for j in _indices(order, coords)[1:]:
        s = sum(j)
        total = one * 0
        diagonal = one
        for x in range(coords):
            diagonal = diagonal * tables[x][j[x]][j[x]]
        for l in product(*(range(jx + 1) for jx in j)):
            if l == j:
                continue
            coef = one
            for x in range(coords):
                coef = coef * tables[x][j[x]][l[x]]
            total = total + coef * moments[l]
        nj = _falling(n, s)
        denominator = one - nj * diagonal
        if denominator == 0:
            raise InputError("the moment recursion needs lam > 0 (at lam = 0 the stationary law is not unique)")
        moments[j] = nj * total / denominator
    return moments


def exact_stationary_moments(target: Sequence[Fraction], samples: int, lam: Fraction, order: int) -> dict[Index, Fraction]:
    """Stationary factorial moments ``E_pi prod_x (K_x)_{j_x}`` for ``1 <= |j| <= order``, exactly (FLINT rationals).

    >>> from fractions import Fraction as F
    >>> m = exact_stationary_moments([F(1, 4), F(3, 4)], 1000, F(1, 3), 2)
    >>> m[(1,)], m[(2,)] - m[(1,)] ** 2 + m[(1,)]   # E K = N m; Var K = N^2 m (1 - m) / D
    (Fraction(250, 1), Fraction(46875, 139))
    """
    if lam <= 0:
        raise InputError("stationary moments need lam > 0 (at lam = 0 the stationary law is not unique)")
    import flint

    fq = lambda x: flint.fmpq(x.numerator, x.denominator)  # noqa: E731
    raw = stationary_factorial_moments([fq(t) for t in target], samples, fq(lam), flint.fmpq(1), max_order=order)
    return {j: coprime_fraction(int(v.p), int(v.q)) for j, v in raw.items() if sum(j) >= 1}


def fraction_free_stationary(a: Sequence[Any], b: Any, c: Any, samples: int, one: Any,
                             cancel: Callable[[Any, Any], Any] | None = None,
                             factors: list[Any] | None = None,
                             progress: Callable[[int, int], None] | None = None,
                             binomial_inversion: Callable[[list[Any]], list[Any]] | None = None,
                             pair: bool = False) -> tuple[list[Any], Any]:
    """The stationary law as ``(numerators, common_denominator)``, with no division inside.

    The sampling law is ``q_x(k) = (a_x + b k_x) / c`` for ``x < d - 1`` with ring elements
    ``a_x, b, c`` (integers for exact numbers, polynomials in λ for the symbolic path).
    Same recursion as :func:`stationary_factorial_moments`, scaled by ``c``: with
    ``D_i = c^i - (N)_i b^i`` (``c^i`` times ``1 - beta_i``) and
    ``Delta_s = D_1 ... D_s`` the moments are ``M_j = P_j / Delta_{|j|}`` where

        P_j = (N)_{|j|} sum_{t < |j|} ( sum_{|l| = t, l <= j} prod_x T_x(j_x, l_x) P_l ) D_{t+1} ... D_{|j|-1}

    (a Horner scheme in ``t``; ``T_x`` the coefficients of ``(a_x + b k_x)^j`` in the
    falling-factorial basis; for d >= 3 the box sum over ``l <= j`` is factorised one
    coordinate at a time, :func:`_factorised_recursion`), and ``pi(k) = num_k / (Delta_N N!)`` after the
    binomial-moment inversion on numerators.  Every step is a ring operation; the only
    divisions are exact integer divisions of factorials.

    ``cancel(D_s, (N)_s)``, when given (integers: their gcd), divides the common factor out
    of each step's ratio ``(N)_s / D_s`` before the recursion uses it.  For integers this
    matters: ``D_s = c^s - (N)_s b^s`` shares a large smooth factor with ``(N)_s`` (the
    powers of the primes of ``c``), and without cancelling it the common denominator is
    1.35-1.9x longer than the reduced one (740k against 550k bits at d = 2, N = 400, lam
    = 1/3), which every later operation pays for.  ``factors``, when given, receives the
    factors whose product is the common denominator (``D_1 .. D_N`` and ``N!``).
    ``binomial_inversion``, when given, replaces the generic ``O(n^2)`` inversion of one
    line (:func:`_binomial_inversion`; FLINT integers: :func:`flint_binomial_inversion`).
    ``pair`` (FLINT integers, d = 2) runs the recursion in two processes
    (:func:`reference.moments_pair.line_recursion_in_pair`); the numbers are the same.
    """
    n = samples
    coords = len(a)
    size = coords + 1
    zero = one * 0
    tables = _power_tables(a, b, n, one)
    d_factors = [one]
    f_factors = [one]
    b_power, c_power = one, one
    falling = 1
    for i in range(1, n + 1):
        b_power, c_power, falling = b_power * b, c_power * c, falling * (n - i + 1)
        d_i = c_power - falling * b_power
        if d_i == 0:
            raise InputError("the moment recursion needs lam > 0 (at lam = 0 the stationary law is not unique)")
        f_i = one * falling
        if cancel is not None:  # M_j = ((N)_s / D_s) sum ...: cancel the common factor once, here
            g = cancel(d_i, f_i)
            d_i, f_i = d_i // g, f_i // g
        d_factors.append(d_i)
        f_factors.append(f_i)
    if coords == 0:
        return [one], one
    suffix = [one] * (n + 2)
    for i in range(n, 0, -1):
        suffix[i] = suffix[i + 1] * d_factors[i]
    # B_l = P_l (D_{|l|+1} ... D_N) (N!/prod l!) / (Delta_N N!), then invert coordinate by coordinate
    f: dict[Index, Any] = {}
    if coords == 1:  # d = 2: one line of moments, P_j from P_0 .. P_{j-1}
        rows = [tables[0][j] for j in range(n + 1)]
        weights = [suffix[j + 1] * (factorial(n) // factorial(j)) for j in range(n + 1)]
        line = line_recursion_in_pair(rows, d_factors, f_factors, n, progress, scale=weights) if pair else None
        if line is None:  # one process (or the partner could not help)
            line = [p * w for p, w in zip(_line_recursion(rows, d_factors, f_factors, n, progress), weights, strict=True)]
        f = {(j,): v for j, v in enumerate(line)}
    else:
        for l, p in _factorised_recursion(tables, d_factors, f_factors, suffix, n, zero, one, progress).items():
            weight = factorial(n)
            for lx in l:
                weight //= factorial(lx)
            f[l] = p * weight
    invert = binomial_inversion or _binomial_inversion
    for x in range(coords):
        lines: dict[Index, list[Any]] = {}  # the other coordinates -> values along coordinate x
        for k in f:
            rest = k[:x] + k[x + 1:]
            if rest not in lines:
                lines[rest] = [f[rest[:x] + (lx,) + rest[x:]] for lx in range(n - sum(rest) + 1)]
        f = {rest[:x] + (kx,) + rest[x:]: v for rest, line in lines.items() for kx, v in enumerate(invert(line))}
    if factors is not None:
        factors.extend(d_factors[1:])
        factors.append(one * factorial(n))
    common = suffix[1] * factorial(n)
    return [f[k[:coords]] for k in iter_types(n, size)], common


def _factorised_recursion(tables: list[list[list[Any]]], d_factors: list[Any], f_factors: list[Any],
                          suffix: list[Any], n: int, zero: Any, one: Any,
                          progress: Callable[[int, int], None] | None = None) -> dict[Index, Any]:
    """The d >= 3 recursion of :func:`fraction_free_stationary` by sum factorisation:
    ``{l: P_l (D_{|l|+1} ... D_N)}`` for every multi-index ``l``, ``|l| <= N``.

    ``P_j`` needs the sum over the box ``l <= j`` of ``prod_x T_x(j_x, l_x)`` times ``P_l``
    brought to level ``|j|`` (times ``D_{|l|+1} ... D_{|j|-1}``).  The product is separable,
    so the box sum is taken one coordinate at a time, innermost (last) first, through
    partial sums ``W_x[t] = sum_{u <= t_x} T_x(t_x, u) W_{x+1}[t with t_x = u]``
    (``W_C = P`` for ``C = d - 1`` coordinates; ``P_j = f_s W_0[j]`` without its own term).
    Each ``W_x[t]`` depends only on entries of lower level ``|t|``; once level ``|t|`` is
    done it is complete and later levels only rescale it, so it is computed once and stored
    at its own scale (level ``|t| + 1``) along the line it is summed over, and read back
    with a Horner scheme that applies the missing ``D``'s.  Work per ``j``: ``|j|``
    multiply-adds instead of ``prod_x (j_x + 1)`` — ``O(N^d)`` in all against
    ``O(N^{2d-2})`` for the box (``benchmarks/bench_phases.py``, same run: d = 3, N = 100:
    0.78 s against 5.3 s; d = 4, N = 30: 0.086 s against 0.92 s).  The same ring
    operations for any ring (FLINT integers, polynomials in λ); the tests compare it with
    the rational recursion and with linear solves.
    """
    coords = len(tables)
    # stored[x]: W_x (x = 1 .. C) as lines along coordinate x - 1, keyed by the other coordinates
    stored: list[dict[Index, list[Any]]] = [{} for _ in range(coords + 1)]
    origin = (0,) * coords
    for x in range(1, coords + 1):
        stored[x][origin[:x - 1] + origin[x:]] = [one]
    partial = [zero] * coords
    for s in range(1, n + 1):
        d_s = d_factors[s]
        for j in _indices_at_level(s, coords):
            q = zero  # the box sum without l = j, accumulated from the last coordinate outwards
            for x in range(coords - 1, -1, -1):
                jx = j[x]
                row = tables[x][jx]
                r = zero
                if jx:  # entries u < j_x of the line through j along x, at levels s - j_x + u: Horner in u
                    line, base = stored[x + 1][j[:x] + j[x + 1:]], s - jx
                    r = row[0] * line[0]
                    for u in range(1, jx):
                        r = r * d_factors[base + u] + row[u] * line[u]
                partial[x] = r
                q = r + row[jx] * q
            w = f_factors[s] * q  # P_j, at its own scale
            stored[coords].setdefault(j[:coords - 1], []).append(w)
            for x in range(coords - 1, 0, -1):  # W_x[j] complete, at scale |j| + 1
                w = d_s * partial[x] + tables[x][j[x]][j[x]] * w
                stored[x].setdefault(j[:x - 1] + j[x:], []).append(w)
        if progress is not None:
            progress(s, n)
    return {key + (u,): p * suffix[sum(key) + u + 1]
            for key, line in stored[coords].items() for u, p in enumerate(line)}


@lru_cache(maxsize=512)
def _indices_at_level(level: int, size: int) -> tuple[Index, ...]:
    """Multi-indices of ``size`` coordinates with sum ``level``."""
    return tuple(reversed(list(iter_types(level, size))))


def _line_recursion(rows: list[list[Any]], d_factors: list[Any], f_factors: list[Any], n: int,
                    progress: Callable[[int, int], None] | None = None) -> list[Any]:
    """The d = 2 recursion of :func:`fraction_free_stationary` in one process:
    ``P_j = f_j ((..(T(j,0) P_0) D_1 + T(j,1) P_1) D_2 + ..) + T(j,j-1) P_{j-1})``, ``P_0 = 1``."""
    line = [f_factors[0] * 1]
    for j in range(1, n + 1):
        row = rows[j]
        acc = row[0] * line[0]
        for t in range(1, j):
            acc = acc * d_factors[t] + row[t] * line[t]
        line.append(f_factors[j] * acc)
        if progress is not None:
            progress(j, n)
    return line


def _binomial_inversion(values: list[Any]) -> list[Any]:
    """``g_k = sum_{l >= k} (-1)^{l-k} C(l, k) f_l`` (binomial moments to probabilities), term by term.

    >>> _binomial_inversion([1, 3, 3, 1])   # f_l = C(3, l): the moments of a point mass at 3
    [0, 0, 0, 1]
    """
    out = []
    for k in range(len(values)):
        acc = values[k] * 0
        for l in range(k, len(values)):
            term = values[l] * comb(l, k)
            acc = acc - term if (l - k) % 2 else acc + term
        out.append(acc)
    return out


def flint_binomial_inversion(values: list[Any]) -> list[Any]:
    """:func:`_binomial_inversion` for FLINT integers as one Taylor shift: ``g_k`` is the
    coefficient of ``y^k`` in ``sum_l f_l (y - 1)^l``, i.e. ``F(y - 1)`` with FLINT's
    polynomial composition (divide and conquer; d = 2, N = 400: 0.3 s against 2.2 s term
    by term).

    >>> import flint
    >>> [int(v) for v in flint_binomial_inversion([flint.fmpz(v) for v in (1, 3, 3, 1)])]
    [0, 0, 0, 1]
    """
    import flint

    coeffs = flint.fmpz_poly(values)(flint.fmpz_poly([-1, 1])).coeffs()
    return coeffs + [flint.fmpz(0)] * (len(values) - len(coeffs))


def exact_stationary_law(target: Sequence[Fraction], samples: int, lam: Fraction,
                         progress: Callable[[int, int], None] | None = None) -> list[Fraction]:
    """The stationary law (λ > 0) by the fraction-free moment path on FLINT integers.

    With ``lam = p/r`` and ``mu*_x = t_x / T``: ``q_x(k) = (p t_x N + (r - p) T k_x) / (r T N)``.

    >>> from fractions import Fraction as F
    >>> [str(x) for x in exact_stationary_law([F(1, 4), F(3, 4)], 4, F(1, 3))]   # theory-reference row 1
    ['3/128', '21/256', '45/256', '79/256', '105/256']
    """
    import flint

    n = samples
    p, r = lam.numerator, lam.denominator
    big_t = lcm(*(t.denominator for t in target))
    ints = [t.numerator * (big_t // t.denominator) for t in target]
    one = flint.fmpz(1)
    a = [one * (p * tx * n) for tx in ints[:-1]]
    b = one * ((r - p) * big_t)
    c = one * (r * big_t * n)
    g = gcd(*(int(v) for v in (*a, b, c)))
    if g > 1:
        a, b, c = [v / g for v in a], b / g, c / g  # fmpz exact division
        a, b, c = [flint.fmpz(v) for v in a], flint.fmpz(b), flint.fmpz(c)
    pair = len(target) == 2 and n >= PAIR_FROM_SAMPLES and workers() >= 2
    nums, common = fraction_free_stationary(a, b, c, n, one, cancel=lambda x, y: x.gcd(y), progress=progress,
                                           binomial_inversion=flint_binomial_inversion, pair=pair)
    return [coprime_fraction(p, q) for p, q in lowest_terms(nums, common, common_factor_first=len(target) > 2)]


PAIR_FROM_SAMPLES = 150
"""d = 2 from this N on runs the recursion on two cores (below it a fork costs more than it saves)."""
