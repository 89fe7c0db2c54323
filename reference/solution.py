"""Solve an instance: every exact quantity the command line's ``solve`` reports.

A :class:`Solution` bundles the instance, its chain, and the derived quantities of
DESIGN.md's contract: recurrent classes, one stationary law per class (the extreme
points of the stationary set), the barycenter of each (Theorem III.3 says it is ``mu*``
when ``lam > 0``), absorbing states, absorption probabilities and expected absorption
times.  An :class:`Evolution` is the exact law of the state after ``n = 0..G``
generations and ``P(T <= n)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property

from .chain import FiniteChain
from .absorption import (neutral_absorption_times, neutral_absorption_times_multi,
                         neutral_identity_test)
from .kernel import build_chain, paper_model, sampling_weights
from .errors import CheckFailed, InputError
from .model import EmpiricalLaw, IIDMixing, Instance, state_laws
from .moments import exact_stationary_law
from .rationals import Law, common_denominator
from .typespace import Type


def barycenter(law_over_states: Sequence[Fraction], state_laws: Sequence[Law],
               scaled: tuple[list[int], int] | None = None) -> Law:
    """``sum_s Phi(s) mu_s``: the barycenter of a law ``Phi`` over states (paper, Section II-A.3).

    Summed in integers over one common denominator (one gcd per coordinate at the
    end), which keeps it fast for laws whose entries have ~10^5-digit denominators;
    ``scaled``, when given, is that form of the law already made
    (:attr:`FiniteChain.stationary_scaled`).

    >>> from fractions import Fraction as F
    >>> barycenter([F(1, 2), F(1, 2)], [(F(1), F(0)), (F(0), F(1))])
    (Fraction(1, 2), Fraction(1, 2))
    """
    d = len(state_laws[0])
    weights, den = scaled if scaled is not None else common_denominator(law_over_states)
    out = []
    for x in range(d):
        column, scale = common_denominator([mu[x] for mu in state_laws])
        total = sum(w * c for w, c in zip(weights, column, strict=True) if w and c)
        out.append(Fraction(total, den * scale))
    return tuple(out)


@dataclass(frozen=True)
class Solution:
    """The exact analysis of one instance's chain.

    >>> from fractions import Fraction as F
    >>> sol = solve(Instance(target=(F(1, 4), F(3, 4)), samples=4, lam=F(1, 3)))
    >>> [str(p) for p in sol.stationary[0]]
    ['3/128', '21/256', '45/256', '79/256', '105/256']
    >>> [str(m) for m in sol.barycenters[0]]
    ['1/4', '3/4']
    """

    instance: Instance
    chain: FiniteChain
    certification: Certification | None = None

    @property
    def states(self) -> tuple[Type, ...]:
        return self.chain.labels  # type: ignore[return-value]

    @cached_property
    def state_laws(self) -> tuple[Law, ...]:
        """``mu`` for each state (``k/N`` for the empirical law)."""
        return state_laws(self.instance, self.states)

    @property
    def recurrent_classes(self) -> tuple[tuple[int, ...], ...]:
        return self.chain.recurrent_classes

    @property
    def stationary(self) -> tuple[tuple[Fraction, ...], ...]:
        return self.chain.stationary_distributions

    @cached_property
    def barycenters(self) -> tuple[Law, ...]:
        return tuple(barycenter(pi, self.state_laws, scaled) for pi, scaled in zip(self.stationary, self.chain.stationary_scaled,
                                                                                    strict=True))

    @property
    def absorbing(self) -> tuple[int, ...]:
        return self.chain.absorbing_states

    @property
    def absorption_probabilities(self) -> tuple[tuple[Fraction, ...], ...]:
        return self.chain.absorption_probabilities

    @property
    def expected_absorption_time(self) -> tuple[Fraction, ...]:
        return self.chain.expected_absorption_times

    def _repr_latex_(self) -> str:
        """Jupyter display: the stationary laws and barycenters in LaTeX."""
        from .report import solution_latex

        return solution_latex(self)


METHODS = ("auto", "dense", "moments")


def moments_apply(instance: Instance) -> bool:
    """Whether the factorial-moment fast path applies: the paper's estimator and mixing, lam > 0."""
    return isinstance(instance.estimator, EmpiricalLaw) and isinstance(instance.mixing, IIDMixing) and instance.lam > 0


