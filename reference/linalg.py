"""Exact linear algebra behind one small interface, with two interchangeable backends.

* ``flint`` (default): FLINT's ``fmpq_mat`` through python-flint, compiled and
  fraction-free inside; measured 9-370x faster than sympy's pure-Python LU on our systems
  (``benchmarks/bench_linalg.py``).
* ``sympy``: sympy's dense ``DDM`` over ``QQ`` (pure-Python LU), a different code base and
  algorithm, kept for cross-checking (the tests solve many cases with both and demand
  identical answers).  We call ``DDM`` explicitly: a plain ``DomainMatrix`` over ``QQ``
  silently delegates to FLINT when python-flint is installed, which would make the
  cross-check a check of FLINT against itself.

Matrices cross the interface as lists of rows of :class:`fractions.Fraction`; nothing
here ever sees a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Protocol

from .errors import CheckFailed, InputError
from .lowest_terms import coprime_fraction

Matrix = Sequence[Sequence[Fraction]]


class Backend(Protocol):
    name: str

    def solve(self, a: Matrix, b: Matrix) -> list[list[Fraction]]:
        """``X`` with ``A X = B`` for square nonsingular ``A``."""
        ...

    def propagate(self, law: Sequence[Fraction], matrix: Matrix, steps: int) -> list[list[Fraction]]:
        """``[law P^0, law P^1, ..., law P^steps]`` (row vector times matrix)."""
        ...


class _MatrixBackend:
    """What both backends share: conversion hooks and the row-vector propagation."""

    def _mat(self, rows: Matrix) -> Any:
        raise NotImplementedError

    @staticmethod
    def _rows(m: Any) -> list[list[Fraction]]:
        raise NotImplementedError

    @staticmethod
    def _mul(a: Any, b: Any) -> Any:
        raise NotImplementedError

    def propagate(self, law: Sequence[Fraction], matrix: Matrix, steps: int) -> list[list[Fraction]]:
        p = self._mat(matrix)
        v = self._mat([list(law)])
        out = [self._rows(v)[0]]
        for _ in range(steps):
            v = self._mul(v, p)
            out.append(self._rows(v)[0])
        return out


class FlintBackend(_MatrixBackend):
    """FLINT ``fmpq_mat`` (python-flint)."""

    name = "flint"

    def __init__(self) -> None:
        import flint

        self._flint = flint

    def _mat(self, rows: Matrix):
        flint = self._flint
        n_rows = len(rows)
        n_cols = len(rows[0]) if n_rows else 0
        entries = [flint.fmpq(x.numerator, x.denominator) for row in rows for x in row]
        return flint.fmpq_mat(n_rows, n_cols, entries)

    @staticmethod
    def _rows(m) -> list[list[Fraction]]:
        n_rows, n_cols = m.nrows(), m.ncols()
        flat = m.entries()
        # FLINT keeps its rationals in lowest terms: skip Fraction's gcd (Python's own, slow on
        # the 10^4-10^5-bit numbers of an exact evolution)
        return [
            [coprime_fraction(int(e.p), int(e.q)) for e in flat[i * n_cols : (i + 1) * n_cols]]
            for i in range(n_rows)
        ]

    def solve(self, a: Matrix, b: Matrix) -> list[list[Fraction]]:
        if not a:
            return []
        try:
            x = self._mat(a).solve(self._mat(b))
        except ZeroDivisionError as exc:  # FLINT raises this for a singular matrix
            raise CheckFailed(f"singular linear system of size {len(a)} (flint): {exc}") from None
        return self._rows(x)

    @staticmethod
    def _mul(a: Any, b: Any) -> Any:
        return a * b


class SympyBackend(_MatrixBackend):
    """sympy's dense pure-Python ``DDM`` over ``QQ`` (independent of FLINT's algorithms)."""

    name = "sympy"

    def __init__(self) -> None:
        from sympy import QQ
        from sympy.polys.matrices import DomainMatrix

        self._qq = QQ
        self._dm = DomainMatrix

    def _mat(self, rows: Matrix):
        qq = self._qq
        data = [[qq(x.numerator, x.denominator) for x in row] for row in rows]
        shape = (len(rows), len(rows[0]) if rows else 0)
        return self._dm(data, shape, qq).to_ddm()

    @staticmethod
    def _rows(m) -> list[list[Fraction]]:
        return [[Fraction(int(e.numerator), int(e.denominator)) for e in row] for row in m]

    def solve(self, a: Matrix, b: Matrix) -> list[list[Fraction]]:
        if not a:
            return []
        from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError

        try:
            x = self._mat(a).lu_solve(self._mat(b))
        except DMNonInvertibleMatrixError as exc:
            raise CheckFailed(f"singular linear system of size {len(a)} (sympy): {exc}") from None
        return self._rows(x)

    @staticmethod
    def _mul(a: Any, b: Any) -> Any:
        return a.matmul(b)


BACKENDS = ("flint", "sympy")


def get_backend(name: str = "flint") -> Backend:
    """The backend called ``name`` (one of :data:`BACKENDS`)."""
    if name == "flint":
        return FlintBackend()
    if name == "sympy":
        return SympyBackend()
    raise InputError(f"backend {name!r} is unknown; allowed: {', '.join(BACKENDS)}")
