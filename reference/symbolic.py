"""The symbolic path: kernels and stationary laws as rational functions of λ (and of μ*).

Input is parsed by a strict grammar — names, exact numbers, ``+ - * /`` and parentheses —
into sympy expressions built from ``Symbol`` and ``Rational`` (never ``sympify`` or
``eval`` of user text).  ``λ`` is accepted as a name for ``lam``.

Two exact algebras run the same fraction-free factorial-moment recursion
(:func:`reference.moments.fraction_free_stationary`):

* λ the only symbol: FLINT polynomials ``fmpq_poly`` and rational functions
  :class:`~reference.ratfunc.RationalFunction` (d = 2, N = 30 in a fraction of a second);
* several symbols (e.g. ``--target p,1-p --lam lam``): sympy's sparse polynomial ring and
  fraction field over QQ (small sizes).

The result is generic: valid for every value of the symbols where no denominator
vanishes.  For λ alone the denominators divide ``Delta_N N!`` with
``Delta_N = prod_i (N^i - (N)_i (1-λ)^i)``; the solution reports, by exact root counting
(Sturm sequences) on each factor, where in [0, 1] they vanish — only at λ = 0, where the
stationary law is not unique.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import factorial, perm, prod
from typing import Any

import sympy

from .errors import InputError
from .moments import fraction_free_stationary
from .rationals import format_rational, parse_rational
from .typespace import Type, TypeSpace

MAX_TEXT = 500
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*|λ)|(?P<op>[-+*/()]))")


# ---------------------------------------------------------------------------- parsing
def parse_expression(text: str, what: str = "value") -> sympy.Expr:
    """Parse ``text`` by the grammar  expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
    factor := ('+'|'-') factor | number | name | '(' expr ')'.

    >>> parse_expression("1 - p/2", "--target entry 1")
    1 - p/2
    >>> parse_expression("λ")
    lam
    """
    if len(text) > MAX_TEXT:
        raise InputError(f"{what} is longer than {MAX_TEXT} characters")
    tokens: list[tuple[str, str]] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if not m or m.end() == pos:
            raise InputError(f"{what} {text.strip()!r}: unexpected {stripped[pos:].strip()[:10]!r}; allowed: names, "
                             "numbers, + - * / and parentheses")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    if not tokens:
        raise InputError(f"{what} is empty")
    it = {"i": 0}

    def peek() -> tuple[str, str] | None:
        return tokens[it["i"]] if it["i"] < len(tokens) else None

    def take() -> tuple[str, str]:
        tok = peek()
        if tok is None:
            raise InputError(f"{what} {text.strip()!r} ends too early")
        it["i"] += 1
        return tok

    def expr() -> sympy.Expr:
        value = term()
        while (tok := peek()) and tok[1] in "+-" and tok[0] == "op":
            take()
            value = value + term() if tok[1] == "+" else value - term()
        return value

    def term() -> sympy.Expr:
        value = factor()
        while (tok := peek()) and tok[0] == "op" and tok[1] in "*/":
            take()
            rhs = factor()
            if tok[1] == "/":
                if rhs == 0:
                    raise InputError(f"{what} {text.strip()!r} divides by zero")
                value = value / rhs
            else:
                value = value * rhs
        return value

    def factor() -> sympy.Expr:
        kind, tok = take()
        if kind == "op" and tok in "+-":
            value = factor()
            return value if tok == "+" else -value
        if kind == "num":
            q = parse_rational(tok, what=what)
            return sympy.Rational(q.numerator, q.denominator)
        if kind == "name":
            return sympy.Symbol("lam" if tok == "λ" else tok)
        if tok == "(":
            value = expr()
            if take()[1] != ")":
                raise InputError(f"{what} {text.strip()!r}: missing ')'")
            return value
        raise InputError(f"{what} {text.strip()!r}: unexpected {tok!r}")

    value = expr()
    if peek() is not None:
        raise InputError(f"{what} {text.strip()!r}: unexpected {peek()[1]!r}")
    return sympy.expand(value)


@dataclass(frozen=True)
class SymbolicInstance:
    """Target, samples, fresh fraction with sympy entries; ``symbols`` lists the names used."""

    target: tuple[sympy.Expr, ...]
    samples: int
    lam: sympy.Expr

    def __post_init__(self) -> None:
        total = sympy.expand(sum(self.target))
        if total != 1:
            raise InputError(f"target sums to {total}, not 1")
        for i, t in enumerate(self.target):
            if t.is_number and t < 0:
                raise InputError(f"target entry {i} = {t} is negative")
        if self.lam.is_number and not 0 <= self.lam <= 1:
            raise InputError(f"lam = {self.lam} is outside [0, 1]")
        if self.lam == 0:
            raise InputError("lam = 0: the symbolic path solves the generic lam > 0 chain; at lam = 0 the chain does "
                             "not depend on the target (use numbers)")
        if self.samples < 1:
            raise InputError(f"samples N = {self.samples} must be >= 1")

    @property
    def size(self) -> int:
        return len(self.target)

    @property
    def symbols(self) -> tuple[str, ...]:
        names = set()
        for e in (*self.target, self.lam):
            names |= {s.name for s in e.free_symbols}
        return tuple(sorted(names, key=lambda s: (s != "lam", s)))

    def describe(self) -> dict[str, Any]:
        return {"target": [str(t) for t in self.target], "samples": self.samples, "lam": str(self.lam),
                "estimator": "empirical", "mixing": "iid"}


# ---------------------------------------------------------------------------- algebras
class _FlintLam:
    """λ the only symbol: fmpq_poly ring, RationalFunction field."""

    def __init__(self) -> None:
        import flint

        from .ratfunc import RationalFunction

        self.flint, self.RF = flint, RationalFunction
        self.one = flint.fmpq_poly([1])
        self.symbol = sympy.Symbol("lam")
        self._factor_cache: dict[tuple[Any, ...], tuple[Any, list[tuple[Any, int]]]] = {}

    def element(self, expr: sympy.Expr) -> Any:
        poly = sympy.Poly(expr, self.symbol)
        coeffs = [self.flint.fmpq(int(c.p), int(c.q)) for c in reversed(poly.all_coeffs())]
        return self.flint.fmpq_poly(coeffs)

    def fraction(self, num: Any, den: Any) -> Any:
        return self.RF(num, den)

    def lift(self, ring_element: Any) -> Any:
        return self.RF(ring_element)

    def to_sympy(self, value: Any) -> sympy.Expr:
        if isinstance(value, self.RF):
            return self._poly_expr(value.num) / self._poly_expr(value.den)
        return self._poly_expr(value)

    def _poly_expr(self, p: Any) -> sympy.Expr:
        # one Add of all terms (a running sum re-sorts the growing expression at every step: quadratic)
        return sympy.Add(*(sympy.Rational(int(c.p), int(c.q)) * self.symbol**i for i, c in enumerate(p.coeffs()) if c != 0))

    def factored_text(self, value: Any) -> str:
        """:meth:`factored` as text, straight from FLINT's factors (no sympy expression):
        one rational constant, then the primitive irreducible factors over and under.

        >>> algebra = _FlintLam()
        >>> lam = algebra.RF.variable()
        >>> algebra.factored_text((lam - 1) * (lam - 1) * (lam + 2) / (4 * lam + 1)), algebra.factored_text(-lam / 2)
        ('(lam + 2)*(lam - 1)**2/(4*lam + 1)', '-1/2*lam')
        """
        constant, top, bottom = self._factored_parts(value)

        def product(factors: list[Any]) -> str:
            return "*".join((f"({t})" if " " in (t := _poly_text(f)) else t) + (f"**{int(e)}" if e != 1 else "") for f, e in factors)

        over, under = product(top), product(bottom)
        if constant == -1 and over:
            over = "-" + over
        elif constant != 1 or not over:
            over = format_rational(constant) + ("*" + over if over else "")
        return over if not under else f"{over}/({under})" if len(bottom) > 1 else f"{over}/{under}"

    def factored_latex(self, value: Any) -> str:
        """:meth:`factored` as LaTeX, straight from FLINT's factors like :meth:`factored_text`
        (sympy's ``latex`` of the factored expression took 11 s at d = 2, N = 30, and
        spread the constant over the first factor's coefficients).

        >>> algebra = _FlintLam()
        >>> lam = algebra.RF.variable()
        >>> print(algebra.factored_latex((lam - 1) * (lam - 1) * (lam + 2) / (4 * lam + 1)))
        \\frac{\\left(\\lambda + 2\\right) \\left(\\lambda - 1\\right)^{2}}{4 \\lambda + 1}
        >>> print(algebra.factored_latex(-lam / 2), algebra.factored_latex((3 * lam + 1) / 2))
        - \\frac{\\lambda}{2} \\frac{3 \\lambda + 1}{2}
        """
        constant, top, bottom = self._factored_parts(value)

        def group(number: int, factors: list[tuple[Any, int]], always: bool, signed: bool = False) -> list[str]:
            """The number (unless 1) and the factors, a sum in parentheses unless it stands
            alone (and not after a minus sign)."""
            out = [str(number)] if number != 1 or (always and not factors) else []
            alone = len(out) + len(factors) == 1 and not signed
            for poly, exponent in factors:
                body = _poly_text(poly, latex=True)
                if (exponent != 1 or not alone) and body != r"\lambda":
                    body = r"\left(" + body + r"\right)"
                out.append(body + (f"^{{{exponent}}}" if exponent != 1 else ""))
            return out

        under = group(constant.denominator, [(f, int(e)) for f, e in bottom], always=False)
        over = group(abs(constant.numerator), [(f, int(e)) for f, e in top], always=True, signed=constant < 0 and not under)
        body = " ".join(over) if not under else rf"\frac{{{' '.join(over)}}}{{{' '.join(under)}}}"
        return ("- " if constant < 0 else "") + body

    def _factored_parts(self, value: Any) -> tuple[Fraction, list[tuple[Any, int]], list[tuple[Any, int]]]:
        """``(constant, factors over, factors under)``: ``value`` as one rational constant times
        primitive integer polynomials (:meth:`_factor`) with their exponents."""
        num, den = (value.num, value.den) if isinstance(value, self.RF) else (self.flint.fmpq_poly(value), self.one)
        (c_num, top), (c_den, bottom) = self._factor(num), self._factor(den)
        return Fraction(int(c_num.p), int(c_num.q)) / Fraction(int(c_den.p), int(c_den.q)), top, bottom

    FULL_FACTOR_DEGREE = 100
    """Polynomials up to this degree are split into irreducible factors; longer ones (the
    numerators from d = 2, N ~ 25 on: degree ~460 at N = 30, 0.13 s each to factor, and
    irreducible apart from a power of lam) into a power of lam and square-free parts."""

    def _factor(self, poly: Any) -> tuple[Any, list[tuple[Any, int]]]:
        """``(content, [(factor, exponent), ...])`` of ``poly``: irreducible factors (FLINT) up to
        :attr:`FULL_FACTOR_DEGREE`, else lam's power and square-free parts; a denominator
        shared by many entries is factored once."""
        key = tuple(poly.coeffs())
        if key not in self._factor_cache:
            if poly.degree() <= self.FULL_FACTOR_DEGREE:
                self._factor_cache[key] = poly.factor()
            else:
                shift = next(i for i, c in enumerate(poly.coeffs()) if c != 0)
                content, parts = (poly // self.flint.fmpq_poly([0] * shift + [1])).factor_squarefree()
                lam_power = [(self.flint.fmpq_poly([0, 1]), shift)] if shift else []
                self._factor_cache[key] = (content, lam_power + [(f, e) for f, e in parts if f.degree() > 0])
        return self._factor_cache[key]

    def factored(self, value: Any) -> sympy.Expr:
        """``value`` as a product of its factors over QQ (:meth:`_factor`), by FLINT's
        polynomial factorisation (sympy's ``factor`` took minutes at d = 2, N = 30)."""
        num, den = (value.num, value.den) if isinstance(value, self.RF) else (self.flint.fmpq_poly(value), self.one)
        out = sympy.Integer(1)
        for poly, sign in ((num, 1), (den, -1)):
            content, factors = self._factor(poly)
            out *= sympy.Rational(int(content.p), int(content.q)) ** sign
            for f, e in factors:
                out *= self._poly_expr(f) ** (sign * int(e))
        return out

    def to_text(self, value: Any) -> str:
        """``value`` as text sympy parses back, straight from its coefficients: it is already
        in lowest terms with a monic denominator (:class:`RationalFunction`), so no sympy
        ``cancel`` is needed (d = 2, N = 30: the JSON took 108 s through sympy, 0.1 s so).

        >>> algebra = _FlintLam()
        >>> lam = algebra.RF.variable()
        >>> [algebra.to_text(v) for v in (lam * 0 + algebra.RF(3) / 4, (1 - lam) / (2 + lam * lam), 2 * lam - 1)]
        ['3/4', '(-lam + 1)/(lam**2 + 2)', '2*lam - 1']
        """
        if isinstance(value, self.RF):
            num, den = _poly_text(value.num), _poly_text(value.den)
            if den == "1":
                return num
            return f"({num})/({den})"
        return _poly_text(self.flint.fmpq_poly(value))


def _poly_text(p: Any, latex: bool = False) -> str:
    """A FLINT polynomial in ``lam`` as sympy-style text (``-lam + 1``), or with ``latex`` as
    LaTeX in ``\\lambda`` (``- \\lambda + 1``), highest degree first."""
    terms = []
    for i in range(p.degree(), -1, -1):
        c = p[i]
        if c == 0:
            continue
        if latex:
            size = str(abs(c.p)) if c.q == 1 else rf"\frac{{{abs(c.p)}}}{{{c.q}}}"
            power = "" if i == 0 else r"\lambda" if i == 1 else rf"\lambda^{{{i}}}"
        else:
            size = str(abs(c))  # FLINT writes a rational as p/q (or p), as sympy reads it
            power = "" if i == 0 else "lam" if i == 1 else f"lam**{i}"
        body = size if not power else power if size == "1" else f"{size}{' ' if latex else '*'}{power}"
        terms.append((c < 0, body))
    if not terms:
        return "0"
    lead = ("- " if latex else "-") if terms[0][0] else ""
    return lead + terms[0][1] + "".join(f" {'-' if negative else '+'} {body}" for negative, body in terms[1:])


class _SympyRing:
    """Several symbols: sympy's sparse polynomial ring and fraction field over QQ."""

    def __init__(self, names: Sequence[str]) -> None:
        from sympy.polys.fields import field as make_field
        from sympy.polys.rings import ring as make_ring

        self.ring = make_ring(",".join(names), sympy.QQ)[0]
        self.field = make_field(",".join(names), sympy.QQ)[0]
        self.one = self.ring.one

    def element(self, expr: sympy.Expr) -> Any:
        return self.ring.from_expr(expr)

    def fraction(self, num: Any, den: Any) -> Any:
        return self.field(num) / self.field(den)

    def lift(self, ring_element: Any) -> Any:
        return self.field(ring_element)

    def to_sympy(self, value: Any) -> sympy.Expr:
        return value.as_expr()


# ---------------------------------------------------------------------------- solution
@dataclass(frozen=True)
class SymbolicSolution:
    """The generic (λ > 0) chain of a symbolic instance, solved as rational functions."""

    instance: SymbolicInstance
    algebra: Any = field(repr=False)

    @cached_property
    def space(self) -> TypeSpace:
        return TypeSpace(self.instance.samples, self.instance.size)

    @property
    def states(self) -> tuple[Type, ...]:
        return self.space.types

    @cached_property
    def _ring_target(self) -> list[Any]:
        return [self.algebra.element(t) for t in self.instance.target]

    @cached_property
    def _ring_lam(self) -> Any:
        return self.algebra.element(self.instance.lam)

    @cached_property
    def kernel(self) -> list[list[Any]]:
        """``P(k, k')`` as polynomials: ``N!/prod k'! prod_x (lam mu*_x + (1-lam) k_x/N)^{k'_x}``."""
        n, one = self.instance.samples, self.algebra.one
        lam, target = self._ring_lam, self._ring_target
        inv_n = self.algebra.element(sympy.Rational(1, n))
        rows = []
        for k in self.states:
            q = [lam * t + (one - lam) * (inv_n * k[x]) for x, t in enumerate(target)]
            powers = [[one] for _ in q]
            for x in range(len(q)):
                for _ in range(n):
                    powers[x].append(powers[x][-1] * q[x])
            rows.append([prod((powers[x][c] for x, c in enumerate(k2)), start=one)
                         * (factorial(n) // prod(factorial(c) for c in k2)) for k2 in self.states])
        return rows

    @cached_property
    def support(self) -> tuple[int, ...]:
        """Points of S where the target is not identically 0."""
        return tuple(x for x, t in enumerate(self.instance.target) if t != 0)

    @cached_property
    def recurrent_class(self) -> tuple[int, ...]:
        """Generically (λ > 0) one closed class: the types supported in supp μ*."""
        sup = set(self.support)
        return tuple(i for i, k in enumerate(self.states) if all(c == 0 or x in sup for x, c in enumerate(k)))

    @cached_property
    def stationary(self) -> list[Any]:
        """The stationary law over all types, as reduced rational functions."""
        n, one = self.instance.samples, self.algebra.one
        lam = self._ring_lam
        a = [lam * t * n for t in self._ring_target[:-1]]
        nums, common = fraction_free_stationary(a, one - lam, one * n, n, one)
        return [self.algebra.fraction(x, common) for x in nums]

    @cached_property
    def barycenter(self) -> list[Any]:
        n = self.instance.samples
        return [sum((p * k[x] for p, k in zip(self.stationary, self.states) if k[x]), self.algebra.lift(self.algebra.one) * 0)
                / n for x in range(self.instance.size)]

    @cached_property
    def covariance(self) -> list[list[Any]]:
        n, d = self.instance.samples, self.instance.size
        zero = self.algebra.lift(self.algebra.one) * 0
        mean = self.barycenter
        return [[sum((p * (k[x] * k[y]) for p, k in zip(self.stationary, self.states) if k[x] and k[y]), zero) / (n * n)
                 - mean[x] * mean[y] for y in range(d)] for x in range(d)]

    @cached_property
    def expected_absorption_time(self) -> list[Any]:
        """``E T`` per state: 0 on the recurrent class; on transient types, ``(I - Q) t = 1`` over the fraction field."""
        rec = set(self.recurrent_class)
        transient = [i for i in range(len(self.states)) if i not in rec]
        zero = self.algebra.lift(self.algebra.one) * 0
        out = [zero] * len(self.states)
        if not transient:
            return out
        from sympy.polys.matrices import DomainMatrix

        syms = [sympy.Symbol(s) for s in self.instance.symbols]
        dom = sympy.QQ.frac_field(*syms)
        conv = lambda e: dom.from_sympy(self.algebra.to_sympy(e))  # noqa: E731
        a = [[conv(self.algebra.lift((self.algebra.one if r == s else self.algebra.one * 0) - self.kernel[t][u]))
              for s, u in enumerate(transient)] for r, t in enumerate(transient)]
        b = [[dom.one] for _ in transient]
        x = DomainMatrix(a, (len(a), len(a)), dom).lu_solve(DomainMatrix(b, (len(b), 1), dom)).to_list()
        for r, t in enumerate(transient):
            out[t] = _FromSympy(dom.to_sympy(x[r][0]))
        return out

    @cached_property
    def invalid_lam(self) -> list[str]:
        """Where in [0, 1] the generic answer is invalid.

        For λ alone: every reduced denominator divides ``prod_i (N^i - (N)_i (1-λ)^i)``;
        the roots of each factor in [0, 1] are counted exactly (Sturm), and each root found
        is tested against the actual denominators.  The factors' only root in [0, 1] is
        λ = 0 (``(1-λ)^i = N^i/(N)_i >= 1``), where the stationary law is not unique.
        """
        lam = sympy.Symbol("lam")
        notes = ["lam = 0: the chain has several stationary laws there (Section IV); the generic formula is not "
                 "the answer at lam = 0"]
        if self.instance.symbols != ("lam",) or self.instance.lam != lam:
            return notes + ["generic in the target symbols: valid wherever no denominator vanishes"]
        n = self.instance.samples
        candidates: set[Fraction] = set()
        one_minus_lam = self.algebra.flint.fmpz_poly([1, -1]) if hasattr(self.algebra, "flint") else None
        for i in range(1, n + 1):
            if one_minus_lam is not None:  # built by FLINT (sympy's expand of (1 - lam)^i took 0.7 s at N = 30)
                coeffs = self.algebra.flint.fmpz_poly([n**i]) - perm(n, i) * one_minus_lam**i
                factor_i = sympy.Poly.from_list([int(c) for c in reversed(coeffs.coeffs())], lam)
            else:
                factor_i = sympy.Poly(sympy.expand(n**i - sympy.ff(n, i) * (1 - lam) ** i), lam)
            for (low, high), _ in factor_i.intervals(inf=0, sup=1):
                if low == high:
                    candidates.add(Fraction(int(low.p), int(low.q)))
                else:
                    notes.append(f"factor {i} has a root in [{low}, {high}]")
        dens = [p.den for p in self.stationary]
        for c in sorted(candidates):
            pt = self.algebra.flint.fmpq(c.numerator, c.denominator)
            if any(den(pt) == 0 for den in dens):
                notes.append(f"a denominator of the stationary law vanishes at lam = {c}")
            else:
                notes.append(f"no denominator of the stationary law vanishes at lam = {c} (it cancels)")
        return notes

    def _repr_latex_(self) -> str:
        return symbolic_latex(self)

    def value(self, element: Any) -> sympy.Expr:
        if isinstance(element, _FromSympy):
            return element.expr
        return sympy.cancel(self.algebra.to_sympy(element))

    def factored_text(self, element: Any) -> str:
        """:meth:`factored` as text (for one symbol straight from FLINT's factors)."""
        text = getattr(self.algebra, "factored_text", None)
        return text(element) if text is not None and not isinstance(element, _FromSympy) else str(self.factored(element))

    def factored_latex(self, element: Any) -> str:
        """:meth:`factored` as LaTeX (for one symbol straight from FLINT's factors)."""
        latex = getattr(self.algebra, "factored_latex", None)
        return latex(element) if latex is not None and not isinstance(element, _FromSympy) else tex(self.factored(element))

    def factored(self, element: Any) -> sympy.Expr:
        """``element`` factored over QQ (FLINT for one symbol, sympy's ``factor`` for several)."""
        if isinstance(element, _FromSympy):
            return sympy.factor(element.expr)
        factored = getattr(self.algebra, "factored", None)
        return factored(element) if factored is not None else sympy.factor(self.value(element))


@dataclass(frozen=True)
class _FromSympy:
    expr: sympy.Expr


def solve_symbolic(instance: SymbolicInstance) -> SymbolicSolution:
    names = instance.symbols
    algebra: Any
    if names == ("lam",):
        algebra = _FlintLam()
    elif names:
        algebra = _SympyRing(names)
    else:
        raise InputError("no symbol given; the numeric path handles this instance")
    return SymbolicSolution(instance, algebra)


def symbolic_to_json(sol: SymbolicSolution, kernel: bool = False) -> dict[str, Any]:
    """The ``solve --json`` keys with each entry a string sympy parses back."""
    to_text = getattr(sol.algebra, "to_text", None)
    s = (lambda e: str(sol.value(e))) if to_text is None else (  # noqa: E731
        lambda e: e.expr.__str__() if isinstance(e, _FromSympy) else to_text(e))
    n_states = len(sol.states)
    rec = sol.recurrent_class
    out: dict[str, Any] = {
        "format": "collapse-reference/solve-symbolic/1",
        "instance": sol.instance.describe(),
        "symbols": list(sol.instance.symbols),
        "valid_for": "every value of the symbols with lam in (0, 1] where no denominator vanishes",
        "denominators_vanishing_in_[0,1]": sol.invalid_lam,
        "states": [list(k) for k in sol.states],
        "recurrent_classes": [list(rec)],
        "transient": [i for i in range(n_states) if i not in set(rec)],
        "stationary": [[s(p) for p in sol.stationary]],
        "barycenters": [[s(b) for b in sol.barycenter]],
        "variances": [[s(sol.covariance[x][x]) for x in range(sol.instance.size)]],
        "absorbing": [i for i in rec if len(rec) == 1],
        "absorption_probabilities": [["1"] for _ in range(n_states)],
        "expected_absorption_time": [s(t) for t in sol.expected_absorption_time],
    }
    if kernel:
        out["kernel"] = [[str(sympy.expand(sol.algebra.to_sympy(p))) for p in row] for row in sol.kernel]
    return out


def tex(expr: sympy.Expr) -> str:
    """LaTeX with the symbol ``lam`` shown as ``\\lambda``."""
    return sympy.latex(expr, symbol_names={sympy.Symbol("lam"): r"\lambda"})


def symbolic_latex(sol: SymbolicSolution, kernel: bool = False) -> str:
    """A LaTeX fragment for a handout: the instance, the stationary law, the barycenter (and the kernel)."""
    inst = sol.instance
    lines = [r"\begin{flushleft}",
             rf"Target $\mu^* = ({', '.join(tex(t) for t in inst.target)})$, $N = {inst.samples}$, "
             rf"$\lambda = {tex(inst.lam)}$.\\",
             r"Stationary law (valid for $\lambda \in (0, 1]$):",
             r"\[ \begin{array}{ll} k & \pi(k) \\ \hline"]
    for k, p in zip(sol.states, sol.stationary):
        lines.append(rf"({','.join(map(str, k))}) & {sol.factored_latex(p)} \\")
    lines.append(r"\end{array} \]")
    lines.append(r"Barycenter: \[ \textstyle\sum_k \pi(k)\, k/N = ("
                 + ", ".join(sol.factored_latex(b) for b in sol.barycenter) + r") \]")
    if kernel:
        rows = r" \\ ".join(" & ".join(sol.factored_latex(p) for p in row) for row in sol.kernel)
        lines.append(r"Kernel: \[ P = \left[\begin{matrix}" + rows + r"\end{matrix}\right] \]")
    lines.append(r"\end{flushleft}")
    return "\n".join(lines)


def parse_symbolic_instance(target: str, samples: int, lam: str) -> SymbolicInstance:
    """The instance from command-line text; numbers stay exact, names become symbols."""
    entries = [e for e in target.split(",")]
    if any(e.strip() == "" for e in entries):
        raise InputError(f"--target {target!r} has an empty entry")
    return SymbolicInstance(target=tuple(parse_expression(e, f"--target entry {i}") for i, e in enumerate(entries)),
                            samples=samples, lam=parse_expression(lam, "--lam"))


def estimate_seconds(instance: SymbolicInstance) -> float:
    """A rough cost estimate (measured on the 2-core reference machine, benchmarks/bench_symbolic.py)."""
    n = instance.samples
    states = TypeSpace(n, instance.size).__len__()
    if instance.symbols == ("lam",):
        return 1.2e-7 * states * n**4
    return 3.5 * (states / 11) ** 5 * 2 ** max(len(instance.symbols) - 2, 0)


def symbolic_report(sol: SymbolicSolution) -> str:
    """Human output: the instance, validity, the stationary law and barycenter as rational functions."""
    from .report import table

    inst = sol.instance
    rows = [["(" + ",".join(map(str, k)) + ")", sol.factored_text(p)] for k, p in zip(sol.states, sol.stationary)]
    return "\n".join([
        f"Instance: target mu* = ({', '.join(map(str, inst.target))}), samples N = {inst.samples}, "
        f"fresh fraction lam = {inst.lam}; symbols: {', '.join(inst.symbols)}",
        "generic answer, valid for lam in (0, 1] wherever no denominator vanishes:",
        *("  " + note for note in sol.invalid_lam),
        f"{len(sol.states)} states; recurrent class: the {len(sol.recurrent_class)} types supported in supp mu*",
        "",
        table(["state", "pi(k)"], rows),
        "",
        "barycenter (Theorem III.3: mu* identically): (" + ", ".join(sol.factored_text(b) for b in sol.barycenter) + ")",
    ])
