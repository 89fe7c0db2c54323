"""Compare another implementation's results with the exact answer, quantity by quantity.

A *candidate* is a JSON object with the keys of ``solve --json`` (any subset of
``stationary``, ``barycenters``, ``absorption_probabilities``, ``expected_absorption_time``,
``kernel``, ``recurrent_classes``, ``absorbing``, plus ``states``).  Values may be JSON
numbers (read from their literal text, so ``0.1`` is compared as 1/10), decimal strings
or ``"p/q"`` strings.  States are matched by count vector, not by position; recurrent
classes are matched by their states when the candidate lists them, otherwise each
exact stationary law is paired with the candidate law nearest to it.

Every error is computed exactly, as a rational.  A value passes when
``|candidate - exact| <= tol + rtol |exact|``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import InputError
from .rationals import format_rational, format_scientific, parse_rational
from .solution import Solution

QUANTITIES = ("stationary", "barycenters", "absorption_probabilities", "expected_absorption_time", "kernel")
STRUCTURE = ("recurrent_classes", "absorbing")


class _Literal(str):
    """A JSON number kept as its literal text (parsed exactly later)."""


def load_candidate(path: str | Path) -> dict[str, Any]:
    """Read a candidate file; JSON numbers keep their literal text."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise InputError(f"candidate file {str(path)!r} is unreadable: {exc.strerror or exc}") from None
    try:
        data = json.loads(text, parse_float=_Literal, parse_int=_Literal, parse_constant=_Literal)
    except json.JSONDecodeError as exc:
        raise InputError(f"candidate file {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise InputError(f"candidate file {str(path)!r} must hold one JSON object with the keys of solve --json")
    return data


@dataclass(frozen=True)
class QuantityReport:
    """How one quantity of the candidate compares with the exact answer."""

    quantity: str
    compared: int = 0
    within: bool = True
    missing: bool = False
    worst_abs: Fraction | None = None
    worst_rel: Fraction | None = None
    where: str = ""
    candidate: Fraction | None = None
    exact: Fraction | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"quantity": self.quantity, "status": self.status, "compared": self.compared}
        if self.worst_abs is not None:
            out.update(worst_abs_error=format_scientific(self.worst_abs), worst_rel_error=_sci(self.worst_rel),
                       where=self.where, candidate=format_rational(self.candidate), exact=format_rational(self.exact),
                       worst_abs_error_exact=format_rational(self.worst_abs))
        if self.note:
            out["note"] = self.note
        return out

    @property
    def status(self) -> str:
        return "missing" if self.missing else ("ok" if self.within else "outside tolerance")


def _sci(x: Fraction | None) -> str | None:
    return None if x is None else format_scientific(x)


def _number(value: Any, path: str) -> Fraction:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise InputError(f"{path} = {json.dumps(value)} is not a number")
    return parse_rational(str(value), what=path)


def _vector(value: Any, length: int, path: str) -> list[Fraction]:
    if not isinstance(value, list):
        raise InputError(f"{path} is not a list")
    if len(value) != length:
        raise InputError(f"{path} has {len(value)} entries, expected {length}")
    return [_number(v, f"{path}[{i}]") for i, v in enumerate(value)]


def _matrix(value: Any, rows: int, cols: int, path: str) -> list[list[Fraction]]:
    if not isinstance(value, list):
        raise InputError(f"{path} is not a list")
    if len(value) != rows:
        raise InputError(f"{path} has {len(value)} rows, expected {rows}")
    return [_vector(r, cols, f"{path}[{i}]") for i, r in enumerate(value)]


class _Ratio:
    """A non-negative rational ``num / den`` kept unreduced in FLINT integers: exact answers have
    ~10^5-bit denominators, and reducing every difference (Python's or FLINT's rationals
    both take a gcd per operation) made one comparison of a float law with the exact one
    take 5-7 s at d = 2, N = 200; cross-multiplied comparisons take 0.1 s."""

    __slots__ = ("num", "den")

    def __init__(self, num: Any, den: Any) -> None:
        self.num, self.den = num, den

    def __gt__(self, other: _Ratio) -> bool:
        return bool(self.num * other.den > other.num * self.den)

    def fraction(self) -> Fraction:
        return Fraction(int(self.num), int(self.den))


