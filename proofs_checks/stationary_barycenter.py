"""Theorem III.3 — with fresh data, every stationary law has barycenter mu*.

Statement (reconstructed, theory-reference §3): *if* ``lam > 0``, *every stationary
distribution* ``Phi`` *of* ``{mu_n}`` *has barycenter* ``mu*``.  Proof: the barycenter of a
stationary ``Phi`` is a fixed point of ``nu -> lam mu* + (1-lam) nu``, unique for
``lam > 0``.

Finite meaning: the stationary laws are the convex hull of one law ``pi_C`` per recurrent
class, and the barycenter is affine, so it suffices that each ``pi_C`` has barycenter
``sum_k pi_C(k) mu_k = mu*`` exactly.  For the paper's chain with ``lam > 0`` there is one
recurrent class (the types supported in supp mu*), so the stationary law is unique; the
paper's remark that stationary laws need not be unique concerns other fitting maps
(THEORY.md gives a correct finite example).  With ``lam = 0`` the hypothesis fails and
the barycenters are the Dirac laws, not ``mu*``.
"""

from __future__ import annotations

from reference.rationals import format_rational

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import conditional_barycenter, iid_mixing, lam_positive

STATEMENT = "Theorem III.3"
TITLE = "lam > 0: every stationary law has barycenter mu*"


def check(an: Analysis) -> Certificate:
    target = an.instance.target
    barycenters = an.stationary_barycenters
    wrong = [c for c, b in enumerate(barycenters) if b != target]
    fmt = lambda v: "(" + ", ".join(format_rational(x) for x in v) + ")"  # noqa: E731
    n_classes = len(barycenters)
    if wrong:
        detail = f"stationary law {wrong[0]} has barycenter {fmt(barycenters[wrong[0]])}, not mu* = {fmt(target)}"
    else:
        detail = f"{n_classes} stationary law{'s' if n_classes != 1 else ''}, barycenter exactly mu* = {fmt(target)}"
    conclusion = Condition(
        "each extreme stationary law pi_C has barycenter sum_k pi_C(k) mu_k = mu*",
        not wrong,
        {"recurrent_classes": [list(c) for c in an.chain.recurrent_classes],
         "stationary": an.chain.stationary_distributions,
         "barycenters": barycenters, "target": target, "unique": n_classes == 1},
        detail,
    )
    notes = ()
    if an.instance.lam > 0 and n_classes == 1:
        notes = ("The stationary law is unique here, as it must be for the paper's chain with lam > 0.",)
    return Certificate(STATEMENT, TITLE, an.instance.describe(),
                       (lam_positive(an), conditional_barycenter(an), iid_mixing(an)), conclusion, notes)
