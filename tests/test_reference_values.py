"""Stationary laws, moments and spectra against theory-reference §4 and the table in §7.

Each test cites the row or section it checks.  Closed forms are evaluated in the test
from their formula, independently of the engine.
"""

from fractions import Fraction as F
from math import comb, perm

import flint
import pytest

from reference import Instance, build_chain, solve
from tests.conftest import law


def stationary(target, n, lam, backend="flint", method="auto"):
    sol = solve(Instance(target=target, samples=n, lam=lam), backend=backend, method=method)
    assert len(sol.stationary) == 1, "lam > 0 must give a unique stationary law (theory-reference §3)"
    return sol, sol.stationary[0]


def D(n, lam):
    return n - (n - 1) * (1 - lam) ** 2


@pytest.mark.parametrize("backend, method", [("flint", "dense"), ("sympy", "dense"), ("flint", "moments")])
def test_row1_and_row2(backend, method):
    sol, pi = stationary(law("1/4", "3/4"), 4, F(1, 3), backend, method)
    assert list(pi) == [F(3, 128), F(21, 256), F(45, 256), F(79, 256), F(105, 256)]  # row 1
    gs = sum(p * (1 - sum(x * x for x in mu)) for p, mu in zip(pi, sol.state_laws))
    assert gs == F(15, 64)  # row 2


@pytest.mark.parametrize("method", ["dense", "moments"])
def test_row5_and_row6(method):
    sol, pi = stationary(law("1/2", "1/3", "1/6"), 3, F(1, 5), method=method)
    assert list(pi) == [F(91, 344), F(27, 172), F(27, 344), F(11325, 85742), F(4269, 85742), F(18381, 342968),
                        F(17375, 128613), F(3775, 85742), F(6127, 171484), F(51119, 1028904)]  # row 5
    m0 = sum(p * mu[0] for p, mu in zip(pi, sol.state_laws))
    var0 = sum(p * mu[0] ** 2 for p, mu in zip(pi, sol.state_laws)) - m0**2
    assert var0 == F(25, 172)  # row 6


@pytest.mark.parametrize("method", ["dense", "moments"])
def test_row9_target_without_full_support(method):
    sol, pi = stationary(law("1/2", "1/2", "0"), 4, F(1, 2), method=method)
    on_support = {(4, 0, 0): 610, (3, 1, 0): 1632, (2, 2, 0): 2133, (1, 3, 0): 1632, (0, 4, 0): 610}
    for k, p in zip(sol.states, pi):
        assert p == F(on_support.get(k, 0), 6617)
    # the recurrent class is exactly the types supported in supp mu*; the rest are transient
    (cls,) = sol.recurrent_classes
    assert {sol.states[i] for i in cls} == set(on_support)
    assert all(h == (1,) for h in sol.absorption_probabilities)


@pytest.mark.parametrize("lam, target, expected", [(F(1, 2), law("1/2", "1/2"), [F(2, 7), F(3, 7), F(2, 7)]),   # row 11
                                                   (F(1, 4), law("1/3", "2/3"), [F(41, 207), F(56, 207), F(110, 207)])])  # row 12
def test_rows_11_12_n2(lam, target, expected):
    assert list(stationary(target, 2, lam)[1]) == expected


@pytest.mark.parametrize("lam", [F(1, 7), F(1, 2), F(9, 10), F(1)])
@pytest.mark.parametrize("m", [F(1, 5), F(1, 2), F(5, 7)])
def test_n2_closed_form_section_4_6(lam, m):
    pi1 = 4 * lam * (2 - lam) * m * (1 - m) / (1 + 2 * lam - lam**2)
    _, pi = stationary((m, 1 - m), 2, lam)
    assert list(pi) == [m - pi1 / 2, pi1, 1 - m - pi1 / 2]


@pytest.mark.parametrize("target, n", [(law("1/3", "2/3"), 3), (law("1/2", "1/3", "1/6"), 4), (law("1/10", "0", "9/10"), 3)])
def test_lam_one_is_multinomial(target, n):
    # row 13 and §4.6: lam = 1 gives pi = Mult(N, mu*), written out here from the formula
    sol, pi = stationary(target, n, F(1))
    for k, p in zip(sol.states, pi):
        coef = F(1)
        rest = n
        for c in k:
            coef *= comb(rest, c)
            rest -= c
        expected = coef
        for t, c in zip(target, k):
            expected *= t**c
        assert p == expected


