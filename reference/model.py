"""The recursive-training model of Section III, as an immutable instance.

Borkar's recursion (theory-reference §2): at generation n the model is ``mu_n``;
``N`` samples are drawn, each from the target ``mu*`` with probability ``lam`` (fresh
data) and from ``mu_n`` otherwise (synthetic data); the next model is fitted from the
samples.  Two replaceable parts make that precise:

* a :class:`Mixing` says how the samples' type is distributed given the current model
  (the paper's *i.i.d. mixing*: ``Multinomial(N, lam mu* + (1-lam) mu_n)``);
* an :class:`Estimator` says which state (fitted model) a sample type leads to (the
  paper's *empirical law*: ``mu_{n+1} = k'/N``, whose conditional barycenter is exact).

With both of the paper's parts the state is the type ``k`` and
``P(k, k') = Multinomial(N, q(k))(k')``, ``q(k) = lam mu* + (1-lam) k/N``: the
multi-type Wright–Fisher chain with parent-independent mutation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import lcm
from typing import Protocol

from .errors import InputError
from .integer_core import scaled_row
from .rationals import Law, format_rational, validate_law
from .typespace import Type, TypeSpace


class Estimator(Protocol):
    """How the next model is fitted from the type of the N samples."""

    name: str

    def state_of(self, sample_type: Type, samples: int) -> Type:
        """The state (fitted model, labelled by a type) reached from this sample type."""
        ...

    def law_of(self, state: Type, samples: int) -> Law:
        """The law on S that the model in ``state`` samples from."""
        ...


class Mixing(Protocol):
    """How fresh samples from the target and synthetic samples from the model combine."""

    name: str

    def sample_type_law(self, target: Law, lam: Fraction, model: Law, space: TypeSpace) -> Iterator[tuple[Type, Fraction]]:
        """Yield ``(type, probability)`` for every sample type of positive probability."""
        ...


@dataclass(frozen=True)
class EmpiricalLaw:
    """The paper's estimator: the next model is the empirical law ``k'/N`` of the samples.

    Its conditional barycenter is exact (theory-reference §2, step 3), which is the
    hypothesis every statement of the paper uses.
    """

    name: str = "empirical"

    def state_of(self, sample_type: Type, samples: int) -> Type:
        return sample_type

    def law_of(self, state: Type, samples: int) -> Law:
        return tuple(Fraction(c, samples) for c in state)


@dataclass(frozen=True)
class AdditiveSmoothing:
    """Additive (Laplace/Lidstone) smoothing: the next model is ``(k' + alpha) / (N + d alpha)``.

    A common fix against zero probabilities; it *breaks* the paper's conditional-barycenter
    hypothesis (the fitted law is not the empirical law), which the statement checks
    detect.  States are still labelled by the sample type.

    >>> AdditiveSmoothing(Fraction(1)).law_of((2, 0), 2)
    (Fraction(3, 4), Fraction(1, 4))
    """

    alpha: Fraction
    name: str = "additive"

    def __post_init__(self) -> None:
        if not isinstance(self.alpha, Fraction) or self.alpha < 0:
            raise InputError(f"smoothing alpha = {self.alpha!r} must be a non-negative exact rational")
        object.__setattr__(self, "name", f"additive:{format_rational(self.alpha)}")

    def state_of(self, sample_type: Type, samples: int) -> Type:
        return sample_type

    def law_of(self, state: Type, samples: int) -> Law:
        total = samples + len(state) * self.alpha
        return tuple((c + self.alpha) / total for c in state)


@dataclass(frozen=True)
class IIDMixing:
    """The paper's mixing: each of the N samples is i.i.d. from ``lam mu* + (1-lam) mu_n``.

    The sample type is then ``Multinomial(N, q)`` with ``q = lam mu* + (1-lam) mu_n``
    (theory-reference §2, step 2).
    """

    name: str = "iid"

    def sample_type_law(self, target: Law, lam: Fraction, model: Law, space: TypeSpace) -> Iterator[tuple[Type, Fraction]]:
        q = sampling_law(target, lam, model)
        yield from multinomial_law(space, q)


def sampling_law(target: Law, lam: Fraction, model: Law) -> Law:
    """``q = lam mu* + (1-lam) mu``: the law each sample is drawn from (theory-reference §2, step 1).

    >>> sampling_law((Fraction(1, 4), Fraction(3, 4)), Fraction(1, 3), (Fraction(1), Fraction(0)))
    (Fraction(3, 4), Fraction(1, 4))
    """
    return tuple(lam * t + (1 - lam) * m for t, m in zip(target, model, strict=True))


def multinomial_law(space: TypeSpace, q: Law) -> Iterator[tuple[Type, Fraction]]:
    """Yield ``(k, Multinomial(N, q)(k))`` for every type ``k`` of positive probability.

    Computed on integers (:func:`reference.integer_core.scaled_row`): with ``q_x = a_x / D``,
    ``Mult(N, q)(k) = N!/prod k_x! * prod a_x^{k_x} / D^N``, one exact division per entry.

    >>> dict(multinomial_law(TypeSpace(2, 2), (Fraction(1, 2), Fraction(1, 2))))
    {(2, 0): Fraction(1, 4), (1, 1): Fraction(1, 2), (0, 2): Fraction(1, 4)}
    """
    n = space.samples
    common = lcm(*(p.denominator for p in q))
    numerators = tuple(p.numerator * (common // p.denominator) for p in q)
    scale = common**n
    for k, weight in zip(space.types, scaled_row(numerators, n), strict=True):
        if weight:
            yield k, Fraction(weight, scale)


@dataclass(frozen=True)
class Instance:
    """One recursive-training instance on ``S = {0..d-1}``: target ``mu*``, samples ``N``, fresh fraction ``lam``.

    Validated at construction; immutable.

    >>> inst = Instance(target=(Fraction(1, 4), Fraction(3, 4)), samples=4, lam=Fraction(1, 3))
    >>> inst.size, len(inst.space)
    (2, 5)
    """

    target: Law
    samples: int
    lam: Fraction
    estimator: Estimator = field(default_factory=EmpiricalLaw)
    mixing: Mixing = field(default_factory=IIDMixing)

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", validate_law(self.target, what="target"))
        if isinstance(self.samples, bool) or not isinstance(self.samples, int) or self.samples < 1:
            raise InputError(f"samples N = {self.samples!r} must be an integer >= 1")
        if not isinstance(self.lam, Fraction):
            if isinstance(self.lam, int) and not isinstance(self.lam, bool):
                object.__setattr__(self, "lam", Fraction(self.lam))
            else:
                raise InputError(f"lam = {self.lam!r} must be an exact rational (Fraction), not {type(self.lam).__name__}")
        if not 0 <= self.lam <= 1:
            raise InputError(f"lam = {format_rational(self.lam)} is outside [0, 1]")

    @property
    def size(self) -> int:
        """``d = |S|``."""
        return len(self.target)

    @cached_property
    def space(self) -> TypeSpace:
        """The types of N samples on S (the states of the paper's chain), made once per instance."""
        return TypeSpace(samples=self.samples, size=self.size)

    def describe(self) -> dict[str, object]:
        """The instance as JSON-ready data (rationals as ``"p/q"`` strings)."""
        return {
            "target": [format_rational(t) for t in self.target],
            "samples": self.samples,
            "lam": format_rational(self.lam),
            "estimator": self.estimator.name,
            "mixing": self.mixing.name,
        }


def state_laws(instance: Instance, states: Sequence[Type]) -> tuple[Law, ...]:
    """``mu`` for each state: the law the model in that state samples from (``k/N`` for the empirical law)."""
    est, n = instance.estimator, instance.samples
    return tuple(est.law_of(s, n) for s in states)
