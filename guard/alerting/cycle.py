"""The alert cycle: scan, compare with history, post new findings once, remind, resolve.

    lock(scope) -> scan -> history (claim new / remind / resolve) -> outbox -> Slack

Every message goes into the history's outbox before Slack is called and leaves it only
once Slack took it, so an outage loses nothing: the next run delivers what is left,
in order, before anything new.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from guard.alerting.fingerprint import fingerprint
from guard.alerting.history import (
    DEFAULT_LOCK_WAIT,
    OPEN,
    FindingRecord,
    HistoryStore,
    OutboxMessage,
    RunRecord,
    SentMessage,
    iso,
    new_seq,
    utcnow,
)
from guard.alerting.slack import DeliveryError, SlackNotifier
from guard.errors import InputError
from guard.model import Drift, Report
from guard.render.slack import (
    Alert,
    Notice,
    SlackMessage,
    alert_messages,
    context,
    headline,
    incomplete_messages,
    notice_messages,
    truncate,
)

DEFAULT_REMIND_AFTER = timedelta(hours=24)
log = logging.getLogger("guard.alerting.cycle")

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, option: str) -> timedelta:
    """`90s`, `5m`, `24h`, `2d` (a bare number is seconds)."""
    match = _DURATION.match(text or "")
    if not match:
        raise InputError(
            option, f"{text!r} is not a duration", "use a number with s, m, h or d, e.g. 5m or 24h"
        )
    return timedelta(seconds=int(match.group(1)) * _UNIT[match.group(2)])


def format_duration(span: timedelta) -> str:
    seconds = max(0, int(span.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m" if minutes else f"{seconds}s"


def scope_of(state_paths: Sequence[str], regions: Sequence[str]) -> str:
    """What a run covers (its states and regions): one lock, one outbox, what it may resolve."""
    sources = sorted(p if "://" in p else os.path.abspath(p) for p in state_paths)
    text = "\n".join([*sources, "--", *sorted(regions)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Delivery:
    delivered: int = 0
    pending: int = 0
    refused: int = 0  # Slack refused the message itself; kept in history as failed
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class CycleResult:
    report: Report
    new: tuple[str, ...] = ()
    reminded: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    delivery: Delivery = field(default_factory=Delivery)


def run_cycle(
    scan: Callable[[], Report],
    store: HistoryStore,
    notifier: SlackNotifier | None,
    scope: str,
    remind_after: timedelta = DEFAULT_REMIND_AFTER,
    lock_wait: float = DEFAULT_LOCK_WAIT,
    clock: Callable[[], datetime] = utcnow,
) -> CycleResult:
    """One full cycle under the scope's lock; raises HistoryBusy when another run has it."""
    with store.lock(scope, wait_seconds=lock_wait):
        started = clock()
        report = scan()
        result = record(report, store, notifier, scope, remind_after, clock())
        delivery = deliver(store, notifier, scope, clock) if notifier else Delivery()
        result = CycleResult(result.report, result.new, result.reminded, result.resolved, delivery)
        store.record_run(
            RunRecord(
                id=uuid.uuid4().hex[:16],
                scope=scope,
                started_at=iso(started),
                finished_at=iso(clock()),
                account=report.account or "",
                regions=",".join(report.regions),
                findings=len(report.findings),
                new=len(result.new),
                reminded=len(result.reminded),
                resolved=len(result.resolved),
                complete=report.complete,
                outbox_pending=delivery.pending,
                error="; ".join(delivery.errors) or None,
            )
        )
    return result


def _resolvable(record: FindingRecord, report: Report) -> bool:
    """Only what this scan really looked at may be called resolved."""
    if record.account != (report.account or ""):
        return False
    if record.region and record.region not in report.regions:
        return False
    unread_regions = {n.region for n in report.not_checked}
    return not (record.region in unread_regions or "global" in unread_regions)