def fast_path_applies(instance: Instance) -> bool:
    """Whether ``solve`` (method auto) answers without building the kernel: the moment
    recursion (lam > 0) or the back substitution (lam = 0, d = 2), paper's model only."""
    return moments_apply(instance) or (lumping_applies(instance) and instance.size == 2)


def lumping_applies(instance: Instance) -> bool:
    """λ = 0 with the paper's model: the kernel commutes with permutations of S."""
    return isinstance(instance.estimator, EmpiricalLaw) and isinstance(instance.mixing, IIDMixing) and instance.lam == 0


def collapse_by_lumping(instance: Instance, chain: FiniteChain,
                        progress: Callable[[int, int], None] | None = None) -> tuple[list[list[Fraction]], list[Fraction]]:
    """Absorption data at λ = 0 without a dense solve on the full chain.

    The expected absorption times come from the back substitution in the falling-factorial
    basis (:func:`reference.absorption.neutral_absorption_times` for d = 2,
    :func:`reference.absorption.neutral_absorption_times_multi` beyond: ``O(N^d)``, no
    kernel row); the absorption probabilities are the martingale's ``k_x / N``
    (Theorem IV.3).  Both are then certified against the full kernel by
    :meth:`FiniteChain.certify` (``t = 1 + P t``, ``h = P h`` on every row).
    (The solve on the chain lumped by symmetry that this path used for d >= 3 until
    session 4 is the tests' independent route: ``tests/test_collapse.py``.)
    """
    states = chain.labels
    n = instance.samples
    dirac_point = [max(range(len(states[c[0]])), key=lambda x: states[c[0]][x]) for c in chain.recurrent_classes]
    probs = [[Fraction(k[x], n) for x in dirac_point] for k in states]
    if instance.size == 2:
        t = neutral_absorption_times(n, progress)
        return probs, [t[k[0]] for k in states]
    times = neutral_absorption_times_multi(n, instance.size, progress)
    return probs, times


CERTIFY_MODES = ("auto", "full", "identity", "none")
FULL_CHECK_BUDGET_SECONDS = 0.05
_BIT_PRODUCTS_PER_SECOND = 6e12  # measured: d = 2, N = 200, lam = 1/3 full check (bench_scale.py)
_SECONDS_PER_KERNEL_ENTRY = 2e-6  # building each integer kernel entry in Python (d = 4, N = 15: 666k entries, 1.4 s)


@dataclass(frozen=True)
class Certification:
    """How a :class:`Solution` was checked after it was computed.

    ``method``: ``"kernel"`` (every identity against every kernel row, in integers:
    deterministic), ``"identity"`` (``pi P = pi`` by the randomised polynomial identity
    test of :mod:`reference.identity`, the transient rows against the kernel) or
    ``"none"``.  ``error_bound`` bounds the probability that a wrong answer passed
    (0 for ``kernel``); ``trials`` are the identity test's ``(prime, point)`` pairs.
    """

    method: str
    error_bound: Fraction = Fraction(0)
    trials: tuple[tuple[int, tuple[int, ...]], ...] = ()
    absorption: str = "against the kernel rows of the transient states"

    def describe(self) -> str:
        if self.method == "kernel":
            return "certified against every kernel row in exact integers"
        if self.method == "identity":
            return (f"pi P = pi certified by a randomised polynomial identity test ({len(self.trials)} trials; "
                    f"a wrong answer passes with probability <= 2^-{bits_below(self.error_bound)}); "
                    f"absorption data {self.absorption}")
        return "not certified (--certify none)"


def bits_below(bound: Fraction) -> int:
    """The largest ``k`` with ``bound <= 2^-k`` (for a bound in (0, 1]).

    >>> bits_below(Fraction(1, 2**40) * Fraction(3, 4)), bits_below(Fraction(1, 3))
    (40, 1)
    """
    k = bound.denominator.bit_length() - bound.numerator.bit_length()
    while k > 0 and bound * 2**k > 1:
        k -= 1
    while bound * 2 ** (k + 1) <= 1:
        k += 1
    return k


