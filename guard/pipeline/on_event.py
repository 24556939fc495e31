"""`guard on-event`: one CloudTrail event in; the one resource it touched read live and compared.

A scheduled scan finds an edit up to one interval late. EventBridge delivers each
write call within seconds, as `{"detail-type": "AWS API Call via CloudTrail",
"detail": {<the CloudTrail record>}}`; this module works out which declared resource
the call touched (guard/live/events.py says, per type), reads just that resource with
a filtered Describe call, and reconciles it with state. Read-only calls, failed calls
and calls on resources in no state are ignored before any AWS call is made.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

import jmespath
from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.enrich.attribution import actor_from_record
from guard.enrich.finish import finish_report
from guard.enrich.graph import add_impact, build_graph
from guard.errors import InputError
from guard.live import REGISTRY
from guard.live.collector import LiveInventory, convert_pages
from guard.live.events import EVENTS
from guard.live.types import Registry, ResourceType
from guard.model import NotChecked, Report, Resource
from guard.reconcile.match import reconcile
from guard.remedy.plan import rollback_plan
from guard.render.events import outcome_to_dict
from guard.state import load_states

log = logging.getLogger(__name__)

_READ_PREFIXES = ("Describe", "Get", "List", "Lookup", "Head", "Search", "BatchGet")


@dataclass(frozen=True)
class EventOutcome:
    """What one event led to: ignored (and why), or a comparison of what it touched."""

    event_id: str
    event_name: str
    status: str  # ignored | clean | drift | incomplete
    reason: str
    targets: tuple[str, ...] = ()
    report: Report | None = None


# --- reading the event ----------------------------------------------------------------


def records_in(document: Any, source: str = "the event") -> list[dict[str, Any]]:
    """CloudTrail records from an EventBridge event, a Lambda event, a log file, or a bare record."""
    if isinstance(document, list):
        return [record for item in document for record in records_in(item, source)]
    if not isinstance(document, dict):
        raise InputError(source, "is not a JSON object", "pass an EventBridge event or a CloudTrail record")
    if isinstance(document.get("detail"), dict):
        detail = document["detail"]
        if "eventName" not in detail:
            raise InputError(
                source,
                f"is an EventBridge event of type {document.get('detail-type')!r}, not a CloudTrail API call",
                "route only `AWS API Call via CloudTrail` events to guard (docs/attribution.md)",
            )
        return [detail]
    if isinstance(document.get("Records"), list):
        return [record for record in document["Records"] if isinstance(record, dict)]
    if "eventName" in document:
        return [document]
    raise InputError(
        source,
        "has no CloudTrail record (no `detail`, `Records` or `eventName`)",
        "pass the event as EventBridge delivers it",
    )


def read_event_file(path: str) -> Any:
    try:
        if path == "-":
            import sys

            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})", "check the --event path") from None
    name = "standard input" if path == "-" else path
    if not text.strip():
        raise InputError(name, "is empty", "pipe an EventBridge event in, or pass --event FILE")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            name, f"is not valid JSON (line {exc.lineno}, column {exc.colno})", "pass the event as JSON"
        ) from None


def is_read_only(record: dict[str, Any]) -> bool:
    flag = record.get("readOnly")
    if flag is not None:
        return str(flag).lower() == "true"
    return str(record.get("eventName") or "").startswith(_READ_PREFIXES)


def touched(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(type, id) of every resource the call changed, as declared per type."""
    name = record.get("eventName") or ""
    found: list[tuple[str, str]] = []
    for type_name, declared in EVENTS.items():
        path = declared.touched_by.get(name)
        if not path:
            continue
        values = jmespath.search(path, record)
        for value in values if isinstance(values, list) else [values]:
            fresh = (type_name, value) not in found
            if isinstance(value, str) and value.startswith(declared.id_prefix) and fresh:
                found.append((type_name, value))
    return found


# --- what to compare ----------------------------------------------------------------


@dataclass
class Scope:
    """The declared resources an event may have changed, and the types to read for them."""

    desired: list[Resource] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)  # type to read -> "id" or "parent"


def scope_for(
    targets: Sequence[tuple[str, str]], declared: Iterable[Resource], region: str, registry: Registry
) -> Scope:
    scope = Scope(ids={resource_id for _, resource_id in targets})
    target_types = {type_name for type_name, _ in targets}
    parent_attrs = set()
    for type_name in target_types:
        scope.types[type_name] = "id"
        for name, declaration in registry.types.items():
            if declaration.parent and declaration.parent[1] == type_name:
                scope.types[name] = "parent"
                parent_attrs.add(declaration.parent[0])
    for resource in declared:
        if resource.region and resource.region != region:
            continue
        if resource.id in scope.ids or any(resource.attrs.get(a) in scope.ids for a in parent_attrs):
            scope.desired.append(resource)
    return scope