@pytest.mark.parametrize("n", range(2, 9))
@pytest.mark.parametrize("lam", [F(1, 7), F(1, 2), F(2, 3), F(9, 10)])
@pytest.mark.parametrize("m", [F(1, 5), F(1, 2), F(5, 7)])
def test_variance_closed_form_d2(n, lam, m):
    # §4.2: Var_pi(p) = m(1-m)/D, D = N - (N-1)(1-lam)^2; and the mean is m (Thm III.3)
    sol, pi = stationary((m, 1 - m), n, lam, method="dense" if n % 2 else "moments")
    mean = sum(p * mu[0] for p, mu in zip(pi, sol.state_laws))
    second = sum(p * mu[0] ** 2 for p, mu in zip(pi, sol.state_laws))
    assert mean == m
    assert second - mean**2 == m * (1 - m) / D(n, lam)


@pytest.mark.parametrize("target, n, lam", [(law("1/2", "1/3", "1/6"), 3, F(1, 5)),        # rows 5-6
                                            (law("1/10", "1/5", "3/10", "2/5"), 3, F(1, 4)),  # row 10
                                            (law("1/2", "1/2", "0"), 4, F(1, 2))])             # row 9
def test_covariance_and_gini_simpson(target, n, lam):
    # §4.2: Cov_pi = (diag mu* - mu* mu*^T) / D; §4.3: E_pi GS = (1 - 1/D) GS(mu*)
    sol, pi = stationary(target, n, lam)
    d = len(target)
    for x in range(d):
        for y in range(d):
            exy = sum(p * mu[x] * mu[y] for p, mu in zip(pi, sol.state_laws))
            cov = exy - target[x] * target[y]
            assert cov == ((target[x] if x == y else 0) - target[x] * target[y]) / D(n, lam)
    gs = sum(p * (1 - sum(v * v for v in mu)) for p, mu in zip(pi, sol.state_laws))
    assert gs == (1 - 1 / D(n, lam)) * (1 - sum(t * t for t in target))


def feller_traces(n, d, lam, powers):
    """sum_j mult_j beta_j^m, beta_j = (1-lam)^j N_[j]/N^j, mult_j = C(j+d-2, d-2) (§4.1)."""
    out = []
    for m in powers:
        total = F(0)
        for j in range(n + 1):
            mult = comb(j + d - 2, d - 2)
            beta = (1 - lam) ** j * F(perm(n, j), n**j)
            total += mult * beta**m
        out.append(total)
    return out


@pytest.mark.parametrize("target, n, lam", [(law("1/4", "3/4"), 4, F(1, 3)),              # row 3
                                            (law("1/2", "1/3", "1/6"), 3, F(1, 5)),      # row 7
                                            (law("1/2", "1/4", "1/4"), 4, F(0)),         # row 14
                                            (law("1/3", "2/3"), 6, F(3, 4)),
                                            (law("1/4", "1/4", "1/4", "1/4"), 2, F(1, 2))])
def test_spectrum_through_traces(target, n, lam):
    # tr(P^m) for m = 1..n_states fixes the characteristic polynomial (Newton's identities)
    chain = build_chain(Instance(target=target, samples=n, lam=lam))
    size = chain.n_states
    p = flint.fmpq_mat(size, size, [flint.fmpq(x.numerator, x.denominator) for row in chain.matrix for x in row])
    power = p
    traces = []
    for _ in range(size):
        t = sum((power[i, i] for i in range(size)), flint.fmpq(0))
        traces.append(F(int(t.p), int(t.q)))
        power = power * p
    assert traces == feller_traces(n, len(target), lam, range(1, size + 1))


@pytest.mark.parametrize("n", [7, 1000, 10000])
def test_low_moments_at_large_n_against_closed_form(n):
    # §4.2 for K = N mu: E K_x = N mu*_x, Cov(K_x, K_y) = N^2 (delta_xy mu*_x - mu*_x mu*_y) / D, exactly, any N
    from reference.moments import exact_stationary_moments

    target, lam = law("1/2", "1/3", "1/6"), F(2, 7)
    m = exact_stationary_moments(list(target), n, lam, 2)
    big_d = D(n, lam)
    assert m[(1, 0)] == n * target[0] and m[(0, 1)] == n * target[1]
    for x, y, j in [(0, 0, (2, 0)), (1, 1, (0, 2)), (0, 1, (1, 1))]:
        cov = n * n * ((target[x] if x == y else 0) - target[x] * target[y]) / big_d
        second = cov + n * n * target[x] * target[y]          # E K_x K_y
        expected = second - (n * target[x] if x == y else 0)   # factorial moment removes E K_x on the diagonal
        assert m[j] == expected


def test_third_moments_against_the_dense_law():
    from reference.moments import exact_stationary_moments

    target, n, lam = law("1/5", "4/5"), 6, F(1, 3)
    sol = solve(Instance(target=target, samples=n, lam=lam), method="dense")
    m = exact_stationary_moments(list(target), n, lam, 3)
    for j in (1, 2, 3):
        direct = sum(p * perm(k[0], j) for p, k in zip(sol.stationary[0], sol.states))
        assert m[(j,)] == direct
