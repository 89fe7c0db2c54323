"""Types: the count vectors of N samples on ``S = {0..d-1}``.

A *type* is ``k = (k_0, ..., k_{d-1})`` with ``k_x >= 0`` and ``|k| = N``; it is the
state of the empirical-law chain (theory-reference §2: ``mu_n = k/N``).  There are
``C(N+d-1, d-1)`` of them.

Canonical order: **reverse lexicographic**, so the Dirac type ``(N, 0, ..., 0)`` comes
first and ``(0, ..., 0, N)`` last, e.g. for ``d = 2, N = 4``: ``(4,0), (3,1), (2,2),
(1,3), (0,4)`` (the order of the reference tables in theory-reference §7).

Ranking is closed form: the types before ``k`` are those whose first coordinate that
differs from ``k`` is larger, so, with ``R_i = N - k_0 - ... - k_{i-1}``,

    rank(k) = sum_{i=0}^{d-2} C(R_i - k_i - 1 + d-1-i, d-1-i)

(a composition count per position; ``C(n, r) = 0`` for ``n < r``).  It costs ``O(d)``
big-integer operations, independent of ``N``; unranking inverts it position by position.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from math import comb

from .errors import InputError

Type = tuple[int, ...]


def number_of_types(samples: int, size: int) -> int:
    """``C(N+d-1, d-1)``: how many types of ``N = samples`` on ``d = size`` points.

    >>> number_of_types(4, 3)
    15
    """
    if size < 1 or samples < 0:
        return 0
    return comb(samples + size - 1, size - 1)


def iter_types(samples: int, size: int) -> Iterator[Type]:
    """Yield every type of ``samples`` on ``size`` points in canonical (reverse lex) order.

    >>> list(iter_types(2, 2))
    [(2, 0), (1, 1), (0, 2)]
    """
    if size == 1:
        yield (samples,)
        return
    for first in range(samples, -1, -1):
        for rest in iter_types(samples - first, size - 1):
            yield (first, *rest)


def rank_type(k: Sequence[int]) -> int:
    """Position of type ``k`` in the canonical order (closed form, ``O(d)``).

    >>> rank_type((4, 0)), rank_type((2, 2)), rank_type((0, 4))
    (0, 2, 4)
    """
    d = len(k)
    remaining = sum(k)
    r = 0
    for i in range(d - 1):
        parts_after = d - 1 - i  # coordinates after position i
        # compositions of (remaining - k_i - 1) into (parts_after + 1) parts:
        # all completions whose coordinate i exceeds k_i
        r += _comb0(remaining - k[i] - 1 + parts_after, parts_after)
        remaining -= k[i]
    return r


def unrank_type(r: int, samples: int, size: int) -> Type:
    """The type at position ``r`` of the canonical order (inverse of :func:`rank_type`).

    >>> unrank_type(2, 4, 2)
    (2, 2)
    """
    total = number_of_types(samples, size)
    if not 0 <= r < total:
        raise IndexError(f"rank {r} outside 0..{total - 1}")
    out = []
    remaining = samples
    for i in range(size - 1):
        parts_after = size - 1 - i
        # types whose coordinate i is >= v number C(remaining - v + parts_after, parts_after);
        # take the v whose block [#(> v), #(>= v)) contains r
        # linear scan from the top: O(N) per position; TypeSpace.types gives O(1) lookup
        v = remaining
        while _comb0(remaining - v + parts_after, parts_after) <= r:
            v -= 1
        before = _comb0(remaining - v - 1 + parts_after, parts_after)
        r -= before
        out.append(v)
        remaining -= v
    out.append(remaining)
    return tuple(out)


def _comb0(n: int, r: int) -> int:
    return comb(n, r) if n >= r >= 0 else 0


@dataclass(frozen=True)
class TypeSpace:
    """All types of ``samples`` (N) on ``size`` (d) points, in canonical order.

    ``space.types[i]`` unranks in ``O(1)``; ``space.rank(k)`` ranks in ``O(d)``.

    >>> space = TypeSpace(samples=4, size=2)
    >>> space.types
    ((4, 0), (3, 1), (2, 2), (1, 3), (0, 4))
    >>> space.rank((1, 3))
    3
    """

    samples: int
    size: int

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise InputError(f"samples N = {self.samples} must be >= 1")
        if self.size < 1:
            raise InputError(f"the space S must have at least one point, got d = {self.size}")

    @cached_property
    def types(self) -> tuple[Type, ...]:
        return tuple(iter_types(self.samples, self.size))

    def __len__(self) -> int:
        return number_of_types(self.samples, self.size)

    def rank(self, k: Sequence[int]) -> int:
        """Index of ``k``; :class:`InputError` if ``k`` is not a type of this space."""
        k = tuple(k)
        if len(k) != self.size or any(c < 0 for c in k) or sum(k) != self.samples:
            raise InputError(
                f"{_fmt(k)} is not a type of N = {self.samples} samples on d = {self.size} points "
                f"(need {self.size} non-negative counts summing to {self.samples})"
            )
        return rank_type(k)

    def dirac(self, x: int) -> Type:
        """The Dirac type ``N e_x`` (the model collapsed onto ``x``)."""
        return tuple(self.samples if y == x else 0 for y in range(self.size))


def _fmt(k: Sequence[int]) -> str:
    return "(" + ",".join(str(c) for c in k) + ")"
