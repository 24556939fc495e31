"""What `guard history` shows: open findings, recently resolved ones with time to resolve, the
outbox and the last runs, read from a history store into one document that renderers print."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from guard.alerting.cycle import format_duration
from guard.alerting.history.store import OPEN, RESOLVED, HistoryStore, iso, parse_time, utcnow


def history_to_dict(store: HistoryStore, window: timedelta, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    since = now - window
    open_rows: list[dict[str, Any]] = []
    for record in store.findings(OPEN):
        open_rows.append(
            {
                "fingerprint": record.fingerprint,
                "headline": record.headline,
                "title": record.title,
                "severity": record.severity,
                "kind": record.kind,
                "account": record.account,
                "region": record.region,
                "address": record.address,
                "first_seen": record.first_seen,
                "last_seen": record.last_seen,
                "open_for": format_duration(record.open_for(now)),
                "posted": bool(record.notified_at),
            }
        )
    resolved_rows: list[dict[str, Any]] = []
    for record in store.findings(RESOLVED):
        resolved_at = parse_time(record.resolved_at)
        if resolved_at is None or resolved_at < since:
            continue
        resolved_rows.append(
            {
                "fingerprint": record.fingerprint,
                "headline": record.headline,
                "severity": record.severity,
                "account": record.account,
                "region": record.region,
                "first_seen": record.first_seen,
                "resolved_at": record.resolved_at,
                "time_to_resolve": format_duration(record.open_for()),
                "time_to_resolve_seconds": int(record.open_for().total_seconds()),
            }
        )
    resolved_rows.sort(key=lambda row: str(row["resolved_at"]), reverse=True)
    outbox = store.outbox()
    return {
        "history": store.location,
        "generated_at": iso(now),
        "resolved_since": iso(since),
        "open": open_rows,
        "resolved": resolved_rows,
        "outbox": [
            {
                "kind": m.kind,
                "created_at": m.created_at,
                "status": m.status,
                "attempts": m.attempts,
                "error": m.last_error,
            }
            for m in outbox
        ],
        "last_runs": [
            {
                "started_at": run.started_at,
                "account": run.account,
                "regions": run.regions,
                "findings": run.findings,
                "new": run.new,
                "resolved": run.resolved,
                "complete": run.complete,
            }
            for run in store.runs(5)
        ],
    }
