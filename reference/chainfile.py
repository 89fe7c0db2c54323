"""Read an exact row-stochastic matrix from a JSON file (the ``analyse`` command's input).

Accepted forms::

    {"matrix": [["1/2", "1/2"], ["0", "1"]], "states": ["a", "b"]}   # labels optional
    [["1/2", "1/2"], ["0", "1"]]

Entries are strings (``"1/3"``, ``"0.25"``), JSON integers, or JSON decimals; a decimal
literal is read from its text, exactly (``0.1`` is 1/10, never the float).  Every error
names the JSON path of the bad value.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import InputError
from .rationals import parse_rational


class _Decimal(str):
    """A JSON number literal kept as text, to be parsed exactly."""


def read_chain_file(path: str | Path) -> tuple[tuple[tuple[Fraction, ...], ...], tuple[Any, ...]]:
    """``(matrix, labels)`` from the file; labels default to ``0..n-1``."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise InputError(f"chain file {str(path)!r} is unreadable: {exc.strerror or exc}") from None
    try:
        data = json.loads(text, parse_float=_Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"chain file {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if isinstance(data, list):
        rows, labels, where = data, None, "$"
    elif isinstance(data, dict) and "matrix" in data:
        rows, labels, where = data["matrix"], data.get("states"), "$.matrix"
        unknown = set(data) - {"matrix", "states", "format"}
        if unknown:
            raise InputError(f"chain file {str(path)!r} has unknown keys {sorted(unknown)}; allowed: matrix, states")
    else:
        raise InputError(f"chain file {str(path)!r} must hold a list of rows or an object with key \"matrix\"")
    if not isinstance(rows, list) or not rows:
        raise InputError(f"{where} must be a non-empty list of rows")
    n = len(rows)
    matrix = []
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise InputError(f"{where}[{i}] is not a list")
        if len(row) != n:
            raise InputError(f"{where}[{i}] has {len(row)} entries, not {n} (the matrix must be square)")
        matrix.append(tuple(_entry(v, f"{where}[{i}][{j}]") for j, v in enumerate(row)))
    if labels is not None:
        if not isinstance(labels, list) or len(labels) != n:
            raise InputError(f"$.states must be a list of {n} labels")
        labels = tuple(tuple(x) if isinstance(x, list) else x for x in labels)
    return tuple(matrix), tuple(labels or range(n))


def _entry(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{where} = {json.dumps(value)} is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):  # includes _Decimal literals
        return parse_rational(value, what=where)
    raise InputError(f"{where} = {json.dumps(value)} is not a number; allowed: \"p/q\", an integer or a decimal")


def _reject_constant(name: str) -> None:
    raise InputError(f"chain file contains {name}; only finite exact numbers are allowed")
