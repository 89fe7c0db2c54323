"""Exact numbers from text, and exact numbers back to text.

Every number a user gives is parsed here, exactly, by a small grammar (never ``eval``,
``sympify`` or ``float``):

* an integer ``"2"``, ``"-3"``;
* a ratio of integers ``"1/3"``;
* a finite decimal ``"0.25"`` (= 1/4), optionally with an exponent ``"2.5e-3"``.

Rationals are :class:`fractions.Fraction`.  A law on ``S = {0..d-1}`` is a tuple of
``d`` non-negative rationals summing to exactly 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from .errors import InputError

Rational = Fraction
Law = tuple[Fraction, ...]

_INTEGER = r"[+-]?\d+"
_RATIO = re.compile(rf"^\s*({_INTEGER})\s*/\s*(\d+)\s*$")
_DECIMAL = re.compile(r"^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$")
_MAX_EXPONENT = 10_000
_PYTHON_TEXT_BITS = 1_500
"""Below this many bits Python's own ``str``/``int`` (quadratic) beat a round trip through
FLINT (GMP's subquadratic radix conversion); measured: 1.4 against 1.8 us at 1,000 bits,
39.7 against 9.4 us at 6,000 bits (the threshold had been 6,600 bits, which made the
digits of the d = 4, N = 50 law, 47,000 numbers of ~3,000 bits, 2.5x slower)."""
_FLINT_BITS = 20_000


def int_to_text(n: int) -> str:
    """Decimal digits of ``n`` with no length limit and in subquadratic time.

    Python's own ``str(int)`` is quadratic and refuses more than 4,300 digits by default;
    exact stationary laws reach millions of digits (d = 2, N = 400: ~83,000 digits per
    number), so long integers go through FLINT's ``fmpz`` (GMP's radix conversion).

    >>> int_to_text(-12), int_to_text(10**6000 + 7)[:3], int_to_text(10**6000 + 7)[-3:], len(int_to_text(10**6000))
    ('-12', '100', '007', 6001)
    """
    if -(10**18) < n < 10**18 or n.bit_length() < _PYTHON_TEXT_BITS:
        try:
            return str(n)
        except ValueError:  # pragma: no cover - only under a lowered sys limit
            pass
    import flint

    return str(flint.fmpz(n))


def text_to_int(digits: str) -> int:
    """``int(digits)`` for a validated string of optionally signed decimal digits, any length (see :func:`int_to_text`).

    >>> text_to_int("-42"), text_to_int("9" * 5000) == 10**5000 - 1
    (-42, True)
    """
    if len(digits) < _PYTHON_TEXT_BITS * 0.3:
        return int(digits)
    import flint

    return int(flint.fmpz(digits))


def parse_rational(text: str, *, what: str = "number") -> Fraction:
    """Parse ``text`` as an exact rational.

    >>> parse_rational("1/3"), parse_rational("0.25"), parse_rational("2"), parse_rational("1e-2")
    (Fraction(1, 3), Fraction(1, 4), Fraction(2, 1), Fraction(1, 100))

    Raises :class:`InputError` naming ``what`` and the text for anything else
    (``"abc"``, ``"1/0"``, ``"nan"``, ``"1/3/4"``).
    """
    if not isinstance(text, str):
        raise InputError(f"{what} {text!r} is not text; write it as e.g. 1/3, 0.25 or 2")
    match = _RATIO.match(text)
    if match:
        denominator = text_to_int(match.group(2))
        if denominator == 0:
            raise InputError(f"{what} {text.strip()!r} has denominator 0")
        return Fraction(text_to_int(match.group(1)), denominator)
    match = _DECIMAL.match(text)
    if match and (match.group(2) or match.group(3)):
        sign, whole, frac, exponent = match.groups()
        digits = (whole or "") + (frac or "")
        value = Fraction(text_to_int(digits or "0"), 10 ** len(frac or ""))
        if exponent is not None:
            e = int(exponent)
            if abs(e) > _MAX_EXPONENT:
                raise InputError(f"{what} {text.strip()!r} has an exponent beyond ±{_MAX_EXPONENT}")
            value *= Fraction(10) ** e
        return -value if sign == "-" else value
    raise InputError(
        f"{what} {text.strip()!r} is not an exact number; allowed: an integer (2), "
        "a ratio (1/3) or a decimal (0.25)"
    )


def parse_probability(text: str, *, what: str = "lam") -> Fraction:
    """Parse a number in [0, 1], e.g. the fresh fraction λ.

    >>> parse_probability("1/3")
    Fraction(1, 3)
    """
    value = parse_rational(text, what=what)
    if not 0 <= value <= 1:
        raise InputError(f"{what} {text.strip()!r} = {format_rational(value)} is outside [0, 1]")
    return value


def parse_law(text: str | Sequence[str], *, what: str = "target") -> Law:
    """Parse a law on ``S = {0..d-1}`` from ``"1/2,1/3,1/6"`` (or a list of strings).

    The entries must be non-negative and sum to exactly 1; the error says which entry
    is negative or what the exact sum was.

    >>> parse_law("1/2, 0.25, 1/4")
    (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4))
    """
    parts = _split(text, what)
    law = tuple(parse_rational(p, what=f"{what} entry {i}") for i, p in enumerate(parts))
    return validate_law(law, what=what)


def validate_law(law: Sequence[Fraction], *, what: str = "target") -> Law:
    """Check that ``law`` is a probability vector of exact rationals; return it as a tuple."""
    law = tuple(law)
    if len(law) < 1:
        raise InputError(f"{what} is empty; give at least one probability")
    for i, p in enumerate(law):
        if not isinstance(p, Fraction):
            raise InputError(f"{what} entry {i} = {p!r} is not an exact rational")
        if p < 0:
            raise InputError(f"{what} entry {i} = {format_rational(p)} is negative; entries must be >= 0")
    total = sum(law, Fraction(0))
    if total != 1:
        raise InputError(f"{what} sums to {format_rational(total)}, not 1")
    return law


def parse_counts(text: str | Sequence[str], *, what: str = "start") -> tuple[int, ...]:
    """Parse a count vector ``"6,2"`` of non-negative integers.

    >>> parse_counts("6, 2")
    (6, 2)
    """
    parts = _split(text, what)
    counts = []
    for i, p in enumerate(parts):
        p = p.strip()
        if not re.fullmatch(r"\d+", p):
            raise InputError(f"{what} entry {i} = {p!r} is not a non-negative integer count")
        counts.append(int(p))
    return tuple(counts)


def parse_int(text: str, *, what: str, minimum: int) -> int:
    """Parse a whole number ``>= minimum``; the error names the text and the bound."""
    t = str(text).strip()
    if not re.fullmatch(r"[+-]?\d+", t):
        raise InputError(f"{what} {t!r} is not an integer; allowed: a whole number >= {minimum}")
    value = int(t)
    if value < minimum:
        raise InputError(f"{what} {t!r} must be >= {minimum}")
    return value


def parse_positive_int(text: str, *, what: str) -> int:
    """Parse an integer >= 1 (samples N, replicas, ...)."""
    return parse_int(text, what=what, minimum=1)


def parse_nonnegative_int(text: str, *, what: str) -> int:
    """Parse an integer >= 0 (generations, seeds, ...)."""
    return parse_int(text, what=what, minimum=0)


def common_denominator(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """Integers ``num`` and ``den`` (the lcm of the denominators) with ``values[i] = num[i] / den``.

    Cheap even for huge exact laws: their denominators all divide one common one, so
    each gcd inside the lcm finishes in a step or two.

    >>> common_denominator([Fraction(1, 2), Fraction(1, 3), Fraction(0)])
    ([3, 2, 0], 6)
    """
    from math import lcm

    if not values or max(v.denominator.bit_length() for v in values) < _FLINT_BITS:
        den = lcm(*(v.denominator for v in values)) if values else 1
        return [v.numerator * (den // v.denominator) for v in values], den
    import flint  # long numbers: FLINT's subquadratic gcd and division (d = 2, N = 400: 0.19 -> 0.11 s)

    dens = [flint.fmpz(v.denominator) for v in values]
    big = dens[0]
    for q in dens[1:]:
        big = big.lcm(q)
    return [int(flint.fmpz(v.numerator) * (big // q)) for v, q in zip(values, dens, strict=True)], int(big)


def weighted_sum(weights: Sequence[Fraction], values: Sequence[Fraction]) -> Fraction:
    """``sum_i weights[i] * values[i]``, exactly, as one integer sum over the two lists' common
    denominators (:func:`common_denominator`).  A running :class:`~fractions.Fraction` sum
    pays a gcd of the total per term: with an exact law's ~10^5-bit denominators as weights
    that was 5 s of the degeneration check at d = 2, N = 160.

    >>> weighted_sum([Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)], [Fraction(1), Fraction(3, 4), Fraction(0)])
    Fraction(3, 4)
    """
    wn, wd = common_denominator(weights)
    vn, vd = common_denominator(values)
    return Fraction(sum(a * b for a, b in zip(wn, vn, strict=True)), wd * vd)


def format_rational(x: Fraction | int) -> str:
    """``"p/q"``, or ``"p"`` when the denominator is 1 (the JSON form of a rational).

    >>> format_rational(Fraction(3, 128)), format_rational(Fraction(2))
    ('3/128', '2')
    """
    x = Fraction(x)
    if x.denominator == 1:
        return int_to_text(x.numerator)
    return f"{int_to_text(x.numerator)}/{int_to_text(x.denominator)}"


_SHARED_DENOMINATOR_BITS = 10_000
"""From this many bits on, :func:`format_rationals` writes a denominator from the digits of
a common multiple when it can (measured: 15 against 34 us at 16,000 bits, 30 against 90
us at 32,000, 0.12 against 0.62 ms at 118,000)."""
_COFACTOR_BITS = 512
"""...and when the cofactor ``g = L / q`` has at most this many bits (libmpdec's division
by ``g`` costs about as much as a fresh radix conversion from ~2,000 bits of ``g`` on)."""
_LCM_FAILURES = 4
"""Least common multiples :func:`_shared_multiples` may find too long before it stops
trying them: unrelated long numbers would each cost a long gcd for nothing (5 ms at
118,000 bits, against 0.06 ms for two denominators of one law)."""
_RECENT_GROUPS = 4


def format_rationals(values: Sequence[Fraction | int]) -> list[str]:
    """:func:`format_rational` of each value, with the long denominators of a law written
    by one short division each instead of a radix conversion.

    An exact law in lowest terms has denominators ``q_k = C / g_k``: one long common
    denominator ``C`` (118,000 bits at d = 2, N = 200) divided by short cofactors
    ``g_k`` (under 90 bits there).  So the long denominators are grouped, in order, with
    a common multiple ``L`` of each group (the least, as long as it stays at most
    ``_COFACTOR_BITS`` longer than the group's members; :func:`_shared_multiples`); the
    digits of ``L`` are written once, and each member ``q`` with ``L = g q`` is written
    as ``L``'s digits divided by ``g`` in decimal arithmetic: Python's :mod:`decimal`
    (libmpdec) holds the digits in base ``10^19`` and divides them by a short ``g`` in
    linear time, 5x faster than GMP's subquadratic radix conversion of ``q`` at 118,000
    bits.  The division is exact: ``L = g q`` is checked on the integers first, and the
    context holds every digit of ``L`` (a quotient too long for it would raise, not
    round); so the text is that of :func:`format_rational` (the tests compare them).
    A list of many laws (an evolution, generation by generation) forms one group per law.

    >>> from fractions import Fraction as F
    >>> format_rationals([F(1, 3), -2, F(5, 12)])
    ['1/3', '-2', '5/12']
    """
    from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation, Rounded

    fractions = [x if isinstance(x, Fraction) else Fraction(x) for x in values]
    multiples = _shared_multiples([x.denominator for x in fractions])
    written: dict[int, tuple[Decimal, Context]] = {}  # id of a multiple -> its digits, a context holding them
    out = []
    for x, multiple in zip(fractions, multiples, strict=True):
        if multiple is not None:
            q = x.denominator
            g, r = divmod(multiple, q)  # a short quotient: linear time
            if r == 0 and g.bit_length() <= _COFACTOR_BITS:
                if id(multiple) not in written:
                    text = int_to_text(multiple)
                    written[id(multiple)] = (Decimal(text), Context(prec=len(text) + 2, Emax=MAX_EMAX, Emin=MIN_EMIN,
                                                                    traps=[InvalidOperation, Inexact, Rounded]))
                digits, exact = written[id(multiple)]
                out.append(f"{int_to_text(x.numerator)}/{exact.divide_int(digits, Decimal(g))}")
                continue
        out.append(format_rational(x))
    return out


def _shared_multiples(denominators: Sequence[int]) -> list[int | None]:
    """For each denominator, the common multiple of its group, or None (short, or alone).

    Long denominators (``_SHARED_DENOMINATOR_BITS``) are taken in order; each joins one of
    the last few groups if it divides the group's multiple ``L``, or if ``lcm(L, q)``
    stays within ``_COFACTOR_BITS`` of the group's shortest member, and otherwise opens
    a group.  Only numbers of nearly equal length are compared, so each remainder costs
    linear time; after ``_LCM_FAILURES`` least common multiples found too long, no more
    are tried.
    """
    groups: list[list[Any]] = []  # [L, the shortest member's bits, number of members]
    member_of: list[list[Any] | None] = []
    failures = 0
    for q in denominators:
        bits = q.bit_length()
        joined = None
        if bits >= _SHARED_DENOMINATOR_BITS:
            for group in reversed(groups[-_RECENT_GROUPS:]):
                common, shortest = group[0], min(group[1], bits)
                if abs(common.bit_length() - bits) > _COFACTOR_BITS:
                    continue
                if common % q == 0:
                    joined = group
                elif failures < _LCM_FAILURES:
                    wider = common * (q // _long_gcd(common, q))
                    if wider.bit_length() - shortest <= _COFACTOR_BITS:
                        group[0] = wider
                        joined = group
                    else:
                        failures += 1
                if joined is not None:
                    group[1] = shortest
                    break
            if joined is None:
                joined = [q, bits, 0]
                groups.append(joined)
            joined[2] += 1
        member_of.append(joined)
    return [group[0] if group is not None and group[2] > 1 else None for group in member_of]


def _long_gcd(a: int, b: int) -> int:
    """``gcd(a, b)`` by FLINT (subquadratic; Python's is quadratic: 20 against 5 ms for two
    unrelated numbers of 118,000 bits)."""
    import flint

    return int(flint.fmpz(a).gcd(flint.fmpz(b)))


def format_decimal(x: Fraction | int, digits: int = 6) -> str:
    """A decimal rounded (half to even) to ``digits`` places, computed exactly (no float).

    >>> format_decimal(Fraction(1, 3)), format_decimal(Fraction(-2, 3), 3)
    ('0.333333', '-0.667')
    """
    x = Fraction(x)
    scaled = round(x * 10**digits)
    sign = "-" if scaled < 0 else ""
    scaled = abs(scaled)
    whole, frac = divmod(scaled, 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}" if digits else f"{sign}{whole}"


def format_scientific(x: Fraction | int, digits: int = 3) -> str:
    """``x`` in scientific notation with ``digits`` decimals, rounded exactly (no float).

    >>> format_scientific(Fraction(1, 3)), format_scientific(Fraction(-12345)), format_scientific(Fraction(0))
    ('3.333e-01', '-1.234e+04', '0')
    """
    x = Fraction(x)
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    a = abs(x)
    # floor(log10 a), from bit lengths (within 1) and then exact comparisons
    e = int((a.numerator.bit_length() - a.denominator.bit_length()) * 0.30102999566398120)
    while a < Fraction(10) ** e:
        e -= 1
    while a >= Fraction(10) ** (e + 1):
        e += 1
    mantissa = round(a / Fraction(10) ** e * 10**digits)
    if mantissa >= 10 ** (digits + 1):
        mantissa //= 10
        e += 1
    whole, frac = divmod(mantissa, 10**digits)
    body = f"{whole}.{frac:0{digits}d}" if digits else f"{whole}"
    return f"{sign}{body}e{'+' if e >= 0 else '-'}{abs(e):02d}"


def is_symbolic(text: str) -> bool:
    """Whether ``text`` names a symbol (contains a letter or λ), as opposed to an exact number.

    >>> is_symbolic("lam"), is_symbolic("1-p"), is_symbolic("2.5e-3"), is_symbolic("1/3")
    (True, True, False, False)
    """
    return bool(re.search(r"[A-Za-df-zA-DF-Z_λ]|[eE](?![+-]?\d)", text))


def _split(text: str | Sequence[str], what: str) -> list[str]:
    if isinstance(text, str):
        parts = [p for p in text.split(",")]
    else:
        parts = list(text)
    if not parts or any(str(p).strip() == "" for p in parts):
        raise InputError(f"{what} {text!r} has an empty entry; give comma-separated values like 1/2,1/2")
    return [str(p) for p in parts]
