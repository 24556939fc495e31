"""Drift metrics for Prometheus: a textfile for node_exporter (`--metrics-file`) and `/metrics` on
`guard watch --metrics-port` (docs/metrics.md lists every metric).

One collector per run, in a registry of its own (no global state): it turns the last scan's
reports, the last cycle's delivery and the history's records into metric families each time
Prometheus (or the textfile writer) asks, so a scrape during a cycle sees the last finished one.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, start_http_server, write_to_textfile
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

from guard import __version__
from guard.alerting.history.store import OPEN, PENDING, RESOLVED, FindingRecord, HistoryStore, parse_time
from guard.errors import InputError
from guard.model import Report

if TYPE_CHECKING:
    from guard.alerting.cycle import CycleResult

log = logging.getLogger("guard.alerting.metrics")

# Seconds: a minute to a week (detection is minutes with on-event, up to an interval with a scan).
DETECT_BUCKETS = (
    60.0,
    300.0,
    900.0,
    1800.0,
    3600.0,
    4 * 3600.0,
    12 * 3600.0,
    86400.0,
    3 * 86400.0,
    7 * 86400.0,
)
RESOLVE_BUCKETS = (
    300.0,
    900.0,
    3600.0,
    4 * 3600.0,
    12 * 3600.0,
    86400.0,
    3 * 86400.0,
    7 * 86400.0,
    30 * 86400.0,
)


@dataclass(frozen=True)
class HistoryFacts:
    """What the history says beyond one scan: durations of past findings, the outbox, the last good run."""

    time_to_detect: tuple[float, ...] = ()
    time_to_resolve: tuple[float, ...] = ()
    outbox_pending: int = 0
    outbox_refused: int = 0
    last_complete_run: float | None = None  # unix time a complete scan finished
    oldest_open: float | None = None  # unix time the oldest open finding was first seen


def _seconds(start: str | None, end: str | None) -> float | None:
    begin, finish = parse_time(start), parse_time(end)
    if begin is None or finish is None:
        return None
    return max(0.0, (finish - begin).total_seconds())


def time_to_detect(record: FindingRecord) -> float | None:
    """From the change (CloudTrail's event time) to the alert (or to the scan that saw it, unposted)."""
    return _seconds(record.changed_at, record.notified_at or record.first_seen)


def time_to_resolve(record: FindingRecord) -> float | None:
    """From the scan that first saw it to the scan that saw it gone."""
    return _seconds(record.first_seen, record.resolved_at) if record.status == RESOLVED else None


def history_facts(store: HistoryStore) -> HistoryFacts:
    records = store.findings()
    outbox = store.outbox()
    complete = [parse_time(run.finished_at) for run in store.runs(limit=200) if run.complete]
    last = max((moment.timestamp() for moment in complete if moment is not None), default=None)
    return HistoryFacts(
        time_to_detect=tuple(s for s in (time_to_detect(r) for r in records) if s is not None),
        time_to_resolve=tuple(s for s in (time_to_resolve(r) for r in records) if s is not None),
        outbox_pending=sum(1 for m in outbox if m.status == PENDING),
        outbox_refused=sum(1 for m in outbox if m.status != PENDING),
        last_complete_run=last,
        oldest_open=min(
            (
                moment.timestamp()
                for r in records
                if r.status == OPEN and (moment := parse_time(r.first_seen))
            ),
            default=None,
        ),
    )


@dataclass(frozen=True)
class Snapshot:
    reports: tuple[Report, ...]  # one scan, or each event's comparison (on-event)
    finished_at: float  # unix time
    delivered: int = 0  # Slack messages the cycle delivered
    pending: int | None = None  # still in the outbox after the cycle (None: not known from a cycle)
    history: HistoryFacts | None = None


def _buckets(values: Sequence[float], bounds: Sequence[float]) -> list[tuple[str, float]]:
    out = [(_bound(b), float(sum(1 for v in values if v <= b))) for b in bounds]
    return [*out, ("+Inf", float(len(values)))]


def _bound(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}.0"


@dataclass(eq=False)  # registries keep collectors in sets: hashed by identity
class DriftCollector(Collector):
    """Builds every metric from the latest snapshot when asked."""

    latest: Snapshot | None = None
    sent_total: int = 0  # Slack messages delivered by this process
    last_success: float | None = None  # unix time of the last complete scan, kept across cycles
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, snapshot: Snapshot) -> None:
        with self._lock:
            self.sent_total += snapshot.delivered
            if snapshot.reports and all(r.complete for r in snapshot.reports):
                self.last_success = snapshot.finished_at
            elif snapshot.history and snapshot.history.last_complete_run:
                self.last_success = max(self.last_success or 0.0, snapshot.history.last_complete_run)
            self.latest = snapshot

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            snapshot, sent_total, last_success = self.latest, self.sent_total, self.last_success
        info = InfoMetricFamily("guard", "change-guard that wrote these metrics")
        info.add_metric([], {"version": __version__})
        yield info
        if snapshot is None:
            return
        yield from _scan_metrics(snapshot.reports, snapshot.finished_at)
        if last_success is not None:
            yield GaugeMetricFamily(
                "guard_last_successful_scan_timestamp_seconds",
                "When the last complete scan finished (unix time): nothing was left unread.",
                value=last_success,
            )
        sent = CounterMetricFamily("guard_alerts_sent", "Slack messages delivered by this process.")
        sent.add_metric([], float(sent_total))
        yield sent
        facts = snapshot.history
        pending = (
            snapshot.pending if snapshot.pending is not None else (facts.outbox_pending if facts else None)
        )
        if pending is not None:
            yield GaugeMetricFamily(
                "guard_alerts_pending", "Messages waiting in the history's outbox for Slack.", value=pending
            )
        if facts is not None:
            oldest = snapshot.finished_at - facts.oldest_open if facts.oldest_open is not None else 0.0
            yield GaugeMetricFamily(
                "guard_findings_oldest_open_seconds",
                "How long the oldest open finding has been open (0 when none is).",
                value=max(0.0, oldest),
            )
            yield GaugeMetricFamily(
                "guard_alerts_refused",
                "Messages Slack refused, kept in the outbox.",
                value=facts.outbox_refused,
            )
        detect = [*(facts.time_to_detect if facts else ()), *_detected_now(snapshot)]
        if facts is not None or detect:
            histogram = HistogramMetricFamily(
                "guard_time_to_detect_seconds",
                "From the change (CloudTrail event time) to the alert, per finding.",
            )
            histogram.add_metric([], _buckets(detect, DETECT_BUCKETS), sum_value=float(sum(detect)))
            yield histogram
        if facts is not None:
            resolve = facts.time_to_resolve
            histogram = HistogramMetricFamily(
                "guard_time_to_resolve_seconds",
                "From the first scan that saw a finding to the scan that saw it gone.",
            )
            histogram.add_metric([], _buckets(resolve, RESOLVE_BUCKETS), sum_value=float(sum(resolve)))
            yield histogram


