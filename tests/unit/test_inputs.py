"""ganzoo.io.inputs: every visitor-sent string parsed without raising."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganzoo.io import inputs


def test_digits_follow_the_decimal_rule():
    assert inputs.digits("²") == [] and inputs.digits("①②") == []  # isdigit() would take these
    assert inputs.digits("12³34") == [1, 2, 3, 4]
    assert inputs.digits("2026") == [2, 0, 2, 6] and inputs.digits("٣٤") == [3, 4]
    assert inputs.digits("9" * 40, limit=16) == [9] * 16


def test_integer_clamps_and_falls_back():
    assert inputs.integer("42", 0, 9, 7) == 9 and inputs.integer("-3", 0, 9, 7) == 0
    assert inputs.integer("3.7", 0, 9, 7) == 3 and inputs.integer("1e3", 0, 5000, 7) == 1000
    for bad in ("nan", "inf", "-inf", "1e400", "²", "abc", "", "9" * 500 + "x"):
        assert inputs.integer(bad, 0, 9, 7) == 7, bad
    assert inputs.integer("9" * 500, 0, 9, 7) == 9


def test_number_refuses_what_is_out_of_range():
    assert inputs.number("0.002", 1e-5, 1.0, 1e-3) == 0.002
    for bad in ("nan", "inf", "1e9", "-3", "x", "²"):
        assert inputs.number(bad, 1e-5, 1.0, 1e-3) == 1e-3, bad


def test_choice_is_exact():
    assert inputs.choice("ring8", ["ring8", "moons"], "moons") == "ring8"
    assert inputs.choice("4", list(range(1, 11)), 1) == 4
    assert inputs.choice("ring8 ", ["ring8"], "x") == "x"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_string_makes_a_parser_raise(text):
    assert all(0 <= d <= 9 for d in inputs.digits(text))
    assert 0 <= inputs.integer(text, 0, 9, 7) <= 9
    value = inputs.number(text, 0.5, 2.0, 1.0)
    assert math.isfinite(value) and 0.5 <= value <= 2.0
    assert inputs.choice(text, ["a", 1], None) in ("a", 1, None)


@pytest.mark.parametrize("text,expected", [
    ("10 20; 15 7", [[10, 20], [15, 7]]),
    ("1,1\n2,2", [[1, 1], [2, 2]]),
    ("  -0.5 ;", [[-0.5]]),
    ("1 2; 3", None),  # not rectangular
    ("1 2 3 4 5", None),  # wider than 4
    ("1;2;3;4;5", None),
    ("nan 1", None), ("1e9", None), ("x y", None), ("", None), (";;", None),
])
def test_matrix(text, expected):
    assert inputs.matrix(text) == expected
