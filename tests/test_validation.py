"""The validation toolkit: compare, golden fixtures, the testing kit, and the simulator."""

import importlib.util
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import Instance, solve
from reference.cli import main
from reference.compare import compare
from reference.golden import default_grid, verify_fixtures, write_fixtures
from reference.serialise import solution_to_json
from reference.simulate import goodness_of_fit, run_replicas, simulate
from reference.testing import assert_matches_reference, instances
from reference.typespace import number_of_types
from tests.conftest import law

ROOT = Path(__file__).resolve().parent.parent


def float_solver():
    spec = importlib.util.spec_from_file_location("float_solver", ROOT / "examples" / "float_solver.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exact_candidate(inst):
    return solution_to_json(solve(inst), kernel=True)


def test_exact_answer_passes_with_zero_tolerance():
    inst = Instance(target=law("1/2", "1/3", "1/6"), samples=3, lam=F(0))
    reports = compare(exact_candidate(inst), solve(inst), F(0))
    assert all(r.within for r in reports)
    assert all(r.worst_abs == 0 for r in reports if r.worst_abs is not None)


def test_one_entry_perturbed_by_1e_6_is_named(tmp_path, capsys):
    inst = Instance(target=law("1/4", "3/4"), samples=5, lam=F(1, 3))
    cand = exact_candidate(inst)
    cand["stationary"][0][2] = str(F(cand["stationary"][0][2]) + F(1, 10**6))
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps(cand))
    assert main(["compare", str(path), "--tol", "1e-9", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    bad = [q for q in out["quantities"] if q["status"] == "outside tolerance"]
    assert [q["quantity"] for q in bad] == ["stationary"]
    assert bad[0]["where"] == "stationary law 0, state (3,2)" and bad[0]["worst_abs_error_exact"] == "1/1000000"
    assert main(["compare", str(path), "--tol", "1e-5"]) == 0


def test_states_matched_by_count_vector_and_classes_by_content():
    inst = Instance(target=law("1/2", "1/2"), samples=4, lam=F(0))
    cand = exact_candidate(inst)
    order = [4, 2, 0, 3, 1]  # shuffle states, and with them every per-state quantity
    inv = {old: new for new, old in enumerate(order)}
    shuffled = dict(cand)
    shuffled["states"] = [cand["states"][i] for i in order]
    shuffled["stationary"] = [[law_[i] for i in order] for law_ in cand["stationary"]][::-1]
    shuffled["recurrent_classes"] = [[inv[i] for i in c] for c in cand["recurrent_classes"]][::-1]
    shuffled["absorption_probabilities"] = [cand["absorption_probabilities"][i][::-1] for i in order]
    shuffled["barycenters"] = cand["barycenters"][::-1]
    shuffled["expected_absorption_time"] = [cand["expected_absorption_time"][i] for i in order]
    shuffled["absorbing"] = [inv[i] for i in cand["absorbing"]]
    shuffled["kernel"] = [[cand["kernel"][i][j] for j in order] for i in order]
    reports = compare(shuffled, solve(inst), F(0))
    assert all(r.within for r in reports), [r for r in reports if not r.within]


def test_missing_quantities_reported_not_fatal():
    inst = Instance(target=law("1/3", "2/3"), samples=3, lam=F(1, 2))
    reports = {r.quantity: r for r in compare({"stationary": [["0.1", 0.2, "1/2", 0.2]]}, solve(inst), F(1))}
    assert reports["kernel"].missing and reports["kernel"].within
    assert reports["stationary"].compared == 4


@pytest.mark.parametrize("content, message", [
    ("{oops", "is not valid JSON"),
    ("[1, 2]", "must hold one JSON object"),
    ('{"stationary": [["1", "0"]]}', "$.stationary[0] has 2 entries, expected 4"),
    ('{"stationary": [["1", "x", "0", "0"]]}', "$.stationary[0][1] 'x' is not an exact number"),
    ('{"states": [[3, 0], [2, 1]], "stationary": []}', "$.states must list the 4 types"),
    ('{"kernel": "none"}', "$.kernel is not a list"),
])
def test_malformed_candidate_exits_2_with_json_path(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["compare", str(path), "--target", "1/3,2/3", "--samples", "3", "--lam", "1/2"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_worked_example_catches_batch_mixing_and_sampling_without_replacement():
    solver = float_solver()
    inst = Instance(target=law("1/4", "3/4"), samples=5, lam=F(1, 3))
    good = solver.solve_float([0.25, 0.75], 5, 1 / 3)
    assert_matches_reference(good, inst, tol=1e-12)
    for bug in ["batch-mixing", "without-replacement"]:
        theirs = solver.solve_float([0.25, 0.75], 5, 1 / 3, bug=bug)
        with pytest.raises(AssertionError) as err:
            assert_matches_reference(theirs, inst, tol=1e-9)
        assert "stationary: at stationary law 0, state" in str(err.value) and "exact value" in str(err.value)
        # both bugs keep the barycenter right (Theorem III.3 cannot see them); only the spread is wrong
        reports = {r.quantity: r for r in compare(theirs, solve(inst), F(1, 10**9))}
        assert reports["barycenters"].within and not reports["stationary"].within and not reports["kernel"].within


@settings(max_examples=15)
@given(instances(max_states=20))
def test_testing_kit_strategy_and_exact_self_match(inst):
    assert number_of_types(inst.samples, inst.size) <= 20
    assert_matches_reference(exact_candidate(inst), inst, tol=0)


def test_golden_write_and_verify(tmp_path, capsys):
    grid = default_grid()[:6]
    paths = write_fixtures(grid, tmp_path)
    assert verify_fixtures(tmp_path) == []
    data = json.loads(paths[1].read_text())
    assert data["instance"] == grid[1].describe() | {}
    exact = [F(x) for x in data["exact"]["stationary"][0]]
    assert data["float64"]["stationary"][0] == [x.numerator / x.denominator for x in exact]
    data["exact"]["stationary"][0][0] = "1/7"
    paths[1].write_text(json.dumps(data))
    assert any("exact 'stationary'" in p for p in verify_fixtures(tmp_path))
    assert main(["golden", "--verify", str(tmp_path)]) == 1
    grid_file = tmp_path / "grid.json"
    grid_file.write_text('[{"target": "1/2,1/2", "samples": 3, "lam": "0.25"}]')
    assert main(["golden", "--out", str(tmp_path / "g2"), "--grid", str(grid_file)]) == 0
    assert main(["golden", "--verify", str(tmp_path / "g2")]) == 0
    assert (tmp_path / "g2" / "d2_N3_lam1-4_target1-2_1-2.json").exists()
    capsys.readouterr()
    assert main(["golden"]) == 2 and "needs --out" in capsys.readouterr().err


def test_simulator_same_seed_same_output(capsys):
    argv = ["simulate", "--target", "1/4,3/4", "--samples", "5", "--lam", "0", "--start", "2,3", "--generations", "10",
            "--replicas", "20000", "--seed", "7", "--json"]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert sum(c for _, c in data["empirical"]) == 20000
    assert set(data["goodness_of_fit"]) >= {"statistic", "p_value", "worst_cell"}


def test_simulator_p_values_on_correct_code_are_not_small():
    inst = Instance(target=law("1/2", "1/3", "1/6"), samples=4, lam=F(1, 3))
    ps = [simulate(inst, (4, 0, 0), 6, 20000, seed).fit.p_value for seed in range(6)]
    assert sum(p > 0.01 for p in ps) >= 5, ps   # a wrong simulator gives ~0 on every seed


def test_wrong_simulator_gets_tiny_p_value():
    inst = Instance(target=law("1/4", "3/4"), samples=5, lam=F(1, 3))
    exact = solve(inst)
    # deliberately wrong: batch mixing (the whole batch is fresh with probability lam), 8 generations from (0,5)
    rng = np.random.Generator(np.random.PCG64(3))
    counts = np.tile(np.array([0, 5]), (20000, 1))
    for _ in range(8):
        fresh = rng.random(20000) < 1 / 3
        q = np.where(fresh[:, None], np.array([0.25, 0.75]), counts / 5)
        counts = rng.multinomial(5, q)
    rows, numbers = np.unique(counts, axis=0, return_counts=True)
    observed = {tuple(int(c) for c in r): int(m) for r, m in zip(rows, numbers)}
    from reference import evolve
    law8 = evolve(inst, (0, 5), 8).laws[-1]
    assert goodness_of_fit(observed, law8, exact.states).p_value < 1e-6
    # and the right simulator on the same seed passes
    right = run_replicas(inst, (0, 5), 8, 20000, 3)
    rows, numbers = np.unique(right, axis=0, return_counts=True)
    assert goodness_of_fit({tuple(int(c) for c in r): int(m) for r, m in zip(rows, numbers)}, law8, exact.states).p_value > 1e-3


def test_simulator_bad_input(capsys):
    assert main(["simulate", "--target", "1/2,1/2", "--samples", "3", "--lam", "0", "--start", "2,2", "--generations", "1"]) == 2
    assert "is not a type" in capsys.readouterr().err
    assert main(["simulate", "--target", "1/2,1/2", "--samples", "3", "--lam", "0", "--start", "2,1", "--generations", "1",
                 "--replicas", "0"]) == 2
    assert "--replicas '0' must be >= 1" in capsys.readouterr().err


def test_golden_with_workers_matches_sequential(tmp_path):
    assert main(["golden", "--out", str(tmp_path / "a"), "--workers", "2"]) == 0
    assert main(["golden", "--out", str(tmp_path / "b")]) == 0
    names = json.loads((tmp_path / "a" / "index.json").read_text())["fixtures"]
    assert names == json.loads((tmp_path / "b" / "index.json").read_text())["fixtures"]
    for name in names:
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()


@given(st.lists(st.tuples(st.fractions(), st.fractions()), min_size=1, max_size=8),
       st.fractions(min_value=0, max_value=1), st.fractions(min_value=0, max_value=1))
def test_error_accumulator_against_fraction_arithmetic(pairs, tol, rtol):
    # the accumulator works on unreduced integer ratios; here the same with Python's Fractions
    from reference.compare import _Errors

    errs = _Errors(tol, rtol)
    for i, (cand, exact) in enumerate(pairs):
        errs.add(cand, exact, f"[{i}]")
    report = errs.report("q")
    assert report.within == all(abs(c - e) <= tol + rtol * abs(e) for c, e in pairs)
    assert report.worst_abs == max(abs(c - e) for c, e in pairs)
    rels = [abs(c - e) / abs(e) for c, e in pairs if e]
    assert report.worst_rel == (max(rels) if rels else None)


def test_error_accumulator_tolerances_by_hand():
    from reference.compare import _Errors

    for exact in (F(-1, 2), F(1, 2)):  # |exact| in the relative part, whatever its sign
        errs = _Errors(F(0), F(1, 10))
        errs.add(exact + F(1, 25), exact, "[0]")  # error 1/25 <= 1/10 * 1/2
        assert errs.report("q").within and errs.report("q").worst_rel == F(2, 25)
        errs.add(exact + F(1, 19), exact, "[1]")  # error 1/19 > 1/20
        assert not errs.report("q").within and errs.report("q").where == "[1]"
    errs = _Errors(F(1, 100), F(0))
    errs.add(F(0), F(0), "[0]")
    errs.add(F(1, 100), F(0), "[1]")  # exactly at the absolute tolerance; no relative error of 0
    assert errs.report("q").within and errs.report("q").worst_rel is None


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**6),
                          st.fractions(min_value=F(1, 10**9), max_value=10**6)), min_size=1, max_size=10))
def test_chi_square_sum_against_fraction_arithmetic(cells):
    from reference.simulate import _chi_square

    pooled = [(None, o, e) for o, e in cells]
    assert _chi_square(pooled) == sum((F(o) - e) ** 2 / e for o, e in cells)
