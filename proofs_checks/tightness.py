"""Theorem VI.1 (Appendix; Borkar 1991, Lemma 2.1) — tightness of laws iff tightness of barycenters.

Statement (reconstructed, theory-reference §3): ``{Phi_alpha} subset P(P(S))`` *is tight iff
the barycenters* ``{nu_alpha} subset P(S)`` *are tight*.

Finite meaning: vacuous — on a finite S every family in ``P(S)`` is tight with witness
``K = S``, and every family in ``P(P(S))`` concentrated on the finitely many reachable
laws is tight with witness that finite (compact) set.  The check says so, and verifies
what the witnesses need: every state's law is a probability law on S (so the reachable
set is a finite subset of the simplex) and the barycenter of every law of ``mu_n`` it
computes (``n = 0..generations`` from every start) is a probability law on S.
"""

from __future__ import annotations

from fractions import Fraction

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import finite_space

STATEMENT = "Theorem VI.1"
TITLE = "tightness of laws <=> tightness of barycenters (vacuous on a finite S; witness K = S)"


def check(an: Analysis, generations: int = 2) -> Certificate:
    bad_state = next((an.states[i] for i, law in enumerate(an.state_laws)
                      if sum(law) != 1 or min(law) < 0), None)
    bad_bary = None
    for g in range(generations + 1):
        for i, bary in enumerate(an.expected_law_after(g)):
            if sum(bary) != 1 or min(bary) < Fraction(0):
                bad_bary = {"n": g, "start": an.states[i], "barycenter": bary}
                break
        if bad_bary:
            break
    holds = bad_state is None and bad_bary is None
    if bad_state is not None:
        detail = f"the law of state {bad_state} is not a probability law on S"
    elif bad_bary:
        detail = f"barycenter of mu_{bad_bary['n']} from {bad_bary['start']} is not a probability law"
    else:
        detail = (f"vacuous on a finite S: witness K = S for the barycenters, the {an.chain.n_states} state laws "
                  f"(a finite subset of the simplex) for the laws; checked n = 0..{generations} from every start")
    conclusion = Condition(
        "both families are tight: barycenters with witness K = S, laws with the finite set of state laws",
        holds,
        {"barycenter_witness": "K = S", "law_witness": f"the {an.chain.n_states} state laws",
         "generations_checked": generations, **({"first_failure": bad_bary} if bad_bary else {})},
        detail,
    )
    return Certificate(STATEMENT, TITLE, an.instance.describe(), (finite_space(an),), conclusion,
                       notes=("The statement has content only on infinite Polish spaces; here it is checked for the "
                              "record, with its witnesses.",))
