"""The integer core of the kernel, with PEP 316 contracts that CrossHair checks in CI.

With ``q_x = a_x / D`` (integers ``a_x >= 0``, ``D = sum_x a_x``), the kernel row is
``Mult(N, q)(k) = W(k) / D^N`` with the integer weight

    W(k) = N! / prod_x k_x!  *  prod_x a_x^{k_x}.

Two integer identities hold for every row (theory-reference §2-§3):

* multinomial theorem: ``sum_k W(k) = D^N`` (the row sums to 1);
* first moment: ``sum_k W(k) k_y = N a_y D^{N-1}``, the integer form of
  ``E[k'_y] = N q_y`` — which with ``q = k/N`` at ``lam = 0`` is Lemma IV.1's martingale
  identity ``E[mu_{n+1}(y) | mu_n] = mu_n(y)``.

The contracts (``pre:``/``post:`` lines) are checked by
``crosshair check --analysis_kind=PEP316 reference/integer_core.py`` on all small inputs it
explores (``tests/test_crosshair.py``); they use integers only, which CrossHair reasons
about well.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import accumulate, repeat
from math import factorial, prod  # noqa: F401 - prod appears in the PEP 316 contracts
from operator import mul

from .typespace import iter_types, rank_type, unrank_type

Type = tuple[int, ...]


def multinomial_coefficient(k: Type) -> int:
    """``N! / prod k_x!`` with ``N = sum k``, by exact sequential division.

    pre: all(c >= 0 for c in k)
    pre: sum(k) <= 12
    post: __return__ * prod(factorial(c) for c in k) == factorial(sum(k))

    >>> multinomial_coefficient((2, 1, 1))
    12
    """
    remaining = sum(k)
    out = factorial(remaining)
    for c in k:
        out //= factorial(c)
    return out


def scaled_row(numerators: Type, samples: int) -> list[int]:
    """``[W(k) for k in canonical type order]`` for the sampling law ``a / sum(a)``.

    pre: 1 <= len(numerators) <= 3
    pre: all(0 <= a <= 6 for a in numerators)
    pre: 1 <= samples <= 4
    post: sum(__return__) == sum(numerators) ** samples
    post: all(sum(w * k[y] for w, k in zip(__return__, iter_types(samples, len(numerators)))) == samples * numerators[y] * sum(numerators) ** (samples - 1) for y in range(len(numerators)))

    >>> scaled_row((1, 1), 2)
    [1, 2, 1]
    """
    coefficients, columns = _multinomial_table(samples, len(numerators))
    row = list(coefficients)
    for a, column in zip(numerators, columns):  # times a_x^{k_x}, one coordinate at a time
        powers = list(accumulate(repeat(a, samples), mul, initial=1))  # a^0 .. a^N
        row = list(map(mul, row, map(powers.__getitem__, column)))
    return row


@lru_cache(maxsize=8)
def _multinomial_table(samples: int, size: int) -> tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """The multinomial coefficient of every type of ``samples`` on ``size`` points, and the
    types' coordinates as columns (both the same for every kernel row, so computed once)."""
    types = list(iter_types(samples, size))
    return tuple(multinomial_coefficient(k) for k in types), tuple(zip(*types))


def rank_roundtrip(k: Type) -> Type:
    """``unrank(rank(k))``: the identity on types (the contract is the check).

    pre: 1 <= len(k) <= 4
    pre: all(0 <= c <= 6 for c in k)
    pre: sum(k) >= 1
    post: __return__ == k
    post: 0 <= rank_type(k) < len(list(iter_types(sum(k), len(k))))
    post: list(iter_types(sum(k), len(k)))[rank_type(k)] == k
    """
    return unrank_type(rank_type(k), sum(k), len(k))


def martingale_identity(counts: Type) -> bool:
    """At ``lam = 0`` from type ``k`` (``a = k``, ``D = N``): ``sum_k' W(k') k'_y = N k_y N^{N-1}``.

    Returns whether the integer identity holds for every ``y`` (always, by the contract).

    pre: 1 <= len(counts) <= 3
    pre: all(0 <= c <= 4 for c in counts)
    pre: 1 <= sum(counts) <= 4
    post: __return__
    """
    n = sum(counts)
    row = scaled_row(counts, n)
    types = list(iter_types(n, len(counts)))
    return all(sum(w * k[y] for w, k in zip(row, types)) == n * counts[y] * n ** (n - 1) for y in range(len(counts)))
