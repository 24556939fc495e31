"""AWS Lambda entry points: one alert cycle per scheduled invocation, or one CloudTrail event.

`guard.alerting.lambda_handler.handler`, scheduled by EventBridge (docs/deployment.md), and
`guard.alerting.lambda_handler.event_handler`, for an EventBridge rule on CloudTrail API calls
(docs/attribution.md). Configuration from the function's environment: GUARD_STATE (states,
comma-separated), GUARD_REGIONS, GUARD_HISTORY (dynamodb://TABLE: a Lambda's disk does not
outlive it), GUARD_SLACK_WEBHOOK_URL or SLACK_BOT_TOKEN with GUARD_SLACK_CHANNEL,
GUARD_REMIND_AFTER.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from guard.alerting.history import HistoryBusy
from guard.alerting.watch import AlertSettings, alert_once, describe_cycle
from guard.aws import Clients
from guard.errors import InputError
from guard.pipeline.on_event import check_events
from guard.render.events import outcome_to_dict

log = logging.getLogger("guard.lambda")


def _list(name: str, environ: dict[str, str]) -> list[str]:
    return [item.strip() for item in environ.get(name, "").replace("\n", ",").split(",") if item.strip()]


def handler(event: dict[str, Any], context: Any, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Returns a summary (visible in the invocation result); raises only when the cycle failed."""
    env = dict(os.environ) if environ is None else environ
    states = _list("GUARD_STATE", env)
    if not states:
        raise InputError("GUARD_STATE", "not set", "set it to the state file(s) to check, comma-separated")
    history = env.get("GUARD_HISTORY")
    if not history or not history.startswith("dynamodb://"):
        log.warning("GUARD_HISTORY is not dynamodb://TABLE: history on Lambda's disk is lost between runs")
    settings = AlertSettings.from_options(
        notify="slack" if env.get("GUARD_SLACK_WEBHOOK_URL") or env.get("SLACK_BOT_TOKEN") else None,
        history=history or "/tmp/change-guard-history.sqlite3",
        remind_after=env.get("GUARD_REMIND_AFTER", "24h"),
        lock_wait=float(env.get("GUARD_LOCK_WAIT", "10")),
        environ=env,
    )
    scheduled_at = event.get("time") if isinstance(event, dict) else None
    try:
        result = alert_once(states, _list("GUARD_REGIONS", env), Clients(), settings)
    except HistoryBusy as exc:
        # Another invocation has this scope: not a failure, and a retry would not help.
        log.warning("%s", exc)
        return {"status": "busy", "scheduled_at": scheduled_at, "message": str(exc)}
    report = result.report
    summary = {
        "status": "complete" if report.complete else "incomplete",
        "scheduled_at": scheduled_at,
        "account": report.account,
        "regions": list(report.regions),
        "findings": len(report.findings),
        "new": len(result.new),
        "reminded": len(result.reminded),
        "resolved": len(result.resolved),
        "delivered": result.delivery.delivered,
        "outbox_pending": result.delivery.pending,
        "not_checked": [f"{n.type} in {n.region}" for n in report.not_checked],
    }
    log.info("guard: %s", settings.clean(describe_cycle(result)))
    return summary


def event_handler(
    event: dict[str, Any], context: Any = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """One EventBridge event of CloudTrail API calls: what it touched, read and compared."""
    env = dict(os.environ) if environ is None else environ
    states = _list("GUARD_STATE", env)
    if not states:
        raise InputError("GUARD_STATE", "is not set", "set it to the state file paths, comma-separated")
    outcomes = check_events(event, states, Clients(), source="the Lambda event")
    for outcome in outcomes:
        log.warning("%s %s: %s: %s", outcome.event_name, outcome.event_id, outcome.status, outcome.reason)
    return {
        "alerts": sum(len(o.report.findings) for o in outcomes if o.report),
        "outcomes": [outcome_to_dict(o) for o in outcomes],
    }