def record(
    report: Report,
    store: HistoryStore,
    notifier: SlackNotifier | None,
    scope: str,
    remind_after: timedelta,
    now: datetime,
) -> CycleResult:
    """Update history from a report and queue the messages it calls for."""
    at = iso(now)
    current: dict[str, Drift] = {}
    for drift in report.findings:
        current.setdefault(fingerprint(drift), drift)

    new: list[Alert] = []
    reminders: list[tuple[FindingRecord, Drift]] = []
    for fp, drift in current.items():
        existing = store.get(fp)
        if existing is None or existing.status != OPEN:
            if store.claim(_new_record(fp, drift, scope, at)):
                new.append(Alert(drift, fp))
            continue  # another runner claimed it between get and claim: theirs to post
        store.seen(fp, at)
        last_ping = existing.reminded_at or existing.notified_at
        due = bool(remind_after and last_ping and now - datetime.fromisoformat(last_ping) >= remind_after)
        if due and store.claim_reminder(fp, existing.reminded_at, at):
            reminders.append((existing, drift))

    resolved: list[FindingRecord] = []
    for existing in store.findings(OPEN, scope):
        if existing.fingerprint in current or not _resolvable(existing, report):
            continue
        if store.resolve(existing.fingerprint, at):
            resolved.append(existing)

    if notifier is not None:
        store.enqueue(_messages(new, reminders, resolved, notifier, scope, now))
        if not report.complete and _newly_incomplete(store, scope):
            unread = incomplete_messages(report.account or "", report.not_checked)
            store.enqueue([_outbox(scope, "incomplete", message, at) for message in unread])
    return CycleResult(
        report,
        tuple(a.fingerprint for a in new),
        tuple(r.fingerprint for r, _ in reminders),
        tuple(r.fingerprint for r in resolved),
    )


def _newly_incomplete(store: HistoryStore, scope: str) -> bool:
    """Say a scan is incomplete when it becomes so, not on every cycle it stays so."""
    previous = next((run for run in store.runs(limit=50) if run.scope == scope), None)
    return previous is None or previous.complete


def _new_record(fp: str, drift: Drift, scope: str, at: str) -> FindingRecord:
    return FindingRecord(
        fingerprint=fp,
        scope=scope,
        account=drift.account or "",
        region=drift.region or "",
        type=drift.type,
        id=drift.id,
        address=drift.address,
        kind=drift.kind.value,
        severity=drift.severity.value,
        title=drift.title,
        headline=headline(drift),
        first_seen=at,
        last_seen=at,
    )


def _outbox(
    scope: str,
    kind: str,
    message: SlackMessage,
    at: str,
    fingerprints: tuple[str, ...] = (),
    thread_message: str | None = None,
    thread_finding: str | None = None,
) -> OutboxMessage:
    seq, message_id = new_seq()
    return OutboxMessage(
        id=message_id,
        scope=scope,
        seq=seq,
        kind=kind,
        payload=message.payload(),
        created_at=at,
        fingerprints=fingerprints,
        thread_message=thread_message,
        thread_finding=thread_finding,
    )


def _messages(
    new: list[Alert],
    reminders: list[tuple[FindingRecord, Drift]],
    resolved: list[FindingRecord],
    notifier: SlackNotifier,
    scope: str,
    now: datetime,
) -> list[OutboxMessage]:
    at = iso(now)
    queued: list[OutboxMessage] = []
    pages = alert_messages(new)
    if pages:
        first = _outbox(scope, "alert", pages[0], at, fingerprints=tuple(a.fingerprint for a in new))
        queued.append(first)
        queued += [_outbox(scope, "continuation", page, at, thread_message=first.id) for page in pages[1:]]
    if reminders:
        notices = [
            Notice(record.headline, record.fingerprint, f"open for {format_duration(record.open_for(now))}")
            for record, _ in reminders
        ]
        title = f"Still open: {len(notices)} out-of-band edit{'s' if len(notices) != 1 else ''}"
        queued += [
            _outbox(scope, "reminder", m, at) for m in notice_messages(title, notices, ":alarm_clock:")
        ]
    if resolved:
        queued += _resolved_messages(resolved, notifier, scope, now)
    return queued


