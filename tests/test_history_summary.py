"""`guard history --summary`: drift SLOs from the history; and the history as an HTML page."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any

from guard.alerting.history import FindingRecord, SqliteHistory
from guard.alerting.history.summary import history_to_dict, percentile
from guard.render.history_html import render_history_html

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def _record(fp: str, account: str, type_name: str, first_seen: str, **extra: Any) -> FindingRecord:
    return FindingRecord(
        fingerprint=fp,
        scope="s",
        account=account,
        region="us-east-1",
        type=type_name,
        id=fp,
        address=f"{type_name}.{fp}",
        kind="changed",
        severity="high",
        title=f"{fp} changed",
        headline=extra.pop("headline", f"{fp} changed"),
        first_seen=first_seen,
        last_seen=first_seen,
        **extra,
    )


def _history(tmp_path: Any) -> str:
    path = str(tmp_path / "history.sqlite3")
    store = SqliteHistory(path)
    # Two security-group findings in account A: detected after 10 and 30 minutes, resolved after 1 h and 3 h.
    store.claim(
        _record(
            "sg1",
            "111111111111",
            "aws_security_group",
            "2026-12-01T10:10:00+00:00",
            changed_at="2026-12-01T10:00:00+00:00",
        )
    )
    store.resolve("sg1", "2026-12-01T11:10:00+00:00")
    store.claim(
        _record(
            "sg2",
            "111111111111",
            "aws_security_group",
            "2026-12-02T08:30:00+00:00",
            changed_at="2026-12-02T08:00:00+00:00",
        )
    )
    store.resolve("sg2", "2026-12-02T11:30:00+00:00")
    # One instance in account B, still open, never attributed; one resolved before the window.
    store.claim(
        _record(
            "i1",
            "222222222222",
            "aws_instance",
            "2026-12-02T06:00:00+00:00",
            headline='<script>alert(1)</script> "quoted"',
        )
    )
    store.claim(_record("old", "222222222222", "aws_instance", "2026-10-01T06:00:00+00:00"))
    store.resolve("old", "2026-10-02T06:00:00+00:00")
    store.close()
    return path


def test_summary_by_account_and_type(tmp_path, guard):
    store = SqliteHistory(_history(tmp_path))
    data = history_to_dict(store, NOW - datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc), NOW)
    store.close()
    summary = data["summary"]
    rows = {(r["account"], r["type"]): r for r in summary["by_account_and_type"]}
    assert set(rows) == {("111111111111", "aws_security_group"), ("222222222222", "aws_instance")}
    groups = rows[("111111111111", "aws_security_group")]
    assert groups["findings"] == 2 and groups["open"] == 0
    assert groups["time_to_detect"]["mean_seconds"] == 20 * 60
    assert groups["time_to_detect"]["p90_seconds"] == 30 * 60
    assert groups["time_to_resolve"]["mean_seconds"] == 2 * 3600
    assert groups["time_in_drift"]["p90_seconds"] == 3 * 3600 + 30 * 60  # from the change to the fix
    instance = rows[("222222222222", "aws_instance")]
    assert instance["findings"] == 1 and instance["open"] == 1  # the old one is outside the window
    assert instance["time_to_detect"]["count"] == 0  # no CloudTrail time: not measured, not guessed
    assert instance["time_in_drift"]["mean_seconds"] == 6 * 3600  # open since 06:00
    assert summary["overall"]["findings"] == 3
    days = {d["day"]: d for d in data["per_day"]}
    assert days["2026-12-01"] == {"day": "2026-12-01", "opened": 1, "resolved": 1}
    assert days["2026-12-02"] == {"day": "2026-12-02", "opened": 2, "resolved": 1}
    assert len(days) == 8

    result = guard("history", "--history", tmp_path / "history.sqlite3", "--summary", "--since", "30d")
    assert result.code == 0, result.err
    assert "aws_security_group" in result.out and "aws_instance" in result.out
    assert "time to detect" in result.out


def test_percentile_is_the_nearest_rank():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([5], 0.9) == 5
    assert percentile([1, 100], 0.9) == 100


def test_the_history_page_escapes_and_charts(tmp_path):
    store = SqliteHistory(_history(tmp_path))
    page = render_history_html(
        history_to_dict(store, NOW - datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc), NOW)
    )
    store.close()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;" in page
    assert page.count("<script>") == 1  # the copy-button script alone
    assert page.count('class="bar opened"') == 8 and page.count('class="bar resolved"') == 8
    assert "Drift SLOs" in page and "20m / 30m" in page


def test_an_older_history_gains_the_new_column(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE findings (fingerprint TEXT PRIMARY KEY, scope TEXT NOT NULL, account TEXT, "
        "region TEXT, type TEXT, id TEXT, address TEXT, kind TEXT, severity TEXT, title TEXT, headline TEXT, "
        "first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, status TEXT NOT NULL, resolved_at TEXT, "
        "notified_at TEXT, reminded_at TEXT, slack_channel TEXT, slack_ts TEXT)"
    )
    db.commit()
    db.close()
    store = SqliteHistory(path)
    assert store.claim(
        _record("x", "1", "aws_vpc", "2026-12-01T00:00:00+00:00", changed_at="2026-11-30T23:00:00+00:00")
    )
    assert store.findings()[0].changed_at == "2026-11-30T23:00:00+00:00"
    store.close()
