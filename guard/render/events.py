"""`guard on-event`: one verdict per CloudTrail event, and the report of each one that drifted."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from guard.render.json import SCHEMA_VERSION, report_to_dict

if TYPE_CHECKING:
    from rich.console import Console

    from guard.pipeline.on_event import EventOutcome


def outcome_to_dict(outcome: EventOutcome) -> dict[str, Any]:
    return {
        "event_id": outcome.event_id,
        "event_name": outcome.event_name,
        "status": outcome.status,
        "reason": outcome.reason,
        "resources": list(outcome.targets),
        "report": report_to_dict(outcome.report) if outcome.report else None,
    }


def render_events_json(outcomes: Sequence[EventOutcome]) -> str:
    document = {"schema_version": SCHEMA_VERSION, "events": [outcome_to_dict(o) for o in outcomes]}
    return json.dumps(document, indent=2) + "\n"


def render_events_console(outcomes: Sequence[EventOutcome], console: Console) -> None:
    from guard.render.console import render_console

    for outcome in outcomes:
        if outcome.report is not None and outcome.status != "clean":
            render_console(outcome.report, console)
        else:
            what = f" on {', '.join(outcome.targets)}" if outcome.targets else ""
            verdict = "Checked" if outcome.status == "clean" else "Ignored"
            console.print(
                f"{verdict} {outcome.event_name}{what} (event {outcome.event_id or '?'}): {outcome.reason}."
            )
