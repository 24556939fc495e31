"""Drift metrics: the textfile parses with prometheus-client's own parser and counts what the JSON
report counts; `/metrics` answers while a cycle runs; the histograms come from the history."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from guard.alerting.history import FindingRecord, SqliteHistory
from guard.alerting.metrics import Metrics
from guard.demo import build_edge, build_web_estate, delete_https_rule
from guard.model import NotChecked, Report
from tests.faultyaws import THROTTLED, FaultyAws

REGION = "us-east-1"


def families(text: str) -> dict[str, Any]:
    return {family.name: family for family in text_string_to_metric_families(text)}


def value(found: dict[str, Any], name: str, **labels: str) -> float:
    """One sample, by its own name (a counter's `_total`, a histogram's `_bucket`) and labels."""
    every = [s for family in found.values() for s in family.samples if s.name == name]
    samples = [s for s in every if all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(samples) == 1, (name, labels, every)
    return float(samples[0].value)


@pytest.fixture
def drifted(aws, tmp_path) -> Path:
    estate = build_web_estate(aws, REGION)
    build_edge(aws, estate, REGION)
    state = estate.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, estate.lb_group_id, REGION)
    return state


def test_the_metrics_file_counts_what_the_json_report_counts(drifted, tmp_path, guard):
    path = tmp_path / "metrics" / "guard.prom"
    path.parent.mkdir()
    result = guard("scan", "--state", drifted, "--region", REGION, "--metrics-file", path, "--format", "json")
    assert result.code == 2, result.err
    report = result.json()
    found = families(path.read_text())

    open_findings = found["guard_findings_open"].samples
    assert sum(s.value for s in open_findings) == report["summary"]["findings"] == 1
    finding = report["findings"][0]
    assert open_findings[0].labels == {
        "account": finding["account"],
        "region": finding["region"],
        "type": finding["type"],
        "kind": finding["kind"],
        "severity": finding["severity"],
    }
    assert value(found, "guard_findings") == 1
    assert value(found, "guard_scan_complete") == 1
    assert value(found, "guard_scan_api_calls") == report["api_calls"]
    assert value(found, "guard_scan_duration_seconds") == pytest.approx(report["duration_seconds"])
    assert value(found, "guard_scan_throttled_calls") == 0
    assert value(found, "guard_scan_unread", what="type") == 0
    assert value(found, "guard_last_successful_scan_timestamp_seconds") == pytest.approx(time.time(), abs=120)
    assert "guard_time_to_resolve_seconds" not in found  # no history in this run
    assert [p.name for p in path.parent.iterdir()] == ["guard.prom"]  # written through a temp file, replaced


def test_an_incomplete_scan_keeps_the_last_successful_time_and_says_so(tmp_path):
    path = str(tmp_path / "guard.prom")
    Metrics(file=path).record(Report(account="1", regions=(REGION,), sources=(), findings=()))
    first = value(families(Path(path).read_text()), "guard_last_successful_scan_timestamp_seconds")
    incomplete = Report(
        account="1",
        regions=(REGION,),
        sources=(),
        findings=(),
        not_checked=(NotChecked("aws_sns_topic", REGION, "Throttling: Rate exceeded"),),
        throttled_calls=3,
    )
    Metrics(file=path).record(incomplete)  # a new run: it reads the time the last one wrote
    found = families(Path(path).read_text())
    assert value(found, "guard_scan_complete") == 0
    assert value(found, "guard_scan_unread", what="type") == 1
    assert value(found, "guard_scan_throttled_calls") == 3
    assert value(found, "guard_last_successful_scan_timestamp_seconds") == first


def test_throttled_calls_are_counted(drifted, tmp_path, guard, monkeypatch):
    faulty = FaultyAws(os.environ["AWS_ENDPOINT_URL"]).start()
    try:
        faulty.faults[("sns", "*")] = THROTTLED
        monkeypatch.setenv("AWS_ENDPOINT_URL", faulty.url)
        path = tmp_path / "guard.prom"
        args = ("scan", "--state", drifted, "--region", REGION, "--max-attempts", "2", "--metrics-file", path)
        assert guard(*args).code == 3
    finally:
        faulty.stop()
    found = families(path.read_text())
    assert value(found, "guard_scan_complete") == 0
    assert value(found, "guard_scan_throttled_calls") >= 2  # each attempt at the SNS list call
    assert "guard_last_successful_scan_timestamp_seconds" not in found  # never a complete scan here


def _record(fp: str, **times: str | None) -> FindingRecord:
    return FindingRecord(
        fingerprint=fp,
        scope="s",
        account="123456789012",
        region=REGION,
        type="aws_security_group",
        id="sg-1",
        address="aws_security_group.lb",
        kind="missing",
        severity="critical",
        title="t",
        headline="h",
        first_seen=str(times["first_seen"]),
        last_seen=str(times["first_seen"]),
        changed_at=times.get("changed_at"),
        notified_at=times.get("notified_at"),
    )


def test_time_to_detect_and_to_resolve_come_from_the_history(tmp_path):
    history = str(tmp_path / "history.sqlite3")
    store = SqliteHistory(history)
    # Detected 2 minutes after the change and resolved an hour later; detected after 2 hours, still open.
    store.claim(
        _record(
            "a",
            changed_at="2026-12-01T10:00:00+00:00",
            first_seen="2026-12-01T10:01:00+00:00",
            notified_at="2026-12-01T10:02:00+00:00",
        )
    )
    store.resolve("a", "2026-12-01T11:01:00+00:00")
    store.claim(_record("b", changed_at="2026-12-01T08:00:00+00:00", first_seen="2026-12-01T10:00:00+00:00"))
    store.claim(_record("c", first_seen="2026-12-01T10:00:00+00:00"))  # no CloudTrail time: not measured
    store.close()
    path = tmp_path / "guard.prom"
    Metrics(file=str(path), history=history, reads_history=True).record(
        Report(account="123456789012", regions=(REGION,), sources=(), findings=())
    )
    found = families(path.read_text())
    assert value(found, "guard_time_to_detect_seconds_count") == 2
    assert value(found, "guard_time_to_detect_seconds_sum") == 120 + 7200
    assert value(found, "guard_time_to_detect_seconds_bucket", le="300.0") == 1
    assert value(found, "guard_time_to_detect_seconds_bucket", le="14400.0") == 2
    assert value(found, "guard_time_to_resolve_seconds_count") == 1
    assert value(found, "guard_time_to_resolve_seconds_sum") == 3600
    assert value(found, "guard_alerts_pending") == 0
    oldest = value(found, "guard_findings_oldest_open_seconds")  # b, open since 2026-12-01T10:00
    assert oldest == pytest.approx(time.time() - 1796119200, abs=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return str(response.read().decode())


def test_metrics_answer_while_a_cycle_runs(tmp_path):
    port = _free_port()
    metrics = Metrics(port=port)
    metrics.serve()
    metrics.record(Report(account="1", regions=(REGION,), sources=(), findings=(), api_calls=7))
    started, release = threading.Event(), threading.Event()

    def slow_cycle() -> None:  # a scan that takes its time
        started.set()
        release.wait(30)
        metrics.record(Report(account="1", regions=(REGION,), sources=(), findings=(), api_calls=9))

    worker = threading.Thread(target=slow_cycle)
    worker.start()
    try:
        assert started.wait(10)
        during = families(_scrape(port))
        assert value(during, "guard_scan_api_calls") == 7  # the last finished cycle's
    finally:
        release.set()
        worker.join(30)
    assert value(families(_scrape(port)), "guard_scan_api_calls") == 9


def test_watch_serves_metrics_on_its_port(drifted, tmp_path):
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "guard",
        "watch",
        "--state",
        str(drifted),
        "--region",
        REGION,
        "--interval",
        "2s",
        "--history",
        str(tmp_path / "history.sqlite3"),
        "--metrics-port",
        str(port),
        "--metrics-file",
        str(tmp_path / "guard.prom"),
    ]
    watch = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        seen: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                seen = families(_scrape(port))
            except OSError:
                seen = {}
            if "guard_findings" in seen:
                break
            assert watch.poll() is None, watch.stderr.read() if watch.stderr else ""
            time.sleep(0.3)
        assert value(seen, "guard_findings") == 1
        assert value(seen, "guard_findings_open", kind="missing", severity="critical") == 1
        assert value(seen, "guard_alerts_sent_total") == 0  # history only: nothing posted
        assert "guard_time_to_resolve_seconds" in seen  # a watch keeps a history
    finally:
        watch.send_signal(signal.SIGTERM)
        _, err = watch.communicate(timeout=60)
    assert watch.returncode == 0, err
    assert value(families((tmp_path / "guard.prom").read_text()), "guard_findings") == 1


def test_on_event_writes_the_finding_and_its_time_to_detect(aws, tmp_path, guard):
    from tests.cloudtrail_shapes import eventbridge, revoke_ingress_by_rule_id
    from tests.test_on_event import _rule_id, _write

    built = build_web_estate(aws, REGION)
    state = built.state.write(tmp_path / "terraform.tfstate")
    rule_id = _rule_id(aws, built.lb_group_id, 443)
    delete_https_rule(aws, built.lb_group_id, REGION)
    event = eventbridge(revoke_ingress_by_rule_id(built.lb_group_id, rule_id, event_id="ev-1", console=True))
    path = tmp_path / "guard.prom"
    result = guard("on-event", "--state", state, "--event", _write(tmp_path, event), "--metrics-file", path)
    assert result.code == 2, result.err
    found = families(path.read_text())
    assert value(found, "guard_findings") == 1
    assert value(found, "guard_scan_complete") == 1
    assert value(found, "guard_time_to_detect_seconds_count") == 1  # the event's time to now


def test_a_metrics_file_in_no_folder_is_one_clear_line_before_any_scan(tmp_path, guard):
    result = guard(
        "scan", "--state", tmp_path / "none.tfstate", "--metrics-file", tmp_path / "no" / "guard.prom"
    )
    assert result.code == 1
    assert "--metrics-file" in result.err and "is not a folder" in result.err
    assert "Traceback" not in result.err
