"""A finding's stable name across runs: the same edit seen again is the same alert."""

from __future__ import annotations

import hashlib

from guard.live import REGISTRY
from guard.live.types import Registry
from guard.model import Drift


def what_drifted(drift: Drift, registry: Registry = REGISTRY) -> str:
    """The thing that drifted in words that do not change between runs.

    A rule's key (group, protocol, ports, source) rather than its id, since a deleted
    inline rule has none; the attribute paths rather than their values, so that a value
    edited twice stays one alert.
    """
    subject = drift.expected or drift.actual
    key = drift.title
    if subject is not None:
        try:
            key = registry.get(subject.type).match_key(subject) or subject.id or drift.title
        except KeyError:
            key = subject.id or drift.title
    paths = ",".join(sorted(change.path for change in drift.changes))
    return f"{drift.kind.value}|{key}|{paths}"


def fingerprint(drift: Drift, registry: Registry = REGISTRY) -> str:
    """(account, region, type, id, what drifted), hashed to 16 hex characters."""
    parts = (
        drift.account or "",
        drift.region or "",
        drift.type,
        drift.id,
        what_drifted(drift, registry),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