def _resolved_messages(
    resolved: list[FindingRecord], notifier: SlackNotifier, scope: str, now: datetime
) -> list[OutboxMessage]:
    at = iso(now)

    def notice(record: FindingRecord) -> Notice:
        return Notice(
            record.headline, record.fingerprint, f"resolved after {format_duration(record.open_for(now))}"
        )

    if not notifier.can_thread:
        title = f"Resolved: {len(resolved)} out-of-band edit{'s' if len(resolved) != 1 else ''}"
        notices = [notice(record) for record in resolved]
        return [
            _outbox(scope, "resolved", m, at) for m in notice_messages(title, notices, ":white_check_mark:")
        ]
    # With a bot token: a reply in each original thread, then the original marked resolved.
    threads: dict[str, list[FindingRecord]] = {}
    for record in resolved:
        threads.setdefault(record.slack_ts or f"pending:{record.fingerprint}", []).append(record)
    queued = []
    for records in threads.values():
        title = "Resolved" if len(records) == 1 else f"Resolved: {len(records)} of these edits"
        for message in notice_messages(title, [notice(r) for r in records], ":white_check_mark:"):
            queued.append(_outbox(scope, "resolved", message, at, thread_finding=records[0].fingerprint))
        marker = SlackMessage("resolved", ())
        queued.append(_outbox(scope, "update", marker, at, thread_finding=records[0].fingerprint))
    return queued


def deliver(
    store: HistoryStore,
    notifier: SlackNotifier,
    scope: str,
    clock: Callable[[], datetime] = utcnow,
) -> Delivery:
    """Send the scope's outbox in order; stop at the first failure that may pass."""
    delivered = refused = 0
    errors: list[str] = []
    pending = store.pending(scope)
    for index, message in enumerate(pending):
        thread_ts = _thread_of(store, message)
        try:
            if message.kind == "update":
                _mark_resolved(store, notifier, message, clock)
                continue
            ts = notifier.post(SlackMessage.from_payload(message.payload), thread_ts)
        except DeliveryError as exc:
            store.failed(message, str(exc), exc.permanent)
            if exc.permanent:
                refused += 1
                log.error("Slack refused a %s message (kept in history): %s", message.kind, exc)
                continue
            errors.append(str(exc))
            log.warning(
                "Slack delivery failed: %s; %d message(s) kept in the outbox for the next run",
                exc,
                len(pending) - index,
            )
            return Delivery(delivered, len(pending) - index, refused, tuple(errors))
        sent_at = iso(clock())
        channel = getattr(notifier, "posted_channel", None) or notifier.channel
        store.delivered(
            message,
            SentMessage(
                id=message.id,
                scope=message.scope,
                kind=message.kind,
                channel=channel,
                ts=ts,
                thread_ts=thread_ts,
                sent_at=sent_at,
                payload=message.payload,
                fingerprints=message.fingerprints,
            ),
        )
        for fp in message.fingerprints:
            store.posted(fp, channel, ts, sent_at)
        delivered += 1
    return Delivery(delivered, 0, refused, tuple(errors))


def _thread_of(store: HistoryStore, message: OutboxMessage) -> str | None:
    if message.thread_message:
        sent = store.sent(message.thread_message)
        return sent.ts if sent else None
    if message.thread_finding:
        found = store.get(message.thread_finding)
        return found.slack_ts if found else None
    return None


def _mark_resolved(
    store: HistoryStore, notifier: SlackNotifier, message: OutboxMessage, clock: Callable[[], datetime]
) -> None:
    """chat.update the original alert once every finding in it is resolved."""
    found = store.get(message.thread_finding or "")
    original = (
        store.sent_at_ts(found.slack_channel, found.slack_ts)
        if found and found.slack_channel and found.slack_ts and notifier.can_update
        else None
    )
    still_open = [
        fp for fp in (original.fingerprints if original else ()) if (r := store.get(fp)) and r.status == OPEN
    ]
    if original is not None and original.ts and not still_open:
        blocks = list(original.payload.get("blocks", []))
        if blocks and blocks[0].get("type") == "header":
            heading = dict(blocks[0])
            heading["text"] = {
                **heading["text"],
                "text": truncate("Resolved: " + heading["text"]["text"], 150),
            }
            blocks[0] = heading
        if len(blocks) < 50:
            blocks.append(context(f":white_check_mark: all resolved by {iso(clock())}"))
        text = "Resolved: " + str(original.payload.get("text", ""))
        notifier.update(original.channel, original.ts, SlackMessage(text, tuple(blocks)))
    store.discard(message)