def full_check_seconds(chain: FiniteChain) -> float:
    """A rough time estimate of :meth:`FiniteChain.certify_stationary` (``n^2`` big products)."""
    n = chain.n_states
    law_bits = max((max(v.denominator.bit_length() for v in pi) for pi in chain.stationary_distributions), default=1)
    entry_bits = chain.integer_kernel[1].bit_length()
    cost = n * n * law_bits * entry_bits
    if chain.transient_states:
        time_bits = max(t.denominator.bit_length() for t in chain.expected_absorption_times)
        cost += len(chain.transient_states) * n * time_bits * entry_bits * (1 + len(chain.recurrent_classes))
    return cost / _BIT_PRODUCTS_PER_SECOND + n * n * _SECONDS_PER_KERNEL_ENTRY


def solve(instance: Instance, backend: str = "flint", certify: bool | str = "auto", method: str = "auto",
          progress: Callable[[int, int], None] | None = None) -> Solution:
    """Build the chain of ``instance`` and analyse it exactly.

    ``method`` chooses how the stationary law is computed: ``dense`` solves
    ``pi (P - I) = 0`` per recurrent class with the linear-algebra backend (the readable
    reference path); ``moments`` uses the triangular factorial-moment recursion of
    :mod:`reference.moments` (the paper's chain with ``lam > 0`` only); ``auto`` takes
    ``moments`` where it applies, and at ``lam = 0`` computes the absorption data by back
    substitution in the falling-factorial basis (:func:`collapse_by_lumping`,
    :mod:`reference.absorption`).

    ``certify`` re-checks the answer, whichever path produced it (see
    :class:`Certification`): ``"full"`` (or ``True``) against every kernel row,
    ``"identity"`` by the randomised identity test (paper's model only), ``"auto"`` (the
    default) the full check unless it is estimated to take more than
    ``FULL_CHECK_BUDGET_SECONDS`` on the paper's model, ``"none"`` (or ``False``) not at
    all.  A failed check raises :class:`~reference.errors.CheckFailed`.  ``progress(done,
    total)`` is called as the fast paths advance (the CLI shows it on a terminal).
    """
    if method not in METHODS:
        raise InputError(f"method {method!r} is unknown; allowed: {', '.join(METHODS)}")
    mode = certify_mode(certify, instance)  # refused before any work
    if method == "moments" and not moments_apply(instance):
        raise InputError("--method moments needs the paper's estimator and mixing and lam > 0; use dense or auto")
    chain = build_chain(instance, backend=backend)
    if method != "dense" and moments_apply(instance):
        chain.provide_stationary([exact_stationary_law(list(instance.target), instance.samples, instance.lam, progress)])
    if method != "dense" and lumping_applies(instance):
        chain.provide_absorption(*collapse_by_lumping(instance, chain, progress))
    return certify_solution(Solution(instance=instance, chain=chain, certification=Certification("none")), mode)


def certify_solution(solution: Solution, certify: bool | str = "auto") -> Solution:
    """``solution`` with its answer re-checked as :func:`solve`'s ``certify`` says (the second
    half of :func:`solve`; ``solve(..., certify="none")`` then this is ``solve(...)``).
    A failed check raises :class:`~reference.errors.CheckFailed`."""
    instance, chain = solution.instance, solution.chain
    mode = certify_mode(certify, instance)
    if mode == "auto":
        mode = "identity" if paper_model(instance) and full_check_seconds(chain) > FULL_CHECK_BUDGET_SECONDS else "full"
    certification = Certification("none")
    if mode == "full":
        chain.require_certified()
        certification = Certification("kernel")
    elif mode == "identity":
        certification = _certify_by_identity(instance, chain)
    return replace(solution, certification=certification)


