"""Every operator a rule can name: one name-to-function table.

An operator takes the value a JMESPath selector found and the rule's `value`, and
returns whether the condition holds, optionally with a detail for the message.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

# Whether the value holds, and a few words why when that is not obvious (the short zone).
Verdict = tuple[bool, str]
Operator = Callable[[Any, Any], Verdict]

OPERATORS: dict[str, Operator] = {}
# Operators that compare with a `value`; the others must not be given one.
NEEDS_VALUE: set[str] = set()


def operator(name: str, needs_value: bool = False) -> Callable[[Callable[[Any, Any], Any]], Operator]:
    def register(function: Callable[[Any, Any], Any]) -> Operator:
        def verdict(actual: Any, expected: Any) -> Verdict:
            result = function(actual, expected)
            return result if isinstance(result, tuple) else (bool(result), "")

        OPERATORS[name] = verdict
        if needs_value:
            NEEDS_VALUE.add(name)
        return verdict

    return register


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


@operator("equals", needs_value=True)
def _equals(actual: Any, expected: Any) -> bool:
    return bool(actual == expected or (_number(actual) is not None and _number(actual) == _number(expected)))


@operator("not_equals", needs_value=True)
def _not_equals(actual: Any, expected: Any) -> bool:
    return not _equals(actual, expected)[0]


@operator("in", needs_value=True)
def _in(actual: Any, expected: Any) -> bool:
    return actual in _as_list(expected)


@operator("not_in", needs_value=True)
def _not_in(actual: Any, expected: Any) -> bool:
    return actual not in _as_list(expected)


@operator("contains", needs_value=True)
def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(expected, str) and expected in actual
    if isinstance(actual, dict):
        return expected in actual
    return actual is not None and expected in _as_list(actual)


@operator("not_contains", needs_value=True)
def _not_contains(actual: Any, expected: Any) -> bool:
    return not _contains(actual, expected)[0]


@operator("exists")
def _exists(actual: Any, _: Any) -> bool:
    return actual is not None


@operator("not_exists")
def _not_exists(actual: Any, _: Any) -> bool:
    return actual is None


@operator("is_true")
def _is_true(actual: Any, _: Any) -> bool:
    return actual is True or (isinstance(actual, str) and actual.lower() == "true")


@operator("is_false")
def _is_false(actual: Any, _: Any) -> bool:
    """Not set counts as false: an unset flag is off."""
    return not _is_true(actual, None)[0]


@operator("is_empty")
def _is_empty(actual: Any, _: Any) -> bool:
    return _empty(actual)


@operator("not_empty")
def _not_empty(actual: Any, _: Any) -> bool:
    return not _empty(actual)


def _compare(check: Callable[[float, float], bool]) -> Callable[[Any, Any], bool]:
    def compare(actual: Any, expected: Any) -> bool:
        left, right = _number(actual), _number(expected)
        return left is not None and right is not None and check(left, right)

    return compare


operator("greater_than", needs_value=True)(_compare(lambda a, b: a > b))
operator("greater_or_equal", needs_value=True)(_compare(lambda a, b: a >= b))
operator("less_than", needs_value=True)(_compare(lambda a, b: a < b))
operator("less_or_equal", needs_value=True)(_compare(lambda a, b: a <= b))


@operator("matches", needs_value=True)
def _matches(actual: Any, expected: Any) -> bool:
    return isinstance(actual, str) and re.search(str(expected), actual) is not None


@operator("evenly_spread")
def _evenly_spread(actual: Any, _: Any) -> Verdict:
    """A list of zones (one per instance) holds as many in every zone; else name the short ones."""
    counts = Counter(str(zone) for zone in _as_list(actual) if zone is not None)
    if len(counts) < 2 or len(set(counts.values())) == 1:
        return True, ""
    most = max(counts.values())
    short = sorted(zone for zone, count in counts.items() if count < most)
    spread = ", ".join(f"{zone}: {count}" for zone, count in sorted(counts.items()))
    return False, f"{', '.join(short)} {'is' if len(short) == 1 else 'are'} short ({spread})"
