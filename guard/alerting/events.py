"""Alerts from CloudTrail events: what `guard on-event` found, recorded and posted like a scan's.

    event -> narrow read (guard.pipeline.on_event) -> history (the scan's scope) -> outbox -> Slack

An event's findings go into the same history scope as a scheduled scan over the same
sources and regions, so one finding is one Slack message whichever path saw it first,
and the scan's later "resolved" lands in that message's thread. An event resolves only
what its narrow read looked at. Ignored events (read-only, failed, not followed, in no
state) touch neither history nor Slack: they cost nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guard.alerting.cycle import CycleResult, Delivery, record_event, scope_of
from guard.alerting.history import FindingRecord, open_history
from guard.alerting.slack import make_notifier
from guard.alerting.watch import AlertSettings
from guard.pipeline.on_event import EventOutcome


@dataclass(frozen=True)
class EventAlerts:
    """What the events of one invocation posted, summed over the events that were checked."""

    results: tuple[CycleResult, ...] = ()

    @property
    def new(self) -> int:
        return sum(len(r.new) for r in self.results)

    @property
    def resolved(self) -> int:
        return sum(len(r.resolved) for r in self.results)

    @property
    def reminded(self) -> int:
        return sum(len(r.reminded) for r in self.results)

    @property
    def delivery(self) -> Delivery:
        if not self.results:
            return Delivery()
        last = self.results[-1].delivery  # each delivery sends what is left: the last one tells
        return Delivery(
            delivered=sum(r.delivery.delivered for r in self.results),
            pending=last.pending,
            refused=sum(r.delivery.refused for r in self.results),
            errors=tuple(e for r in self.results for e in r.delivery.errors),
        )

    def describe(self) -> str:
        delivery = self.delivery
        parts = [f"{self.new} new, {self.reminded} reminded, {self.resolved} resolved"]
        if delivery.delivered:
            parts.append(f"{delivery.delivered} Slack message{'s' if delivery.delivered != 1 else ''} sent")
        if delivery.pending:
            failure = f" ({delivery.errors[-1]})" if delivery.errors else ""
            parts.append(f"{delivery.pending} kept in the outbox for the next run{failure}")
        if delivery.refused:
            parts.append(f"{delivery.refused} refused by Slack (see `guard history`)")
        return "; ".join(parts)


def alert_events(
    outcomes: Sequence[EventOutcome],
    sources: Sequence[str],
    regions: Sequence[str],
    settings: AlertSettings,
) -> EventAlerts:
    """Record each checked event's report in the scope of `sources` and `regions` (what a scan
    with the same flags uses: guard.pipeline.run.scope_sources) and post what is new."""
    checked = [outcome for outcome in outcomes if outcome.report is not None]
    if not checked:
        return EventAlerts()
    scope = scope_of(sources, regions)
    store = open_history(settings.history)
    try:
        notifier = make_notifier(settings.target) if settings.target else None
        results = []
        for outcome in checked:
            assert outcome.report is not None
            results.append(
                record_event(
                    outcome.report,
                    store,
                    notifier,
                    scope,
                    _looked_at(outcome),
                    remind_after=settings.remind_after,
                    lock_wait=settings.lock_wait,
                    routing=settings.routing,
                )
            )
        return EventAlerts(tuple(results))
    finally:
        store.close()


def _looked_at(outcome: EventOutcome) -> _LookedAt:
    report = outcome.report
    assert report is not None
    return _LookedAt(report.account or "", frozenset(outcome.looked_at))


@dataclass(frozen=True)
class _LookedAt:
    """An open finding the event's read compared again: its account, and its type and id."""

    account: str
    resources: frozenset[tuple[str, str]]

    def __call__(self, record: FindingRecord) -> bool:
        return record.account == self.account and (record.type, record.id) in self.resources
