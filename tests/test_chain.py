"""The general exact chain: hand-made reducible and periodic chains, certification, backends."""

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import FiniteChain, Instance, InputError, solve
from reference.testing import instances

h, t, z, o = F(1, 2), F(1, 3), F(0), F(1)


def test_periodic_class_with_transient_entry():
    # 0 -> {1, 2} transient; 1 <-> 2 a 2-cycle (period 2); 3 -> 4 -> 5 -> 3 a 3-cycle (period 3)
    m = [[z, h, z, h, z, z],
         [z, z, o, z, z, z],
         [z, o, z, z, z, z],
         [z, z, z, z, o, z],
         [z, z, z, z, z, o],
         [z, z, z, o, z, z]]
    chain = FiniteChain(m)
    assert chain.recurrent_classes == ((1, 2), (3, 4, 5))
    assert chain.periods == (2, 3)
    assert chain.transient_states == (0,)
    assert chain.absorbing_states == ()
    assert chain.stationary_distributions == ((z, h, h, z, z, z), (z, z, z, t, t, t))
    assert chain.absorption_probabilities[0] == (h, h)
    assert chain.expected_absorption_times == (o, z, z, z, z, z)
    assert chain.certify() == []


def test_aperiodic_class_with_self_loop_and_chain_of_transients():
    # 0 -> 1 -> 2 (transient path), 2 -> {2, 3} where {3, 4} is closed with period 1
    m = [[z, o, z, z, z],
         [h, z, h, z, z],
         [z, z, h, h, z],
         [z, z, z, h, h],
         [z, z, z, o, z]]
    chain = FiniteChain(m)
    assert chain.recurrent_classes == ((3, 4),)
    assert chain.periods == (1,)
    assert chain.communication_classes == ((0, 1), (2,), (3, 4))
    assert chain.stationary_distributions == ((z, z, z, F(2, 3), F(1, 3)),)
    # t2 = 1 + t2/2 -> 2; t1 = 1 + t0/2 + t2/2; t0 = 1 + t1 -> t1 = 1 + (1 + t1)/2 + 1 -> t1 = 5, t0 = 6
    assert chain.expected_absorption_times == (F(6), F(5), F(2), z, z)


def test_single_state_and_identity():
    assert FiniteChain([[o]]).stationary_distributions == ((o,),)
    ident = FiniteChain([[o, z], [z, o]])
    assert ident.recurrent_classes == ((0,), (1,))
    assert ident.absorbing_states == (0, 1)


@pytest.mark.parametrize("m, message", [([[h, t]], "row 0 has 2 entries, not 1"),
                                        ([[h, h], [t, t]], "row 1 sums to 2/3, not 1"),
                                        ([[F(3, 2), -h], [z, o]], "entry (0, 1) = -1/2 is negative"),
                                        ([[0.5, 0.5], [z, o]], "not an exact rational"),
                                        ([], "no states")])
def test_rejects_non_stochastic(m, message):
    with pytest.raises(InputError) as err:
        FiniteChain(m)
    assert message in str(err.value)


def test_certify_detects_a_wrong_stationary_law_and_wrong_times():
    chain = FiniteChain([[h, h, z], [z, h, h], [h, z, h]])
    assert chain.certify() == []
    chain.provide_stationary([(F(1, 2), F(1, 4), F(1, 4))])  # after a first certificate: nothing stale
    failures = chain.certify()
    assert any("(pi P)[0]" in f for f in failures)

    chain2 = FiniteChain([[o, z], [h, h]])
    probs, times = chain2._absorption
    chain2.__dict__["_absorption"] = (probs, (z, F(3)))
    assert any("expected time t at state 1" in f for f in chain2.certify())


@pytest.mark.parametrize("target, n, lam", [((F(1, 2), F(1, 3), F(1, 6)), 3, F(1, 5)), ((F(1, 2), F(1, 2), z), 3, z),
                                            ((F(1, 4), F(3, 4)), 6, F(2, 3)), ((F(1, 3), z, F(2, 3)), 4, F(1, 2))])
def test_backends_agree_exactly(target, n, lam):
    inst = Instance(target=target, samples=n, lam=lam)
    a, b = solve(inst, backend="flint", method="dense"), solve(inst, backend="sympy", method="dense")
    assert a.stationary == b.stationary
    assert a.absorption_probabilities == b.absorption_probabilities
    assert a.expected_absorption_time == b.expected_absorption_time
    assert a.chain.evolve(a.stationary[0], 3) == b.chain.evolve(b.stationary[0], 3)


@given(instances(max_states=35, max_samples=6))
def test_moment_path_equals_dense_solve(inst):
    if inst.lam == 0:
        return
    assert solve(inst, method="moments").stationary == solve(inst, method="dense").stationary


