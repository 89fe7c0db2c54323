"""Certificates: what a statement check returns.

A certificate records the statement id as the paper numbers it, the instance, each
hypothesis with whether it holds and its exact evidence, the conclusion with its
evidence, and a verdict:

* ``verified`` — every hypothesis holds and so does the conclusion;
* ``refuted`` — every hypothesis holds but the conclusion fails: a bug in the engine or a
  counterexample to the statement, reported loudly (exit code 1);
* ``not-applicable`` — a hypothesis fails; the conclusion is still evaluated and shown,
  which is how one sees why the hypothesis matters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reference.rationals import format_rational

VERIFIED = "verified"
REFUTED = "refuted"
NOT_APPLICABLE = "not-applicable"
VERDICTS = (VERIFIED, REFUTED, NOT_APPLICABLE)


@dataclass(frozen=True)
class Condition:
    """A hypothesis or a conclusion: a sentence, whether it holds, and its exact evidence."""

    text: str
    holds: bool
    evidence: Mapping[str, Any] = field(default_factory=dict)
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        out = {"text": self.text, "holds": self.holds, "evidence": to_jsonable(self.evidence)}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True)
class Certificate:
    """The outcome of checking one statement of the paper on one instance."""

    statement: str
    title: str
    instance: Mapping[str, Any]
    hypotheses: tuple[Condition, ...]
    conclusion: Condition
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        if not all(h.holds for h in self.hypotheses):
            return NOT_APPLICABLE
        return VERIFIED if self.conclusion.holds else REFUTED

    @property
    def failed_hypotheses(self) -> tuple[Condition, ...]:
        return tuple(h for h in self.hypotheses if not h.holds)

    def summary(self) -> str:
        """One line: why the verdict is what it is."""
        if self.verdict == NOT_APPLICABLE:
            names = "; ".join(h.text + (f" ({h.detail})" if h.detail else "") for h in self.failed_hypotheses)
            concl = "holds anyway" if self.conclusion.holds else "fails"
            return f"hypothesis fails: {names}. Conclusion {concl}: {self.conclusion.detail}"
        return self.conclusion.detail

    def _repr_latex_(self) -> str:
        """Jupyter display: statement, verdict, hypotheses and conclusion as a small table."""
        return certificates_latex([self])

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "title": self.title,
            "verdict": self.verdict,
            "hypotheses": [h.to_json() for h in self.hypotheses],
            "conclusion": self.conclusion.to_json(),
            "evidence": to_jsonable(self.conclusion.evidence),
            "notes": list(self.notes),
        }


def to_jsonable(value: Any) -> Any:
    """Fractions to ``"p/q"``, tuples to lists, recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Fraction):
        return format_rational(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__} in a certificate")


def _tex_text(text: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("^", r"\^{}"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#"),
                 ("*", r"$^*$"), ("⋆", r"$\star$"), ("<=", r"$\le$"), (">=", r"$\ge$")):
        text = text.replace(a, b)
    return text


def certificates_latex(certs: list[Certificate]) -> str:
    """A LaTeX table of certificates for a handout: statement, verdict, hypotheses, evidence."""
    lines = [r"\begin{tabular}{p{0.18\linewidth}p{0.12\linewidth}p{0.6\linewidth}}",
             r"statement & verdict & hypotheses; evidence \\ \hline"]
    for c in certs:
        hyps = "; ".join((r"\checkmark~" if h.holds else r"$\times$~") + _tex_text(h.text) for h in c.hypotheses) or "--"
        lines.append(f"{_tex_text(c.statement)} & {c.verdict} & {hyps}. {_tex_text(c.summary())} \\\\")
    lines.append(r"\end{tabular}")
    return "\n".join(lines)
