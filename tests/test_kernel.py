"""The kernel against hand computation and the multinomial formula written out independently."""

from fractions import Fraction as F
from math import factorial, prod

import pytest

from reference import Instance, kernel_rows, kernel_states
from tests.conftest import law


def multinomial(n, q, k):
    """Mult(n, q)(k) from the textbook formula, with Fraction powers (no integer scaling)."""
    return F(factorial(n), prod(factorial(c) for c in k)) * prod((qx ** c for qx, c in zip(q, k)), start=F(1))


@pytest.mark.parametrize("target, n, lam", [(law("1/4", "3/4"), 4, F(1, 3)), (law("1/2", "1/3", "1/6"), 3, F(1, 5)),
                                            (law("1/2", "1/2", "0"), 3, F(1, 2)), (law("1/3", "2/3"), 5, F(0))])
def test_kernel_is_multinomial_of_mixed_law(target, n, lam):
    inst = Instance(target=target, samples=n, lam=lam)
    rows = kernel_rows(inst)
    states = kernel_states(inst)
    for k, row in zip(states, rows):
        assert sum(row) == 1
        q = [lam * t + (1 - lam) * F(c, n) for t, c in zip(target, k)]
        for k2, p in zip(states, row):
            assert p == multinomial(n, q, k2)


def test_hand_computed_n2_d2():
    # N=2, lam=1/2, mu*=(1/2,1/2): from (2,0), q = (3/4, 1/4): (9/16, 6/16, 1/16)
    rows = kernel_rows(Instance(target=law("1/2", "1/2"), samples=2, lam=F(1, 2)))
    assert rows[0] == (F(9, 16), F(3, 8), F(1, 16))
    assert rows[1] == (F(1, 4), F(1, 2), F(1, 4))
    assert rows[2] == (F(1, 16), F(3, 8), F(9, 16))


def test_n1_kernel():
    # N = 1: P(e_x, e_y) = lam mu*_y + (1 - lam) [x = y]
    target, lam = law("1/2", "1/3", "1/6"), F(2, 7)
    rows = kernel_rows(Instance(target=target, samples=1, lam=lam))
    for x in range(3):
        for y in range(3):
            assert rows[x][y] == lam * target[y] + (1 - lam) * (x == y)


def test_lam_one_rows_are_the_target_multinomial():
    target = law("1/5", "4/5")
    rows = kernel_rows(Instance(target=target, samples=3, lam=F(1)))
    expected = tuple(multinomial(3, target, k) for k in [(3, 0), (2, 1), (1, 2), (0, 3)])
    assert all(row == expected for row in rows)


@pytest.mark.parametrize("target, n, lam", [(law("1/4", "3/4"), 4, F(1, 3)), (law("1/2", "1/3", "1/6"), 3, F(1, 5)),
                                            (law("1/2", "1/2", "0"), 3, F(1, 2)), (law("1/3", "2/3"), 5, F(0)),
                                            (law("1/10", "1/5", "3/10", "2/5"), 2, F(1))])
def test_integer_kernel_equals_the_generic_builder(target, n, lam):
    from reference.kernel import build_chain, integer_kernel

    inst = Instance(target=target, samples=n, lam=lam)
    rows, scale = integer_kernel(inst)
    assert [[F(a, scale) for a in row] for row in rows] == [list(r) for r in kernel_rows(inst)]
    chain = build_chain(inst)
    assert [tuple(r) for r in chain.matrix] == list(kernel_rows(inst))   # lazily made Fractions
