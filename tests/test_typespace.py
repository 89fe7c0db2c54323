from itertools import product
from math import comb

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.errors import InputError
from reference.typespace import TypeSpace, iter_types, number_of_types, rank_type, unrank_type


def brute_force_types(n, d):
    """All count vectors by brute force, sorted in reverse lexicographic order."""
    return sorted((k for k in product(range(n + 1), repeat=d) if sum(k) == n), reverse=True)


@pytest.mark.parametrize("n, d", [(1, 1), (1, 3), (4, 2), (3, 3), (5, 4), (2, 5)])
def test_enumeration_matches_brute_force(n, d):
    assert list(iter_types(n, d)) == brute_force_types(n, d)
    assert number_of_types(n, d) == comb(n + d - 1, d - 1) == len(brute_force_types(n, d))


def test_reference_order():
    # theory-reference §7 row 5 lists the N=3, d=3 types in this order
    assert TypeSpace(3, 3).types == ((3, 0, 0), (2, 1, 0), (2, 0, 1), (1, 2, 0), (1, 1, 1), (1, 0, 2),
                                     (0, 3, 0), (0, 2, 1), (0, 1, 2), (0, 0, 3))


@given(st.integers(1, 12), st.integers(1, 5), st.data())
def test_rank_unrank_roundtrip(n, d, data):
    types = list(iter_types(n, d))
    r = data.draw(st.integers(0, len(types) - 1))
    assert unrank_type(r, n, d) == types[r]
    assert rank_type(types[r]) == r


def test_rank_large_without_enumeration():
    # closed-form rank at a size far beyond enumeration; check against the composition count
    n, d = 10**6, 4
    assert rank_type((0, 0, 0, n)) == comb(n + d - 1, d - 1) - 1
    assert rank_type((n, 0, 0, 0)) == 0
    assert unrank_type(rank_type((5, 999_990, 2, 3)), n, d) == (5, 999_990, 2, 3)


def test_rank_rejects_non_types():
    space = TypeSpace(4, 2)
    for bad in [(3, 0), (5, -1), (1, 2, 1)]:
        with pytest.raises(InputError, match="is not a type"):
            space.rank(bad)
    with pytest.raises(IndexError):
        unrank_type(5, 4, 2)
