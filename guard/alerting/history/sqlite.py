"""The SQLite history store: the default, one file per runner (cron, systemd, `guard watch`)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path

from guard.alerting.history.store import (
    DECISION_FIELDS,
    FAILED,
    OPEN,
    PENDING,
    RESOLVED,
    Decision,
    FindingRecord,
    HistoryStore,
    OutboxMessage,
    RunRecord,
    SentMessage,
    decision_from_row,
    finding_from_row,
    outbox_from_row,
    run_from_row,
    sent_from_row,
)
from guard.errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (
    fingerprint TEXT PRIMARY KEY, scope TEXT NOT NULL, account TEXT, region TEXT, type TEXT,
    id TEXT, address TEXT, kind TEXT, severity TEXT, title TEXT, headline TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, status TEXT NOT NULL,
    resolved_at TEXT, notified_at TEXT, reminded_at TEXT, slack_channel TEXT, slack_ts TEXT,
    changed_at TEXT, acknowledged_by TEXT, acknowledged_at TEXT, snoozed_until TEXT, accepted_by TEXT,
    accepted_until TEXT, accept_reason TEXT, permanent TEXT, rollback TEXT
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
CREATE TABLE IF NOT EXISTS decisions (
    id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, action TEXT NOT NULL, user_id TEXT, user_name TEXT,
    at TEXT NOT NULL, until TEXT, reason TEXT, detail TEXT
);
CREATE INDEX IF NOT EXISTS decisions_finding ON decisions (fingerprint, at);
CREATE TABLE IF NOT EXISTS requests (key TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS locks (
    scope TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT, pid INTEGER, expires_at REAL NOT NULL
);
"""


NEW_FINDING_COLUMNS = (
    "acknowledged_by",
    "acknowledged_at",
    "snoozed_until",
    "accepted_by",
    "accepted_until",
    "accept_reason",
    "permanent",
    "rollback",
)
REQUEST_MEMORY_SECONDS = 600.0  # Slack refuses timestamps older than 5 minutes: twice that is plenty


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
            self._add_missing_columns()
        except (sqlite3.Error, OSError) as exc:
            raise InputError(
                f"--history {self.path}", f"cannot open the history database ({exc})", "pass a writable path"
            ) from None

    def close(self) -> None:
        self.db.close()

    def _add_missing_columns(self) -> None:
        """A history written by an older guard gains the columns added since (all nullable)."""
        have = {row["name"] for row in self.db.execute("PRAGMA table_info(findings)")}
        for name in ("changed_at", *NEW_FINDING_COLUMNS):
            if name not in have:
                self.db.execute(f"ALTER TABLE findings ADD COLUMN {name} TEXT")

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
        return finding_from_row(dict(row)) if row else None

    def findings(self, status: str | None = None, scope: str | None = None) -> list[FindingRecord]:
        query, params = "SELECT * FROM findings WHERE 1=1", list[str]()
        if status:
            query, params = query + " AND status = ?", [*params, status]
        if scope:
            query, params = query + " AND scope = ?", [*params, scope]
        rows = self.db.execute(query + " ORDER BY first_seen, fingerprint", params).fetchall()
        return [finding_from_row(dict(row)) for row in rows]

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
        return [outbox_from_row(dict(row)) for row in rows]

    def outbox(self) -> list[OutboxMessage]:
        rows = self.db.execute("SELECT * FROM outbox ORDER BY seq").fetchall()
        return [outbox_from_row(dict(row)) for row in rows]

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
        return sent_from_row(dict(row)) if row else None

    def sent_at_ts(self, channel: str, ts: str) -> SentMessage | None:
        row = self.db.execute(
            "SELECT * FROM sent WHERE channel = ? AND ts = ? ORDER BY sent_at LIMIT 1", (channel, ts)
        ).fetchone()
        return sent_from_row(dict(row)) if row else None

    def record_run(self, run: RunRecord) -> None:
        row = asdict(run)
        self.db.execute(
            f"INSERT OR REPLACE INTO runs ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )

    def runs(self, limit: int = 20) -> list[RunRecord]:
        rows = self.db.execute("SELECT * FROM runs ORDER BY started_at DESC LIMIT ?", (limit,)).fetchall()
        return [run_from_row(dict(row)) for row in rows]

    def decide(self, fingerprint: str, values: dict[str, str | None]) -> None:
        unknown = set(values) - DECISION_FIELDS
        assert not unknown, unknown
        if values:
            assignments = ", ".join(f"{name} = ?" for name in values)
            self.db.execute(
                f"UPDATE findings SET {assignments} WHERE fingerprint = ?", [*values.values(), fingerprint]
            )

    def record_decision(self, decision: Decision) -> None:
        row = asdict(decision)
        self.db.execute(
            f"INSERT INTO decisions ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )

    def decisions(self, fingerprint: str | None = None) -> list[Decision]:
        if fingerprint:
            rows = self.db.execute(
                "SELECT * FROM decisions WHERE fingerprint = ? ORDER BY at, rowid", (fingerprint,)
            ).fetchall()
        else:
            rows = self.db.execute("SELECT * FROM decisions ORDER BY at, rowid").fetchall()
        return [decision_from_row(dict(row)) for row in rows]

    def claim_request(self, key: str, at: float) -> bool:
        with self._transaction() as db:
            db.execute("DELETE FROM requests WHERE at < ?", (at - REQUEST_MEMORY_SECONDS,))
            cursor = db.execute("INSERT OR IGNORE INTO requests (key, at) VALUES (?, ?)", (key, at))
            return cursor.rowcount == 1
