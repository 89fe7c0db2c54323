"""lam = 0: absorption at the Dirac types, k_x/N, absorption times and tails (theory-reference §3, §4.3-4.5, §7)."""

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import Instance, evolve, solve
from tests.conftest import law


def uniform(d):
    return tuple(F(1, d) for _ in range(d))


@pytest.mark.parametrize("n, d", [(4, 3), (6, 2), (5, 3), (3, 4), (1, 3)])
def test_recurrent_classes_are_diracs_and_absorption_is_k_over_n(n, d):
    # rows 14-15, §4.4: closed classes = the d Dirac types; P(absorb at x | k) = k_x / N
    sol = solve(Instance(target=uniform(d), samples=n, lam=F(0)))
    diracs = [sol.states.index(tuple(n if y == x else 0 for y in range(d))) for x in range(d)]
    assert [list(c) for c in sol.recurrent_classes] == [[i] for i in sorted(diracs)]
    assert sorted(sol.absorbing) == sorted(diracs)
    class_of_x = {x: sorted(diracs).index(i) for x, i in enumerate(diracs)}
    for k, h in zip(sol.states, sol.absorption_probabilities):
        assert sum(h) == 1
        for x in range(d):
            assert h[class_of_x[x]] == F(k[x], n)


# §4.5 table, d = 2: t(k) for starting count k (row 24); symmetric in k <-> N - k
D2_TIMES = {2: {1: F(2)}, 3: {1: F(3)}, 4: {1: F(107, 29), 2: F(132, 29)}, 5: {1: F(425, 101), 2: F(575, 101)},
            6: {1: F(230059, 49764), 2: F(81922, 12441), 3: F(119517, 16588)},
            8: {1: F(71461341967, 13573313594), 4: F(738222218968, 74653224767)},
            10: {5: F(2540334305767609095, 201765667296121472)}}


@pytest.mark.parametrize("n", sorted(D2_TIMES))
def test_absorption_times_d2_table(n):
    sol = solve(Instance(target=uniform(2), samples=n, lam=F(0)))
    t = dict(zip(sol.states, sol.expected_absorption_time))
    for k, value in D2_TIMES[n].items():
        assert t[(k, n - k)] == value
        assert t[(n - k, k)] == value
    assert t[(n, 0)] == 0 and t[(0, n)] == 0


@pytest.mark.parametrize("n, start, value", [(3, (1, 1, 1), F(27, 7)), (4, (2, 1, 1), F(749, 145)),
                                             (4, (3, 1, 0), F(107, 29)), (5, (3, 1, 1), F(373925, 60701)),
                                             (5, (2, 2, 1), F(411425, 60701)), (6, (3, 2, 1), F(157088639, 19507488)),
                                             (6, (2, 2, 2), F(13854655, 1625624))])
def test_absorption_times_d3(n, start, value):
    # §4.5, d = 3 (time until one type remains) and row 16
    sol = solve(Instance(target=uniform(3), samples=n, lam=F(0)))
    assert sol.expected_absorption_time[sol.states.index(start)] == value


def test_tail_row17_and_bounds():
    # row 17: P(T > n) from (2,2), N = 4; §3 two-sided bound (1-1/N)^n GS d/(d-1) <= P(T>n) <= (1-1/N)^n GS N^2/(2(N-1))
    ev = evolve(Instance(target=uniform(2), samples=4, lam=F(0)), (2, 2), 12)
    tail = [1 - a for a in ev.absorbed_by]
    assert tail[1:6] == [F(7, 8), F(171, 256), F(4113, 8192), F(98739, 262144), F(2369817, 8388608)]
    gs0 = F(1, 2)
    for n, p in enumerate(tail):
        base = F(3, 4) ** n * gs0
        assert base * 2 <= p <= base * F(16, 6)


