"""What every history store holds and does: the records, the interface, the lock."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from guard.errors import GuardError

DYNAMODB_SCHEME = "dynamodb://"
DEFAULT_LOCK_WAIT = 10.0  # seconds a second run waits for the first
DEFAULT_LOCK_LEASE = 30 * 60.0  # a lock older than this was left by a run that died
OPEN, RESOLVED = "open", "resolved"
PENDING, FAILED = "pending", "failed"


class HistoryBusy(GuardError):
    """Another run of the same scope holds the history lock: this run did nothing."""

    exit_code = 3


class HistoryError(GuardError):
    """The history store cannot be read or written."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def default_history_path() -> Path:
    """Per user: $XDG_STATE_HOME/change-guard/history.sqlite3 (~/.local/state/... by default)."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "change-guard" / "history.sqlite3"


@dataclass(frozen=True)
class FindingRecord:
    fingerprint: str
    scope: str
    account: str
    region: str
    type: str
    id: str
    address: str
    kind: str
    severity: str
    title: str
    headline: str
    first_seen: str
    last_seen: str
    status: str = OPEN
    resolved_at: str | None = None
    notified_at: str | None = None
    reminded_at: str | None = None
    slack_channel: str | None = None
    slack_ts: str | None = None
    changed_at: str | None = None  # when the change was made (CloudTrail's event time), when known
    # Decisions taken from Slack (guard serve); the whole trail is in `decisions`.
    acknowledged_by: str | None = None
    acknowledged_at: str | None = None
    snoozed_until: str | None = None
    accepted_by: str | None = None
    accepted_until: str | None = None
    accept_reason: str | None = None
    # Kept at alert time for the buttons: the Terraform change that makes the edit permanent,
    # and how guard may roll it back from Slack ("" none, "direct", "disruptive").
    permanent: str | None = None
    rollback: str | None = None

    def state(self, now: datetime | None = None) -> str:
        """new, acknowledged, snoozed until ..., accepted until ... (what `/guard status` shows)."""
        moment = now or utcnow()
        accepted, snoozed = parse_time(self.accepted_until), parse_time(self.snoozed_until)
        if accepted and accepted > moment:
            return f"accepted until {self.accepted_until}"
        if snoozed and snoozed > moment:
            return f"snoozed until {self.snoozed_until}"
        return "acknowledged" if self.acknowledged_at else "new"

    def open_for(self, until: datetime | None = None) -> timedelta:
        end = parse_time(self.resolved_at) or until or utcnow()
        start = parse_time(self.first_seen)
        assert start is not None
        return end - start


@dataclass(frozen=True)
class OutboxMessage:
    """A message waiting for Slack; kept until Slack takes it."""

    id: str
    scope: str
    seq: str  # sortable: delivery order
    kind: str  # alert, continuation, reminder, resolved, update
    payload: dict[str, Any]
    created_at: str
    fingerprints: tuple[str, ...] = ()  # findings whose first post this is
    thread_message: str | None = None  # reply in the thread of this outbox message
    thread_finding: str | None = None  # reply in the thread where this finding was posted
    attempts: int = 0
    last_error: str | None = None
    status: str = PENDING


@dataclass(frozen=True)
class SentMessage:
    """What was sent to Slack, and where it landed."""

    id: str
    scope: str
    kind: str
    channel: str
    ts: str | None
    thread_ts: str | None
    sent_at: str
    payload: dict[str, Any]
    fingerprints: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunRecord:
    id: str
    scope: str
    started_at: str
    finished_at: str
    account: str
    regions: str
    findings: int
    new: int
    reminded: int
    resolved: int
    complete: bool
    outbox_pending: int
    error: str | None = None


@dataclass(frozen=True)
class Decision:
    """One button pressed in Slack (or refused): who, when, on which finding, and what came of it."""

    id: str
    fingerprint: str
    action: str  # acknowledge, snooze, accept, approve, rollback, refused
    user_id: str
    user_name: str
    at: str
    until: str | None = None
    reason: str | None = None
    detail: str | None = None


# The fields a Slack decision may set on a finding.
DECISION_FIELDS = frozenset(
    {"acknowledged_by", "acknowledged_at", "snoozed_until", "accepted_by", "accepted_until", "accept_reason"}
)


_counter = 0


def new_seq() -> tuple[str, str]:
    """A delivery-order key and an id: later messages sort after earlier ones."""
    global _counter
    _counter += 1
    seq = f"{time.time_ns():020d}-{os.getpid():07d}-{_counter:06d}"
    return seq, uuid.uuid4().hex[:16]


class HistoryStore(ABC):
    location: str

    @abstractmethod
    def acquire(self, scope: str, owner: str, lease_seconds: float) -> bool:
        """Take the scope's lock if it is free or stale; False when another run holds it."""

    @abstractmethod
    def release(self, scope: str, owner: str) -> None: ...

    @contextlib.contextmanager
    def lock(
        self,
        scope: str,
        wait_seconds: float = DEFAULT_LOCK_WAIT,
        lease_seconds: float = DEFAULT_LOCK_LEASE,
    ) -> Iterator[None]:
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        deadline = time.monotonic() + wait_seconds
        while not self.acquire(scope, owner, lease_seconds):
            if time.monotonic() >= deadline:
                raise HistoryBusy(
                    f"history {self.location} is in use by another run of the same scope; "
                    f"waited {wait_seconds:g}s and did nothing (it will be picked up by the next run)"
                )
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())) or 0.01)
        try:
            yield
        finally:
            self.release(scope, owner)

    @abstractmethod
    def get(self, fingerprint: str) -> FindingRecord | None: ...

    @abstractmethod
    def findings(self, status: str | None = None, scope: str | None = None) -> list[FindingRecord]: ...

    @abstractmethod
    def claim(self, record: FindingRecord) -> bool:
        """Record a new (or reopened) finding; False when it is already open (someone has it)."""

    @abstractmethod
    def seen(self, fingerprint: str, at: str) -> None: ...

    @abstractmethod
    def claim_reminder(self, fingerprint: str, previous: str | None, at: str) -> bool:
        """Set reminded_at if nobody reminded since `previous`; True when this run reminds."""

    @abstractmethod
    def resolve(self, fingerprint: str, at: str) -> bool:
        """Mark an open finding resolved; True when this run resolved it."""

    @abstractmethod
    def posted(self, fingerprint: str, channel: str, ts: str | None, at: str) -> None: ...

    @abstractmethod
    def enqueue(self, messages: Sequence[OutboxMessage]) -> None: ...

    @abstractmethod
    def pending(self, scope: str) -> list[OutboxMessage]:
        """Messages still to deliver for this scope, oldest first (not the failed ones)."""

    @abstractmethod
    def outbox(self) -> list[OutboxMessage]:
        """Every message not delivered, pending or refused by Slack."""

    @abstractmethod
    def delivered(self, message: OutboxMessage, sent: SentMessage) -> None: ...

    @abstractmethod
    def failed(self, message: OutboxMessage, error: str, permanent: bool) -> None: ...

    @abstractmethod
    def discard(self, message: OutboxMessage) -> None:
        """Drop a message that has nothing left to do (an edit no longer needed)."""

    @abstractmethod
    def sent(self, message_id: str) -> SentMessage | None: ...

    @abstractmethod
    def sent_at_ts(self, channel: str, ts: str) -> SentMessage | None: ...

    @abstractmethod
    def record_run(self, run: RunRecord) -> None: ...

    @abstractmethod
    def decide(self, fingerprint: str, values: dict[str, str | None]) -> None:
        """Set a Slack decision's fields (DECISION_FIELDS) on a finding."""

    @abstractmethod
    def record_decision(self, decision: Decision) -> None: ...

    @abstractmethod
    def decisions(self, fingerprint: str | None = None) -> list[Decision]:
        """Decisions, oldest first; those about one finding when `fingerprint` is given."""

    @abstractmethod
    def claim_request(self, key: str, at: float) -> bool:
        """Remember a signed Slack request; False when it was seen before (a replay)."""

    @abstractmethod
    def runs(self, limit: int = 20) -> list[RunRecord]: ...

    def close(self) -> None:
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _pick(cls: Any, row: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: _plain(value) for key, value in row.items() if key in names}


def finding_from_row(row: dict[str, Any]) -> FindingRecord:
    return FindingRecord(**_pick(FindingRecord, row))


def outbox_from_row(row: dict[str, Any]) -> OutboxMessage:
    values = _pick(OutboxMessage, row)
    values["payload"] = json.loads(values["payload"])
    values["fingerprints"] = tuple(json.loads(values.get("fingerprints") or "[]"))
    return OutboxMessage(**values)


def sent_from_row(row: dict[str, Any]) -> SentMessage:
    values = _pick(SentMessage, row)
    for optional in ("ts", "thread_ts"):  # DynamoDB items leave out what was None
        values.setdefault(optional, None)
    values["payload"] = json.loads(values.get("payload") or "{}")
    values["fingerprints"] = tuple(json.loads(values.get("fingerprints") or "[]"))
    return SentMessage(**values)


def decision_from_row(row: dict[str, Any]) -> Decision:
    values = _pick(Decision, row)
    for optional in ("until", "reason", "detail"):
        values.setdefault(optional, None)
    return Decision(**values)


def run_from_row(row: dict[str, Any]) -> RunRecord:
    values = _pick(RunRecord, row)
    values["complete"] = bool(values.get("complete"))
    return RunRecord(**values)
