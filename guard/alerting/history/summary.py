"""What `guard history` shows: open findings, recently resolved ones with time to detect and to
resolve, findings opened and resolved per day, the outbox and the last runs, and the drift SLOs
(`--summary`), read from a history store into one document that renderers print."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from guard.alerting.cycle import format_duration
from guard.alerting.history.store import (
    OPEN,
    RESOLVED,
    FindingRecord,
    HistoryStore,
    iso,
    parse_time,
    utcnow,
)


def _span(start: str | None, end: str | None) -> float | None:
    begin, finish = parse_time(start), parse_time(end)
    return max(0.0, (finish - begin).total_seconds()) if begin and finish else None


def detect_seconds(record: FindingRecord) -> float | None:
    """From the change (CloudTrail's event time) to the alert, or to the scan that saw it when unposted."""
    return _span(record.changed_at, record.notified_at or record.first_seen)


def resolve_seconds(record: FindingRecord) -> float | None:
    """From the first scan that saw it to the scan that saw it gone."""
    return _span(record.first_seen, record.resolved_at) if record.status == RESOLVED else None


def drift_seconds(record: FindingRecord, now: datetime) -> float:
    """How long it was (or has been) out of line: from the change, else from when it was first seen."""
    end = record.resolved_at if record.status == RESOLVED else iso(now)
    return _span(record.changed_at or record.first_seen, end) or 0.0


def _text(seconds: float | None) -> str | None:
    return None if seconds is None else format_duration(timedelta(seconds=seconds))


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
                "open_for_seconds": int(record.open_for(now).total_seconds()),
                "changed_at": record.changed_at,
                "time_to_detect": _text(detect_seconds(record)),
                "time_to_detect_seconds": _whole(detect_seconds(record)),
                "posted": bool(record.notified_at),
                "state": record.state(now),
                "acknowledged_by": record.acknowledged_by,
                "accepted_by": record.accepted_by,
                "accept_reason": record.accept_reason,
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
                "changed_at": record.changed_at,
                "time_to_detect": _text(detect_seconds(record)),
                "time_to_detect_seconds": _whole(detect_seconds(record)),
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
        "per_day": per_day(store.findings(), since, now),
        "summary": drift_summary(store.findings(), since, now),
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
        "decisions": [
            {
                "at": d.at,
                "fingerprint": d.fingerprint,
                "action": d.action,
                "user_id": d.user_id,
                "user_name": d.user_name,
                "until": d.until,
                "reason": d.reason,
                "detail": d.detail,
            }
            for d in store.decisions()
            if (moment := parse_time(d.at)) is not None and moment >= since
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


def _whole(seconds: float | None) -> int | None:
    return None if seconds is None else int(seconds)


def per_day(records: Sequence[FindingRecord], since: datetime, now: datetime) -> list[dict[str, Any]]:
    """Findings opened (first seen) and resolved on each UTC day of the window, oldest first."""
    opened: dict[str, int] = defaultdict(int)
    resolved: dict[str, int] = defaultdict(int)
    for record in records:
        first = parse_time(record.first_seen)
        if first is not None and first >= since:
            opened[first.date().isoformat()] += 1
        gone = parse_time(record.resolved_at)
        if gone is not None and gone >= since:
            resolved[gone.date().isoformat()] += 1
    days, day = [], since.date()
    while day <= now.date():
        key = day.isoformat()
        days.append({"day": key, "opened": opened[key], "resolved": resolved[key]})
        day += timedelta(days=1)
    return days


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _stats(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "mean_seconds": None, "p90_seconds": None, "mean": None, "p90": None}
    mean, p90 = sum(values) / len(values), percentile(values, 0.9)
    return {
        "count": len(values),
        "mean_seconds": int(mean),
        "p90_seconds": int(p90),
        "mean": _text(mean),
        "p90": _text(p90),
    }


def drift_summary(records: Sequence[FindingRecord], since: datetime, now: datetime) -> dict[str, Any]:
    """The drift SLOs over the window, by account and type: time to detect, time in drift, time to
    resolve (mean and p90). A finding counts when it was open at some time in the window."""
    groups: dict[tuple[str, str], list[FindingRecord]] = defaultdict(list)
    for record in records:
        first, gone = parse_time(record.first_seen), parse_time(record.resolved_at)
        if first is None or first > now or (gone is not None and gone < since):
            continue
        groups[(record.account, record.type)].append(record)

    def row(found: Sequence[FindingRecord]) -> dict[str, Any]:
        detect = [s for s in (detect_seconds(r) for r in found) if s is not None]
        resolve = [s for s in (resolve_seconds(r) for r in found) if s is not None]
        return {
            "findings": len(found),
            "open": sum(1 for r in found if r.status == OPEN),
            "time_to_detect": _stats(detect),
            "time_in_drift": _stats([drift_seconds(r, now) for r in found]),
            "time_to_resolve": _stats(resolve),
        }

    every = [r for found in groups.values() for r in found]
    return {
        "since": iso(since),
        "until": iso(now),
        "overall": row(every),
        "by_account_and_type": [
            {"account": account, "type": type_name, **row(found)}
            for (account, type_name), found in sorted(groups.items())
        ],
    }


def summary_to_dict(store: HistoryStore, window: timedelta, now: datetime | None = None) -> dict[str, Any]:
    """`guard history --summary`: the drift SLOs alone."""
    now = now or utcnow()
    return {
        "history": store.location,
        "generated_at": iso(now),
        "summary": drift_summary(store.findings(), now - window, now),
    }
