"""JSON forms of exact results: rationals as strings ``"p/q"`` (or ``"p"``).

The keys follow DESIGN.md's command-line contract; the shipped JSON Schemas
(``reference/schemas/*.schema.json``) describe them and the tests validate against them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fractions import Fraction
from importlib import resources
from typing import Any

from .chain import FiniteChain
from .parallel import Parts, start_in_parts
from .rationals import format_rational, format_rationals
from .solution import Certification, Evolution, Solution, bits_below

FORMAT_VERSION = 1


SPLIT_AT_BITS = 8_000_000
"""Total bits of the numbers above which their decimal digits are computed on all cores
(:func:`reference.parallel.start_in_parts`); below it a fork costs more than it saves
(~20 ms against ~90 ms of conversion at this size)."""


class Plain(list):  # type: ignore[type-arg]
    """A list of texts made of digits, signs and ``/`` only, which JSON writes unescaped
    (:func:`dumps` then skips scanning ~10^8 characters for quotes)."""


def _format_all(values: Sequence[Fraction]) -> list[str]:
    return format_rationals(values)


def rationals(values: Sequence[Fraction]) -> Plain:
    """``"p/q"`` texts; long answers (d = 2, N = 400: ~800 numbers of half a million bits) on all cores."""
    return start_matrix([values]).result()[0]


def matrix(rows: Sequence[Sequence[Fraction]]) -> list[Plain]:
    return start_matrix(rows).result()


class MatrixTexts:
    """The texts of a matrix of rationals, begun by :func:`start_matrix`; :meth:`result` finishes."""

    def __init__(self, rows: Sequence[Sequence[Fraction]], parts: Parts[str]) -> None:
        self._lengths, self._parts = [len(r) for r in rows], parts

    def result(self) -> list[Plain]:
        flat = self._parts.result()
        out, start = [], 0
        for length in self._lengths:
            out.append(Plain(flat[start:start + length]))
            start += length
        return out

    def discard(self) -> None:
        self._parts.discard()


def start_matrix(rows: Sequence[Sequence[Fraction]]) -> MatrixTexts:
    """Begin the texts of ``rows``: for long numbers the forked workers start on their parts at
    once (:func:`reference.parallel.start_in_parts`), so the caller can do other work
    before :meth:`MatrixTexts.result`."""
    flat = [v for r in rows for v in r]
    bits = sum(v.numerator.bit_length() + v.denominator.bit_length() for v in flat)
    return MatrixTexts(rows, start_in_parts(_format_all, flat, 1 if bits < SPLIT_AT_BITS else None))


def chain_to_json(chain: FiniteChain, kernel: bool = False, stationary: list[Plain] | None = None) -> dict[str, Any]:
    """The analysis of any finite chain (the ``analyse`` command's output).  ``stationary``:
    the stationary laws' texts when already made (:func:`start_matrix`)."""
    out: dict[str, Any] = {
        "format": f"collapse-reference/analyse/{FORMAT_VERSION}",
        "states": [_label(s) for s in chain.labels],
        "communication_classes": [list(c) for c in chain.communication_classes],
        "recurrent_classes": [list(c) for c in chain.recurrent_classes],
        "periods": list(chain.periods),
        "transient": list(chain.transient_states),
        "stationary": stationary if stationary is not None else matrix(chain.stationary_distributions),
        "absorbing": list(chain.absorbing_states),
        "absorption_probabilities": matrix(chain.absorption_probabilities),
        "expected_absorption_time": rationals(chain.expected_absorption_times),
    }
    if kernel:
        out["kernel"] = matrix(chain.matrix)
    return out


def solution_to_json(solution: Solution, kernel: bool = False, stationary: list[Plain] | None = None) -> dict[str, Any]:
    """``solve --json``: instance, states, classes, stationary laws, barycenters, absorption."""
    body = chain_to_json(solution.chain, kernel=kernel, stationary=stationary)
    body["format"] = f"collapse-reference/solve/{FORMAT_VERSION}"
    body["barycenters"] = matrix(solution.barycenters)
    if solution.certification is not None:
        body["certificate"] = certification_to_json(solution.certification)
    return {"instance": solution.instance.describe(), **body}


def certification_to_json(cert: Certification) -> dict[str, Any]:
    """``{"method", "error_probability_at_most", "trials"}``: how the answer was re-checked."""
    out: dict[str, Any] = {"method": cert.method, "description": cert.describe()}
    if cert.method == "identity":
        out["error_probability_at_most"] = f"2^-{bits_below(cert.error_bound)}"
        out["trials"] = [{"prime": str(p), "point": [str(x) for x in point]} for p, point in cert.trials]
    elif cert.method == "kernel":
        out["error_probability_at_most"] = "0"
    return out


def evolution_to_json(evolution: Evolution) -> dict[str, Any]:
    """``evolve --json``: the law of the state for ``n = 0..G`` and ``P(T <= n)``."""
    sol = evolution.solution
    return {
        "format": f"collapse-reference/evolve/{FORMAT_VERSION}",
        "instance": sol.instance.describe(),
        "start": list(sol.states[evolution.start]),
        "generations": len(evolution.laws) - 1,
        "states": [list(s) for s in sol.states],
        "laws": matrix(evolution.laws),
        "absorbed_by": rationals(evolution.absorbed_by),
        "barycenters": matrix(evolution.barycenters),
    }


def dumps(data: Any, indent: int = 0) -> str:
    """JSON text with objects and lists of lists indented, and flat lists on one line.

    >>> print(dumps({"states": [[1, 0], [0, 1]], "lam": "1/3"}))
    {
     "states": [
      [1, 0],
      [0, 1]
     ],
     "lam": "1/3"
    }

    Built as a list of fragments joined once: an exact law at d = 2, N = 400 is 133 MB of
    digits, and every intermediate copy of it costs a quarter of a second.
    """
    return "".join(dump_parts(data, indent))


def dump_parts(data: Any, indent: int = 0) -> list[str]:
    """:func:`dumps` as the list of its fragments, for writing without joining them first."""
    parts: list[str] = []
    _emit(data, indent, parts, True)
    return parts


def _emit(data: Any, indent: int, parts: list[str], pad_first: bool) -> None:
    pad, inner = " " * indent, " " * (indent + 1)
    if pad_first:
        parts.append(pad)
    if isinstance(data, dict) and data:
        parts.append("{\n")
        for i, (k, v) in enumerate(data.items()):
            parts.append(f"{inner}{json.dumps(k)}: ")
            _emit(v, indent + 1, parts, False)
            parts.append(",\n" if i + 1 < len(data) else "\n")
        parts.append(pad + "}")
    elif isinstance(data, list) and any(isinstance(v, (list, dict)) for v in data):
        parts.append("[\n")
        for i, v in enumerate(data):
            _emit(v, indent + 1, parts, True)
            parts.append(",\n" if i + 1 < len(data) else "\n")
        parts.append(pad + "]")
    elif data and (isinstance(data, Plain) or isinstance(data, list) and all(type(v) is str and _plain(v) for v in data)):
        parts.append('["')  # digits and signs need no escaping; long texts are not copied again
        for i, v in enumerate(data):
            parts.append(v)
            parts.append('", "' if i + 1 < len(data) else '"]')
    else:
        parts.append(json.dumps(data, separators=(", ", ": ")))


def _plain(text: str) -> bool:
    """True for strings JSON writes unchanged (printable ASCII without quote or backslash)."""
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def load_schema(name: str) -> dict[str, Any]:
    """The shipped JSON Schema ``name`` (``"solve"``, ``"evolve"`` or ``"analyse"``)."""
    text = resources.files("reference").joinpath("schemas", f"{name}.schema.json").read_text()
    return json.loads(text)


def _label(s: Any) -> Any:
    if isinstance(s, tuple):
        return [_label(x) for x in s]
    if isinstance(s, Fraction):
        return format_rational(s)
    return s
