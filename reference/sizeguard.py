"""Estimate the cost of an exact computation before starting it, and refuse what would not finish.

The estimate is instant (no state is enumerated) and calibrated on this project's
2-core reference machine (``benchmarks/bench_sizeguard.py`` re-measures it):

* states ``n = C(N+d-1, d-1)``; kernel entries ``n^2``;
* bits of a kernel entry ``b ≈ N log2(D_q)``, ``D_q`` a common denominator of every
  sampling law ``q(k) = lam mu* + (1-lam) k/N`` (each entry is an integer over ``D_q^N``);
* memory ``≈ n^2 (120 + b/4)`` bytes (a Python ``Fraction`` per entry, plus FLINT's copy);
* time ``≈ n^2 (5e-6 + 2e-8 b)`` s to build the kernel plus ``7e-10 n^3 max(b, 64)`` s
  for the dense exact solves.

An instance over the limits raises :class:`SizeError` naming the estimate and the
override flag ``--allow-large``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from .errors import SizeError
from .model import Instance
from .typespace import number_of_types

MAX_SECONDS = 900.0
MAX_BYTES = 16 * 2**30
OVERRIDE_FLAG = "--allow-large"


@dataclass(frozen=True)
class Estimate:
    """The predicted size and cost of solving one chain exactly."""

    states: int
    entry_bits: int
    seconds: float
    bytes: float

    def describe(self) -> str:
        return (
            f"{self.states:,} states, kernel entries of about {self.entry_bits:,} bits: "
            f"estimated {_duration(self.seconds)} and {_memory(self.bytes)}"
        )


def estimate_chain(states: int, entry_bits: int, generations: int = 0, answer_bits: int | None = None) -> Estimate:
    """Cost of analysing (and evolving ``generations`` steps) a dense exact chain.

    With ``answer_bits`` (the moment path: no dense solve) the ``n^3`` term is replaced by
    the certification ``pi P = pi``: ``3e-9 n^2 answer_bits`` s.
    """
    n = states
    b = max(entry_bits, 64)
    solve_cost = 7e-10 * n**3 * b if answer_bits is None else 3e-9 * n * n * answer_bits
    seconds = n * n * (5e-6 + 2e-8 * b) + solve_cost + generations * n * n * 2e-8 * b
    memory = n * n * (120 + b / 4) + 50e6
    return Estimate(states=n, entry_bits=entry_bits, seconds=seconds, bytes=memory)


def estimate_instance(instance: Instance, generations: int = 0, moments: bool = False) -> Estimate:
    """The estimate for the recursive-training chain of ``instance`` (no state is built).

    ``moments``: the stationary law comes from the factorial-moment path (answer of about
    ``0.3 N^2 log2(D_q)`` bits, measured), not from a dense solve.
    """
    n = number_of_types(instance.samples, instance.size)
    lam = instance.lam
    target_den = lcm(*(t.denominator for t in instance.target))
    # q_x(k) = lam t_x + (1 - lam) k_x / N has a denominator dividing lam.den * lcm(t.den, N)
    dq = Fraction(lam).denominator * lcm(target_den, instance.samples)
    bits = instance.samples * max(dq.bit_length(), 1)
    answer = int(0.3 * instance.samples**2 * max(dq.bit_length(), 1)) if moments else None
    return estimate_chain(n, bits, generations, answer)


def check_size(estimate: Estimate, allow_large: bool = False) -> None:
    """Raise :class:`SizeError` if ``estimate`` exceeds the time or memory limit."""
    if allow_large:
        return
    if estimate.seconds > MAX_SECONDS or estimate.bytes > MAX_BYTES:
        raise SizeError(
            f"too large: {estimate.describe()} (limits {_duration(MAX_SECONDS)}, {_memory(MAX_BYTES)}); "
            f"pass {OVERRIDE_FLAG} to run anyway"
        )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.3g} days"


def _memory(n_bytes: float) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.3g} {unit}"
    return f"{n_bytes / 1024:.0f} KiB"
