"""Lemma III.1 — tightness, through the barycenter recursion.

Statement (reconstructed, theory-reference §3): *the laws of* ``mu_n``, ``n >= 0``, *form a
tight subset of* ``P(P(S))``.  Proof: by (⋆) the barycenter obeys
``E[mu_{n+1}] = lam mu* + (1-lam) E[mu_n]``, so

    E[mu_n | mu_0] = (1-lam)^n mu_0 + (1 - (1-lam)^n) mu*,

a tight family; Theorem VI.1 transfers tightness to the laws.

Finite meaning: tightness is trivial (witness ``K = S``); the checkable content is the
recursion, verified exactly from *every* start state for ``n = 1..generations`` by
propagating the integer-scaled kernel (``W_n = A W_{n-1}``).
"""

from __future__ import annotations

from fractions import Fraction

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import conditional_barycenter, iid_mixing

STATEMENT = "Lemma III.1"
TITLE = "tightness via the barycenter recursion E[mu_n | mu_0] = (1-lam)^n mu_0 + (1-(1-lam)^n) mu*"


def check(an: Analysis, generations: int = 3) -> Certificate:
    lam, target = an.instance.lam, an.instance.target
    failure = None
    for n in range(1, generations + 1):
        got = an.expected_law_after(n)
        r = (1 - lam) ** n
        for i, mu0 in enumerate(an.state_laws):
            expected = tuple(r * a + (1 - r) * t for a, t in zip(mu0, target, strict=True))
            if tuple(got[i]) != expected:
                failure = {"n": n, "start": an.states[i], "expected_law": expected, "computed": got[i]}
                break
        if failure:
            break
    starts = an.chain.n_states
    if failure:
        detail = (f"from start {failure['start']} at n = {failure['n']}: E[mu_n] = {_fmt(failure['computed'])}, "
                  f"recursion gives {_fmt(failure['expected_law'])}")
    else:
        detail = f"recursion exact from all {starts} starts for n = 1..{generations}; tightness witness K = S"
    conclusion = Condition(
        "E[mu_n | mu_0] = (1-lam)^n mu_0 + (1-(1-lam)^n) mu* for every start and n = 1..G; the laws are tight",
        failure is None,
        {"generations": generations, "starts_checked": starts, "tightness_witness": "K = S (finite space: mu(S) = 1 for every law)",
         **({"first_failure": failure} if failure else {})},
        detail,
    )
    return Certificate(STATEMENT, TITLE, an.instance.describe(), (conditional_barycenter(an), iid_mixing(an)), conclusion,
                       notes=("On a finite S every family of laws is tight; the witness is S itself.",))


def _fmt(v) -> str:
    return "(" + ", ".join(str(Fraction(x)) for x in v) + ")"
