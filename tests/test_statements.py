"""The statement checks: verdicts on named cases, mutation tests that make each check fail,
the independent verifier, the THEORY.md lint, and property tests over random instances."""

import concurrent.futures
import json
from pathlib import Path
from fractions import Fraction as F

import jsonschema
import pytest
from hypothesis import given

from proofs_checks import REGISTRY, Analysis, check_instance
from proofs_checks.blueprint import lint, theory_path
from proofs_checks.sweep import default_grid, expected_verdict, run_sweep
from proofs_checks.verify import verify_document
from reference import AdditiveSmoothing, FiniteChain, Instance, kernel_rows
from reference.chainfile import read_chain_file
from reference.cli import main
from reference.serialise import load_schema
from tests.conftest import law
from reference.testing import instances

BY_ID = {e.statement: e for e in REGISTRY}


def certs(instance, kernel=None):
    an = Analysis(instance, kernel=kernel)
    return {e.statement: e.check(an) for e in REGISTRY}


def test_paper_order_and_ids():
    assert [e.statement for e in REGISTRY] == ["Lemma III.1", "Lemma III.2", "Theorem III.3", "Degeneration (Section III)",
                                               "Lemma IV.1", "Corollary IV.2", "Theorem IV.3", "Theorem VI.1"]


def test_section_iii_instance():
    c = certs(Instance(target=law("1/4", "3/4"), samples=4, lam=F(1, 3)))
    assert all(c[s].verdict == "verified" for s in ["Lemma III.1", "Lemma III.2", "Theorem III.3", "Degeneration (Section III)", "Theorem VI.1"])
    assert all(c[s].verdict == "not-applicable" for s in ["Lemma IV.1", "Corollary IV.2", "Theorem IV.3"])
    deg = c["Degeneration (Section III)"].conclusion.evidence
    assert deg["D"] == F(8, 3)                                          # row 1: D = 8/3
    assert deg["per_stationary_law"][0]["expected_gini_simpson"] == F(15, 64)  # row 2
    assert deg["per_stationary_law"][0]["entropy_gap_nats"].startswith("0.2208307009")  # row 4: 0.5623351446 - 0.3415044437


def test_section_iv_instance_with_theorem_iii3_showing_why():
    c = certs(Instance(target=law("1/3", "2/3"), samples=6, lam=F(0)))
    assert all(c[s].verdict == "verified" for s in ["Lemma IV.1", "Corollary IV.2", "Theorem IV.3", "Lemma III.1"])
    iii3 = c["Theorem III.3"]
    assert iii3.verdict == "not-applicable"
    assert not iii3.conclusion.holds  # the barycenters are Dirac laws, not mu*
    assert iii3.conclusion.evidence["barycenters"] == ((1, 0), (0, 1))
    assert "lam > 0" in iii3.summary() and "not mu* = (1/3, 2/3)" in iii3.summary()


def corrupted(instance, row, a, b, amount):
    """The model's kernel with `amount` moved from entry (row, a) to (row, b)."""
    rows = [list(r) for r in kernel_rows(instance)]
    rows[row][a] -= amount
    rows[row][b] += amount
    return tuple(tuple(r) for r in rows)


def test_mutation_moving_mass_in_a_row():
    inst = Instance(target=law("1/2", "1/3", "1/6"), samples=3, lam=F(1, 5))
    c = certs(inst, kernel=corrupted(inst, 4, 0, 9, F(1, 1000)))
    assert c["Lemma III.2"].verdict == "refuted"
    assert "P((1, 1, 1) -> (3, 0, 0))" in c["Lemma III.2"].summary()
    # (⋆) fails on the kernel: the Section III statements lose their hypothesis and say where
    for s in ["Theorem III.3", "Degeneration (Section III)", "Lemma III.1"]:
        assert c[s].verdict == "not-applicable", s
        assert "i.i.d. mixing" in c[s].summary() and "(1, 1, 1)" in c[s].summary()
    assert not c["Theorem III.3"].conclusion.holds  # and the barycenter really is off mu*


