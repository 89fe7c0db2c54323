"""Estimate the cost of an exact computation before starting it, and refuse what would not finish.

The estimate is instant (no state is enumerated) and calibrated on this project's
2-core reference machine (``benchmarks/bench_sizeguard.py`` re-measures it):

* states ``n = C(N+d-1, d-1)``; kernel entries ``n^2``;
* bits of a kernel entry ``b ≈ N log2(D_q)``, ``D_q`` a common denominator of every
  sampling law ``q(k) = lam mu* + (1-lam) k/N`` (each entry is an integer over ``D_q^N``);
* memory ``≈ n^2 (120 + b/4)`` bytes (a Python ``Fraction`` per entry, plus FLINT's copy);
* time ``≈ n^2 (5e-6 + 2e-8 b)`` s to build the kernel plus ``7e-10 n^3 max(b, 64)`` s
  for the dense exact solves;
* the fast paths (factorial moments at ``lam > 0``, back substitution at ``lam = 0``,
  ``d = 2``) build no kernel: :func:`estimate_fast_path`.

An instance over the limits raises :class:`SizeError` naming the estimate and the
override flag ``--allow-large``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb, lcm, log2

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


def estimate_chain(states: int, entry_bits: int, generations: int = 0) -> Estimate:
    """Cost of analysing (and evolving ``generations`` steps) a dense exact chain."""
    n = states
    b = max(entry_bits, 64)
    seconds = n * n * (5e-6 + 2e-8 * b) + 7e-10 * n**3 * b + generations * n * n * 2e-8 * b
    memory = n * n * (120 + b / 4) + 50e6
    return Estimate(states=n, entry_bits=entry_bits, seconds=seconds, bytes=memory)


def estimate_instance(instance: Instance, generations: int = 0, moments: bool = False, kernel: bool = False,
                      backend: str = "flint") -> Estimate:
    """The estimate for the recursive-training chain of ``instance`` (no state is built).

    ``moments``: the answer comes from a fast path (the factorial-moment recursion at
    ``lam > 0``, the back substitution at ``lam = 0``, ``d = 2``), which never builds the
    ``n^2``-entry kernel unless ``kernel`` (printing it) asks for it; see
    :func:`estimate_fast_path` for its model.  At ``lam = 0`` with ``d >= 3`` it means the
    chain lumped by symmetry (:func:`estimate_lumped`).  ``generations`` on the paper's
    chain on two points with the FLINT ``backend``: the power-sum evolution
    (:func:`estimate_binomial_evolution`).
    """
    n = number_of_types(instance.samples, instance.size)
    lam = instance.lam
    target_den = lcm(*(t.denominator for t in instance.target))
    # q_x(k) = lam t_x + (1 - lam) k_x / N has a denominator dividing lam.den * lcm(t.den, N)
    dq = Fraction(lam).denominator * lcm(target_den, instance.samples)
    bits = instance.samples * max(dq.bit_length(), 1)
    if generations and not moments and backend == "flint" and instance.size == 2 and _paper_model(instance):
        return estimate_binomial_evolution(n, bits, generations)
    if not moments:
        return estimate_chain(n, bits, generations)
    if lam == 0 and instance.size >= 3:
        lumped = estimate_lumped(n, instance.samples, instance.size, bits)
        return lumped if not kernel else Estimate(n, bits, lumped.seconds + n * n * (5e-6 + 2e-8 * max(bits, 64)),
                                                  lumped.bytes + estimate_chain(n, bits).bytes)
    fast = estimate_fast_path(n, instance.samples, instance.size, max(dq.bit_length(), 1))
    if kernel:
        dense = estimate_chain(n, bits)
        fast = Estimate(n, bits, fast.seconds + n * n * (5e-6 + 2e-8 * max(bits, 64)), fast.bytes + dense.bytes)
    return fast


def estimate_fast_path(states: int, samples: int, size: int, dq_bits: int) -> Estimate:
    """Cost of the fast exact paths, calibrated by ``benchmarks/bench_scale.py``.

    The answer has ``L ~ 0.35 N^2 log2(D_q)`` bits per number (measured: 550k bits at d = 2,
    N = 400, lam = 1/3).  The d = 2 recursion does about two big products per pair
    ``l <= j``, ``C(N + 2, 2)`` pairs, at ``~1.3e-10`` s per pair and answer bit (plus
    ``6e-7`` s of interpreter per pair).  The d >= 3 recursion (sum factorisation) does
    ``(d - 1) C(N + d - 1, d)`` Horner steps at ``~7.5e-11`` s per step and answer bit
    plus ``6e-7`` s, taken 1.3x, and ``2e-6 (d - 1)`` s per multi-index (measured at
    d = 3, N = 30..100; d = 4, N = 20, 30; d = 5, N = 12, 20; d = 6, N = 10).
    Lowest terms, the decimal digits and the JSON text cost ``~3.5e-8`` s per answer bit
    per state.  With two or more workers (:mod:`reference.parallel`) the d = 2 recursion
    from N = 150 runs ~1.9x faster and the per-state phases of long answers ~1.7x
    (measured at d = 2, N = 200 and 400; d = 3, N = 60 and 100; d = 4, N = 30).  Memory:
    about 2.5 bytes per answer bit per state (numerators, Fractions, digits, the JSON
    text; 1.3x that with forked workers, counting their pages separately), 120 bytes per
    pair at d = 2, the d >= 3 recursion's ``d - 1`` stored values per multi-index (the moment and its partial sums),
    plus the interpreter.
    """
    from .parallel import workers

    answer_bits = int(0.35 * samples**2 * dq_bits) + 64
    if size == 2:
        pairs = comb(samples + 2, 2)
        recursion = (1.3e-10 * answer_bits + 6e-7) * pairs
        recursion_bytes = 120 * pairs
    else:
        steps = (size - 1) * comb(samples + size - 1, size)
        recursion = 1.3 * (7.5e-11 * answer_bits + 6e-7) * steps + 2e-6 * (size - 1) * states
        recursion_bytes = (size - 1) * states * (answer_bits / 8 + 100)
    per_state = 3.5e-8 * states * answer_bits
    per_state_bytes = 2.5 * states * answer_bits
    if workers() >= 2:
        if size == 2 and samples >= 150:
            recursion /= 1.9
        if states * answer_bits >= 8e6:  # split across forked workers, which hold their part's digits too
            per_state /= 1.7
            per_state_bytes *= 1.3
    seconds = recursion + per_state + 2e-5 * states + 0.2
    memory = per_state_bytes + recursion_bytes + 80e6
    return Estimate(states=states, entry_bits=samples * dq_bits, seconds=seconds, bytes=memory)


def estimate_binomial_evolution(states: int, entry_bits: int, generations: int) -> Estimate:
    """Cost of ``evolve``/``simulate`` on the paper's chain on two points
    (:mod:`reference.binomial_evolution`): the law's numbers grow by about one entry's bits
    per generation, so the work and the output (every law of every generation, written out)
    grow like ``n b G^2 / 2``.  Calibrated by single runs (d = 2, N = 100, 200, 400;
    G = 20..100): ``2.5e-8`` s and ``1.1`` bytes per unit, taken 1.3x.
    """
    units = states * max(entry_bits, 64) * generations * (generations + 1) / 2
    return Estimate(states=states, entry_bits=entry_bits, seconds=0.3 + 1.3 * 2.5e-8 * units,
                    bytes=1.3 * 1.1 * units + 80e6)


def _paper_model(instance: Instance) -> bool:
    from .kernel import paper_model  # the kernel imports this module's users; import on use

    return paper_model(instance)


def estimate_lumped(states: int, samples: int, size: int, entry_bits: int) -> Estimate:
    """Cost of ``lam = 0``, ``d >= 3`` (``solution.collapse_by_lumping``): the times by back
    substitution in the falling-factorial basis, then the modular identity test of
    :func:`reference.absorption.neutral_identity_test` (7-10 primes of 31 bits, each an
    evaluation of :class:`reference.type_polynomials.TypeGrid`; with ``--certify full`` the
    rows in exact integers instead, which :func:`estimate_chain` models).  ``~4e-9 n N^2.5``
    s for the back substitution (single runs at d = 3, N = 30, 60, 100; d = 4, N = 20, 30);
    for the test ``~2.5e-9`` s per numpy operation, ``3 (N + 1) H P + 3 (d - 1) n H`` of them
    per trial (``H`` heads of ``d - 2`` coordinates, ``P`` pairs), 10 trials (fitted at
    d = 3, N = 60, 100; d = 4, N = 30; d = 5, N = 15: 1.5-2.0e-9, taken 1.25x).  Memory
    about ``6 n N^2`` bytes (the answer's numbers grow like ``N^2``: 66 MB at d = 3,
    N = 60, 278 MB at N = 100, this process alone), twice that when the answer's digits go
    to a forked worker.
    """
    heads, pairs = comb(samples + size - 2, size - 2), (samples + 1) * (samples + 2) // 2
    test = 10 * 2.5e-9 * (3 * (samples + 1) * heads * pairs + 3 * (size - 1) * states * heads)
    seconds = 0.3 + 4e-9 * states * samples**2.5 + test
    memory = 6 * states * samples * samples * max(1.0, log2(max(samples, 2)) / 6.6) + 60e6
    if states * max(entry_bits, 64) * 16 >= 8e6:  # the times have ~16x a kernel entry's bits: digits split
        memory *= 2
    return Estimate(states=states, entry_bits=entry_bits, seconds=seconds, bytes=memory)


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
