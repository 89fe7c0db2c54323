from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.errors import InputError
from reference.report import MAX_EXACT_CHARS, cell
from reference.rationals import format_decimal, format_rational, parse_counts, parse_law, parse_probability, parse_rational


@pytest.mark.parametrize(
    "text, value",
    [("1/3", F(1, 3)), ("0.25", F(1, 4)), ("2", F(2)), ("-3/6", F(-1, 2)), (".5", F(1, 2)), ("1.", F(1)),
     ("2.5e-3", F(1, 400)), ("1E2", F(100)), (" 7 / 14 ", F(1, 2)), ("0.1", F(1, 10))],
)
def test_parse_rational_is_exact(text, value):
    assert parse_rational(text) == value
    assert isinstance(parse_rational(text), F)


@pytest.mark.parametrize("text", ["abc", "1/0", "nan", "inf", "1/3/4", "", ".", "1/-3", "0x10", "1e", "1_000", "(1)"])
def test_parse_rational_rejects(text):
    with pytest.raises(InputError) as err:
        parse_rational(text, what="--lam")
    assert "--lam" in str(err.value)


def test_law_sum_error_gives_exact_sum():
    with pytest.raises(InputError, match=r"sums to 5/6, not 1"):
        parse_law("1/2,1/3")


def test_law_negative_entry_named():
    with pytest.raises(InputError, match=r"entry 1 = -1/2 is negative"):
        parse_law("3/2,-1/2")


def test_law_decimal_entries_exact():
    assert parse_law("0.1,0.2,0.7") == (F(1, 10), F(1, 5), F(7, 10))  # 0.1+0.2 is not 0.3 in floats


def test_probability_range():
    assert parse_probability("1") == 1
    with pytest.raises(InputError, match=r"outside \[0, 1\]"):
        parse_probability("1.5")
    with pytest.raises(InputError, match=r"outside \[0, 1\]"):
        parse_probability("-1/3")


def test_counts():
    assert parse_counts("6,2") == (6, 2)
    with pytest.raises(InputError, match=r"'-1'"):
        parse_counts("3,-1")
    with pytest.raises(InputError, match="empty"):
        parse_counts("3,,1")


def test_formatting_is_exact():
    assert format_rational(F(6, 4)) == "3/2"
    assert format_rational(F(-4, 2)) == "-2"
    assert format_decimal(F(2, 3), 4) == "0.6667"
    assert format_decimal(F(-1, 8), 2) == "-0.12"  # half to even, exactly
    assert format_decimal(F(10**30 + 1, 10**30), 3) == "1.000"


# numbers at the edges of their digit counts and bit lengths, where a bound from bit lengths is tightest
_EDGES = st.integers(1, 110).flatmap(lambda k: st.sampled_from([2**k - 1, 2**k, 10 ** (k // 3), 10 ** (k // 3 + 1) - 1]))


@given(_EDGES, _EDGES, st.booleans())
def test_report_cell_elides_exactly_the_long_rationals(p, q, negative):
    p = -p if negative else p
    # the cell decides from bit lengths when it can; the rule is still "longer than MAX_EXACT_CHARS"
    x = F(p, q)
    text = format_rational(x)
    shown = cell(x)
    if x.denominator == 1:
        assert shown == text
    elif len(text) > MAX_EXACT_CHARS:
        assert shown.startswith(f"<{x.numerator.bit_length()}-bit/{x.denominator.bit_length()}-bit rational")
    else:
        assert shown.startswith(f"{text} ≈ ")


@given(st.lists(st.tuples(st.fractions(), st.fractions()), max_size=12))
def test_weighted_sum_equals_the_fraction_sum(pairs):
    from reference.rationals import weighted_sum

    weights, values = [w for w, _ in pairs], [v for _, v in pairs]
    assert weighted_sum(weights, values) == sum((w * v for w, v in pairs), F(0))
