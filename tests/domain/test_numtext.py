"""Issue 9 item 4: one number parser; a decimal comma is a decimal, nothing is silently rescaled."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from scc_tui.domain.numtext import NumberTextError, parse_decimal


@pytest.mark.parametrize(
    "text, value",
    [
        ("72.5", 72.5), ("72,5", 72.5), (" 72,5 ", 72.5), ("0,125", 0.125), (",5", 0.5), ("1234,5", 1234.5),
        ("1234,567", 1234.567), ("12", 12.0), ("0", 0.0), (".5", 0.5), ("5.", 5.0), ("+3", 3.0), ("-3,5", -3.5),
    ],
)
def test_accepted(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text, says",
    [
        ("1,234", "ambiguous"), ("12,500", "write 12500 or 12.500"), ("1,234.5", "mixes"), ("1.234,5", "mixes"),
        ("1,234,567", "more than one ','"), ("1e3", "not a number"), ("1_000", "not a number"), ("inf", "not a finite number"),
        ("nan", "not a finite number"), ("72 5", "not a number"), ("", "not a number"), ("1.2.3", "not a number"), ("72%", "not a number"),
    ],
)
def test_refused(text, says):
    with pytest.raises(NumberTextError, match=None) as exc:
        parse_decimal(text)
    assert says in str(exc.value)


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_never_changes_magnitude(d):
    """Whatever is accepted with a comma is the same number as with a point; nothing is scaled."""
    text = f"{d:f}"
    assert parse_decimal(text) == pytest.approx(float(d))
    comma = text.replace(".", ",")
    try:
        got = parse_decimal(comma)
    except NumberTextError:
        return
    assert got == pytest.approx(float(d))