class _Errors:
    """Accumulates the worst absolute and relative errors and the place of the worst
    absolute one for one quantity (integer arithmetic, results as Fractions)."""

    def __init__(self, tol: Fraction, rtol: Fraction) -> None:
        self.tol, self.rtol = tol, rtol
        self.count = 0
        self.within = True
        self.worst: tuple[_Ratio, str, Fraction, Fraction] | None = None
        self.worst_rel: _Ratio | None = None

    def add(self, cand: Fraction, exact: Fraction, where: str) -> None:
        import flint

        self.count += 1
        a, b = flint.fmpz(cand.numerator), flint.fmpz(cand.denominator)
        p, q = flint.fmpz(exact.numerator), flint.fmpz(exact.denominator)
        diff = abs(a * q - p * b)  # |cand - exact| = diff / (b q)
        err = _Ratio(diff, b * q)
        rel = _Ratio(diff, b * abs(p)) if p else None
        # err <= tol + rtol |exact|  <=>  diff t_d r_d <= (t_n r_d q + r_n t_d |p|) b
        t_n, t_d, r_n, r_d = self.tol.numerator, self.tol.denominator, self.rtol.numerator, self.rtol.denominator
        if diff * t_d * r_d > (t_n * r_d * q + r_n * t_d * abs(p)) * b:
            self.within = False
        if self.worst is None or err > self.worst[0]:
            self.worst = (err, where, cand, exact)
        if rel is not None and (self.worst_rel is None or rel > self.worst_rel):
            self.worst_rel = rel

    def report(self, quantity: str, note: str = "") -> QuantityReport:
        if self.worst is None:
            return QuantityReport(quantity, note=note or "nothing to compare")
        err, where, cand, exact = self.worst
        rel = None if self.worst_rel is None else self.worst_rel.fraction()
        return QuantityReport(quantity, self.count, self.within, False, err.fraction(), rel, where, cand, exact, note)


def _state_map(candidate: dict[str, Any], states: Sequence[tuple[int, ...]]) -> tuple[list[int], str]:
    """``perm[i]`` = candidate position of exact state ``i``."""
    n = len(states)
    if "states" not in candidate:
        return list(range(n)), "no 'states' given: assumed the canonical order"
    raw = candidate["states"]
    if not isinstance(raw, list) or len(raw) != n:
        raise InputError(f"$.states must list the {n} types of the instance")
    pos = {}
    for j, s in enumerate(raw):
        if not isinstance(s, list):
            raise InputError(f"$.states[{j}] is not a count vector")
        try:
            key = tuple(int(str(c)) for c in s)
        except ValueError:
            raise InputError(f"$.states[{j}] = {s} is not a count vector of integers") from None
        pos[key] = j
    missing = [s for s in states if s not in pos]
    if missing:
        raise InputError(f"$.states lacks the type {missing[0]} (and {len(missing) - 1} more)")
    return [pos[s] for s in states], ""


