"""The shared, lazily computed facts about one instance that every statement check reads.

An :class:`Analysis` wraps an instance and its chain.  A ``kernel`` may be supplied to
check a kernel other than the one the model defines (a float implementation's rounded
kernel, or a deliberately corrupted one in the mutation tests); everything is then
computed from that kernel, while the hypotheses still compare it with the model.

Conditional expectations are computed on the integer-scaled kernel ``A = M P``, so each
identity is checked as an exact integer equality.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import lcm

from reference import FiniteChain, Instance, barycenter, kernel_rows, kernel_states
from reference.model import state_laws
from reference.rationals import Law


@dataclass(frozen=True)
class Analysis:
    instance: Instance
    kernel: tuple[tuple[Fraction, ...], ...] | None = None
    backend: str = "flint"

    @cached_property
    def chain(self) -> FiniteChain:
        rows = self.kernel if self.kernel is not None else kernel_rows(self.instance)
        return FiniteChain(rows, labels=kernel_states(self.instance), backend=self.backend)

    @property
    def states(self) -> tuple[tuple[int, ...], ...]:
        return self.chain.labels  # type: ignore[return-value]

    @cached_property
    def state_laws(self) -> tuple[Law, ...]:
        """``mu`` for each state: the law the model in that state samples from."""
        return state_laws(self.instance, self.states)

    @cached_property
    def scaled_state_laws(self) -> tuple[list[list[int]], int]:
        """``(U, L)`` with integers ``U[j][x] = L mu_j(x)``."""
        common = lcm(*(p.denominator for law in self.state_laws for p in law))
        return [[p.numerator * (common // p.denominator) for p in law] for law in self.state_laws], common

    def expected_law_after(self, generations: int) -> list[list[Fraction]]:
        """``E[mu_n | X_0 = i]`` for every state ``i`` (``n = generations``), exactly.

        ``W_0 = U``, ``W_n = A W_{n-1}``; then ``E[mu_n | i] = W_n[i] / (L M^n)``.
        """
        a, m = self.chain.integer_kernel
        w, common = self.scaled_state_laws
        d = self.instance.size
        succ = self.chain.successors
        for _ in range(generations):
            w = [[sum(a[i][j] * w[j][x] for j in succ[i]) for x in range(d)] for i in range(len(a))]
        scale = common * m**generations
        return [[Fraction(v, scale) for v in row] for row in w]

    @cached_property
    def conditional_mean(self) -> list[list[Fraction]]:
        """``E[mu_{n+1} | mu_n = mu_i]`` for every state ``i`` (the left side of (⋆))."""
        return self.expected_law_after(1)

    @cached_property
    def sample_mean(self) -> list[list[Fraction]]:
        """``E[k'/N | state i]`` where ``k'`` is the sample type labelling the next state."""
        a, m = self.chain.integer_kernel
        n = self.instance.samples
        labels = self.states
        succ = self.chain.successors
        return [
            [Fraction(sum(a[i][j] * labels[j][x] for j in succ[i]), m * n) for x in range(self.instance.size)]
            for i in range(len(a))
        ]

    def mixed_law(self, i: int) -> Law:
        """``lam mu* + (1 - lam) mu_i``: the right side of (⋆) at state ``i``."""
        lam, target = self.instance.lam, self.instance.target
        return tuple(lam * t + (1 - lam) * m for t, m in zip(target, self.state_laws[i], strict=True))

    @cached_property
    def stationary_barycenters(self) -> tuple[Law, ...]:
        return tuple(barycenter(pi, self.state_laws) for pi in self.chain.stationary_distributions)
