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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from guard.alerting.actions import permanent_change
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
    parse_time,
    utcnow,
)
from guard.alerting.slack import DeliveryError, SlackNotifier
from guard.errors import InputError
from guard.model import Drift, Report
from guard.remedy.offer import rollback_kind
from guard.render.slack import (
    Alert,
    Notice,
    SlackMessage,
    actor_emails,
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
    routing: Routing | None = None,
) -> CycleResult:
    """One full cycle under the scope's lock; raises HistoryBusy when another run has it."""
    with store.lock(scope, wait_seconds=lock_wait):
        started = clock()
        report = scan()
        return _record_and_deliver(report, store, notifier, scope, remind_after, started, clock, routing)


def record_event(
    report: Report,
    store: HistoryStore,
    notifier: SlackNotifier | None,
    scope: str,
    looked_at: Callable[[FindingRecord], bool],
    remind_after: timedelta = DEFAULT_REMIND_AFTER,
    lock_wait: float = DEFAULT_LOCK_WAIT,
    clock: Callable[[], datetime] = utcnow,
    routing: Routing | None = None,
    started: datetime | None = None,
) -> CycleResult:
    """What one CloudTrail event's narrow read found, recorded in the scope a scan of the same
    sources uses: one finding is one message whichever path sees it first.

    The read happens before the lock (an event must not wait behind a long scan); only the
    findings the read `looked_at` may be resolved by it, every other open finding is left
    for the next scan.
    """
    with store.lock(scope, wait_seconds=lock_wait):
        routing = replace(routing or Routing(), resolves=looked_at)
        return _record_and_deliver(
            report, store, notifier, scope, remind_after, started or clock(), clock, routing
        )


def _record_and_deliver(
    report: Report,
    store: HistoryStore,
    notifier: SlackNotifier | None,
    scope: str,
    remind_after: timedelta,
    started: datetime,
    clock: Callable[[], datetime],
    routing: Routing | None,
) -> CycleResult:
    result = record(report, store, notifier, scope, remind_after, clock(), routing)
    delivery = deliver(store, notifier, scope, clock) if notifier else Delivery()
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
    return replace(result, delivery=delivery)


@dataclass(frozen=True)
class Routing:
    """Where a run's messages go and what it may resolve.

    `channels`: account id -> Slack channel (guard.toml `slack_channel` per account; a bot
    token posts there, a webhook has one channel and ignores it). `resolves`: which open
    findings this run looked at (None: every finding of the scope in the report's account
    and regions, as a scan does).
    """

    channels: Mapping[str, str] = field(default_factory=dict)
    resolves: Callable[[FindingRecord], bool] | None = None

    def channel_for(self, account: str | None) -> str | None:
        return self.channels.get(account or "") or None


def _resolvable(record: FindingRecord, report: Report) -> bool:
    """Only what this scan really looked at may be called resolved."""
    if record.account != (report.account or ""):
        return False
    if record.region and record.region not in report.regions:
        return False
    if report.checked_types and record.type not in report.checked_types:
        return False  # a `--service` scan did not read this finding's type
    unread_regions = {n.region for n in report.not_checked}
    return not (record.region in unread_regions or "global" in unread_regions)


def record(
    report: Report,
    store: HistoryStore,
    notifier: SlackNotifier | None,
    scope: str,
    remind_after: timedelta,
    now: datetime,
    routing: Routing | None = None,
) -> CycleResult:
    """Update history from a report and queue the messages it calls for.

    Without a notifier, findings are recorded and not posted; the first run with one posts
    every open finding nobody was told about (a `scan` with GUARD_HISTORY, then `--notify`).
    """
    routing = routing or Routing()
    at = iso(now)
    current: dict[str, Drift] = {}
    for drift in report.findings:
        current.setdefault(fingerprint(drift), drift)
    queued = {fp for message in store.outbox() for fp in message.fingerprints} if notifier else set()

    new: list[Alert] = []
    reminders: list[tuple[FindingRecord, Drift]] = []
    for fp, drift in current.items():
        existing = store.get(fp)
        if existing is None or existing.status != OPEN:
            if store.claim(_new_record(fp, drift, scope, at)):
                new.append(Alert(drift, fp, rollback_kind(drift)))
            continue  # another runner claimed it between get and claim: theirs to post
        store.seen(fp, at)
        accepted = parse_time(existing.accepted_until)
        if accepted is not None:
            if now < accepted:
                continue  # accepted as intended from Slack: no alert, no reminder until it expires
            if store.claim_reminder(fp, existing.reminded_at, at):  # expired: alert again, once
                store.decide(fp, {"accepted_until": None, "accepted_by": None, "accept_reason": None})
                new.append(Alert(drift, fp, rollback_kind(drift)))
            continue
        snoozed = parse_time(existing.snoozed_until)
        if snoozed is not None and now < snoozed:
            continue
        if notifier is not None and existing.notified_at is None and fp not in queued:
            # Recorded by a run that posted nothing: this run tells (once: the claim is conditional).
            if store.claim_reminder(fp, existing.reminded_at, at):
                new.append(Alert(drift, fp, rollback_kind(drift)))
            continue
        last_ping = existing.reminded_at or existing.notified_at
        due = bool(remind_after and last_ping and now - datetime.fromisoformat(last_ping) >= remind_after)
        if snoozed is not None:  # the snooze is over: the reminder comes back now
            due = True
        if due and store.claim_reminder(fp, existing.reminded_at, at):
            if snoozed is not None:
                store.decide(fp, {"snoozed_until": None})
            reminders.append((existing, drift))

    resolved: list[FindingRecord] = []
    for existing in store.findings(OPEN, scope):
        if existing.fingerprint in current or not _resolvable(existing, report):
            continue
        if routing.resolves is not None and not routing.resolves(existing):
            continue
        if store.resolve(existing.fingerprint, at):
            resolved.append(existing)

    if notifier is not None:
        told = [r for r in resolved if r.notified_at or r.fingerprint in queued]
        store.enqueue(_messages(new, reminders, told, notifier, scope, now, routing))
        if not report.complete and _newly_incomplete(store, scope):
            unread = incomplete_messages(report.account or "", report.not_checked)
            channel = routing.channel_for(report.account)
            store.enqueue([_outbox(scope, "incomplete", m, at, channel=channel) for m in unread])
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
        changed_at=drift.actor.when if drift.actor else None,
        permanent=permanent_change(drift),
        rollback=rollback_kind(drift),
    )