def compare(candidate: dict[str, Any], solution: Solution, tol: Fraction, rtol: Fraction = Fraction(0)) -> list[QuantityReport]:
    """One report per quantity (and per structural key) of ``candidate`` against ``solution``."""
    states = list(solution.states)
    n = len(states)
    perm, order_note = _state_map(candidate, states)
    exact_classes = [frozenset(states[i] for i in c) for c in solution.recurrent_classes]
    reports: list[QuantityReport] = []

    def label(i: int) -> str:
        return "(" + ",".join(str(c) for c in states[i]) + ")"

    # --- structure: recurrent classes and absorbing states, as sets of types
    class_match: list[int] | None = None
    if "recurrent_classes" in candidate:
        raw = candidate["recurrent_classes"]
        if not isinstance(raw, list) or not all(isinstance(c, list) for c in raw):
            raise InputError("$.recurrent_classes must be a list of lists of state indices")
        try:
            cand_classes = [frozenset(states[perm.index(int(str(j)))] for j in c) for c in raw]
        except ValueError:
            raise InputError("$.recurrent_classes has an index that is not a state position") from None
        same = sorted(map(sorted, cand_classes)) == sorted(map(sorted, exact_classes))
        if same:
            class_match = [cand_classes.index(c) for c in exact_classes]
        reports.append(QuantityReport("recurrent_classes", len(exact_classes), same,
                                      note="" if same else f"candidate has {len(cand_classes)} classes "
                                      f"{[sorted(c)[:3] for c in cand_classes]}, exact has {len(exact_classes)} "
                                      f"{[sorted(c)[:3] for c in exact_classes]}"))
    else:
        reports.append(QuantityReport("recurrent_classes", missing=True))
    if "absorbing" in candidate:
        try:
            cand_abs = {states[perm.index(int(str(j)))] for j in candidate["absorbing"]}
        except (ValueError, TypeError):
            raise InputError("$.absorbing must be a list of state indices") from None
        exact_abs = {states[i] for i in solution.absorbing}
        same = cand_abs == exact_abs
        reports.append(QuantityReport("absorbing", len(exact_abs), same,
                                      note="" if same else f"candidate {sorted(cand_abs)}, exact {sorted(exact_abs)}"))
    else:
        reports.append(QuantityReport("absorbing", missing=True))

    n_classes = len(exact_classes)
    # --- stationary laws (paired by class, or nearest)
    if "stationary" in candidate:
        raw = candidate["stationary"]
        if not isinstance(raw, list):
            raise InputError("$.stationary must be a list of laws")
        cand = [_vector(r, n, f"$.stationary[{c}]") for c, r in enumerate(raw)]
        note = order_note
        if len(cand) != n_classes:
            note = f"candidate has {len(cand)} stationary laws, exact has {n_classes}"
        if class_match is None or len(cand) != n_classes:
            class_match = _nearest(solution.stationary, [[law[p] for p in perm] for law in cand])
        errs = _Errors(tol, rtol)
        for c, pi in enumerate(solution.stationary):
            if class_match[c] is None:
                continue
            law = cand[class_match[c]]
            for i in range(n):
                errs.add(law[perm[i]], pi[i], f"stationary law {c}, state {label(i)}")
        rep = errs.report("stationary", note)
        if len(cand) != n_classes:
            rep = QuantityReport(**{**rep.__dict__, "within": False})
        reports.append(rep)
    else:
        reports.append(QuantityReport("stationary", missing=True))
    match = class_match if class_match is not None else list(range(n_classes))

    # --- barycenters
    d = solution.instance.size
    if "barycenters" in candidate:
        raw = candidate["barycenters"]
        if not isinstance(raw, list):
            raise InputError("$.barycenters must be a list of laws")
        cand = [_vector(r, d, f"$.barycenters[{c}]") for c, r in enumerate(raw)]
        errs = _Errors(tol, rtol)
        for c, b in enumerate(solution.barycenters):
            if match[c] is not None and match[c] < len(cand):
                for x in range(d):
                    errs.add(cand[match[c]][x], b[x], f"barycenter {c}, point {x}")
        reports.append(errs.report("barycenters"))
    else:
        reports.append(QuantityReport("barycenters", missing=True))

    # --- absorption probabilities (columns follow the class matching)
    if "absorption_probabilities" in candidate:
        raw = candidate["absorption_probabilities"]
        width = len(raw[0]) if isinstance(raw, list) and raw and isinstance(raw[0], list) else n_classes
        cand = _matrix(raw, n, width, "$.absorption_probabilities")
        errs = _Errors(tol, rtol)
        for i in range(n):
            for c in range(n_classes):
                if match[c] is not None and match[c] < width:
                    errs.add(cand[perm[i]][match[c]], solution.absorption_probabilities[i][c],
                             f"state {label(i)}, class {c}")
        note = "" if width == n_classes else f"candidate has {width} columns, exact has {n_classes}"
        rep = errs.report("absorption_probabilities", note)
        if width != n_classes:
            rep = QuantityReport(**{**rep.__dict__, "within": False})
        reports.append(rep)
    else:
        reports.append(QuantityReport("absorption_probabilities", missing=True))

    # --- expected absorption time
    if "expected_absorption_time" in candidate:
        cand_t = _vector(candidate["expected_absorption_time"], n, "$.expected_absorption_time")
        errs = _Errors(tol, rtol)
        for i in range(n):
            errs.add(cand_t[perm[i]], solution.expected_absorption_time[i], f"state {label(i)}")
        reports.append(errs.report("expected_absorption_time"))
    else:
        reports.append(QuantityReport("expected_absorption_time", missing=True))

    # --- kernel
    if "kernel" in candidate:
        cand_k = _matrix(candidate["kernel"], n, n, "$.kernel")
        errs = _Errors(tol, rtol)
        exact_k = solution.chain.matrix
        for i in range(n):
            for j in range(n):
                errs.add(cand_k[perm[i]][perm[j]], exact_k[i][j], f"P({label(i)} -> {label(j)})")
        reports.append(errs.report("kernel"))
    else:
        reports.append(QuantityReport("kernel", missing=True))
    return reports


def _nearest(exact: Sequence[Sequence[Fraction]], cand: Sequence[Sequence[Fraction]]) -> list[int | None]:
    """Pair each exact law with a distinct candidate law, greedily by max-abs distance."""
    free = set(range(len(cand)))
    out: list[int | None] = []
    for law in exact:
        if not free:
            out.append(None)
            continue
        best = min(free, key=lambda j: _max_distance(law, cand[j]))
        free.discard(best)
        out.append(best)
    return out


def _max_distance(law: Sequence[Fraction], other: Sequence[Fraction]) -> _Ratio:
    """``max_i |law_i - other_i|`` as an unreduced ratio (see :class:`_Ratio`)."""
    import flint

    worst = _Ratio(flint.fmpz(0), flint.fmpz(1))
    for x, y in zip(law, other):
        d = _Ratio(abs(flint.fmpz(x.numerator) * y.denominator - flint.fmpz(y.numerator) * x.denominator),
                   flint.fmpz(x.denominator) * y.denominator)
        if d > worst:
            worst = d
    return worst


def all_within(reports: Sequence[QuantityReport]) -> bool:
    return all(r.within for r in reports)