@given(instances(max_states=20, max_samples=5))
def test_properties_of_random_instances(inst):
    sol = solve(inst)  # certify() runs inside
    n, d = inst.samples, inst.size
    support = {x for x, p in enumerate(inst.target) if p}
    if inst.lam > 0:
        # unique stationary law, on the types supported in supp mu*, barycenter mu* (Thm III.3, §3 Finite)
        assert len(sol.stationary) == 1
        (cls,) = sol.recurrent_classes
        assert {sol.states[i] for i in cls} == {k for k in sol.states if all(k[x] == 0 for x in range(d) if x not in support)}
        assert sol.barycenters[0] == inst.target
    else:
        # collapse: Dirac types absorb, from k into delta_x with probability k_x / N
        assert len(sol.recurrent_classes) == d
        for i in sol.absorbing:
            assert max(sol.states[i]) == n
        for k, hrow in zip(sol.states, sol.absorption_probabilities):
            dirac_of = [max(range(d), key=lambda x: sol.states[c[0]][x]) for c in sol.recurrent_classes]
            assert [F(k[x], n) for x in dirac_of] == list(hrow)


def _brute_force_structure(support):
    """Classes, closedness and periods from boolean reachability and return times (no graph search)."""
    n = len(support)
    reach = [[support[i][j] or i == j for j in range(n)] for i in range(n)]
    for k in range(n):  # Warshall
        for i in range(n):
            if reach[i][k]:
                reach[i] = [a or b for a, b in zip(reach[i], reach[k])]
    classes = sorted({tuple(j for j in range(n) if reach[i][j] and reach[j][i]) for i in range(n)})
    closed = [c for c in classes if all(not support[i][j] or j in c for i in c for j in range(n))]
    periods = []
    for c in closed:  # gcd of the lengths m <= 2n of closed walks at c[0]
        from math import gcd
        g, cur = 0, [int(j == c[0]) for j in range(n)]
        for m in range(1, 2 * n + 1):
            cur = [int(any(cur[i] and support[i][j] for i in range(n))) for j in range(n)]
            if cur[c[0]]:
                g = gcd(g, m)
        periods.append(g)
    return tuple(classes), tuple(closed), tuple(periods)


@given(st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=1, max_size=3),
    st.lists(st.integers(0, 2), min_size=n, max_size=n))))
def test_classes_and_periods_against_brute_force(data):
    """Few distinct rows (the grouped graph walk, as for the paper's kernel) and many."""
    patterns, pick = data
    n = len(pick)
    support = []
    for i in range(n):
        row = list(patterns[pick[i] % len(patterns)])
        if not any(row):
            row[i] = True
        support.append(row)
    for rows in (support, [support[i] if i % 2 else [j == (i + 1) % n for j in range(n)] for i in range(n)]):
        matrix = [[F(1, sum(r)) if x else F(0) for x in r] for r in rows]
        chain = FiniteChain(tuple(tuple(r) for r in matrix))
        classes, closed, periods = _brute_force_structure(rows)
        assert chain.communication_classes == classes
        assert chain.recurrent_classes == closed
        assert chain.periods == periods


@settings(max_examples=25, deadline=None)
@given(instances(max_states=35, max_samples=6), st.integers(min_value=0, max_value=10**6))
def test_integer_evolution_equals_rational_propagation(inst, pick):
    # flint: integers over a common denominator, lowest terms in batch; sympy: rational products
    from reference.kernel import build_chain

    a, b = build_chain(inst, backend="flint"), build_chain(inst, backend="sympy")
    start = [F(int(i == pick % a.n_states)) for i in range(a.n_states)]
    assert a.evolve(start, 4) == b.evolve(start, 4)
    mixed = [F(i + 1, 3 * a.n_states * (a.n_states + 1) // 2) * 3 for i in range(a.n_states)]  # a non-Dirac start
    assert sum(mixed) == 1 and a.evolve(mixed, 3) == b.evolve(mixed, 3)


@settings(max_examples=30, deadline=None)
@given(instances(max_size=2, max_samples=12), st.integers(min_value=0, max_value=10**6), st.integers(0, 5))
def test_power_sum_evolution_equals_the_matrix_products(inst, pick, generations):
    # d = 2, paper's chain: power sums and one Taylor shift per step, against the generic
    # integer product v A (FLINT) and the rational products (sympy backend)
    from reference import evolve
    from reference.kernel import build_chain

    if inst.size != 2:
        return
    start = inst.space.types[pick % len(inst.space)]
    fast = evolve(inst, start, generations).laws
    dirac = [F(int(t == start)) for t in inst.space.types]
    assert fast == build_chain(inst, backend="flint").evolve(dirac, generations)
    assert fast == evolve(inst, start, generations, backend="sympy").laws


def test_power_sums_can_fail():
    """A wrong point or a dropped value changes the sums: the comparison above has teeth."""
    import flint

    from reference.binomial_evolution import power_sums

    values, points = [flint.fmpz(v) for v in (3, 0, 7, 1)], [2, 9, 5, 0]
    expected = [sum(v * p**i for v, p in zip((3, 0, 7, 1), points)) for i in range(6)]
    assert power_sums(values, points, 6) == expected
    assert power_sums(values, [2, 9, 4, 0], 6) != expected


@pytest.mark.parametrize("target", [(F(1, 4), F(3, 4)), (F(1, 2), F(1, 3), F(1, 6))])  # power sums; generic
def test_evolution_reports_progress_per_generation(target):
    from reference import evolve

    seen = []
    inst = Instance(target=target, samples=4, lam=F(1, 3))
    evolve(inst, inst.space.types[0], 3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
