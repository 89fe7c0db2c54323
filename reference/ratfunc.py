"""Rational functions of one variable over Q, on FLINT polynomials (``fmpq_poly``).

A small exact field for the symbolic-λ path: ``RationalFunction(num, den)`` kept in
lowest terms with a monic denominator, so equality is equality of rational functions.
It supports ``+ - * /`` with itself, ints and Fractions — all that the moment recursion
(:mod:`reference.moments`) needs.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint


def _poly(x: Any) -> flint.fmpq_poly:
    if isinstance(x, flint.fmpq_poly):
        return x
    if isinstance(x, Fraction):
        return flint.fmpq_poly([flint.fmpq(x.numerator, x.denominator)])
    if isinstance(x, int):
        return flint.fmpq_poly([x])
    if isinstance(x, flint.fmpq):
        return flint.fmpq_poly([x])
    raise TypeError(f"cannot make a polynomial of {type(x).__name__}")


class RationalFunction:
    """``num / den`` in lowest terms, ``den`` monic.

    >>> lam = RationalFunction.variable()
    >>> (1 - lam) / (1 - lam * lam)
    RationalFunction(1, x + 1)
    """

    __slots__ = ("num", "den")

    def __init__(self, num: Any, den: Any = 1, *, reduced: bool = False) -> None:
        num, den = _poly(num), _poly(den)
        if den == 0:
            raise ZeroDivisionError("rational function with zero denominator")
        if not reduced:
            g = num.gcd(den)
            if g != 1:
                num, den = num / g, den / g  # exact division by a common factor
            lead = den[den.degree()]
            if lead != 1:
                num, den = num / lead, den / lead
        self.num, self.den = num, den

    @classmethod
    def variable(cls) -> RationalFunction:
        return cls(flint.fmpq_poly([0, 1]), reduced=True)

    def _coerce(self, other: Any) -> RationalFunction:
        return other if isinstance(other, RationalFunction) else RationalFunction(_poly(other), reduced=True)

    def __add__(self, other: Any) -> RationalFunction:
        o = self._coerce(other)
        if self.den == o.den:
            return RationalFunction(self.num + o.num, self.den)
        return RationalFunction(self.num * o.den + o.num * self.den, self.den * o.den)

    __radd__ = __add__

    def __neg__(self) -> RationalFunction:
        return RationalFunction(-self.num, self.den, reduced=True)

    def __sub__(self, other: Any) -> RationalFunction:
        return self + (-self._coerce(other))

    def __rsub__(self, other: Any) -> RationalFunction:
        return self._coerce(other) - self

    def __mul__(self, other: Any) -> RationalFunction:
        o = self._coerce(other)
        return RationalFunction(self.num * o.num, self.den * o.den)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> RationalFunction:
        o = self._coerce(other)
        if o.num == 0:
            raise ZeroDivisionError("division by the zero rational function")
        return RationalFunction(self.num * o.den, self.den * o.num)

    def __rtruediv__(self, other: Any) -> RationalFunction:
        return self._coerce(other) / self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (int, Fraction, RationalFunction, flint.fmpq_poly)):
            o = self._coerce(other)
            return self.num == o.num and self.den == o.den
        return NotImplemented

    def __hash__(self) -> int:
        return hash((str(self.num), str(self.den)))

    def __call__(self, x: Fraction) -> Fraction:
        """The value at a rational point (ZeroDivisionError where the denominator vanishes)."""
        pt = flint.fmpq(x.numerator, x.denominator)
        d = self.den(pt)
        if d == 0:
            raise ZeroDivisionError(f"denominator vanishes at {x}")
        v = self.num(pt) / d
        return Fraction(int(v.p), int(v.q))

    def __repr__(self) -> str:
        return f"RationalFunction({self.num}, {self.den})"
