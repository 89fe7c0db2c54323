"""Lemma IV.1 — without fresh data, ``mu_n(A)`` is a martingale for every A.

Statement (reconstructed, theory-reference §3): *with* ``lam = 0``, *for each* ``f_i`` *of a
convergence-determining class,* ``Y_n = int f_i dmu_n`` *is a bounded martingale*; it
converges a.s. and in mean.

Finite meaning: with ``f = 1_A``, ``E[mu_{n+1}(A) | mu_n = mu_k] = mu_k(A)`` exactly, for
every state ``k`` and every subset ``A`` of S (all ``2^d`` of them for ``d <= 12``; beyond
that the singletons, which imply the rest by additivity — the evidence says which).
For ``lam > 0`` the right side is ``lam mu*(A) + (1-lam) mu_k(A)`` instead, which the
certificate shows when the hypothesis fails.
"""

from __future__ import annotations

from itertools import combinations

from reference.rationals import format_rational

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import conditional_barycenter, lam_zero

STATEMENT = "Lemma IV.1"
TITLE = "lam = 0: E[mu_{n+1}(A) | mu_n] = mu_n(A) for every state and every subset A"
MAX_SUBSET_D = 12


def check(an: Analysis) -> Certificate:
    d = an.instance.size
    means = an.conditional_mean
    if d <= MAX_SUBSET_D:
        subsets = [c for r in range(1, d + 1) for c in combinations(range(d), r)]
        scope = f"all {2**d - 1} non-empty subsets"
    else:
        subsets = [(x,) for x in range(d)]
        scope = f"the {d} singletons (additivity gives every subset)"
    failure = None
    for i, law in enumerate(an.state_laws):
        for a in subsets:
            left = sum(means[i][x] for x in a)
            right = sum(law[x] for x in a)
            if left != right:
                failure = {"state": an.states[i], "subset": list(a), "conditional_mean": left, "current": right,
                           "lam_mix": sum(an.mixed_law(i)[x] for x in a)}
                break
        if failure:
            break
    if failure:
        detail = (f"at state {failure['state']}, A = {set(failure['subset'])}: E[mu_(n+1)(A) | mu_n] = "
                  f"{format_rational(failure['conditional_mean'])} but mu_n(A) = {format_rational(failure['current'])}")
    else:
        detail = f"identity exact at all {an.chain.n_states} states for {scope}"
    conclusion = Condition(
        "E[mu_{n+1}(A) | mu_n] = mu_n(A) for every state and every subset A of S",
        failure is None,
        {"states_checked": an.chain.n_states, "subsets": scope, **({"first_failure": failure} if failure else {})},
        detail,
    )
    return Certificate(STATEMENT, TITLE, an.instance.describe(), (lam_zero(an), conditional_barycenter(an)), conclusion,
                       notes=("Bounded martingales converge a.s. and in L1 (Neveu IV-2-3); on a finite chain the "
                              "limit is reached in finite time (Theorem IV.3).",))
