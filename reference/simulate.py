"""Monte Carlo simulation of recursive training (numpy), checked against the exact law.

This is the *float path*: the recursion runs replicas in parallel with a seeded
``numpy.random.Generator`` (same seed, same output).  Its result is never trusted on its
own: :func:`goodness_of_fit` compares the empirical law of the state at the last
generation with the engine's exact law at that generation (Pearson's chi-square, cells
with expected count below 5 pooled; the statistic is computed exactly from the counts and
the exact probabilities, the p-value with mpmath's regularised incomplete gamma).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from .errors import InputError
from .lowest_terms import coprime_fraction
from .model import AdditiveSmoothing, EmpiricalLaw, Instance
from .rationals import format_decimal
from .solution import evolve
from .typespace import Type

MAX_REPLICAS = 10**8


@dataclass(frozen=True)
class GoodnessOfFit:
    statistic: Fraction
    df: int
    p_value: float
    worst_state: Type | None
    worst_observed: int
    worst_expected: Fraction
    worst_residual: float
    impossible: tuple[Type, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "test": "Pearson chi-square against the exact law; cells with expected count < 5 pooled",
            "statistic": format_decimal(self.statistic, 6),
            "df": self.df,
            "p_value": self.p_value,
            "worst_cell": {"state": list(self.worst_state) if self.worst_state else None, "observed": self.worst_observed,
                           "expected": format_decimal(self.worst_expected, 3), "standardized_residual": round(self.worst_residual, 4)},
            "impossible_states_observed": [list(s) for s in self.impossible],
        }


@dataclass(frozen=True)
class Simulation:
    instance: Instance
    start: Type
    generations: int
    replicas: int
    seed: int
    empirical: tuple[tuple[Type, int], ...]
    fit: GoodnessOfFit
    exact: tuple[tuple[Type, Fraction], ...] = field(default=(), repr=False, compare=False)
    """The exact law after the last generation, by state (computed once, for the reports)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "collapse-reference/simulate/1",
            "instance": self.instance.describe(),
            "start": list(self.start),
            "generations": self.generations,
            "replicas": self.replicas,
            "seed": self.seed,
            "empirical": [[list(k), c] for k, c in self.empirical],
            "goodness_of_fit": self.fit.to_json(),
            "checked_against": "the exact law after the last generation (collapse-ref evolve)",
        }


def _float_law(instance: Instance) -> Callable[[np.ndarray], np.ndarray]:
    n, d = instance.samples, instance.size
    est = instance.estimator
    if isinstance(est, EmpiricalLaw):
        return lambda counts: counts / n
    if isinstance(est, AdditiveSmoothing):
        alpha = est.alpha.numerator / est.alpha.denominator  # float path (correctly rounded int division)
        return lambda counts: (counts + alpha) / (n + d * alpha)
    raise InputError(f"the simulator knows the estimators empirical and additive:ALPHA, not {est.name!r}")


def run_replicas(instance: Instance, start: Type, generations: int, replicas: int, seed: int,
                 progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """The type of every replica after ``generations`` generations (an ``(R, d)`` integer array)."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise InputError(f"--replicas {replicas} must be in 1..{MAX_REPLICAS:,}")
    instance.space.rank(start)
    rng = np.random.Generator(np.random.PCG64(seed))
    lam = instance.lam.numerator / instance.lam.denominator
    target = np.array([t.numerator / t.denominator for t in instance.target])
    law_of = _float_law(instance)
    counts = np.tile(np.array(start, dtype=np.int64), (replicas, 1))
    for g in range(generations):
        q = lam * target + (1 - lam) * law_of(counts)
        q = q / q.sum(axis=1, keepdims=True)  # guard the float sum before numpy's pvals check
        counts = rng.multinomial(instance.samples, q)
        if progress:
            progress(g + 1, generations)
    return counts


def goodness_of_fit(observed: dict[Type, int], exact_law: Sequence[Fraction], states: Sequence[Type]) -> GoodnessOfFit:
    """Pearson's chi-square of observed type counts against an exact law over ``states``."""
    total = sum(observed.values())
    impossible = tuple(s for s in observed if s not in set(states) or exact_law[list(states).index(s)] == 0)
    cells = [(s, observed.get(s, 0), total * p) for s, p in zip(states, exact_law) if p > 0]
    cells.sort(key=lambda c: c[2])
    pooled: list[tuple[Type | None, int, Fraction]] = []
    acc_o, acc_e = 0, Fraction(0)
    for s, o, e in cells:
        if e < 5:
            acc_o, acc_e = acc_o + o, acc_e + e
        else:
            pooled.append((s, o, e))
    if acc_e > 0:
        pooled.append((None, acc_o, acc_e))
    statistic = _chi_square(pooled)
    df = max(len(pooled) - 1, 0)
    if impossible:
        p = 0.0
    elif df == 0:
        p = 1.0
    else:
        p = float(mpmath.gammainc(mpmath.mpf(df) / 2, mpmath.mpf(statistic.numerator) / statistic.denominator / 2,
                                  mpmath.inf, regularized=True))
    worst = max(pooled, key=lambda c: abs(c[1] - c[2]) / c[2] ** 0.5 if c[2] else 0, default=(None, 0, Fraction(0)))
    resid = float((worst[1] - worst[2]) / (worst[2] ** 0.5)) if worst[2] else 0.0
    return GoodnessOfFit(statistic, df, p, worst[0], worst[1], worst[2], resid, impossible)


def _chi_square(pooled: Sequence[tuple[Type | None, int, Fraction]]) -> Fraction:
    """``sum (o - e)^2 / e`` exactly, summed in FLINT rationals: the expected counts carry the
    exact law's ~10^5-bit denominators, and Python's Fraction sums took 3 s at d = 2, N = 200."""
    import flint

    total = flint.fmpq(0)
    for _, o, e in pooled:
        expected = flint.fmpq(e.numerator, e.denominator)
        total += (o - expected) ** 2 / expected
    # FLINT keeps it in lowest terms: no second gcd (Fraction's own, on the statistic's
    # millions of bits, took 15 s at d = 2, N = 200, 50 generations)
    return coprime_fraction(int(total.p), int(total.q))


def simulate(instance: Instance, start: Type, generations: int, replicas: int, seed: int,
             progress: Callable[[int, int], None] | None = None,
             exact_progress: Callable[[int, int], None] | None = None) -> Simulation:
    """Simulate, then test the empirical law at the last generation against the exact one
    (``progress``: the replicas' generations; ``exact_progress``: the exact law's)."""
    counts = run_replicas(instance, start, generations, replicas, seed, progress)
    rows, numbers = np.unique(counts, axis=0, return_counts=True)
    observed = {tuple(int(c) for c in row): int(m) for row, m in zip(rows, numbers)}
    exact = evolve(instance, tuple(start), generations, progress=exact_progress)
    states = exact.solution.states
    fit = goodness_of_fit(observed, exact.laws[-1], states)
    order = {s: i for i, s in enumerate(states)}
    empirical = tuple(sorted(observed.items(), key=lambda kv: order.get(kv[0], len(order))))
    return Simulation(instance, tuple(start), generations, replicas, seed, empirical, fit,
                      tuple(zip(states, exact.laws[-1], strict=True)))
