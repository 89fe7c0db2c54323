"""Corollary IV.2 — without fresh data, ``mu_n`` converges almost surely.

Statement (reconstructed, theory-reference §3): ``mu_n -> mu_infinity`` *a.s. in* ``P(S)``
*for some* ``P(S)``*-valued random variable* ``mu_infinity``.

Finite meaning: ``mu_n`` lives on a finite grid, so a.s. convergence means the chain is
eventually constant: every recurrent class is a single absorbing state, and the chain
reaches one with probability 1 from every start (``sum_c h(k, c) = 1``).  With
``lam > 0`` the recurrent class has many states and the chain keeps moving: the
conclusion fails, which is why the corollary needs ``lam = 0``.
"""

from __future__ import annotations

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import conditional_barycenter, lam_zero

STATEMENT = "Corollary IV.2"
TITLE = "lam = 0: mu_n converges a.s. (finite S: the chain is eventually constant)"


def check(an: Analysis) -> Certificate:
    chain = an.chain
    big = [c for c in chain.recurrent_classes if len(c) > 1 or chain.matrix[c[0]][c[0]] != 1]
    certain = all(sum(h) == 1 for h in chain.absorption_probabilities)
    holds = not big and certain
    if big:
        cls = big[0]
        detail = (f"recurrent class {chain.recurrent_classes.index(cls)} has {len(cls)} states "
                  f"(e.g. {an.states[cls[0]]}): the chain keeps moving, mu_n does not converge")
    elif not certain:
        detail = "absorption probabilities do not sum to 1 from every state"
    else:
        detail = (f"every recurrent class is one absorbing state ({len(chain.recurrent_classes)} of them), "
                  f"reached with probability 1 from all {chain.n_states} states")
    conclusion = Condition(
        "every recurrent class is a single absorbing state, reached with probability 1: mu_n is eventually constant",
        holds,
        {"recurrent_class_sizes": [len(c) for c in chain.recurrent_classes], "absorbing": list(chain.absorbing_states),
         "absorbed_with_probability_one": certain},
        detail,
    )
    return Certificate(STATEMENT, TITLE, an.instance.describe(), (lam_zero(an), conditional_barycenter(an)), conclusion)
