"""The symbolic path: rational functions of λ (and μ*) against the numeric engine and closed forms."""

import json
from fractions import Fraction as F

import pytest
import sympy

from proofs_checks.identities import check_symbolic
from reference import Instance, kernel_rows, solve
from reference.cli import main
from reference.errors import InputError
from reference.symbolic import SymbolicInstance, parse_expression, solve_symbolic

LAM, P = sympy.symbols("lam p")


def exact(expr) -> F:
    value = sympy.nsimplify(expr) if not expr.is_Rational else expr
    return F(int(value.p), int(value.q))


@pytest.mark.parametrize("target, n", [((F(1, 3), F(2, 3)), 5), ((F(1, 2), F(1, 3), F(1, 6)), 3), ((F(1, 2), F(1, 2), F(0)), 3)])
def test_rational_functions_agree_with_the_numeric_engine(target, n):
    sol = solve_symbolic(SymbolicInstance(tuple(sympy.Rational(t.numerator, t.denominator) for t in target), n, LAM))
    for lam in (F(1, 7), F(1, 2), F(9, 10), F(1)):
        numeric = solve(Instance(target=target, samples=n, lam=lam), method="dense")
        assert [p(lam) for p in sol.stationary] == list(numeric.stationary[0])
        value = sympy.Rational(lam.numerator, lam.denominator)
        kern = [[exact(sol.algebra.to_sympy(p).subs(LAM, value)) for p in row] for row in sol.kernel]
        assert kern == [list(r) for r in kernel_rows(Instance(target=target, samples=n, lam=lam))]


def test_two_symbols_agree_with_numbers():
    sol = solve_symbolic(SymbolicInstance((P, 1 - P), 3, LAM))
    for m, lam in [(F(1, 5), F(1, 3)), (F(2, 3), F(3, 4))]:
        numeric = solve(Instance(target=(m, 1 - m), samples=3, lam=lam), method="dense").stationary[0]
        subs = {P: sympy.Rational(m.numerator, m.denominator), LAM: sympy.Rational(lam.numerator, lam.denominator)}
        assert [exact(sol.value(p).subs(subs)) for p in sol.stationary] == list(numeric)


def test_n2_closed_form_section_4_6_symbolically():
    # pi(#x=1) = 4 lam (2 - lam) m (1 - m) / (1 + 2 lam - lam^2); pi(#x=2) = m - pi1/2
    sol = solve_symbolic(SymbolicInstance((P, 1 - P), 2, LAM))
    pi1 = 4 * LAM * (2 - LAM) * P * (1 - P) / (1 + 2 * LAM - LAM**2)
    two, one, zero = (sol.value(p) for p in sol.stationary)
    assert sympy.cancel(one - pi1) == 0
    assert sympy.cancel(two - (P - pi1 / 2)) == 0
    assert sympy.cancel(zero - (1 - P - pi1 / 2)) == 0


def test_barycenter_is_target_identically_and_certificates_verified():
    sol = solve_symbolic(SymbolicInstance((P, 1 - P), 4, LAM))
    assert [sympy.cancel(sol.value(b)) for b in sol.barycenter] == [P, 1 - P]
    certs = check_symbolic(sol)
    assert [c.statement for c in certs] == ["Lemma III.1", "Lemma III.2", "Theorem III.3", "Degeneration (Section III)", "Lemma IV.1"]
    assert all(c.verdict == "verified" and c.conclusion.evidence["simplified_difference"] == "0" for c in certs)
    assert certs[2].conclusion.evidence["identity"] == "in lam, p"


def test_identity_check_can_fail():
    sol = solve_symbolic(SymbolicInstance((sympy.Rational(1, 3), sympy.Rational(2, 3)), 3, LAM))
    sol.__dict__["barycenter"] = [sol.barycenter[0] * 2, sol.barycenter[1]]   # a wrong solver
    cert = {c.statement: c for c in check_symbolic(sol)}["Theorem III.3"]
    assert cert.verdict == "refuted" and "NOT an identity" in cert.conclusion.detail


def test_invalid_lambda_report():
    sol = solve_symbolic(SymbolicInstance((sympy.Rational(1, 4), sympy.Rational(3, 4)), 6, LAM))
    notes = sol.invalid_lam
    assert any("lam = 0" in n for n in notes)
    assert not any("root in [" in n for n in notes)  # no other vanishing point in [0, 1]


