"""The paper's identities proved for every parameter value at once (the symbolic path).

With λ (and possibly μ*) symbolic, each identity is checked as an identity of
polynomials or rational functions: the difference of the two sides is simplified
(``sympy.cancel``) and must be exactly 0.  The certificate says "identity in lam" and shows
the simplified difference.  This covers every λ in (0, 1] for the given size at once
(and, for (⋆), λ = 0 too: it is a polynomial identity).

* Lemma III.2 — every kernel row sums to 1 identically;
* Lemma III.1 — ``E[mu_n | mu_0] = (1-lam)^n mu_0 + (1-(1-lam)^n) mu*`` for n = 1, 2, every start;
* Theorem III.3 — the barycenter of the generic stationary law is ``mu*``;
* the degeneration — ``Cov_pi = (diag mu* - mu* mu*^T)/D``, ``D = N - (N-1)(1-lam)^2``;
* Lemma IV.1 — (⋆) ``E[mu_{n+1} | mu_n] = lam mu* + (1-lam) mu_n`` at every state as a
  polynomial identity, which at lam = 0 is the martingale identity.

Corollary IV.2 and Theorem IV.3 are statements at λ = 0 (use a number); Theorem VI.1 is
vacuous on a finite space.
"""

from __future__ import annotations

import sympy

from reference.symbolic import SymbolicSolution

from .certificate import Certificate, Condition

LAM = sympy.Symbol("lam")


def _zero(diffs: list[sympy.Expr]) -> tuple[bool, str]:
    bad = [d for d in diffs if d != 0]
    return not bad, "0" if not bad else str(bad[0])


def _cond(text: str, diffs: list[sympy.Expr], count: int, what: str, symbols: tuple[str, ...]) -> Condition:
    holds, shown = _zero(diffs)
    names = ", ".join(symbols)
    detail = (f"identity in {names}: {count} {what}, simplified difference 0" if holds
              else f"NOT an identity in {names}: simplified difference {shown}")
    return Condition(text, holds, {"identity": f"in {names}", "checked": count, "simplified_difference": shown}, detail)


def _generic(sol: SymbolicSolution) -> Condition:
    return Condition("fresh fraction lam > 0 (symbolic: the identity is claimed for every lam in (0, 1])", True,
                     {"symbols": list(sol.instance.symbols)}, "generic lam")


def check_symbolic(sol: SymbolicSolution) -> list[Certificate]:
    inst = sol.instance
    desc = inst.describe()
    n, d = inst.samples, inst.size
    to = lambda e: sol.algebra.to_sympy(e)  # noqa: E731
    kernel = [[to(p) for p in row] for row in sol.kernel]
    laws = [[sympy.Rational(c, n) for c in k] for k in sol.states]
    target, lam = list(inst.target), inst.lam
    syms = inst.symbols
    certs = []

    # Lemma III.2: rows sum to 1
    diffs = [sympy.expand(sum(row) - 1) for row in kernel]
    certs.append(Certificate("Lemma III.2", "the kernel is stochastic, as a polynomial identity", desc, (),
                             _cond("every row of P sums to 1 identically", diffs, len(diffs), "rows", syms)))

    # (⋆) and Lemma IV.1
    mean = [[sympy.expand(sum(p * law[x] for p, law in zip(row, laws))) for x in range(d)] for row in kernel]
    star = [sympy.expand(mean[i][x] - (lam * target[x] + (1 - lam) * laws[i][x])) for i in range(len(laws)) for x in range(d)]
    certs.append(Certificate("Lemma IV.1", "(⋆) E[mu_{n+1} | mu_n] = lam mu* + (1-lam) mu_n identically; at lam = 0 the martingale identity",
                             desc, (), _cond("(⋆) at every state and every point of S, as polynomials", star, len(star), "identities", syms),
                             notes=("Setting lam = 0 in this polynomial identity gives Lemma IV.1 for every subset A by additivity.",)))

    # Lemma III.1 for n = 1, 2
    diffs = []
    current = [list(law) for law in laws]
    for g in (1, 2):
        current = [[sympy.expand(sum(p * current[j][x] for j, p in enumerate(row))) for x in range(d)] for row in kernel]
        r = (1 - lam) ** g
        diffs += [sympy.expand(current[i][x] - (r * laws[i][x] + (1 - r) * target[x])) for i in range(len(laws)) for x in range(d)]
    certs.append(Certificate("Lemma III.1", "E[mu_n | mu_0] = (1-lam)^n mu_0 + (1-(1-lam)^n) mu*, n = 1, 2, identically", desc,
                             (), _cond("the barycenter recursion from every start", diffs, len(diffs), "identities", syms)))

    # Theorem III.3
    diffs = [sympy.cancel(sol.value(b) - t) for b, t in zip(sol.barycenter, target)]
    certs.append(Certificate("Theorem III.3", "the generic stationary law has barycenter mu*, identically", desc, (_generic(sol),),
                             _cond("sum_k pi(k) k/N = mu* as rational functions", diffs, len(diffs), "coordinates", syms)))

    # Degeneration: covariance closed form
    big_d = n - (n - 1) * (1 - lam) ** 2
    diffs = [sympy.cancel(sol.value(sol.covariance[x][y]) - ((target[x] if x == y else 0) - target[x] * target[y]) / big_d)
             for x in range(d) for y in range(d)]
    certs.append(Certificate("Degeneration (Section III)", "Cov_pi = (diag mu* - mu* mu*^T)/D, D = N - (N-1)(1-lam)^2, identically",
                             desc, (_generic(sol),), _cond("the stationary covariance equals the closed form", diffs, len(diffs), "entries", syms)))
    order = ["Lemma III.1", "Lemma III.2", "Theorem III.3", "Degeneration (Section III)", "Lemma IV.1"]
    return sorted(certs, key=lambda c: order.index(c.statement))

