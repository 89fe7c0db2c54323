"""Lemma III.2 — a time-homogeneous, stable Markov chain with a continuous (Feller) kernel.

Statement (reconstructed, theory-reference §3): ``{mu_n}`` *is a* ``P(S)``*-valued
time-homogeneous stable Markov chain with a continuous kernel* ``Q(mu, dnu)``.

Finite meaning: the kernel is one exact matrix, applied at every generation
(time-homogeneous, Markov by construction); every row is a law (stochastic, checked
exactly); each row equals the model's transition law recomputed here by a second,
independent formula — for the paper's model ``Multinomial(N, lam mu* + (1-lam) mu)``
with plain ``Fraction`` powers — a polynomial of degree ``<= N`` in ``mu``, hence
continuous (Feller).  Stability is Lemma III.1 (and trivial on a finite S).
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial, prod

from reference.model import EmpiricalLaw, IIDMixing

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import finite_space

STATEMENT = "Lemma III.2"
TITLE = "Markov, time-homogeneous, stochastic kernel, Feller"


def _model_row(an: Analysis, i: int) -> list[Fraction]:
    """The model's row at state ``i``, recomputed without the engine's kernel builder."""
    inst = an.instance
    n = inst.samples
    states = an.states
    index = {s: j for j, s in enumerate(states)}
    q = an.mixed_law(i)
    row = [Fraction(0)] * len(states)
    paper = isinstance(inst.mixing, IIDMixing)
    if paper:
        for k in inst.space.types:  # Mult(N, q)(k) = N!/prod k! * prod q^k, textbook form
            p = Fraction(factorial(n), prod(factorial(c) for c in k)) * prod((qx**c for qx, c in zip(q, k)), start=Fraction(1))
            if p:
                row[index[inst.estimator.state_of(k, n)]] += p
    else:  # another mixing: its own law, pushed through the estimator
        for k, p in inst.mixing.sample_type_law(inst.target, inst.lam, an.state_laws[i], inst.space):
            row[index[inst.estimator.state_of(k, n)]] += p
    return row


def check(an: Analysis) -> Certificate:
    rows = an.chain.matrix  # FiniteChain already refuses a row that is negative or does not sum to 1
    stochastic = all(sum(r) == 1 and min(r) >= 0 for r in rows)
    mismatch = None
    for i in range(len(rows)):
        expected = _model_row(an, i)
        if list(rows[i]) != expected:
            j = next(j for j, (a, b) in enumerate(zip(rows[i], expected)) if a != b)
            mismatch = {"state": an.states[i], "next_state": an.states[j], "kernel": rows[i][j], "model": expected[j]}
            break
    formula = ("Multinomial(N, lam mu* + (1-lam) mu)" if isinstance(an.instance.mixing, IIDMixing)
               else f"the {an.instance.mixing.name} mixing's law")
    if isinstance(an.instance.estimator, EmpiricalLaw):
        formula += " (a polynomial of degree <= N in mu)"
    holds = stochastic and mismatch is None
    if mismatch:
        detail = (f"kernel entry P({mismatch['state']} -> {mismatch['next_state']}) = {mismatch['kernel']} "
                  f"but the model gives {mismatch['model']}")
    else:
        detail = f"{len(rows)} rows, each a law, each equal to {formula}; one matrix for every generation"
    conclusion = Condition(
        "the kernel is stochastic, time-homogeneous, a function of the current state only, and continuous (Feller)",
        holds,
        {"rows": len(rows), "stochastic": stochastic, "row_formula": formula,
         "time_homogeneous": "one matrix applied at every generation",
         "feller": "finite S: every kernel is continuous; here each entry is the model's formula in mu",
         **({"first_mismatch": mismatch} if mismatch else {})},
        detail,
    )
    return Certificate(STATEMENT, TITLE, an.instance.describe(), (finite_space(an),), conclusion)
