"""Strict parsing of what a visitor can send: URL values and typed text, one helper per kind.

Every helper takes any string and never raises: what cannot be read becomes the default. Digits
follow the decimal-digit rule (str.isdecimal, which int() always accepts): str.isdigit() would
also let through superscripts and circled digits such as "²" or "①" that int() rejects.
"""

import math


def digits(text: str, limit: int | None = None) -> list[int]:
    """The decimal digits of `text` in order (any script's, e.g. "٣" is 3), at most `limit`."""
    found = [int(ch) for ch in str(text) if ch.isdecimal()]
    return found[:limit] if limit is not None else found


def integer(text, low: int, high: int, default: int) -> int:
    """An integer clamped into [low, high]; "3.7" reads as 3, "1e3" as 1000; nan, inf and words
    give the default."""
    text = str(text).strip()
    try:
        value = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            return default
        if not math.isfinite(as_float):
            return default
        value = int(as_float)
    return min(max(value, low), high)


def number(text, low: float, high: float, default: float) -> float:
    """A finite float inside [low, high], else the default (a link cannot set an absurd rate)."""
    try:
        value = float(str(text).strip())
    except ValueError:
        return default
    return value if math.isfinite(value) and low <= value <= high else default


def choice(text, options, default):
    """`text` if it is exactly one of `options` (compared as strings), else the default."""
    for option in options:
        if str(option) == str(text):
            return option
    return default


def matrix(text, max_side: int = 4, limit: float = 1000.0) -> list[list[float]] | None:
    """A small matrix typed as rows separated by ';' or new lines, values by spaces or commas
    ("10 20; 15 7"): rectangular, at most max_side x max_side, finite values within +-limit.
    None when the text is not such a matrix (the page says so)."""
    rows = [r for r in str(text).replace("\n", ";").split(";") if r.strip()]
    if not 1 <= len(rows) <= max_side:
        return None
    values = []
    for row in rows:
        cells = row.replace(",", " ").split()
        if not 1 <= len(cells) <= max_side:
            return None
        try:
            numbers = [float(c) for c in cells]
        except ValueError:
            return None
        if not all(math.isfinite(v) and abs(v) <= limit for v in numbers):
            return None
        values.append(numbers)
    return values if len({len(r) for r in values}) == 1 else None
