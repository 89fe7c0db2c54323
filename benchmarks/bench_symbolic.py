"""Symbolic λ: the moment recursion over FLINT polynomials against sympy's DomainMatrix, same run.

Run: ``python benchmarks/bench_symbolic.py`` (not part of the test suite).  For d = 2 it
times the stationary law as rational functions of λ by our path and, at small N, by
sympy's ``DomainMatrix`` over ``QQ(lam)`` (a fraction-field LU solve); both answers are
compared for equality.  Larger sizes, d = 3, and two symbols (p, λ) follow.
"""

from __future__ import annotations

import time

import sympy

from reference.symbolic import SymbolicInstance, solve_symbolic

LAM, P = sympy.symbols("lam p")


def ours(target, n):
    t0 = time.perf_counter()
    sol = solve_symbolic(SymbolicInstance(target, n, LAM))
    law = sol.stationary
    return time.perf_counter() - t0, sol, law


def domain_matrix(sol) -> tuple[float, list]:
    from sympy.polys.matrices import DomainMatrix

    dom = sympy.QQ.frac_field(LAM)
    k = [[dom.from_sympy(sol.algebra.to_sympy(p)) for p in row] for row in sol.kernel]
    n = len(k)
    a = [[k[i][j] - (dom.one if i == j else dom.zero) for i in range(n)] for j in range(n - 1)] + [[dom.one] * n]
    b = [[dom.zero] for _ in range(n - 1)] + [[dom.one]]
    t0 = time.perf_counter()
    x = DomainMatrix(a, (n, n), dom).lu_solve(DomainMatrix(b, (n, 1), dom)).to_list()
    return time.perf_counter() - t0, [dom.to_sympy(r[0]) for r in x]


def main() -> None:
    third = (sympy.Rational(1, 3), sympy.Rational(2, 3))
    print(f"{'instance':<34} {'ours s':>8} {'sympy DM s':>11} {'ratio':>8}")
    for n in (4, 8, 12, 20, 30, 40):
        t, sol, law = ours(third, n)
        base = ""
        if n <= 12:
            tb, xs = domain_matrix(sol)
            assert all(sympy.cancel(sol.value(p) - x) == 0 for p, x in zip(law, xs)), "answers differ"
            base = f"{tb:>11.3f} {tb / t:>7,.0f}x"
        print(f"{'d=2 N=' + str(n) + ', lam symbolic':<34} {t:>8.3f} {base}", flush=True)
    for n in (6, 10):
        t, _, _ = ours((sympy.Rational(1, 2), sympy.Rational(1, 3), sympy.Rational(1, 6)), n)
        print(f"{'d=3 N=' + str(n) + ', lam symbolic':<34} {t:>8.3f}", flush=True)
    for n in (3, 6, 10):
        t0 = time.perf_counter()
        sol = solve_symbolic(SymbolicInstance((P, 1 - P), n, LAM))
        _ = sol.stationary
        print(f"{'d=2 N=' + str(n) + ', target (p, 1-p), lam':<34} {time.perf_counter() - t0:>8.3f}", flush=True)


if __name__ == "__main__":
    main()
