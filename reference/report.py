"""Human-readable tables of exact results: ``p/q`` with a short decimal beside it.

The decimal is computed from the exact rational by integer rounding (no float), so the
text a person reads agrees digit for digit with the JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .chain import FiniteChain
from .model import Instance
from .rationals import format_decimal, format_rational, format_scientific
from .solution import Evolution, Solution

MAX_EXACT_CHARS = 40


def cell(x: Fraction, digits: int = 6) -> str:
    """``"3/128 ≈ 0.023438"``; an exact integer is printed alone; very long rationals are elided;
    values below ``10^-digits`` get scientific notation so tails stay readable.

    >>> cell(Fraction(3, 128)), cell(Fraction(1, 3 * 10**9))
    ('3/128 ≈ 0.023438', '1/3000000000 ≈ 3.333e-10')
    """
    if x.denominator == 1:
        return format_rational(x)
    bits = x.numerator.bit_length(), x.denominator.bit_length()
    # at least (bits - 1) log10(2) + 1 digits each: a long rational is elided without writing its digits
    long = sum((b - 1) * 30102 // 100000 + 1 for b in bits) + 1 > MAX_EXACT_CHARS
    exact = None if long else format_rational(x)
    if exact is None or len(exact) > MAX_EXACT_CHARS:
        exact = f"<{bits[0]}-bit/{bits[1]}-bit rational; --json for exact>"
    small = x != 0 and abs(x) < Fraction(1, 10**digits)  # tails: scientific notation, not 0.000000
    return f"{exact} ≈ {format_scientific(x, 3) if small else format_decimal(x, digits)}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned text table with a rule under the header."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def _label(s: object) -> str:
    if isinstance(s, tuple):
        return "(" + ",".join(_label(x) for x in s) + ")"
    if isinstance(s, Fraction):
        return format_rational(s)
    return str(s)


def describe_instance(inst: Instance) -> str:
    """One line: target, samples, fresh fraction, estimator and mixing."""
    target = ", ".join(format_rational(t) for t in inst.target)
    return (
        f"target mu* = ({target}) on S = {{0..{inst.size - 1}}}, samples N = {inst.samples}, "
        f"fresh fraction lam = {format_rational(inst.lam)} "
        f"[estimator: {inst.estimator.name}, mixing: {inst.mixing.name}]"
    )


def chain_report(chain: FiniteChain, digits: int = 6, kernel: bool = False) -> str:
    """Classes, stationary laws, absorption probabilities and times as text."""
    out = []
    n_rec = len(chain.recurrent_classes)
    out.append(
        f"{chain.n_states} states; {_plural(len(chain.communication_classes), 'communication class', 'es')}; "
        f"{n_rec} recurrent class{'es' if n_rec != 1 else ''}; {len(chain.transient_states)} transient states; "
        f"absorbing: {', '.join(_label(chain.labels[i]) for i in chain.absorbing_states) or 'none'}"
    )
    for c, (cls, period) in enumerate(zip(chain.recurrent_classes, chain.periods, strict=True)):
        members = ", ".join(_label(chain.labels[i]) for i in cls[:8]) + (", ..." if len(cls) > 8 else "")
        out.append(f"  recurrent class {c}: {len(cls)} state{'s' if len(cls) != 1 else ''}, period {period}: {members}")
    headers = ["#", "state"] + [f"pi_{c}" for c in range(n_rec)]
    if chain.transient_states:
        headers += [f"P(absorb in {c})" for c in range(n_rec)] + ["E[T]"]
    rows = []
    for i, label in enumerate(chain.labels):
        row = [str(i), _label(label)] + [cell(pi[i], digits) for pi in chain.stationary_distributions]
        if chain.transient_states:
            row += [cell(p, digits) for p in chain.absorption_probabilities[i]]
            row.append(cell(chain.expected_absorption_times[i], digits))
        rows.append(row)
    out.append("")
    out.append(table(headers, rows))
    if kernel:
        out.append("")
        out.append("kernel P(i, j):")
        out.append(
            table(
                ["#"] + [str(j) for j in range(chain.n_states)],
                [[str(i)] + [format_rational(p) for p in row] for i, row in enumerate(chain.matrix)],
            )
        )
    return "\n".join(out)


def solution_report(solution: Solution, digits: int = 6, kernel: bool = False) -> str:
    out = ["Instance: " + describe_instance(solution.instance)]
    out.append(chain_report(solution.chain, digits=digits, kernel=kernel))
    out.append("")
    out.append("barycenter of each stationary law (Theorem III.3: equals mu* when lam > 0):")
    for c, bary in enumerate(solution.barycenters):
        out.append(f"  pi_{c}: (" + ", ".join(format_rational(b) for b in bary) + ")")
    cert = solution.certification
    out.append("answer " + (cert.describe() if cert is not None else "not certified"))
    return "\n".join(out)


def _laws_rows(chain: FiniteChain, laws: Sequence[Sequence[Fraction]], digits: int) -> list[list[str]]:
    rows = [[_label(s)] + [cell(law[i], digits) for law in laws] for i, s in enumerate(chain.labels)]
    rows.append(["P(T<=n)"] + [cell(p, digits) for p in chain.absorbed_by(laws)])
    return rows


def laws_report(chain: FiniteChain, start: int, laws: Sequence[Sequence[Fraction]], digits: int = 6) -> str:
    """The law after n = 0..G steps from ``start`` as a table, one column per n."""
    headers = ["state"] + [f"n={n}" for n in range(len(laws))]
    return f"law after n steps from state {start} ({_label(chain.labels[start])}):\n" + table(headers, _laws_rows(chain, laws, digits))


def evolution_report(evolution: Evolution, digits: int = 6) -> str:
    sol = evolution.solution
    out = ["Instance: " + describe_instance(sol.instance)]
    out.append(f"start: {_label(sol.states[evolution.start])}; generations 0..{len(evolution.laws) - 1}")
    headers = ["state"] + [f"n={n}" for n in range(len(evolution.laws))]
    rows = _laws_rows(sol.chain, evolution.laws, digits)
    for x in range(sol.instance.size):
        rows.append([f"E mu_n({x})"] + [cell(b[x], digits) for b in evolution.barycenters])
    out.append(table(headers, rows))
    return "\n".join(out)


def _plural(n: int, word: str, suffix: str = "s") -> str:
    return f"{n} {word}{suffix if n != 1 else ''}"


def _tex(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    sign = "-" if x < 0 else ""
    return rf"{sign}\tfrac{{{abs(x.numerator)}}}{{{x.denominator}}}"


def solution_latex(solution: Solution, kernel: bool = False) -> str:
    """A LaTeX fragment: the instance, each stationary law, its barycenter (and the kernel)."""
    inst = solution.instance
    lines = [r"\begin{flushleft}",
             rf"Target $\mu^* = ({', '.join(_tex(t) for t in inst.target)})$, $N = {inst.samples}$, "
             rf"$\lambda = {_tex(inst.lam)}$.\\"]
    for c, pi in enumerate(solution.stationary):
        lines.append(rf"Stationary law $\pi_{c}$: \[ \begin{{array}}{{ll}} k & \pi_{c}(k) \\ \hline")
        lines += [rf"({','.join(map(str, k))}) & {_tex(p)} \\" for k, p in zip(solution.states, pi) if p]
        lines.append(r"\end{array} \]")
        lines.append(rf"Barycenter: $({', '.join(_tex(b) for b in solution.barycenters[c])})$.\\")
    if kernel:
        lines.append(r"Kernel: \[ P = \begin{pmatrix}")
        lines += [" & ".join(_tex(p) for p in row) + r" \\" for row in solution.chain.matrix]
        lines.append(r"\end{pmatrix} \]")
    lines.append(r"\end{flushleft}")
    return "\n".join(lines)