def read_scope(
    clients: Clients, account: str, region: str, scope: Scope, registry: Registry
) -> LiveInventory:
    """One filtered Describe per type: just the touched resources and their children."""
    inventory = LiveInventory(account=account, regions=(region,))
    ids = sorted(scope.ids)
    for type_name, by in scope.types.items():
        if type_name not in registry.types:
            continue
        declaration = registry.types[type_name]
        declared = EVENTS.get(type_name)
        filter_name = (declared.id_filter if by == "id" else declared.parent_filter) if declared else None
        try:
            resources = _read(clients, declaration, account, region, filter_name, ids)
        except (ClientError, BotoCoreError) as exc:
            inventory.not_checked.append(NotChecked(type_name, region, short_error(exc)))
            continue
        parent_attr = declaration.parent[0] if declaration.parent else None
        inventory.resources.extend(
            r
            for r in resources
            if r.id in scope.ids or (parent_attr is not None and r.attrs.get(parent_attr) in scope.ids)
        )
        inventory.checked.add((type_name, region))
    return inventory


def _read(
    clients: Clients,
    declaration: ResourceType,
    account: str,
    region: str,
    filter_name: str | None,
    ids: list[str],
) -> list[Resource]:
    client = clients.client(declaration.service, region)
    # Without a declared filter the whole region is read and narrowed here: slower, still right.
    filters = {"Filters": [{"Name": filter_name, "Values": ids}]} if filter_name else {}
    pages = list(
        client.get_paginator(declaration.list_call).paginate(**dict(declaration.list_params), **filters)
    )
    companion: list[dict[str, Any]] = []
    if declaration.companion_call:
        companion = list(client.get_paginator(declaration.companion_call[0]).paginate(**filters))
    return convert_pages(clients, declaration, pages, companion, account, region)


# --- one event, end to end ----------------------------------------------------------


def check_events(
    document: Any,
    state_paths: Sequence[str],
    clients: Clients,
    registry: Registry = REGISTRY,
    source: str = "the event",
) -> list[EventOutcome]:
    declared: list[Resource] | None = None
    outcomes = []
    for record in records_in(document, source):
        event_id = str(record.get("eventID") or "")
        name = str(record.get("eventName") or "")
        if is_read_only(record):
            outcomes.append(EventOutcome(event_id, name, "ignored", "a read-only call changes nothing"))
            continue
        if record.get("errorCode"):
            reason = f"the call failed ({record['errorCode']}), so nothing changed"
            outcomes.append(EventOutcome(event_id, name, "ignored", reason))
            continue
        targets = touched(record)
        if not targets:
            reason = f"guard does not follow {record.get('eventSource') or '?'} {name}"
            outcomes.append(EventOutcome(event_id, name, "ignored", reason))
            continue
        if declared is None:
            declared = load_states(state_paths)
        outcomes.append(_check_one(record, targets, declared, state_paths, clients, registry))
    return outcomes


def _check_one(
    record: dict[str, Any],
    targets: list[tuple[str, str]],
    declared: list[Resource],
    state_paths: Sequence[str],
    clients: Clients,
    registry: Registry,
) -> EventOutcome:
    event_id = str(record.get("eventID") or "")
    name = str(record.get("eventName") or "")
    region = str(record.get("awsRegion") or clients.default_region() or "us-east-1")
    names = tuple(resource_id for _, resource_id in targets)
    scope = scope_for(targets, declared, region, registry)
    if not scope.desired:
        reason = f"{', '.join(names)} in {region} is in no state given"
        return EventOutcome(event_id, name, "ignored", reason, names)
    account = clients.account_id(region)
    event_account = record.get("recipientAccountId") or (record.get("userIdentity") or {}).get("accountId")
    if event_account and str(event_account) != account:
        reason = f"the event is from account {event_account}, but these credentials read account {account}"
        return EventOutcome(event_id, name, "ignored", reason, names)

    live = read_scope(clients, account, region, scope, registry)
    result = reconcile(scope.desired, live, registry)
    actor = actor_from_record(record)
    findings = tuple(
        replace(drift, rollback=rollback_plan(drift, registry), actor=actor) for drift in result.findings
    )
    findings = add_impact(findings, build_graph(declared))
    report = Report(
        account=account,
        regions=(region,),
        sources=tuple(state_paths),
        findings=findings,
        not_checked=tuple(live.not_checked),
        checked_types=tuple(sorted(scope.types)),
        managed_total=result.managed_total,
        managed_checked=result.managed_checked,
        started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    report = finish_report(report)
    if not report.complete:
        status, reason = "incomplete", "the touched resource could not be read"
    elif findings:
        status, reason = "drift", f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    else:
        status, reason = "clean", "matches the state"
    return EventOutcome(event_id, name, status, reason, names, report)


def lambda_handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """AWS Lambda entry point for an EventBridge rule; states from GUARD_STATE (comma-separated)."""
    states = [path for path in os.environ.get("GUARD_STATE", "").split(",") if path]
    if not states:
        raise InputError("GUARD_STATE", "is not set", "set it to the state file paths, comma-separated")
    outcomes = check_events(event, states, Clients(), source="the Lambda event")
    for outcome in outcomes:
        log.warning("%s %s: %s: %s", outcome.event_name, outcome.event_id, outcome.status, outcome.reason)
    return {
        "alerts": sum(len(o.report.findings) for o in outcomes if o.report),
        "outcomes": [outcome_to_dict(o) for o in outcomes],
    }
