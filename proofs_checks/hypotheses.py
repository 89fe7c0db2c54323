"""The hypotheses the paper's statements share, each checked exactly on an analysis.

* the fresh fraction: ``lam > 0`` (Section III) or ``lam = 0`` (Section IV);
* the conditional barycenter of Section III, step 3: the fitted model's law is the
  empirical law of the samples (``estimator.law_of(state_of(k')) = k'/N`` for every sample
  type ``k'``);
* the i.i.d. mixing of step 2, seen on the kernel: the mean sample type from state ``i``
  is ``N (lam mu* + (1-lam) mu_i)``.

Together the last two give (⋆): ``E[mu_{n+1} | mu_n] = lam mu* + (1-lam) mu_n``.
"""

from __future__ import annotations

from fractions import Fraction

from reference.rationals import format_rational

from .analysis import Analysis
from .certificate import Condition


def _law(v) -> str:
    return "(" + ", ".join(format_rational(x) for x in v) + ")"


def lam_positive(an: Analysis) -> Condition:
    lam = an.instance.lam
    return Condition("fresh fraction lam > 0", lam > 0, {"lam": lam}, f"lam = {format_rational(lam)}")


def lam_zero(an: Analysis) -> Condition:
    lam = an.instance.lam
    return Condition("no fresh data: lam = 0", lam == 0, {"lam": lam}, f"lam = {format_rational(lam)}")


def finite_space(an: Analysis) -> Condition:
    d = an.instance.size
    return Condition("S is finite", True, {"d": d, "states": an.chain.n_states}, f"S = {{0..{d - 1}}}, {an.chain.n_states} states")


def conditional_barycenter(an: Analysis) -> Condition:
    """Section III, step 3: the fitted model's law is the empirical law of the samples."""
    inst = an.instance
    n = inst.samples
    checked = 0
    for k in inst.space.types:
        fitted = inst.estimator.law_of(inst.estimator.state_of(k, n), n)
        empirical = tuple(Fraction(c, n) for c in k)
        checked += 1
        if fitted != empirical:
            return Condition(
                "conditional barycenter: the fitted model's law is the empirical law k'/N",
                False,
                {"sample_type": k, "fitted": fitted, "empirical": empirical, "estimator": inst.estimator.name},
                f"estimator {inst.estimator.name} fits {_law(fitted)} to sample type {k}, not k'/N = {_law(empirical)}",
            )
    return Condition(
        "conditional barycenter: the fitted model's law is the empirical law k'/N",
        True,
        {"sample_types_checked": checked, "estimator": inst.estimator.name},
        f"all {checked} sample types",
    )


def iid_mixing(an: Analysis) -> Condition:
    """Step 2 on the kernel: ``E[k' | state i] = N (lam mu* + (1-lam) mu_i)`` at every state."""
    means = an.sample_mean
    for i in range(an.chain.n_states):
        expected = an.mixed_law(i)
        if tuple(means[i]) != expected:
            return Condition(
                "i.i.d. mixing: E[k'/N | mu_n] = lam mu* + (1-lam) mu_n on the kernel",
                False,
                {"state": an.states[i], "kernel_mean": means[i], "mixed_law": expected},
                f"at state {an.states[i]} the kernel's mean sample law is {_law(means[i])}, not {_law(expected)}",
            )
    return Condition(
        "i.i.d. mixing: E[k'/N | mu_n] = lam mu* + (1-lam) mu_n on the kernel",
        True,
        {"states_checked": an.chain.n_states},
        f"all {an.chain.n_states} states",
    )
