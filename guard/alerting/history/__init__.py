"""Alert history: which findings were seen, posted, reminded and resolved, and an outbox.

Two stores with one interface (store.py):
- SQLite (sqlite.py: the default, one file per runner), for cron, systemd or `guard watch`;
- DynamoDB (dynamodb.py: `dynamodb://TABLE`), for a fleet of runners posting to one channel.
  Every state change is a conditional write, so two runners never both post one finding.

A run takes the lock of its scope (the states and regions it covers) for its whole
cycle; a second run of the same scope waits briefly, then gives up with a clear error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from guard.alerting.history.dynamodb import DynamoHistory
from guard.alerting.history.sqlite import SqliteHistory
from guard.alerting.history.store import (
    DEFAULT_LOCK_LEASE,
    DEFAULT_LOCK_WAIT,
    DYNAMODB_SCHEME,
    FAILED,
    OPEN,
    PENDING,
    RESOLVED,
    Decision,
    FindingRecord,
    HistoryBusy,
    HistoryError,
    HistoryStore,
    OutboxMessage,
    RunRecord,
    SentMessage,
    default_history_path,
    iso,
    new_seq,
    parse_time,
    utcnow,
)
from guard.errors import InputError

__all__ = [
    "DEFAULT_LOCK_LEASE",
    "DEFAULT_LOCK_WAIT",
    "DYNAMODB_SCHEME",
    "FAILED",
    "OPEN",
    "PENDING",
    "RESOLVED",
    "Decision",
    "DynamoHistory",
    "FindingRecord",
    "HistoryBusy",
    "HistoryError",
    "HistoryStore",
    "OutboxMessage",
    "RunRecord",
    "SentMessage",
    "SqliteHistory",
    "default_history_path",
    "iso",
    "new_seq",
    "open_history",
    "parse_time",
    "utcnow",
]


def open_history(location: str | None, session: Any = None) -> HistoryStore:
    """`--history`: a SQLite path (default per user), or dynamodb://TABLE[?region=REGION]."""
    if location and location.startswith(DYNAMODB_SCHEME):
        parts = urlsplit(location)
        table_name = parts.netloc or parts.path.strip("/")
        if not table_name:
            raise InputError("--history", f"{location!r} names no table", "use dynamodb://TABLE")
        region = parse_qs(parts.query).get("region", [None])[0]
        from guard.aws import new_session

        session = session or new_session()
        resource = session.resource("dynamodb", region_name=region or session.region_name)
        return DynamoHistory(resource.Table(table_name), location)
    return SqliteHistory(location or default_history_path())
