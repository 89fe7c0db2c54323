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

from fractions import Fraction

from .chain import FiniteChain
from .errors import CheckFailed, InputError
from .model import Instance
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


def build_chain(instance: Instance, backend: str = "flint") -> FiniteChain:
    """The recursive-training chain of ``instance`` as an exact :class:`FiniteChain`.

    :class:`FiniteChain` checks that every row sums to exactly 1 (in integers); for a
    kernel built here a failure is a bug, raised as :class:`CheckFailed`.
    """
    rows = kernel_rows(instance)
    try:
        return FiniteChain(rows, labels=kernel_states(instance), backend=backend)
    except InputError as exc:
        raise CheckFailed(f"the model's kernel is not stochastic: {exc}") from None
