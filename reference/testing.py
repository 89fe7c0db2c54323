"""A testing kit for other implementations: Hypothesis strategies and an exact assertion.

In your own test suite::

    from hypothesis import given
    from reference.testing import instances, assert_matches_reference

    @given(instances(max_states=50))
    def test_my_solver(inst):
        assert_matches_reference(my_solver(inst), inst, tol=1e-10)

``my_solver`` returns a dict with any of the keys of ``collapse-ref solve --json``
(floats, numpy floats, decimal or ``"p/q"`` strings); states are matched by count vector
(``"states"``), or taken in the canonical order when absent.  Hypothesis is imported
only when a strategy is built, so importing this module costs nothing.

This module is deliberately not registered as a pytest plugin: a plugin would be
imported into every pytest session of any environment where the package is installed,
and the kit is two plain functions.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Any

from .compare import compare
from .model import Instance
from .rationals import format_rational, format_scientific, parse_rational
from .solution import solve


def exact_laws(size: int, max_denominator: int = 12, full_support: bool = False) -> Any:
    """A Hypothesis strategy for laws on ``{0..size-1}`` with small exact denominators (zeros allowed unless ``full_support``)."""
    from hypothesis import strategies as st

    low = 1 if full_support else 0
    weights = st.lists(st.integers(low, max_denominator), min_size=size, max_size=size).filter(lambda w: sum(w) > 0)
    return weights.map(lambda w: tuple(Fraction(x, sum(w)) for x in w))


def instances(max_states: int = 50, max_size: int = 4, max_samples: int = 8, lam: Fraction | None = None) -> Any:
    """A Hypothesis strategy for instances with at most ``max_states`` types.

    ``lam`` fixes the fresh fraction; by default it is drawn from ``{0, 1}`` and small
    rationals in between.
    """
    from hypothesis import strategies as st

    lams = st.just(Fraction(lam)) if lam is not None else st.one_of(
        st.sampled_from([Fraction(0), Fraction(1)]),
        st.builds(Fraction, st.integers(1, 9), st.integers(1, 9)).filter(lambda x: x < 1))

    @st.composite
    def build(draw: Any) -> Instance:
        d = draw(st.integers(1, max_size))
        sizes = [n for n in range(1, max_samples + 1) if comb(n + d - 1, d - 1) <= max_states]
        n = draw(st.sampled_from(sizes or [1]))
        return Instance(target=draw(exact_laws(d)), samples=n, lam=draw(lams))

    return build()


def assert_matches_reference(result: dict[str, Any], instance: Instance, tol: float | Fraction | str = Fraction(1, 10**10),
                             rtol: float | Fraction | str = 0) -> None:
    """Raise ``AssertionError`` naming the quantity, state, value and error where ``result`` differs from the exact answer.

    A quantity absent from ``result`` is not checked.  ``tol``/``rtol`` are absolute and
    relative tolerances (``|candidate - exact| <= tol + rtol |exact|``).
    """
    to_exact = lambda t: t if isinstance(t, Fraction) else parse_rational(str(t), what="tolerance")  # noqa: E731
    reports = compare(_plain(result), solve(instance), to_exact(tol), to_exact(rtol))
    bad = [r for r in reports if not r.within]
    if bad:
        lines = []
        for r in bad:
            if r.worst_abs is None:
                lines.append(f"{r.quantity}: {r.note}")
            else:
                lines.append(f"{r.quantity}: at {r.where} the result is {_show(r.candidate)} but the exact value is "
                             f"{format_rational(r.exact)} (error {format_scientific(r.worst_abs)})")
        raise AssertionError("result differs from the exact reference:\n  " + "\n  ".join(lines))


def _show(x: Fraction | None) -> str:
    return "?" if x is None else format_scientific(x, 12)


def _plain(value: Any) -> Any:
    """numpy arrays and scalars to lists and str, so compare() reads them exactly."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    return value
