"""Alert history: which findings were seen, posted, reminded and resolved, and an outbox.

Two stores with one interface:
- SQLite (the default, one file per runner), for cron, systemd or `guard watch`;
- DynamoDB (`dynamodb://TABLE`), for a fleet of runners posting to one channel. Every
  state change is a conditional write, so two runners never both post one finding.

A run takes the lock of its scope (the states and regions it covers) for its whole
cycle; a second run of the same scope waits briefly, then gives up with a clear error.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from guard.errors import GuardError, InputError

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
    def runs(self, limit: int = 20) -> list[RunRecord]: ...

    def close(self) -> None:
        return None


# -- SQLite ---------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (
    fingerprint TEXT PRIMARY KEY, scope TEXT NOT NULL, account TEXT, region TEXT, type TEXT,
    id TEXT, address TEXT, kind TEXT, severity TEXT, title TEXT, headline TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, status TEXT NOT NULL,
    resolved_at TEXT, notified_at TEXT, reminded_at TEXT, slack_channel TEXT, slack_ts TEXT
);
CREATE INDEX IF NOT EXISTS findings_status ON findings (status, scope);
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY, scope TEXT NOT NULL, seq TEXT NOT NULL, kind TEXT NOT NULL,
    payload TEXT NOT NULL, created_at TEXT NOT NULL, fingerprints TEXT NOT NULL,
    thread_message TEXT, thread_finding TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT, status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_scope ON outbox (scope, status, seq);
CREATE TABLE IF NOT EXISTS sent (
    id TEXT PRIMARY KEY, scope TEXT, kind TEXT, channel TEXT, ts TEXT, thread_ts TEXT,
    sent_at TEXT, payload TEXT, fingerprints TEXT
);
CREATE INDEX IF NOT EXISTS sent_ts ON sent (channel, ts);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, scope TEXT, started_at TEXT, finished_at TEXT, account TEXT, regions TEXT,
    findings INTEGER, new INTEGER, reminded INTEGER, resolved INTEGER, complete INTEGER,
    outbox_pending INTEGER, error TEXT
);
CREATE TABLE IF NOT EXISTS locks (
    scope TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT, pid INTEGER, expires_at REAL NOT NULL
);
"""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SqliteHistory(HistoryStore):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise InputError(
                f"--history {self.path}", f"cannot open the history database ({exc})", "pass a writable path"
            ) from None

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def acquire(self, scope: str, owner: str, lease_seconds: float) -> bool:
        host, pid = socket.gethostname(), os.getpid()
        with self._transaction() as db:
            row = db.execute("SELECT * FROM locks WHERE scope = ?", (scope,)).fetchone()
            if row is not None:
                stale = row["expires_at"] < time.time()
                dead = row["host"] == host and not _pid_alive(int(row["pid"]))
                if not (stale or dead):
                    return False
            db.execute(
                "INSERT OR REPLACE INTO locks (scope, owner, host, pid, expires_at) VALUES (?, ?, ?, ?, ?)",
                (scope, owner, host, pid, time.time() + lease_seconds),
            )
            return True

    def release(self, scope: str, owner: str) -> None:
        self.db.execute("DELETE FROM locks WHERE scope = ? AND owner = ?", (scope, owner))

    def get(self, fingerprint: str) -> FindingRecord | None:
        row = self.db.execute("SELECT * FROM findings WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return _finding(dict(row)) if row else None

    def findings(self, status: str | None = None, scope: str | None = None) -> list[FindingRecord]:
        query, params = "SELECT * FROM findings WHERE 1=1", list[str]()
        if status:
            query, params = query + " AND status = ?", [*params, status]
        if scope:
            query, params = query + " AND scope = ?", [*params, scope]
        rows = self.db.execute(query + " ORDER BY first_seen, fingerprint", params).fetchall()
        return [_finding(dict(row)) for row in rows]

    def claim(self, record: FindingRecord) -> bool:
        values = asdict(record)
        names = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{name} = excluded.{name}" for name in values if name != "fingerprint")
        cursor = self.db.execute(
            f"INSERT INTO findings ({names}) VALUES ({marks}) "
            f"ON CONFLICT(fingerprint) DO UPDATE SET {updates} WHERE findings.status = '{RESOLVED}'",
            list(values.values()),
        )
        return cursor.rowcount == 1

    def seen(self, fingerprint: str, at: str) -> None:
        self.db.execute("UPDATE findings SET last_seen = ? WHERE fingerprint = ?", (at, fingerprint))

    def claim_reminder(self, fingerprint: str, previous: str | None, at: str) -> bool:
        cursor = self.db.execute(
            "UPDATE findings SET reminded_at = ? WHERE fingerprint = ? AND status = ? AND reminded_at IS ?",
            (at, fingerprint, OPEN, previous),
        )
        return cursor.rowcount == 1

    def resolve(self, fingerprint: str, at: str) -> bool:
        cursor = self.db.execute(
            "UPDATE findings SET status = ?, resolved_at = ? WHERE fingerprint = ? AND status = ?",
            (RESOLVED, at, fingerprint, OPEN),
        )
        return cursor.rowcount == 1

    def posted(self, fingerprint: str, channel: str, ts: str | None, at: str) -> None:
        self.db.execute(
            "UPDATE findings SET notified_at = ?, slack_channel = ?, slack_ts = ? WHERE fingerprint = ?",
            (at, channel, ts, fingerprint),
        )

    def enqueue(self, messages: Sequence[OutboxMessage]) -> None:
        with self._transaction() as db:
            for message in messages:
                row = asdict(message)
                row["payload"] = json.dumps(message.payload)
                row["fingerprints"] = json.dumps(list(message.fingerprints))
                db.execute(
                    f"INSERT INTO outbox ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                    list(row.values()),
                )

    def pending(self, scope: str) -> list[OutboxMessage]:
        rows = self.db.execute(
            "SELECT * FROM outbox WHERE scope = ? AND status = ? ORDER BY seq", (scope, PENDING)
        ).fetchall()
        return [_outbox(dict(row)) for row in rows]

    def outbox(self) -> list[OutboxMessage]:
        rows = self.db.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
        return [_outbox(dict(row)) for row in rows]

    def delivered(self, message: OutboxMessage, sent: SentMessage) -> None:
        row = asdict(sent)
        row["payload"] = json.dumps(sent.payload)
        row["fingerprints"] = json.dumps(list(sent.fingerprints))
        with self._transaction() as db:
            db.execute(
                f"INSERT OR REPLACE INTO sent ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            db.execute("DELETE FROM outbox WHERE id = ?", (message.id,))

    def failed(self, message: OutboxMessage, error: str, permanent: bool) -> None:
        self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = ? WHERE id = ?",
            (error, FAILED if permanent else PENDING, message.id),
        )

    def discard(self, message: OutboxMessage) -> None:
        self.db.execute("DELETE FROM outbox WHERE id = ?", (message.id,))

    def sent(self, message_id: str) -> SentMessage | None:
        row = self.db.execute("SELECT * FROM sent WHERE id = ?", (message_id,)).fetchone()
        return _sent(dict(row)) if row else None

    def sent_at_ts(self, channel: str, ts: str) -> SentMessage | None:
        row = self.db.execute(
            "SELECT * FROM sent WHERE channel = ? AND ts = ? ORDER BY sent_at LIMIT 1", (channel, ts)
        ).fetchone()
        return _sent(dict(row)) if row else None

    def record_run(self, run: RunRecord) -> None:
        row = asdict(run)
        self.db.execute(
            f"INSERT OR REPLACE INTO runs ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )

    def runs(self, limit: int = 20) -> list[RunRecord]:
        rows = self.db.execute("SELECT * FROM runs ORDER BY started_at DESC LIMIT ?", (limit,)).fetchall()
        return [_run(dict(row)) for row in rows]


# -- DynamoDB -------------------------------------------------------------------------


class DynamoHistory(HistoryStore):
    """One table, string keys `pk` (partition) and `sk` (sort); see docs/slack.md.

    Items: `finding#<fingerprint>`, `lock#<scope>`, `outbox#<scope>` (sorted by
    delivery order), `sent#<id>`, `sentts#<channel>#<ts>`, `run#<scope>`.
    """

    def __init__(self, table: Any, location: str) -> None:
        self.table = table
        self.location = location

    def _conditional(self, **kwargs: Any) -> bool:
        from botocore.exceptions import ClientError

        try:
            if "Key" in kwargs:
                self.table.update_item(**kwargs)
            else:
                self.table.put_item(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise _dynamo_error(self.location, exc) from None
        return True

    def _call(self, method: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.table, method)(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise _dynamo_error(self.location, exc) from None

    def acquire(self, scope: str, owner: str, lease_seconds: float) -> bool:
        now = time.time()
        return self._conditional(
            Item={
                "pk": f"lock#{scope}",
                "sk": "lock",
                "owner": owner,
                "expires_at": Decimal(str(now + lease_seconds)),
            },
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
            ExpressionAttributeValues={":now": Decimal(str(now))},
        )

    def release(self, scope: str, owner: str) -> None:
        from botocore.exceptions import ClientError

        with contextlib.suppress(ClientError):
            self.table.delete_item(
                Key={"pk": f"lock#{scope}", "sk": "lock"},
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":owner": owner},
            )

    def get(self, fingerprint: str) -> FindingRecord | None:
        item = self._call(
            "get_item", Key={"pk": f"finding#{fingerprint}", "sk": "finding"}, ConsistentRead=True
        )
        found = item.get("Item")
        return _finding(found) if found else None

    def _scan(self, prefix: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        arguments: dict[str, Any] = {
            "FilterExpression": "begins_with(pk, :prefix)",
            "ExpressionAttributeValues": {":prefix": prefix},
            "ConsistentRead": True,
        }
        while True:
            page = self._call("scan", **arguments)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _query(self, pk: str) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        items: list[dict[str, Any]] = []
        arguments: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(pk), "ConsistentRead": True}
        while True:
            page = self._call("query", **arguments)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def findings(self, status: str | None = None, scope: str | None = None) -> list[FindingRecord]:
        records = [_finding(item) for item in self._scan("finding#")]
        records = [
            r for r in records if (not status or r.status == status) and (not scope or r.scope == scope)
        ]
        return sorted(records, key=lambda r: (r.first_seen, r.fingerprint))

    def claim(self, record: FindingRecord) -> bool:
        item = {"pk": f"finding#{record.fingerprint}", "sk": "finding", **_compact(asdict(record))}
        return self._conditional(
            Item=item,
            ConditionExpression="attribute_not_exists(pk) OR #status = :resolved",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":resolved": RESOLVED},
        )

    def _key(self, fingerprint: str) -> dict[str, str]:
        return {"pk": f"finding#{fingerprint}", "sk": "finding"}

    def seen(self, fingerprint: str, at: str) -> None:
        self._call(
            "update_item",
            Key=self._key(fingerprint),
            UpdateExpression="SET last_seen = :at",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":at": at},
        )

    def claim_reminder(self, fingerprint: str, previous: str | None, at: str) -> bool:
        condition = "#status = :open AND " + (
            "reminded_at = :previous" if previous else "attribute_not_exists(reminded_at)"
        )
        values: dict[str, Any] = {":at": at, ":open": OPEN}
        if previous:
            values[":previous"] = previous
        return self._conditional(
            Key=self._key(fingerprint),
            UpdateExpression="SET reminded_at = :at",
            ConditionExpression=condition,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values,
        )

    def resolve(self, fingerprint: str, at: str) -> bool:
        return self._conditional(
            Key=self._key(fingerprint),
            UpdateExpression="SET #status = :resolved, resolved_at = :at",
            ConditionExpression="#status = :open",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":resolved": RESOLVED, ":open": OPEN, ":at": at},
        )

    def posted(self, fingerprint: str, channel: str, ts: str | None, at: str) -> None:
        expression = "SET notified_at = :at, slack_channel = :channel" + (", slack_ts = :ts" if ts else "")
        values: dict[str, Any] = {":at": at, ":channel": channel}
        if ts:
            values[":ts"] = ts
        self._call(
            "update_item",
            Key=self._key(fingerprint),
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
        )

    def enqueue(self, messages: Sequence[OutboxMessage]) -> None:
        with self.table.batch_writer() as batch:
            for message in messages:
                item = _compact(asdict(message))
                item["payload"] = json.dumps(message.payload)
                item["fingerprints"] = json.dumps(list(message.fingerprints))
                batch.put_item(Item={"pk": f"outbox#{message.scope}", "sk": message.seq, **item})

    def pending(self, scope: str) -> list[OutboxMessage]:
        messages = [_outbox(item) for item in self._query(f"outbox#{scope}")]
        return [m for m in sorted(messages, key=lambda m: m.seq) if m.status == PENDING]

    def outbox(self) -> list[OutboxMessage]:
        return sorted((_outbox(item) for item in self._scan("outbox#")), key=lambda m: m.seq)

    def delivered(self, message: OutboxMessage, sent: SentMessage) -> None:
        item = _compact(asdict(sent))
        item["payload"] = json.dumps(sent.payload)
        item["fingerprints"] = json.dumps(list(sent.fingerprints))
        self._call("put_item", Item={"pk": f"sent#{sent.id}", "sk": "sent", **item})
        if sent.ts:
            self._call(
                "put_item", Item={"pk": f"sentts#{sent.channel}#{sent.ts}", "sk": "sent", "id": sent.id}
            )
        self._call("delete_item", Key={"pk": f"outbox#{message.scope}", "sk": message.seq})

    def failed(self, message: OutboxMessage, error: str, permanent: bool) -> None:
        self._call(
            "update_item",
            Key={"pk": f"outbox#{message.scope}", "sk": message.seq},
            UpdateExpression="SET attempts = :attempts, last_error = :error, #status = :status",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":attempts": message.attempts + 1,
                ":error": error,
                ":status": FAILED if permanent else PENDING,
            },
        )

    def discard(self, message: OutboxMessage) -> None:
        self._call("delete_item", Key={"pk": f"outbox#{message.scope}", "sk": message.seq})

    def sent(self, message_id: str) -> SentMessage | None:
        found = self._call("get_item", Key={"pk": f"sent#{message_id}", "sk": "sent"}, ConsistentRead=True)
        return _sent(found["Item"]) if found.get("Item") else None

    def sent_at_ts(self, channel: str, ts: str) -> SentMessage | None:
        found = self._call(
            "get_item", Key={"pk": f"sentts#{channel}#{ts}", "sk": "sent"}, ConsistentRead=True
        )
        return self.sent(str(found["Item"]["id"])) if found.get("Item") else None

    def record_run(self, run: RunRecord) -> None:
        item = _compact(asdict(run))
        self._call("put_item", Item={"pk": f"run#{run.scope}", "sk": f"{run.started_at}#{run.id}", **item})

    def runs(self, limit: int = 20) -> list[RunRecord]:
        records = sorted(
            (_run(item) for item in self._scan("run#")), key=lambda r: r.started_at, reverse=True
        )
        return records[:limit]


def _dynamo_error(location: str, exc: Exception) -> GuardError:
    from guard.aws import short_error

    return HistoryError(f"history {location}: {short_error(exc)}")


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB items hold no None; booleans and numbers as they are."""
    return {key: value for key, value in values.items() if value is not None}


# -- rows to records ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _pick(cls: Any, row: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: _plain(value) for key, value in row.items() if key in names}


def _finding(row: dict[str, Any]) -> FindingRecord:
    return FindingRecord(**_pick(FindingRecord, row))


def _outbox(row: dict[str, Any]) -> OutboxMessage:
    values = _pick(OutboxMessage, row)
    values["payload"] = json.loads(values["payload"])
    values["fingerprints"] = tuple(json.loads(values.get("fingerprints") or "[]"))
    return OutboxMessage(**values)


def _sent(row: dict[str, Any]) -> SentMessage:
    values = _pick(SentMessage, row)
    values["payload"] = json.loads(values.get("payload") or "{}")
    values["fingerprints"] = tuple(json.loads(values.get("fingerprints") or "[]"))
    return SentMessage(**values)


def _run(row: dict[str, Any]) -> RunRecord:
    values = _pick(RunRecord, row)
    values["complete"] = bool(values.get("complete"))
    return RunRecord(**values)


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