def _detected_now(snapshot: Snapshot) -> list[float]:
    """Without history: how long ago each attributed finding of this scan was made."""
    if snapshot.history is not None:
        return []
    out = []
    for report in snapshot.reports:
        for drift in report.findings:
            when = parse_time(drift.actor.when) if drift.actor and drift.actor.when else None
            if when is not None:
                out.append(max(0.0, snapshot.finished_at - when.timestamp()))
    return out


def _scan_metrics(reports: Sequence[Report], finished_at: float) -> Iterator[Metric]:
    labels = ["account", "region", "type", "kind", "severity"]
    open_findings = GaugeMetricFamily(
        "guard_findings_open", "Findings of the last scan (drift not yet put back).", labels=labels
    )
    counts = Counter(
        (d.account or "", d.region or "", d.type, d.kind.value, d.severity.value)
        for report in reports
        for d in report.findings
    )
    for key, count in sorted(counts.items()):
        open_findings.add_metric(list(key), float(count))
    yield open_findings
    yield GaugeMetricFamily(
        "guard_findings", "Findings of the last scan, all kinds together.", value=float(sum(counts.values()))
    )
    yield GaugeMetricFamily(
        "guard_scan_duration_seconds",
        "How long the last scan took.",
        value=sum(r.duration_seconds for r in reports),
    )
    complete = all(r.complete for r in reports)
    yield GaugeMetricFamily(
        "guard_scan_complete",
        "1 when the last scan read everything, 0 when something was not read.",
        value=float(complete),
    )
    unread = GaugeMetricFamily(
        "guard_scan_unread",
        "What the last scan could not read: type/region pairs, states, accounts.",
        labels=["what"],
    )
    unread.add_metric(["type"], float(sum(len(r.not_checked) for r in reports)))
    for what in ("state", "account"):
        unread.add_metric([what], float(sum(1 for r in reports for u in r.unreadable if u.what == what)))
    yield unread
    yield GaugeMetricFamily(
        "guard_scan_api_calls",
        "AWS HTTP requests the last scan sent, retries included.",
        value=sum(r.api_calls for r in reports),
    )
    yield GaugeMetricFamily(
        "guard_scan_throttled_calls",
        "AWS requests of the last scan answered with throttling.",
        value=sum(r.throttled_calls for r in reports),
    )
    yield GaugeMetricFamily(
        "guard_scan_timestamp_seconds",
        "When the last scan finished (unix time), complete or not.",
        value=finished_at,
    )