def test_mutation_at_lam0_refutes_the_martingale_and_collapse():
    inst = Instance(target=law("1/2", "1/2"), samples=4, lam=F(0))
    c = certs(inst, kernel=corrupted(inst, 2, 1, 3, F(1, 16)))   # from (2,2): shift mass from (3,1) to (1,3)
    assert c["Lemma IV.1"].verdict == "refuted"
    assert "at state (2, 2)" in c["Lemma IV.1"].summary()
    assert c["Theorem IV.3"].verdict == "not-applicable"            # (⋆) hypothesis fails on the kernel
    assert not c["Theorem IV.3"].conclusion.holds                   # k_x/N no longer holds
    assert "not k_x/N" in c["Theorem IV.3"].conclusion.detail


def test_mutation_breaking_absorption():
    # a Dirac type that leaks: the chain still settles (Corollary IV.2 holds) but on one Dirac only (Theorem IV.3 fails)
    inst = Instance(target=law("1/2", "1/2"), samples=3, lam=F(0))
    c = certs(inst, kernel=corrupted(inst, 0, 0, 1, F(1, 2)))
    assert c["Lemma IV.1"].verdict == "refuted"
    assert c["Corollary IV.2"].conclusion.holds
    assert not c["Theorem IV.3"].conclusion.holds and "not the 2 Dirac types" in c["Theorem IV.3"].conclusion.detail
    # the two Diracs swapped into a 2-cycle: mu_n never settles, Corollary IV.2's conclusion fails
    rows = [list(r) for r in kernel_rows(inst)]
    rows[0], rows[3] = [F(0), F(0), F(0), F(1)], [F(1), F(0), F(0), F(0)]
    c = certs(inst, kernel=tuple(tuple(r) for r in rows))
    assert not c["Corollary IV.2"].conclusion.holds
    assert "keeps moving" in c["Corollary IV.2"].conclusion.detail


def test_mutation_smoothed_estimator():
    inst = Instance(target=law("1/5", "4/5"), samples=4, lam=F(1, 3), estimator=AdditiveSmoothing(F(1)))
    c = certs(inst)
    for s in ["Theorem III.3", "Lemma III.1", "Degeneration (Section III)"]:
        assert c[s].verdict == "not-applicable"
        assert "conditional barycenter" in c[s].summary() and "additive:1" in c[s].summary()
    bary = c["Theorem III.3"].conclusion.evidence["barycenters"][0]
    # independent: the stationary barycenter m solves m = (N(lam mu* + (1-lam) m) + alpha)/(N + d alpha)
    n, lam, a, t = 4, F(1, 3), F(1), F(1, 5)
    m0 = (n * lam * t + a) / (n + 2 * a - n * (1 - lam))
    assert bary[0] == m0 != t
    assert c["Lemma III.2"].verdict == "verified"  # still a Markov chain with the model's kernel
    zero = certs(Instance(target=law("1/5", "4/5"), samples=4, lam=F(0), estimator=AdditiveSmoothing(F(1, 2))))
    assert zero["Lemma IV.1"].verdict == "not-applicable" and not zero["Lemma IV.1"].conclusion.holds
    assert zero["Theorem IV.3"].verdict == "not-applicable" and not zero["Theorem IV.3"].conclusion.holds


def test_nonunique_stationary_example():
    # THEORY.md, remark after Theorem III.3: a kernel satisfying (⋆) with two stationary laws, both with barycenter mu*
    lam = F(1, 3)
    laws = [(F(1, 2), F(1, 2)), (F(1), F(0)), (F(0), F(1))]
    rows, _ = read_chain_file(Path(__file__).resolve().parent.parent / "examples" / "nonunique.json")
    chain = FiniteChain(rows)
    target = (F(1, 2), F(1, 2))
    for i, row in enumerate(rows):  # (⋆) at every state
        mean = tuple(sum(p * laws[j][x] for j, p in enumerate(row)) for x in range(2))
        assert mean == tuple(lam * t + (1 - lam) * m for t, m in zip(target, laws[i]))
    assert len(chain.stationary_distributions) == 2
    for pi in chain.stationary_distributions:
        assert tuple(sum(p * laws[j][x] for j, p in enumerate(pi)) for x in range(2)) == target


