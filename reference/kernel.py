"""The exact transition kernel of the recursive-training chain (theory-reference §2).

For a state ``s`` with model law ``mu = estimator.law_of(s)``, the mixing gives the law
of the sample type ``k'``, and the estimator maps ``k'`` to the next state:

    P(s, s') = sum over k' with estimator.state_of(k') = s' of P(sample type = k' | mu).

With the paper's parts (i.i.d. mixing, empirical law) this is
``P(k, k') = Multinomial(N, lam mu* + (1-lam) k/N)(k')``.  The states are the distinct
fitted states over all sample types, in the canonical order of the types that reach them
(for the empirical law: the types themselves, ``C(N+d-1, d-1)`` of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import compress
from math import lcm

from .chain import FiniteChain, LazyRows
from .errors import CheckFailed, InputError
from .integer_core import scaled_row
from .model import EmpiricalLaw, IIDMixing, Instance
from .typespace import Type


def kernel_states(instance: Instance) -> tuple[Type, ...]:
    """The states of the chain, in canonical order."""
    seen: dict[Type, None] = {}
    for k in instance.space.types:
        seen.setdefault(instance.estimator.state_of(k, instance.samples), None)
    return tuple(seen)


def kernel_rows(instance: Instance) -> tuple[tuple[Fraction, ...], ...]:
    """The exact kernel ``P`` as a tuple of rows of Fractions, rows summing to exactly 1.

    >>> from fractions import Fraction as F
    >>> rows = kernel_rows(Instance(target=(F(1, 2), F(1, 2)), samples=2, lam=F(0)))
    >>> [[str(p) for p in row] for row in rows]
    [['1', '0', '0'], ['1/4', '1/2', '1/4'], ['0', '0', '1']]
    """
    states = kernel_states(instance)
    index = {s: i for i, s in enumerate(states)}
    space = instance.space
    rows = []
    for i, state in enumerate(states):
        model = instance.estimator.law_of(state, instance.samples)
        row = [Fraction(0)] * len(states)
        for sample_type, p in instance.mixing.sample_type_law(instance.target, instance.lam, model, space):
            j = index[instance.estimator.state_of(sample_type, instance.samples)]
            row[j] = row[j] + p if row[j] else p  # several sample types may fit the same state
        rows.append(tuple(row))
    return tuple(rows)


def integer_kernel(instance: Instance) -> tuple[list[list[int]], int]:
    """The paper's kernel as integers ``(A, c^N)``, with no division at all.

    With ``lam = p/r`` and ``mu*_x = t_x / T`` the sampling law from type ``k`` is
    ``q_x(k) = (p t_x N + (r - p) T k_x) / c`` with ``c = r T N`` for every state, so
    ``P(k, k') = W(k') / c^N`` with the integer weights of
    :func:`reference.integer_core.scaled_row` (whose contracts CrossHair checks).

    >>> from fractions import Fraction as F
    >>> integer_kernel(Instance(target=(F(1, 2), F(1, 2)), samples=2, lam=F(0)))
    ([[16, 0, 0], [4, 8, 4], [0, 0, 16]], 16)
    """
    if not paper_model(instance):
        raise ValueError("integer_kernel is for the paper's estimator and mixing")
    weights, c = sampling_weights(instance)
    return [scaled_row(u, instance.samples) for u in weights], c**instance.samples


def sampling_weights(instance: Instance) -> tuple[list[Type], int]:
    """``(u, c)``: the paper's sampling law from type ``k`` is ``q(k) = u[k] / c`` in integers.

    With ``lam = p/r`` and ``mu*_x = t_x / T``: ``u_x(k) = p t_x N + (r - p) T k_x`` and
    ``c = r T N``, the same ``c`` for every state.

    >>> from fractions import Fraction as F
    >>> sampling_weights(Instance(target=(F(1, 4), F(3, 4)), samples=2, lam=F(1, 3)))
    ([(18, 6), (10, 14), (2, 22)], 24)
    """
    if not paper_model(instance):
        raise ValueError("sampling_weights is for the paper's estimator and mixing")
    n = instance.samples
    p, r = instance.lam.numerator, instance.lam.denominator
    big_t = lcm(*(t.denominator for t in instance.target))
    t = [x.numerator * (big_t // x.denominator) for x in instance.target]
    weights = [tuple(p * tx * n + (r - p) * big_t * kx for tx, kx in zip(t, k)) for k in instance.space.types]
    return weights, r * big_t * n


class PaperKernelRows(LazyRows):
    """The rows of the paper's integer kernel, each built (and checked) when first read.

    Row ``k`` is :func:`reference.integer_core.scaled_row` of the sampling weights; it is
    checked to sum to ``c^N`` and to be positive exactly on :func:`paper_successors`.
    """

    def __init__(self, weights: Sequence[Type], samples: int, scale: int, successors: Sequence[Sequence[int]]) -> None:
        super().__init__(len(weights))
        self._weights, self._samples, self._scale, self._successors = weights, samples, scale, successors

    def make(self, i: int) -> tuple[int, ...]:
        row = tuple(scaled_row(self._weights[i], self._samples))
        if sum(row) != self._scale or tuple(compress(range(len(row)), row)) != tuple(self._successors[i]):
            raise CheckFailed(f"kernel row {i} does not sum to c^N or has the wrong support")
        return row


def paper_successors(instance: Instance, weights: Sequence[Type]) -> list[tuple[int, ...]]:
    """The support of every kernel row: the types ``j`` with ``j_x = 0`` wherever ``u_x(k) = 0``.

    >>> from fractions import Fraction as F
    >>> inst = Instance(target=(F(1), F(0)), samples=2, lam=F(1, 2))
    >>> paper_successors(inst, sampling_weights(inst)[0])
    [(0,), (0, 1, 2), (0, 1, 2)]
    """
    types = instance.space.types
    by_support: dict[tuple[bool, ...], tuple[int, ...]] = {}
    out = []
    for u in weights:
        key = tuple(w > 0 for w in u)
        if key not in by_support:
            by_support[key] = tuple(j for j, t in enumerate(types) if all(key[x] or not c for x, c in enumerate(t)))
        out.append(by_support[key])
    return out


def paper_model(instance: Instance) -> bool:
    """The paper's empirical-law estimator with i.i.d. mixing."""
    return isinstance(instance.estimator, EmpiricalLaw) and isinstance(instance.mixing, IIDMixing)


def build_chain(instance: Instance, backend: str = "flint") -> FiniteChain:
    """The recursive-training chain of ``instance`` as an exact :class:`FiniteChain`.

    For the paper's model the kernel is built on integers (:func:`integer_kernel`) and its
    Fractions are only made when read; otherwise from the estimator and mixing
    (:func:`kernel_rows`).  :class:`FiniteChain` checks that every row sums to exactly 1
    (in integers); for a kernel built here a failure is a bug, raised as :class:`CheckFailed`.
    """
    try:
        if paper_model(instance):
            weights, c = sampling_weights(instance)
            successors = paper_successors(instance, weights)
            scale = c**instance.samples
            rows = PaperKernelRows(weights, instance.samples, scale, successors)
            return FiniteChain.from_integer_kernel(rows, scale, labels=instance.space.types, backend=backend,
                                                   successors=successors)
        return FiniteChain(kernel_rows(instance), labels=kernel_states(instance), backend=backend)
    except InputError as exc:
        raise CheckFailed(f"the model's kernel is not stochastic: {exc}") from None
