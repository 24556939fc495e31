"""Sample CloudTrail records for the followed events, one module per family of types.

Each module holds `SAMPLES`, rows in the shape of tests/test_event_coverage.py's table:
(eventSource's service, event names sharing one shape, requestParameters,
responseElements, resources or None, the (type, id) it touched). A new family adds a
module here instead of growing the one table.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

Sample = tuple[str, str, Any, Any, Any, list[tuple[str, str]]]


def family_samples() -> list[Sample]:
    rows: list[Sample] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        rows.extend(importlib.import_module(f"{__name__}.{module.name}").SAMPLES)
    return rows
