"""The degeneration inequality at the end of Section III — right mean, more noise.

Statement (reconstructed, theory-reference §3): *for every convex* ``psi`` *on* ``P(S)``,
``E psi(mu_n) >= psi(E mu_n) = psi(mu*)`` (conditional Jensen): with fresh data the model
is right on average but noisier than ``mu*``.

Finite meaning, at stationarity (``pi``, barycenter ``mu*`` by Theorem III.3), with
``D = N - (N-1)(1-lam)^2`` (theory-reference §4.2-4.3):

* ``psi(nu) = nu(A)^2``: the gap is ``Var_pi mu(A)``; the whole covariance is
  ``Cov_pi mu = (diag mu* - mu* mu*^T) / D`` — checked exactly, entry by entry (it covers
  every subset A, since ``Var mu(A) = 1_A^T Cov 1_A``);
* ``psi(nu) = sum_x nu_x^2``: ``E_pi sum mu_x^2 - sum mu*_x^2 = GS(mu*)/D >= 0``, i.e.
  ``E_pi GS(mu) = (1 - 1/D) GS(mu*)`` — exact;
* ``psi = -H`` (negative Shannon entropy): ``E_pi H(mu) <= H(mu*)``.  Logarithms are not
  rational: this one inequality is evaluated with mpmath at 50 significant digits and
  the certificate says so (the gap is reported with its precision).

The degeneration factor ``N/D >= 1`` compares the stationary variance with i.i.d.
sampling (``lam = 1``); equality iff ``lam = 1`` or ``N = 1``.
"""

from __future__ import annotations

from typing import Any

from reference.rationals import format_rational, weighted_sum

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import conditional_barycenter, iid_mixing, lam_positive

STATEMENT = "Degeneration (Section III)"
TITLE = "Jensen: E_pi psi(mu) >= psi(mu*) for convex psi, with exact gaps (variance, Gini-Simpson) and entropy"
DIGITS = 50


def entropy(law, digits: int = DIGITS) -> Any:
    """Shannon entropy in nats (an ``mpmath.mpf``), ``0 ln 0 = 0``, at ``digits`` significant digits (float path)."""
    import mpmath  # imported when used: it is most of the command line's start-up otherwise

    with mpmath.workdps(digits):
        total = mpmath.mpf(0)
        for p in law:
            if p:
                x = mpmath.mpf(p.numerator) / p.denominator
                total -= x * mpmath.log(x)
        return +total


def check(an: Analysis) -> Certificate:
    inst = an.instance
    target, n, lam, d = inst.target, inst.samples, inst.lam, inst.size
    big_d = n - (n - 1) * (1 - lam) ** 2
    laws = an.state_laws
    gs_target = 1 - sum(t * t for t in target)
    per_law = []
    holds = True
    first_problem = ""
    for c, pi in enumerate(an.chain.stationary_distributions):
        support = [i for i, p in enumerate(pi) if p]
        mean = an.stationary_barycenters[c]
        second = [[weighted_sum(pi, [law[x] * law[y] for law in laws]) for y in range(d)] for x in range(d)]
        cov = [[second[x][y] - target[x] * target[y] for y in range(d)] for x in range(d)]
        closed = [[((target[x] if x == y else 0) - target[x] * target[y]) / big_d for y in range(d)] for x in range(d)]
        quad_gap = sum(second[x][x] for x in range(d)) - sum(t * t for t in target)
        gs_expected = (1 - 1 / big_d) * gs_target
        gs_pi = weighted_sum(pi, [1 - sum(v * v for v in law) for law in laws])
        import mpmath

        with mpmath.workdps(DIGITS):
            h_pi = mpmath.fsum(mpmath.mpf(pi[i].numerator) / pi[i].denominator * entropy(laws[i]) for i in support)
            h_target = entropy(target)
            h_gap = h_target - h_pi
        exact_equal = all(laws[i] == target for i in support)
        entropy_ok = exact_equal or h_gap > mpmath.mpf(10) ** (-(DIGITS - 10))
        variances_ok = all(cov[x][x] >= 0 for x in range(d)) and quad_gap >= 0
        closed_ok = cov == closed and gs_pi == gs_expected and quad_gap == gs_target / big_d
        ok = mean == target and variances_ok and closed_ok and entropy_ok
        if not ok and holds:
            holds = False
            if mean != target:
                first_problem = f"stationary law {c}: barycenter {_fmt(mean)} is not mu* = {_fmt(target)}"
            elif not closed_ok:
                x = next((x for x in range(d) if cov[x] != closed[x]), 0)
                first_problem = (f"stationary law {c}: Cov row {x} = {_fmt(cov[x])}, closed form (diag mu* - mu* mu*^T)/D "
                                 f"gives {_fmt(closed[x])} with D = {format_rational(big_d)}")
            elif not entropy_ok:
                first_problem = f"stationary law {c}: E H(mu) - H(mu*) = {mpmath.nstr(-h_gap, 15)} is not <= 0"
            else:
                first_problem = f"stationary law {c}: a quadratic Jensen gap is negative"
        per_law.append({
            "barycenter": mean,
            "covariance": cov,
            "variance_gaps": [cov[x][x] for x in range(d)],
            "sum_of_squares_gap": quad_gap,
            "expected_gini_simpson": gs_pi,
            "entropy_gap_nats": mpmath.nstr(h_gap, 20),
            "entropy_precision": f"mpmath, {DIGITS} significant digits (logarithms are irrational; float path)",
        })
    detail = first_problem or (
        f"Cov_pi = (diag mu* - mu* mu*^T)/D with D = {format_rational(big_d)}; E GS = (1 - 1/D) GS(mu*) = "
        f"{format_rational((1 - 1 / big_d) * gs_target)}; degeneration factor N/D = {format_rational(n / big_d)}; "
        f"entropy gap {per_law[0]['entropy_gap_nats'][:12]} nats >= 0"
    )
    conclusion = Condition(
        "for psi = nu(A)^2, sum nu_x^2, -H: E_pi psi(mu) >= psi(mu*), quadratic gaps equal to the closed forms in D",
        holds,
        {"D": big_d, "degeneration_factor_N_over_D": n / big_d, "gini_simpson_target": gs_target,
         "stationary": an.chain.stationary_distributions, "per_stationary_law": per_law},
        detail,
    )
    return Certificate(STATEMENT, TITLE, inst.describe(),
                       (lam_positive(an), conditional_barycenter(an), iid_mixing(an)), conclusion,
                       notes=("Which convex functional the paper prints is not visible in the extracted text [U]; "
                              "these three are the ones with literature closed forms.",))


def _fmt(v) -> str:
    return "(" + ", ".join(format_rational(x) for x in v) + ")"