def certify_mode(certify: bool | str, instance: Instance) -> str:
    """The certificate mode named by ``certify`` (``True`` = full, ``False`` = none), checked
    against the instance (callers that certify later call it first, to refuse before any work)."""
    mode = {True: "full", False: "none"}.get(certify, certify) if isinstance(certify, bool) else certify
    if mode not in CERTIFY_MODES:
        raise InputError(f"certify {certify!r} is unknown; allowed: {', '.join(CERTIFY_MODES)}")
    if mode == "identity" and not paper_model(instance):
        raise InputError("--certify identity needs the paper's estimator and mixing; use full, auto or none")
    return mode


def _certify_by_identity(instance: Instance, chain: FiniteChain) -> Certification:
    from .identity import stationary_identity_test

    failures = chain.certify_stationary_support()
    bound, trials = Fraction(0), []
    absorption = "against the kernel rows of the transient states" if chain.transient_states else "(none: no transient state)"
    if instance.lam == 0 and chain.transient_states:
        test = neutral_identity_test(instance.samples, chain.labels, chain.expected_absorption_times)  # type: ignore[arg-type]
        absorption = "by a modular identity test at every state (t = 1 + P t, h = P h; all states at once modulo each prime)"
        if not test.passed:
            failures.append(test.failure)
        bound = test.error_bound
        trials.extend(test.trials)
        # P h = h passed above for h(k) = k_x / N; each class's column must be k_x / N for its Dirac point x
        points = [max(range(instance.size), key=lambda x: chain.labels[cls[0]][x]) for cls in chain.recurrent_classes]  # type: ignore[index]
        for i, row in enumerate(chain.absorption_probabilities):
            if any(row[c] != Fraction(chain.labels[i][x], instance.samples) for c, x in enumerate(points)):  # type: ignore[index]
                failures.append(f"absorption probabilities of state {i} are not k_x / N")
                break
    else:
        failures += chain.certify_absorption()
    weights, c = sampling_weights(instance)
    for k, (num, den) in enumerate(chain.stationary_scaled):
        test = stationary_identity_test(weights, c, instance.samples, instance.space.types, num, den)
        if not test.passed:
            failures.append(f"stationary law {k}: {test.failure}")
        bound = max(bound, test.error_bound)
        trials.extend(test.trials)
    if failures:
        raise CheckFailed("; ".join(failures))
    return Certification("identity", bound, tuple(trials), absorption)


@dataclass(frozen=True)
class Evolution:
    """The exact law of ``mu_n`` for ``n = 0..G`` from a given start state."""

    solution: Solution
    start: int
    laws: tuple[tuple[Fraction, ...], ...]

    @cached_property
    def absorbed_by(self) -> tuple[Fraction, ...]:
        """``P(T <= n)``, ``T`` the hitting time of the recurrent states."""
        return self.solution.chain.absorbed_by(self.laws)

    @cached_property
    def barycenters(self) -> tuple[Law, ...]:
        """``E[mu_n | mu_0]`` for each ``n`` (Lemma III.1's barycenter recursion)."""
        return tuple(barycenter(law, self.solution.state_laws) for law in self.laws)


def evolve(instance: Instance, start: Type, generations: int, backend: str = "flint",
           progress: Callable[[int, int], None] | None = None) -> Evolution:
    """The exact laws of the state after ``0..generations`` generations from type ``start``.

    The paper's chain on two points (FLINT backend) evolves by power sums
    (:mod:`reference.binomial_evolution`, no ``n x n`` product); every other chain by
    :meth:`reference.chain.FiniteChain.evolve`."""
    chain = build_chain(instance, backend=backend)
    sol = Solution(instance=instance, chain=chain)
    index = instance.space.rank(start)
    if backend == "flint" and instance.size == 2 and paper_model(instance):
        from .binomial_evolution import binomial_evolution

        weights, c = sampling_weights(instance)
        laws = binomial_evolution([w[0] for w in weights], c, instance.samples, [t[0] for t in instance.space.types],
                                  index, generations, progress)
        return Evolution(solution=sol, start=index, laws=laws)
    law = [Fraction(0)] * chain.n_states
    law[index] = Fraction(1)
    return Evolution(solution=sol, start=index, laws=chain.evolve(law, generations, progress))