@pytest.mark.parametrize("n, d, start", [(4, 3, (2, 1, 1)), (5, 3, (1, 1, 3)), (3, 4, (1, 1, 1, 0))])
def test_tail_bounds_multitype(n, d, start):
    ev = evolve(Instance(target=uniform(d), samples=n, lam=F(0)), start, 20)
    gs0 = 1 - sum(F(c, n) ** 2 for c in start)
    for m, absorbed in enumerate(ev.absorbed_by):
        base = (1 - F(1, n)) ** m * gs0
        assert base * F(d, d - 1) <= 1 - absorbed <= base * F(n * n, 2 * (n - 1))


def test_heterozygosity_decay_row18():
    # §4.3 / row 18: E GS(mu_n) = (1 - 1/N)^n GS(mu_0) at lam = 0 (Wright 1931)
    inst = Instance(target=uniform(2), samples=4, lam=F(0))
    ev = evolve(inst, (2, 2), 5)
    laws = ev.solution.state_laws
    for n, dist in enumerate(ev.laws):
        gs = sum(p * (1 - sum(v * v for v in mu)) for p, mu in zip(dist, laws))
        assert gs == F(3, 4) ** n * F(1, 2)
    assert sum(p * (1 - sum(v * v for v in mu)) for p, mu in zip(ev.laws[3], laws)) == F(27, 128)


def test_suresh_rows_21_22():
    # P(alive at k) = P(K_k != 0) from count c, N = 10, lam = 0
    inst = Instance(target=uniform(2), samples=10, lam=F(0))
    for c, (one, two) in {1: (F(6513215599, 10**10), F(7714791798238783, 15625000000000000)),
                          2: (F(8717049, 9765625), F(371267720313331, 488281250000000))}.items():
        ev = evolve(inst, (c, 10 - c), 2)
        dead = ev.solution.states.index((0, 10))
        assert [1 - law[dead] for law in ev.laws[1:]] == [one, two]


def test_lemma_iii1_barycenter_recursion_in_evolve():
    # E[mu_n | mu_0] = (1-lam)^n mu_0 + (1 - (1-lam)^n) mu*  (Lemma III.1, exact for every n)
    target, lam = law("1/2", "1/3", "1/6"), F(2, 5)
    ev = evolve(Instance(target=target, samples=3, lam=lam), (0, 1, 2), 4)
    mu0 = (F(0), F(1, 3), F(2, 3))
    for n, bary in enumerate(ev.barycenters):
        r = (1 - lam) ** n
        assert bary == tuple(r * a + (1 - r) * t for a, t in zip(mu0, target))


def test_evolve_laws_are_distributions():
    ev = evolve(Instance(target=law("1/5", "4/5"), samples=5, lam=F(1, 3)), (5, 0), 6)
    assert all(sum(dist) == 1 and min(dist) >= 0 for dist in ev.laws)
    assert ev.laws[0][0] == 1


@pytest.mark.parametrize("n, d", [(6, 2), (7, 2), (4, 3), (5, 3), (3, 4)])
def test_lumped_absorption_equals_the_dense_solve(n, d):
    # the symmetry-lumped fast path at lam = 0 (method auto) against the full dense solve
    inst = Instance(target=uniform(d), samples=n, lam=F(0))
    fast, dense = solve(inst), solve(inst, method="dense")
    assert fast.expected_absorption_time == dense.expected_absorption_time
    assert fast.absorption_probabilities == dense.absorption_probabilities


@pytest.mark.parametrize("n, d, wrong", [(4, 2, 2), (5, 3, 7), (5, 3, 1)])
def test_lumping_certification_catches_a_wrong_time(n, d, wrong):
    # the certificate groups equal times (orbits); a time changed at one state of an orbit must fail it
    from reference.errors import CheckFailed
    from reference.kernel import build_chain
    from reference.solution import collapse_by_lumping

    inst = Instance(target=uniform(d), samples=n, lam=F(0))
    chain = build_chain(inst)
    probs, times = collapse_by_lumping(inst, chain)
    assert times[wrong] != 0
    times[wrong] += F(1, 10**30)
    chain.provide_absorption(probs, times)
    with pytest.raises(CheckFailed, match="expected time t at state"):
        chain.require_certified()