# --- where they go ----------------------------------------------------------------------------


def _previous_success(path: str) -> float | None:
    """The last successful scan time a previous run wrote, kept when this scan is incomplete."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    try:
        for family in text_string_to_metric_families(text):
            if family.name == "guard_last_successful_scan_timestamp_seconds":
                return float(family.samples[0].value) if family.samples else None
    except ValueError:
        return None
    return None


@dataclass
class Metrics:
    """`--metrics-file` and `--metrics-port` of one command; off when neither was given."""

    file: str | None = None
    port: int | None = None
    history: str | None = None  # the history the command uses (None: the per-user default)
    reads_history: bool = False  # the command keeps a history (an alerting run): read durations from it
    collector: DriftCollector = field(default_factory=DriftCollector)
    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=False))
    _server: Any = None

    def __post_init__(self) -> None:
        self.registry.register(self.collector)
        if self.file:  # checked before the scan, so that a bad path costs no scan
            _check_folder(self.file)
            self.collector.last_success = _previous_success(self.file)

    @property
    def wanted(self) -> bool:
        return bool(self.file or self.port)

    def serve(self) -> None:
        """`/metrics` on --metrics-port, in a thread, for as long as the process runs."""
        if self.port is None or self._server is not None:
            return
        try:
            self._server = start_http_server(self.port, addr="0.0.0.0", registry=self.registry)
        except OSError as exc:
            raise InputError(
                "--metrics-port", f"cannot listen on port {self.port} ({exc.strerror})", "pick a free port"
            ) from None

    def record(self, reports: Report | Iterable[Report], cycle: CycleResult | None = None) -> None:
        """After a scan (or a cycle): update what `/metrics` serves and rewrite the file."""
        if not self.wanted:
            return
        chosen = (reports,) if isinstance(reports, Report) else tuple(reports)
        delivery = cycle.delivery if cycle is not None else None
        self.collector.update(
            Snapshot(
                reports=chosen,
                finished_at=time.time(),
                delivered=delivery.delivered if delivery else 0,
                pending=delivery.pending if delivery and cycle is not None else None,
                history=self._history_facts(),
            )
        )
        if self.file:
            write_metrics_file(self.file, self.registry)

    def _history_facts(self) -> HistoryFacts | None:
        from guard.alerting.history import open_history

        if not self.reads_history:
            return None
        try:
            store = open_history(self.history)
        except Exception as exc:  # metrics must never fail the scan they describe
            log.warning("metrics: history not read: %s", exc)
            return None
        try:
            return history_facts(store)
        finally:
            store.close()


def _check_folder(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(
            f"--metrics-file {path}", f"{folder} is not a folder", "create it or pick another path"
        )


def write_metrics_file(path: str, registry: CollectorRegistry) -> None:
    """Atomically: a temporary file beside it, then os.replace (the textfile collector never sees half)."""
    _check_folder(path)
    write_to_textfile(path, registry)
