"""The command line: JSON contract (validated against the shipped schemas), human output, bad input."""

import json
import subprocess
import sys
from fractions import Fraction as F

import jsonschema
import pytest

from reference.cli import main
from reference.serialise import load_schema


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_json_contract(capsys):
    code, out, err = run(capsys, "solve", "--target", "1/4,3/4", "--samples", "4", "--lam", "1/3", "--kernel", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    jsonschema.validate(data, load_schema("solve"))
    assert data["instance"] == {"target": ["1/4", "3/4"], "samples": 4, "lam": "1/3", "estimator": "empirical", "mixing": "iid"}
    assert data["states"] == [[4, 0], [3, 1], [2, 2], [1, 3], [0, 4]]
    assert data["stationary"] == [["3/128", "21/256", "45/256", "79/256", "105/256"]]  # theory-reference row 1
    assert data["barycenters"] == [["1/4", "3/4"]]
    assert data["recurrent_classes"] == [[0, 1, 2, 3, 4]]
    assert data["absorbing"] == [] and data["expected_absorption_time"] == ["0"] * 5
    kernel = [[F(x) for x in row] for row in data["kernel"]]
    assert all(sum(row) == 1 for row in kernel)


def test_solve_json_lam0(capsys):
    code, out, _ = run(capsys, "solve", "--target", "1/2,1/3,1/6", "--samples", "4", "--lam", "0", "--json")
    data = json.loads(out)
    jsonschema.validate(data, load_schema("solve"))
    assert "kernel" not in data
    states = [tuple(s) for s in data["states"]]
    i = states.index((2, 1, 1))
    assert data["expected_absorption_time"][i] == "749/145"  # row 16
    assert data["absorption_probabilities"][i] == ["1/2", "1/4", "1/4"]


def test_evolve_json_contract(capsys):
    code, out, _ = run(capsys, "evolve", "--target", "1/2,1/2", "--samples", "8", "--lam", "0", "--start", "6,2",
                       "--generations", "3", "--json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, load_schema("evolve"))
    assert len(data["laws"]) == 4 and data["laws"][0][data["states"].index([6, 2])] == "1"
    assert data["absorbed_by"][0] == "0"
    # martingale: E mu_n = mu_0 at lam = 0
    assert all(b == ["3/4", "1/4"] for b in data["barycenters"])
    # P(T <= 1) from (6,2): (6/8)^8 + (2/8)^8
    assert F(data["absorbed_by"][1]) == F(3, 4) ** 8 + F(1, 4) ** 8


def test_analyse_file(tmp_path, capsys):
    path = tmp_path / "chain.json"
    path.write_text(json.dumps({"matrix": [["1", "0", "0"], [0.25, "1/2", 0.25], ["0", "0", "1"]], "states": ["a", "b", "c"]}))
    code, out, _ = run(capsys, "analyse", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, load_schema("analyse"))
    assert data["states"] == ["a", "b", "c"]
    assert data["absorption_probabilities"][1] == ["1/2", "1/2"]
    assert data["expected_absorption_time"] == ["0", "2", "0"]
    code, out, _ = run(capsys, "analyse", str(path))
    assert code == 0 and "P(absorb in 0)" in out and "1/2 ≈ 0.500000" in out


def test_decimal_in_chain_file_is_exact(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text('[[0.1, 0.2, 0.7], [0, 1, 0], [0, 0, 1]]')  # 0.1 + 0.2 + 0.7 == 1 only exactly
    code, out, _ = run(capsys, "analyse", str(path), "--json")
    assert code == 0
    assert json.loads(out)["absorption_probabilities"][0] == ["2/9", "7/9"]


def test_human_outputs(capsys):
    code, out, _ = run(capsys, "solve", "--target", "1/2,1/3,1/6", "--samples", "4", "--lam", "1/3")
    assert code == 0 and "109/848 ≈ 0.128538" in out and "pi_0: (1/2, 1/3, 1/6)" in out
    code, out, _ = run(capsys, "evolve", "--target", "1/2,1/2", "--samples", "4", "--lam", "0", "--start", "2,2", "--generations", "2")
    assert code == 0 and "7/8" not in out and "1/8 ≈ 0.125000" in out  # P(T <= 1) = 1/8
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "749/145" in out
    code, out, _ = run(capsys, "demo", "--json")
    assert code == 0 and len(json.loads(out)["solutions"]) == 2


BAD = [
    (["solve", "--target", "1/2,1/3", "--samples", "4", "--lam", "1/3"], "sums to 5/6, not 1"),
    (["solve", "--target", "3/2,-1/2", "--samples", "4", "--lam", "1/3"], "entry 1 = -1/2 is negative"),
    (["solve", "--target", "1/2,1/2", "--samples", "4", "--lam", "4/3"], "--lam '4/3' = 4/3 is outside [0, 1]"),
    (["solve", "--target", "1/2,1/2", "--samples", "0", "--lam", "1/3"], "--samples '0' must be >= 1"),
    (["solve", "--target", "1/2,1/2", "--samples", "four", "--lam", "1/3"], "--samples 'four' is not an integer"),
    (["solve", "--target", "1/2,#", "--samples", "2", "--lam", "1/3"], "--target entry 1 '#' is not an exact number"),
    (["solve", "--target", "a,b", "--samples", "2", "--lam", "1/3"], "target sums to a + b, not 1"),
    (["solve", "--target", "1/2,1/2", "--samples", "2", "--lam", "0.3.3"], "--lam '0.3.3' is not an exact number"),
    (["solve", "--target", "1/2,1/2", "--samples", "2", "--lam", "1/0"], "denominator 0"),
    (["solve", "--target", "1/2,1/2", "--samples", "2"], "the following arguments are required: --lam"),
    (["evolve", "--target", "1/2,1/2", "--samples", "8", "--lam", "0", "--start", "6,1", "--generations", "3"], "(6,1) is not a type of N = 8"),
    (["evolve", "--target", "1/2,1/2", "--samples", "8", "--lam", "0", "--start", "6,2", "--generations", "-1"], "--generations '-1' must be >= 0"),
    (["solve", "--target", "1/2,1/2", "--samples", "2", "--lam", "0", "--digits", "x"], "--digits 'x'"),
    (["solve", "--target", "1/4,1/4,1/4,1/4", "--samples", "100", "--lam", "1/3"], "--allow-large"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize("argv, message", BAD)
def test_bad_input_one_line_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("collapse-ref: error: ")
    assert message in err


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ('[["1/2", "1/3"], ["0", "1"]]', "row 0 sums to 5/6, not 1"),
    ('[["1/2", "1/2"], ["0"]]', "$[1] has 1 entries, not 2"),
    ('{"matrix": [["1", "x"], ["0", "1"]]}', "$.matrix[0][1] 'x' is not an exact number"),
    ('{"matrix": [[1, NaN], [0, 1]]}', "NaN"),
    ('{"rows": []}', "must hold a list of rows"),
    ('[[true, 0], [0, 1]]', "$[0][0] = true is not a number"),
])
def test_bad_chain_files(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run(capsys, "analyse", str(path))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert message in err


def test_unreadable_chain_file(tmp_path, capsys):
    code, _, err = run(capsys, "analyse", str(tmp_path / "missing.json"))
    assert code == 2 and "is unreadable" in err and "missing.json" in err


def test_size_guard_message_and_override_flag(capsys):
    code, _, err = run(capsys, "solve", "--target", "1/3,1/3,1/3", "--samples", "2000", "--lam", "1/3")
    assert code == 2 and "states" in err and "estimated" in err and "--allow-large" in err


def test_check_failure_exits_1(monkeypatch, capsys):
    from reference import chain as chain_module

    monkeypatch.setattr(chain_module.FiniteChain, "certify", lambda self: ["forced failure"])
    code, out, err = run(capsys, "solve", "--target", "1/2,1/2", "--samples", "2", "--lam", "1/2")
    assert code == 1 and "check failed: forced failure" in err


def test_console_entry_points_no_traceback():
    for cmd in ([sys.executable, "-m", "reference"], ["collapse-ref"]):
        ok = subprocess.run(cmd + ["solve", "--target", "1/2,1/2", "--samples", "2", "--lam", "1/2", "--json"],
                            capture_output=True, text=True)
        assert ok.returncode == 0 and json.loads(ok.stdout)["stationary"] == [["2/7", "3/7", "2/7"]]  # row 11
        bad = subprocess.run(cmd + ["solve", "--target", "1/2,1/3", "--samples", "2", "--lam", "1/2"], capture_output=True, text=True)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1


def test_analyse_evolution_of_gamblers_ruin(tmp_path, capsys):
    # fair walk on {0..3} absorbed at 0 and 3, from 1: absorbed at step 1 w.p. 1/2 (at 0), at 2 w.p. 1/4 (1->2->3),
    # at 3 w.p. 1/8 (1->2->1->0): P(T <= n) = 0, 1/2, 3/4, 7/8
    path = tmp_path / "ruin.json"
    path.write_text('[["1","0","0","0"],["1/2","0","1/2","0"],["0","1/2","0","1/2"],["0","0","0","1"]]')
    code, out, _ = run(capsys, "analyse", str(path), "--start", "1", "--generations", "3", "--json")
    assert code == 0
    data = json.loads(out)
    jsonschema.validate(data, load_schema("analyse"))
    assert data["absorbed_by"] == ["0", "1/2", "3/4", "7/8"]
    assert data["absorption_probabilities"][1] == ["2/3", "1/3"]  # gambler's ruin: (3-1)/3
    assert data["expected_absorption_time"][1] == "2"             # k(3-k) = 2
    code, out, err = run(capsys, "analyse", str(path), "--start", "7", "--generations", "1")
    assert code == 2 and "--start 7 is not a state index; allowed: 0..3" in err
    code, out, err = run(capsys, "analyse", str(path), "--start", "1")
    assert code == 2 and "go together" in err
    code, out, _ = run(capsys, "analyse", str(path), "--start", "1", "--generations", "2")
    assert code == 0 and "law after n steps from state 1" in out


def test_method_flag(capsys):
    outs = []
    for method in ["dense", "moments", "auto"]:
        assert main(["solve", "--target", "1/2,1/3,1/6", "--samples", "3", "--lam", "1/5", "--json", "--method", method]) == 0
        outs.append(json.loads(capsys.readouterr().out)["stationary"])
    assert outs[0] == outs[1] == outs[2]
    assert main(["solve", "--target", "1/2,1/2", "--samples", "3", "--lam", "0", "--method", "moments"]) == 2
    assert "needs the paper's estimator and mixing and lam > 0" in capsys.readouterr().err


def test_moments_command(capsys):
    assert main(["moments", "--target", "1/4,3/4", "--samples", "5000", "--lam", "1/3", "--order", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["factorial_moments"][0] == [[1], "1250"]
    assert main(["moments", "--target", "1/2,1/2", "--samples", "3", "--lam", "0", "--order", "2"]) == 2
    assert "lam > 0" in capsys.readouterr().err


def test_an_impossible_certificate_is_refused_before_any_work(monkeypatch, capsys):
    import reference.cli as cli

    def never(*args, **kwargs):
        raise AssertionError("solve ran before the certificate mode was checked")

    monkeypatch.setattr(cli, "solve", never)
    for extra in ([], ["--json"]):
        code = main(["solve", "--target", "1/2,1/2", "--samples", "4", "--lam", "1/3", "--estimator", "additive:1",
                     "--certify", "identity", *extra])
        err = capsys.readouterr().err
        assert code == 2 and "--certify identity needs the paper's estimator" in err and len(err.strip().splitlines()) == 1