def check_json(*argv):
    import io
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", *argv, "--json"])
    return code, json.loads(out.getvalue())


@pytest.mark.parametrize("argv", [("--target", "1/2,1/3,1/6", "--samples", "3", "--lam", "1/5"),
                                  ("--target", "1/3,2/3", "--samples", "5", "--lam", "0"),
                                  ("--target", "1/2,1/2,0", "--samples", "3", "--lam", "1/2"),
                                  ("--target", "1/5,4/5", "--samples", "3", "--lam", "1/3", "--estimator", "additive:1/2")])
def test_check_json_schema_and_independent_verifier(argv, tmp_path, capsys):
    code, doc = check_json(*argv)
    assert code == 0
    jsonschema.validate(doc, load_schema("check"))
    assert all(p == [] for _, p in verify_document(doc))
    # tamper with the evidence: the verifier must notice
    bad = json.loads(json.dumps(doc))
    for r in bad["results"]:
        if r["statement"] == "Theorem III.3":
            pi = r["conclusion"]["evidence"]["stationary"][0]
            i = next(i for i, p in enumerate(pi) if p != "0")
            j = next(j for j in range(len(pi)) if j != i)
            pi[i], pi[j] = pi[j], pi[i]
            if pi[i] == pi[j]:
                pi[i] = str(F(pi[i]) / 2)
    assert any(p for _, p in verify_document(bad))
    path = tmp_path / "certs.json"
    path.write_text(json.dumps(bad))
    assert main(["verify", str(path)]) == 1
    path.write_text(json.dumps(doc))
    assert main(["verify", str(path)]) == 0


def test_verifier_catches_wrong_absorption_times():
    code, doc = check_json("--target", "1/2,1/2", "--samples", "4", "--lam", "0")
    for r in doc["results"]:
        if r["statement"] == "Theorem IV.3":
            r["conclusion"]["evidence"]["expected_absorption_time"][2] = "9/2"   # true value 132/29
    problems = dict(verify_document(doc))
    assert any("t = 1 + P t" in p for p in problems["Theorem IV.3"])


def test_check_cli_human_and_errors(capsys):
    assert main(["check", "--target", "1/5,4/5", "--samples", "7", "--lam", "3/11"]) == 0
    out = capsys.readouterr().out
    assert "Theorem III.3" in out and "barycenter exactly mu* = (1/5, 4/5)" in out
    assert main(["check", "--samples", "3", "--lam", "0"]) == 2
    assert "check needs --target" in capsys.readouterr().err
    assert main(["check", "--target", "1/2,1/2", "--samples", "3", "--lam", "0", "--estimator", "ridge"]) == 2
    assert "--estimator 'ridge' is unknown" in capsys.readouterr().err


def test_refuted_exits_1(monkeypatch, capsys):
    from proofs_checks import stationary_barycenter

    monkeypatch.setattr(stationary_barycenter.Analysis, "stationary_barycenters", property(lambda self: ((F(0), F(1)),)))
    assert main(["check", "--target", "1/2,1/2", "--samples", "3", "--lam", "1/2"]) == 1
    captured = capsys.readouterr()
    assert "REFUTED: Theorem III.3" in captured.err and "refuted" in captured.out


def test_sweep_everything_as_expected():
    grid = default_grid()
    assert {i.size for i in grid} == {1, 2, 3, 4} and {F(0), F(1)} <= {i.lam for i in grid}
    assert any(0 in i.target for i in grid)
    result = run_sweep(grid[::7])
    assert result.failures == []
    assert main(["check", "--sweep", "--workers", "1"]) == 0


def test_blueprint_lint_clean_and_detects_problems():
    text = theory_path().read_text()
    assert lint(text) == []
    assert any("no THEORY.md section" in p for p in lint(text.replace("{#thm:IV.3}", "{#thm:IV.3x}")))
    assert any("cycle" in p for p in lint(text.replace("- **uses:** none\n\n**Statement [R].** With `λ = 0`",
                                                       "- **uses:** cor:IV.2\n\n**Statement [R].** With `λ = 0`")))
    assert any("unknown label" in p for p in lint(text.replace("- **uses:** thm:III.3", "- **uses:** thm:III.3, lem:IX.9")))
    assert any("names check" in p for p in lint(text.replace("`proofs_checks.martingale`", "`proofs_checks.other`")))