def _outbox(
    scope: str,
    kind: str,
    message: SlackMessage,
    at: str,
    fingerprints: tuple[str, ...] = (),
    thread_message: str | None = None,
    thread_finding: str | None = None,
    channel: str | None = None,
) -> OutboxMessage:
    seq, message_id = new_seq()
    payload = message.payload()
    if channel:
        payload["channel"] = channel  # a bot token posts there; the outbox keeps where it goes
    return OutboxMessage(
        id=message_id,
        scope=scope,
        seq=seq,
        kind=kind,
        payload=payload,
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
    routing: Routing,
) -> list[OutboxMessage]:
    at = iso(now)
    queued: list[OutboxMessage] = []
    by_channel: dict[str | None, list[Alert]] = {}
    for alert in new:
        by_channel.setdefault(routing.channel_for(alert.drift.account), []).append(alert)
    for channel, alerts in by_channel.items():
        pages = alert_messages(
            alerts,
            notifier.mentions(actor_emails(alerts)),
            buttons=notifier.can_update,
            actions_note=not notifier.can_update,
        )
        if not pages:
            continue
        fingerprints = tuple(a.fingerprint for a in alerts)
        first = _outbox(scope, "alert", pages[0], at, fingerprints=fingerprints, channel=channel)
        queued.append(first)
        queued += [
            _outbox(scope, "continuation", page, at, thread_message=first.id, channel=channel)
            for page in pages[1:]
        ]

    def reminder(record: FindingRecord) -> Notice:
        return Notice(
            record.headline, record.fingerprint, f"open for {format_duration(record.open_for(now))}"
        )

    def resolution(record: FindingRecord) -> Notice:
        detail = f"resolved after {format_duration(record.open_for(now))}"
        return Notice(record.headline, record.fingerprint, detail)

    queued += _follow_ups(
        [r for r, _ in reminders], reminder, "Still open", ":alarm_clock:", "reminder", notifier, scope, at
    )
    queued += _follow_ups(
        resolved, resolution, "Resolved", ":white_check_mark:", "resolved", notifier, scope, at
    )
    if resolved and notifier.can_thread:
        for records in _by_thread(resolved).values():
            marker = SlackMessage("resolved", ())
            queued.append(_outbox(scope, "update", marker, at, thread_finding=records[0].fingerprint))
    return queued


def _by_thread(records: Sequence[FindingRecord]) -> dict[str, list[FindingRecord]]:
    """Findings grouped by the alert that first posted them (one thread each)."""
    threads: dict[str, list[FindingRecord]] = {}
    for record in records:
        threads.setdefault(record.slack_ts or f"pending:{record.fingerprint}", []).append(record)
    return threads


def _follow_ups(
    records: Sequence[FindingRecord],
    notice: Callable[[FindingRecord], Notice],
    verb: str,
    emoji: str,
    kind: str,
    notifier: SlackNotifier,
    scope: str,
    at: str,
) -> list[OutboxMessage]:
    """Reminders and resolutions: a reply in each alert's thread with a bot token; with a
    webhook (no threads), one message that says which alert each line follows."""
    if not records:
        return []
    if not notifier.can_thread:
        count = len(records)
        title = f"{verb}: {count} out-of-band edit{'s' if count != 1 else ''}"
        notices = [_following(notice(r), r) for r in records]
        return [_outbox(scope, kind, m, at) for m in notice_messages(title, notices, emoji)]
    queued = []
    for records_in_thread in _by_thread(records).values():
        count = len(records_in_thread)
        title = verb if count == 1 else f"{verb}: {count} of these edits"
        notices = [notice(r) for r in records_in_thread]
        for message in notice_messages(title, notices, emoji):
            queued.append(_outbox(scope, kind, message, at, thread_finding=records_in_thread[0].fingerprint))
    return queued


def _following(notice: Notice, record: FindingRecord) -> Notice:
    """A webhook cannot reply in a thread: name the alert the line follows."""
    alerted = record.notified_at or record.first_seen
    return Notice(notice.headline, notice.fingerprint, f"{notice.detail} · alerted {alerted}")


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
        channel, thread_ts = _thread_of(store, message)
        try:
            if message.kind == "update":
                _mark_resolved(store, notifier, message, clock)
                continue
            ts = notifier.post(SlackMessage.from_payload(message.payload), thread_ts, channel)
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
        channel = getattr(notifier, "posted_channel", None) or (channel if notifier.can_thread else None)
        channel = channel or notifier.channel
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


def _thread_of(store: HistoryStore, message: OutboxMessage) -> tuple[str | None, str | None]:
    """(channel, thread ts) a message goes to: its own channel, or its thread's."""
    channel = message.payload.get("channel") or None
    if message.thread_message:
        sent = store.sent(message.thread_message)
        return (sent.channel if sent else channel), (sent.ts if sent else None)
    if message.thread_finding:
        found = store.get(message.thread_finding)
        if found and found.slack_ts:
            return found.slack_channel or channel, found.slack_ts
    return channel, None


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
