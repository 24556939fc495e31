"""Alerting runs: one cycle (cron, `guard scan --notify slack`, Lambda) or a loop (`guard watch`)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from guard.alerting.cycle import (
    DEFAULT_REMIND_AFTER,
    CycleResult,
    Routing,
    parse_duration,
    run_cycle,
    scope_of,
)
from guard.alerting.history import DEFAULT_LOCK_WAIT, open_history
from guard.alerting.slack import SlackTarget, make_notifier, redact
from guard.aws import Clients
from guard.errors import GuardError, InputError
from guard.model import Report

if TYPE_CHECKING:
    from guard.config import Config

log = logging.getLogger("guard.alerting.watch")


@dataclass(frozen=True)
class AlertSettings:
    """Where history lives, where alerts go, when to remind. `repr` shows no secret."""

    history: str | None = None  # SQLite path or dynamodb://TABLE; None: the per-user default
    target: SlackTarget | None = None  # None: keep history, post nothing
    remind_after: timedelta = DEFAULT_REMIND_AFTER
    lock_wait: float = DEFAULT_LOCK_WAIT
    secrets: tuple[str, ...] = field(default=(), repr=False)
    channels: dict[str, str] = field(default_factory=dict)  # account id -> channel (guard.toml)

    @classmethod
    def from_options(
        cls,
        notify: str | None,
        slack_webhook: str | None = None,
        slack_token: str | None = None,
        slack_channel: str | None = None,
        history: str | None = None,
        remind_after: str = "24h",
        lock_wait: float = DEFAULT_LOCK_WAIT,
        environ: dict[str, str] | None = None,
        config: Config | None = None,
    ) -> AlertSettings:
        """The flags first; guard.toml's `[history] store` and `[slack] channel` (and each
        account's `slack_channel`) where a flag or its environment variable is not set."""
        channels: dict[str, str] = {}
        if config is not None:
            history = history or config.history_store or None
            slack_channel = slack_channel or config.slack_channel or None
            channels = {a.id: a.slack_channel for a in config.accounts if a.slack_channel}
        target = None
        if notify == "slack":
            target = SlackTarget.from_options(slack_webhook, slack_token, slack_channel, environ)
        elif notify not in (None, "none"):
            raise InputError("--notify", f"unknown destination {notify!r}", "use --notify slack")
        if channels and target is not None and not target.token:
            log.warning(
                "per-account slack_channel in %s needs a bot token: the webhook posts every "
                "account to its own channel",
                config.path if config else "guard.toml",
            )
        return cls(
            history=history,
            target=target,
            remind_after=parse_duration(remind_after, "--remind-after"),
            lock_wait=lock_wait,
            secrets=tuple(target.secrets) if target else (),
            channels=channels if target and target.token else {},
        )

    @property
    def routing(self) -> Routing:
        return Routing(channels=dict(self.channels))

    def clean(self, text: str) -> str:
        return redact(text, self.secrets)


def alert_once(
    states: Sequence[str],
    regions: Sequence[str],
    clients: Clients,
    settings: AlertSettings,
    scan_once: Callable[[], Report] | None = None,
) -> CycleResult:
    """Scan once under the history lock, record it, and post what is new, due or resolved.

    `scan_once` runs the scan the caller configured (Pulumi, remote state, accounts);
    by default, the local states in `states`. `states` also names the run's history scope
    (with `scan_once`, pass guard.pipeline.run.scope_sources: every source the scan reads).
    """
    from guard.pipeline.run import scan_states

    store = open_history(settings.history)
    try:
        notifier = make_notifier(settings.target) if settings.target else None
        return run_cycle(
            scan_once or (lambda: scan_states(states, regions, clients)),
            store,
            notifier,
            scope_of(states, regions),
            remind_after=settings.remind_after,
            lock_wait=settings.lock_wait,
            routing=settings.routing,
        )
    finally:
        store.close()


def describe_cycle(result: CycleResult) -> str:
    report, delivery = result.report, result.delivery
    parts = [
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}",
        f"{len(result.new)} new, {len(result.reminded)} reminded, {len(result.resolved)} resolved",
    ]
    if delivery.delivered or delivery.pending or delivery.refused:
        parts.append(f"{delivery.delivered} Slack message{'s' if delivery.delivered != 1 else ''} sent")
    if delivery.pending:
        failure = f" ({delivery.errors[-1]})" if delivery.errors else ""
        parts.append(f"{delivery.pending} kept in the outbox for the next run{failure}")
    if delivery.refused:
        parts.append(f"{delivery.refused} refused by Slack (see `guard history`)")
    if not report.complete:
        parts.append("INCOMPLETE: " + ", ".join(f"{n.type} in {n.region}" for n in report.not_checked))
    return "; ".join(parts)


def watch_loop(
    cycle: Callable[[], CycleResult],
    interval: timedelta,
    stop: threading.Event,
    report: Callable[[int, CycleResult | None, str | None], None],
    max_cycles: int | None = None,
) -> int:
    """Run `cycle` every `interval` until `stop` is set; a failing cycle is reported and the loop goes on.

    Returns the number of cycles run.
    """
    count = 0
    while not stop.is_set():
        count += 1
        try:
            result = cycle()
        except Exception as exc:  # one bad cycle must not end the watch
            report(count, None, str(exc) if isinstance(exc, GuardError) else f"{type(exc).__name__}: {exc}")
        else:
            report(count, result, None)
        if max_cycles is not None and count >= max_cycles:
            break
        stop.wait(interval.total_seconds())
    return count


def watch_until_signalled(
    cycle: Callable[[], CycleResult],
    interval: timedelta,
    settings: AlertSettings,
    say: Callable[[str], None],
) -> int:
    """`guard watch`: cycles until SIGTERM or SIGINT (a second one stops at once); lines go to `say`.

    Returns the number of cycles run.
    """
    stop = threading.Event()

    def on_signal(number: int, _: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        say(f"guard: watch: {signal.Signals(number).name} received, stopping after this cycle")
        stop.set()

    def on_cycle(number: int, result: CycleResult | None, error: str | None) -> None:
        if error is not None:
            log.error("cycle %d failed: %s", number, settings.clean(error))
            say(f"guard: watch: cycle {number} failed: {settings.clean(error)}")
        elif result is not None:
            say(f"guard: watch: cycle {number}: {settings.clean(describe_cycle(result))}")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        cycles = watch_loop(cycle, interval, stop, on_cycle)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    say(f"guard: watch: stopped after {cycles} cycle{'s' if cycles != 1 else ''}")
    return cycles