@given(instances(max_states=35, max_samples=6))
def test_every_statement_as_expected_on_random_instances(inst):
    for e in REGISTRY:
        assert e.check(Analysis(inst)).verdict == expected_verdict(e.label, inst), e.statement


class _Unnormalised:
    """A broken estimator whose fitted 'law' k/(N+1) does not sum to 1."""

    name = "broken"

    def state_of(self, sample_type, samples):
        return sample_type

    def law_of(self, state, samples):
        return tuple(F(c, samples + 1) for c in state)


def _scenario(name):
    three = Instance(target=law("1/2", "1/3", "1/6"), samples=3, lam=F(1, 5))
    two0 = Instance(target=law("1/2", "1/2"), samples=3, lam=F(0))
    if name == "smoothed":
        return Analysis(Instance(target=law("1/5", "4/5"), samples=4, lam=F(1, 3), estimator=AdditiveSmoothing(F(1))))
    if name == "corrupt":
        return Analysis(three, kernel=corrupted(three, 4, 0, 9, F(1, 1000)))
    if name == "corrupt0":
        return Analysis(two0, kernel=corrupted(two0, 1, 0, 3, F(1, 100)))
    if name == "cycle0":
        rows = [list(r) for r in kernel_rows(two0)]
        rows[0], rows[3] = [F(0), F(0), F(0), F(1)], [F(1), F(0), F(0), F(0)]
        return Analysis(two0, kernel=tuple(tuple(r) for r in rows))
    if name == "broken-estimator":
        inst = Instance(target=law("1/2", "1/2"), samples=2, lam=F(1, 2), estimator=_Unnormalised())
        return Analysis(inst, kernel=kernel_rows(Instance(target=law("1/2", "1/2"), samples=2, lam=F(1, 2))))
    raise AssertionError(name)


@pytest.mark.parametrize("statement, scenario", [
    ("Lemma III.1", "smoothed"), ("Lemma III.2", "corrupt"), ("Theorem III.3", "smoothed"),
    ("Degeneration (Section III)", "corrupt"), ("Lemma IV.1", "corrupt0"), ("Corollary IV.2", "cycle0"),
    ("Theorem IV.3", "corrupt0"), ("Theorem VI.1", "broken-estimator")])
def test_every_check_can_fail(statement, scenario):
    cert = BY_ID[statement].check(_scenario(scenario))
    assert not cert.conclusion.holds, f"{statement} cannot fail on {scenario}"
    assert cert.verdict in ("refuted", "not-applicable")
    assert cert.conclusion.detail  # the evidence names the failure


def test_sweep_workers_option(monkeypatch, capsys):
    import proofs_checks.cli as checks_cli

    seen = {}

    class Recorder:
        def __init__(self, max_workers):
            seen["workers"] = max_workers

        def __enter__(self):
            return None

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recorder)  # imported where used
    monkeypatch.setattr(checks_cli, "run_sweep", lambda grid, executor=None, progress=None: run_sweep(grid[:3]))
    assert main(["check", "--sweep", "--workers", "3"]) == 0 and seen["workers"] == 3
    seen.clear()
    assert main(["check", "--sweep", "--workers", "1"]) == 0 and "workers" not in seen
    assert main(["check", "--sweep", "--workers", "0"]) == 2
    capsys.readouterr()


def test_certificates_latex(capsys):
    assert main(["check", "--target", "1/5,4/5", "--samples", "3", "--lam", "0", "--latex"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(r"\begin{tabular}") and r"$\times$~fresh fraction lam > 0" in out and "\t" not in out
    cert = check_instance(Instance(target=law("1/2", "1/2"), samples=2, lam=F(1, 2)))[2]
    assert r"\checkmark~fresh fraction" in cert._repr_latex_()