def test_symbolic_json_parses_back(capsys):
    assert main(["solve", "--target", "1/3,2/3", "--samples", "4", "--lam", "lam", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["symbols"] == ["lam"]
    exprs = [sympy.parse_expr(s) for s in data["stationary"][0]]   # test code may parse; user input never is
    numeric = solve(Instance(target=(F(1, 3), F(2, 3)), samples=4, lam=F(2, 5))).stationary[0]
    assert [exact(e.subs(LAM, sympy.Rational(2, 5))) for e in exprs] == list(numeric)
    assert data["barycenters"] == [["1/3", "2/3"]]


def test_latex_and_jupyter(capsys):
    assert main(["solve", "--target", "1/3,2/3", "--samples", "2", "--lam", "λ", "--latex", "--kernel"]) == 0
    out = capsys.readouterr().out
    assert r"\lambda" in out and r"\frac" in out and "Kernel" in out
    assert r"\tfrac{3}{128}" in solve(Instance(target=(F(1, 4), F(3, 4)), samples=4, lam=F(1, 3)))._repr_latex_()


@pytest.mark.parametrize("lam, target, message", [
    ("lam)", "1/3,2/3", "unexpected ')'"),
    ("lam**2", "1/3,2/3", "unexpected '*'"),
    ("lam*", "1/3,2/3", "ends too early"),
    ("2*", "1/3,2/3", "is not an exact number"),
    ("lam", "__import__('os'),1", "unexpected"),
    ("lam", "p,1-q", "target sums to p - q + 1, not 1"),
    ("lam", "p,1-p,", "empty entry"),
    ("lam/0", "1/3,2/3", "divides by zero"),
    ("lam", "1/2,-1/2,1", "is negative"),
])
def test_bad_symbolic_input(capsys, lam, target, message):
    assert main(["solve", "--target", target, "--samples", "2", "--lam", lam]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_parser_builds_no_code():
    assert parse_expression("(1 - lam) * 2 / 3") == sympy.Rational(2, 3) - 2 * LAM / 3
    with pytest.raises(InputError):
        parse_expression("lam.__class__")


def test_symbolic_check_cli(capsys):
    assert main(["check", "--target", "1/2,1/3,1/6", "--samples", "3", "--lam", "lam"]) == 0
    out = capsys.readouterr().out
    assert "identity in lam" in out and "refuted" not in out


@pytest.mark.parametrize("full_degree", [100, 3])  # 3: the long-polynomial branch (lam's power, square-free parts)
def test_fast_texts_equal_the_rational_functions(monkeypatch, full_degree):
    from reference.symbolic import _FlintLam, parse_symbolic_instance, solve_symbolic

    monkeypatch.setattr(_FlintLam, "FULL_FACTOR_DEGREE", full_degree)
    sol = solve_symbolic(parse_symbolic_instance("1/5,4/5", 6, "lam"))
    for p in list(sol.stationary) + list(sol.barycenter):
        exact_value = sol.value(p)  # sympy's own cancel, the independent route
        for text in (sol.algebra.to_text(p), sol.factored_text(p)):
            assert sympy.cancel(sympy.parse_expr(text) - exact_value) == 0  # test code may parse; user input never is
        assert sympy.cancel(sol.factored(p) - exact_value) == 0


def latex_to_sympy(text: str) -> sympy.Expr:
    """Our LaTeX (\\frac, \\left( \\right), ^{e}, \\lambda, products by juxtaposition) read back
    by a translation written here, independent of the renderer, for sympy to parse."""
    out = text.replace(r"\left(", "(").replace(r"\right)", ")").replace(r"\lambda", "lam")
    while r"\frac{" in out:  # \frac{A}{B} -> ((A)/(B)), braces matched by hand
        start = out.index(r"\frac{")
        depth, i = 0, start + len(r"\frac")
        parts = []
        while len(parts) < 2:
            j = i
            while True:
                depth += {"{": 1, "}": -1}.get(out[j], 0)
                if depth == 0:
                    break
                j += 1
            parts.append(out[i + 1:j])
            i = j + 1
        out = out[:start] + f"(({parts[0]})/({parts[1]}))" + out[i:]
    out = out.replace("^{", "**(").replace("}", ")")
    out = out.replace(" + ", "+").replace(" - ", "-").replace("- ", "-").replace(" ", "*")
    return sympy.parse_expr(out)  # test code may parse; user input never is


@pytest.mark.parametrize("full_degree", [100, 3])
def test_latex_equals_the_rational_functions(monkeypatch, full_degree):
    from reference.symbolic import _FlintLam, parse_symbolic_instance, solve_symbolic

    monkeypatch.setattr(_FlintLam, "FULL_FACTOR_DEGREE", full_degree)
    sol = solve_symbolic(parse_symbolic_instance("1/5,4/5", 6, "lam"))
    lam = sol.algebra.RF.variable()
    extra = [-lam / 2, (3 * lam + 1) / 2, (lam - 1) * (lam - 1) * (lam + 2) / (4 * lam + 1), lam * 0 + 7, lam * 0 - 1,
             (lam * lam + 1) / (6 * lam), 1 - lam]
    for p in list(sol.stationary) + list(sol.barycenter) + [q for row in sol.kernel for q in row] + extra:
        assert sympy.cancel(latex_to_sympy(sol.factored_latex(p)) - sol.value(p)) == 0, sol.factored_latex(p)
    out = sol._repr_latex_()
    assert out.count(r"\\") >= len(sol.states) and r"\frac" in out


def test_latex_translation_can_fail():
    """The reader above is a real check: a wrong exponent or sign reads back as a different function."""
    assert sympy.cancel(latex_to_sympy(r"\frac{\left(\lambda + 2\right)^{2}}{4 \lambda + 1}")
                        - (LAM + 2) / (4 * LAM + 1)) != 0
    assert latex_to_sympy(r"- \frac{\lambda}{2}") == -LAM / 2
