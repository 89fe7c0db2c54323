"""Exact fractions in lowest terms, in batch: an answer's numerators over one common denominator.

The fast paths produce a law (or absorption times) as integers ``x_k`` over one common
denominator ``C`` of up to half a million bits; :func:`lowest_terms` reduces all of them
at the cost of about one modular product per entry instead of one big gcd per entry,
and :func:`coprime_fraction` makes the :class:`fractions.Fraction` without a second gcd.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from math import prod
from typing import Any

from .parallel import map_in_parts

SPLIT_PRODUCT_AT_BITS = 8_000_000
"""``entries x bits`` above which :func:`lowest_terms` splits its modular product across cores."""


def divide_common_factor(numerators: Sequence[Any], denominator: Any) -> tuple[list[Any], Any]:
    """``numerators / G`` and ``denominator / G`` for ``G = gcd(denominator, x_0, x_1, ...)``
    (FLINT integers): a chain of gcds that shrinks at once.

    >>> import flint
    >>> divide_common_factor([flint.fmpz(v) for v in (6, 0, 30)], flint.fmpz(48))
    ([1, 0, 5], 8)
    """
    common = denominator
    for x in numerators:
        if x:
            common = common.gcd(x)
            if common == 1:
                return list(numerators), denominator
    return [x // common for x in numerators], denominator // common


def small_primes_of(n: int, bound: int = 1 << 16) -> list[int] | None:
    """The prime factors of ``n > 0`` when all are below ``bound`` (trial division), else None.

    >>> small_primes_of(2400), small_primes_of(2 * 65537)
    ([2, 3, 5], None)
    """
    primes, p = [], 2
    while n > 1 and p < bound:
        if n % p == 0:
            primes.append(p)
            while n % p == 0:
                n //= p
        p += 1 if p == 2 else 2
    return primes if n == 1 else None


def _valuation(x: Any, p: int, cap: int) -> int:
    """``min(v_p(x), cap)`` for a FLINT integer ``x != 0``: one remainder by ``p`` per power
    while they are few, then whole powers ``p^(2^i)`` (the numerators of a law rarely
    hold more than a few factors of a prime once the common factor is divided out)."""
    v = 0
    while v < cap and v < 8:
        if x % p:
            return v
        x, v = x // p, v + 1
    step, power = 8, p**8
    while v < cap and step:
        if v + step <= cap and x % power == 0:
            x, v = x // power, v + step
            step, power = step * 2, power * power
        else:
            step, power = step // 2, (p ** (step // 2) if step > 1 else 1)
    return v


def lowest_terms(numerators: Sequence[Any], denominator: Any, common_factor_first: bool = False,
                 primes: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """``(x_k / g_k, C / g_k)`` with ``g_k = gcd(x_k, C)``, for FLINT integers, in batch
    (returned as Python integers).

    One gcd of two ~10^5-10^6-bit numbers per entry dominated the exact law's cost
    (d = 2, N = 400: 401 gcds of 550k-bit numbers, 14 s).  Instead:

    1. with ``common_factor_first``, the factor ``G = gcd(C, x_0, x_1, ...)`` common to every
       entry is divided out first (a chain of gcds that shrinks at once).  It pays when
       ``G`` is a large part of ``C`` (the d >= 3 law: 8,229 of 33,007 bits at d = 3,
       N = 100, lowest terms 1.75 -> 1.0 s) and costs 20% when it is not (the d = 2 law,
       whose recursion already cancels per step: 2,680 of 550,000 bits at N = 400);
    2. ``h = gcd(C, prod x_k mod C)`` over the non-zero entries contains every prime that
       ``C`` shares with any ``x_k``; ``C_h``, the part of ``C`` made of those primes, is
       small (the smooth part: 12k of 550k bits at d = 2, N = 400), and
       ``gcd(x_k, C) = gcd(x_k mod C_h, C_h)`` because no other prime of ``C`` divides ``x_k``.

    About ``n`` modular products and ``log`` big gcds in all, then ``n`` cheap ones; the
    product and the per-entry step run on all cores for long inputs.

    ``primes``, when given, are all the primes of ``C`` (a smooth ``C``, such as the
    powers of ``c`` that the exact evolution divides by): then ``C_h`` could be all of
    ``C`` and step 2's per-entry gcds as long as the numbers, so each ``g_k`` is made
    from the valuations ``min(v_p(x_k), v_p(C))`` instead, with no product at all
    (d = 2, N = 200, 50 generations of ``evolve``: 5.6 s of lowest terms -> 0.5 s).

    >>> import flint
    >>> lowest_terms([flint.fmpz(v) for v in (0, 6, 35, 19)], flint.fmpz(60))
    [(0, 1), (1, 10), (7, 12), (19, 60)]
    >>> lowest_terms([flint.fmpz(v) for v in (6, 12, 30)], flint.fmpz(48), common_factor_first=True)   # G = 6
    [(1, 8), (1, 4), (5, 8)]
    """
    one = denominator * 0 + 1
    if common_factor_first:
        numerators, denominator = divide_common_factor(numerators, denominator)
    worth = len(numerators) * denominator.bit_length() >= SPLIT_PRODUCT_AT_BITS
    if primes is not None:
        caps = [_valuation(denominator, p, denominator.bit_length()) for p in primes]
        if prod(p**e for p, e in zip(primes, caps, strict=True)) != denominator:
            raise ValueError(f"the primes {list(primes)} do not make up the denominator")

        def by_valuations(x: Any) -> Any:
            return prod(p ** _valuation(x, p, cap) for p, cap in zip(primes, caps, strict=True))

        # a few short remainders per entry: no fork
        return _divide_each(numerators, denominator, [by_valuations(x) if x else one for x in numerators])

    def product_mod(part: Sequence[Any]) -> list[int]:
        import flint

        residue = flint.fmpz_mod_ctx(denominator)(1)  # FLINT's residues: 0.70 against 0.87 ms a product at 118,000 bits
        for x in part:
            if x:
                residue = residue * x
        return [int(residue)]

    # one modular product per number, the parts on all cores when it is worth a fork
    product = one
    for p in (map_in_parts(product_mod, numerators) if worth else product_mod(numerators)):
        product = product * p % denominator
    part = _strip(denominator, denominator.gcd(product))[0]  # C_h
    if part == 1:
        return _divide_each(numerators, denominator, [one] * len(numerators))
    # C_h = S R: S made of primes below 2^16; R, the rest, often long and shared by a few entries only
    smooth, rough = _strip(part, part.gcd(_small_primorial()))
    items = list(enumerate(numerators))
    sharing = None
    if rough.bit_length() >= ROUGH_SEARCH_FROM_BITS:  # one search per part, on all cores when worth it

        def search(chunk: Sequence[tuple[int, Any]]) -> list[set[int] | None]:
            found = _sharing_entries([x for _, x in chunk], rough)
            return [None if found is None else {chunk[i][0] for i in found}]

        found_by_part = map_in_parts(search, items) if worth else search(items)
        if all(found is not None for found in found_by_part):
            sharing = set().union(*found_by_part)
    if sharing is None:  # every entry's gcd with all of C_h
        smooth, rough, sharing = part, one, set()

    def gcd_of(item: tuple[int, Any]) -> Any:
        k, x = item
        if not x:
            return one
        g = (x % smooth).gcd(smooth) if smooth != 1 else one
        return g * (x % rough).gcd(rough) if k in sharing else g

    def reduce(items: Sequence[tuple[int, Any]]) -> list[tuple[int, int]]:
        return _divide_each([x for _, x in items], denominator, [gcd_of(item) for item in items])

    return map_in_parts(reduce, items) if worth else reduce(items)


ROUGH_SEARCH_FROM_BITS = 2_000
"""From this length on, the entries sharing a prime with the rough part ``R`` of ``C_h`` are
found by a product tree instead of one gcd with ``R`` per entry."""


def _strip(n: Any, probe: Any) -> tuple[Any, Any]:
    """``(part, rest)``: ``n = part * rest`` where ``part`` holds every prime of ``probe`` (a
    divisor of ``n``) to its full power in ``n``; the probe is squared each round, so it takes
    ``O(log)`` gcds."""
    part, rest = probe * 0 + 1, n
    while probe != 1:
        rest = rest // probe
        part = part * probe
        probe = rest.gcd(probe * probe)
    return part, rest


@lru_cache(maxsize=1)
def _small_primorial() -> Any:
    """The product of the primes below ``2^16`` (94,000 bits)."""
    import flint

    return flint.fmpz.primorial_ui(1 << 16)


def _sharing_entries(values: Sequence[Any], r: Any) -> set[int] | None:
    """The indices ``k`` with ``gcd(values[k], r) != 1``, by a product tree modulo ``r``: a
    subtree whose product is coprime to ``r`` holds no such entry and is not visited.  None
    when more than an eighth of the entries share a prime with ``r`` (the search would then
    cost more than one gcd per entry).

    d = 3, N = 100: ``R`` has 11,500 bits and divides into 3 of 5,151 entries; one gcd with
    it per entry cost 0.75 s, the tree ~n modular products of ``R``'s length.
    """
    import flint

    ctx = flint.fmpz_mod_ctx(r)
    level = [ctx(x) if x else ctx(1) for x in values]
    levels = [level]
    while len(level) > 1:
        level = [level[i] * level[i + 1] if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
        levels.append(level)
    found: set[int] = set()
    limit = max(1, len(values) // 8)
    stack = [(len(levels) - 1, 0)]
    while stack:
        depth, i = stack.pop()
        if r.gcd(int(levels[depth][i])) == 1:
            continue
        if depth == 0:
            found.add(i)
            if len(found) > limit:
                return None
            continue
        below = levels[depth - 1]
        stack.extend((depth - 1, j) for j in (2 * i, 2 * i + 1) if j < len(below))
    return found


def _divide_each(values: Sequence[Any], denominator: Any, gcds: Sequence[Any]) -> list[tuple[int, int]]:
    """``(x / g, C / g)`` as Python integers with ``g = gcds[k] = gcd(x, C)``; ``(0, 1)`` for 0."""
    out = []
    for x, g in zip(values, gcds, strict=True):
        if not x:
            out.append((0, 1))
            continue
        out.append((int(x // g), int(denominator // g)) if g != 1 else (int(x), int(denominator)))
    return out


def coprime_fraction(numerator: int, denominator: int) -> Fraction:
    """A Fraction from integers already in lowest terms (denominator > 0), skipping the second gcd.

    Uses CPython's private constructor where it exists (``_from_coprime_ints`` on 3.12+,
    ``_normalize=False`` on 3.11), else the ordinary one.
    """
    make = getattr(Fraction, "_from_coprime_ints", None)
    if make is not None:
        return make(numerator, denominator)
    try:
        return Fraction(numerator, denominator, _normalize=False)  # type: ignore[call-arg]
    except TypeError:
        return Fraction(numerator, denominator)
