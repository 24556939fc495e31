"""Desired state: every source of declared resources turns into list[Resource]."""

from __future__ import annotations

from collections.abc import Iterable

from guard.model import Resource
from guard.state.terraform import read_state_file


def load_states(paths: Iterable[str]) -> list[Resource]:
    """Read every --state; the first bad file stops the run with an InputError naming it."""
    resources: list[Resource] = []
    for path in paths:
        resources.extend(read_state_file(path))
    return resources


__all__ = ["load_states", "read_state_file"]