def lumped_times(inst, chain):
    """Expected absorption times at lam = 0 from the chain lumped on sorted types (orbits of
    S's permutations; P(k, k') = Multinomial(N, k/N)(k') commutes with them), solved densely."""
    from reference.chain import FiniteChain

    a, m = chain.integer_kernel
    orbit_of = [tuple(sorted(k, reverse=True)) for k in chain.labels]
    orbits = sorted(set(orbit_of), reverse=True)
    index = {o: i for i, o in enumerate(orbits)}
    representative = {}
    for i, o in enumerate(orbit_of):
        representative.setdefault(o, i)
    lumped = []
    for o in orbits:
        row = [0] * len(orbits)
        for j, w in enumerate(a[representative[o]]):
            row[index[orbit_of[j]]] += w
        lumped.append(row)
    small = FiniteChain.from_integer_kernel(lumped, m, labels=orbits)
    return [small.expected_absorption_times[index[o]] for o in orbit_of]


@pytest.mark.parametrize("n, d", [(1, 3), (2, 3), (6, 3), (9, 3), (5, 4), (3, 5), (2, 6)])
def test_back_substitution_times_equal_the_lumped_and_dense_solves(n, d):
    # lam = 0, d >= 3: the multivariate back substitution against the dense solve on the
    # chain lumped by symmetry and against the plain dense solve of the full chain
    from reference.kernel import build_chain

    inst = Instance(target=uniform(d), samples=n, lam=F(0))
    fast = list(solve(inst).expected_absorption_time)
    assert fast == lumped_times(inst, build_chain(inst))
    assert fast == list(solve(inst, method="dense").expected_absorption_time)


@pytest.mark.parametrize("n", [1, 2, 5, 12, 30])
def test_back_substitution_in_several_coordinates_reduces_to_two_points(n):
    from reference.absorption import neutral_absorption_times, neutral_absorption_times_multi

    assert neutral_absorption_times_multi(n, 2) == neutral_absorption_times(n)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(2, 6), st.integers(0, 2**32))
def test_type_polynomial_at_every_type_equals_the_rows_summed_one_by_one(n, d, seed):
    # TypeGrid.evaluate (contracted over the last two coordinates, Horner in their ratio)
    # against sum_j c_j prod_x k_x^{j_x} written out per type with Python integers
    import random

    from reference.type_polynomials import TypeGrid
    from reference.typespace import iter_types

    rng = random.Random(seed)
    p = rng.choice([2**31 - 1, 2147483629, 1073741827])
    types = list(iter_types(n, d))
    coefficients = [rng.randrange(p) for _ in types]
    expected = []
    for k in types:
        total = 0
        for c, j in zip(coefficients, types, strict=True):
            for kx, jx in zip(k, j, strict=True):
                c = c * kx**jx % p
            total += c
        expected.append(total % p)
    assert [int(v) for v in TypeGrid(n, types).evaluate(coefficients, p)] == expected


@pytest.mark.parametrize("n, d", [(4, 3), (6, 3), (4, 4), (3, 5)])
def test_modular_certificate_at_lam_zero_catches_any_single_wrong_time(n, d):
    # lam = 0, d >= 3: the identity test modulo 31-bit primes (every transient state)
    # passes the exact times and fails one changed by 1/10^30 at any transient state
    import random

    from reference.absorption import neutral_absorption_times_multi, neutral_identity_test
    from reference.typespace import iter_types

    types = list(iter_types(n, d))
    times = neutral_absorption_times_multi(n, d)
    good = neutral_identity_test(n, types, times, random.Random(0))
    assert good.passed and good.error_bound <= F(1, 2**128)
    for i, k in enumerate(types):
        if n in k:
            continue
        wrong = list(times)
        wrong[i] += F(1, 10**30)
        assert not neutral_identity_test(n, types, wrong, random.Random(i)).passed, i


def test_lam_zero_d3_certificate_end_to_end():
    inst = Instance(target=uniform(3), samples=12, lam=F(0))
    ident, full = solve(inst, certify="identity"), solve(inst, method="dense", certify="full")
    assert ident.expected_absorption_time == full.expected_absorption_time
    assert "modular identity test at every state" in ident.certification.describe()
