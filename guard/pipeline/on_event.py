"""`guard on-event`: one CloudTrail event in; the one resource it touched read live and compared.

A scheduled scan finds an edit up to one interval late. EventBridge delivers each
write call within seconds, as `{"detail-type": "AWS API Call via CloudTrail",
"detail": {<the CloudTrail record>}}`; this module works out which declared resource
the call touched (each type's declaration says which events), reads just that resource
with the declaration's own narrow read, and runs it through the one pass that every scan
runs (guard.pipeline.scan.run_pass). Read-only calls, failed calls and calls on
resources in no state are ignored before any AWS call is made.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.errors import InputError
from guard.live import REGISTRY
from guard.live.events import touched
from guard.live.types import Registry, ResourceType
from guard.model import NotChecked, Report, Resource

if TYPE_CHECKING:
    # The reading and comparing half is imported when an event calls for it: an event guard
    # ignores (read-only, failed, not followed) is answered before boto3 is even loaded.
    from guard.live.collector import LiveInventory
    from guard.pipeline.accounts import Target
    from guard.pipeline.run import ScanOptions
    from guard.rules.loader import RuleSet
    from guard.state.sources import Loaded, StateSource

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
    # (type, id) of everything the narrow read compared: what a clean answer may resolve.
    looked_at: tuple[tuple[str, str], ...] = ()


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
        items = [record for record in document["Records"] if isinstance(record, dict)]
        if items and all(item.get("eventSource") == "aws:sqs" for item in items):
            return [record for item in items for record in records_in(_sqs_body(item, source), source)]
        return items
    if "eventName" in document:
        return [document]
    raise InputError(
        source,
        "has no CloudTrail record (no `detail`, `Records` or `eventName`)",
        "pass the event as EventBridge delivers it",
    )


def _sqs_body(message: dict[str, Any], source: str) -> Any:
    """An SQS message's body: the EventBridge event the queue was sent (a JSON string)."""
    body = message.get("body")
    try:
        return json.loads(body) if isinstance(body, str) else body
    except json.JSONDecodeError:
        where = f"{source}: SQS message {message.get('messageId') or '?'}"
        raise InputError(
            where, "has a body that is not JSON", "send EventBridge events to the queue"
        ) from None


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
    declared = list(declared)
    here = {(r.type, r.id) for r in declared if not r.region or r.region == region}
    # One id can be claimed by two types (aws_security_group and aws_default_security_group):
    # read it as the type the state declares it as.
    targets = [t for t in targets if t in here] or list(targets)
    scope = Scope(ids={resource_id for _, resource_id in targets})
    target_types = {type_name for type_name, _ in targets}
    parent_attrs = set()
    children: dict[str, str] = {}  # child type -> the attribute naming its parent
    for type_name in target_types:
        scope.types[type_name] = "id"
        for name, declaration in registry.types.items():
            if declaration.parent and declaration.parent[1] == type_name:
                scope.types[name] = "parent"
                parent_attrs.add(declaration.parent[0])
                children[name] = declaration.parent[0]
    for resource in declared:
        if resource.region and resource.region != region:
            continue
        if (
            resource.id in scope.ids
            or any(resource.attrs.get(a) in scope.ids for a in parent_attrs)
            or _names_parent_as_declared(resource, children, scope.ids, registry)
        ):
            scope.desired.append(resource)
    return scope


def _names_parent_as_declared(
    resource: Resource, children: dict[str, str], ids: set[str], registry: Registry
) -> bool:
    """A child whose state names its parent in another form (a Lambda permission's
    function_name holding the function's ARN): its normalised shape names the parent's id."""
    canonical = registry.canonical(resource.type)
    attr = children.get(canonical)
    if attr is None:
        return False
    return registry.get(canonical).normalise_desired(dict(resource.attrs)).get(attr) in ids


def read_scope(
    clients: Clients, account: str, region: str, scope: Scope, registry: Registry
) -> LiveInventory:
    """The declarations' own narrow reads: just the touched resources and their children."""
    from guard.live.collector import LiveInventory, read_live

    inventory = LiveInventory(account=account, regions=(region,))
    for type_name, by in scope.types.items():
        if type_name not in registry.types:
            continue
        declaration = registry.types[type_name]
        parent_attr = declaration.parent[0] if declaration.parent else None
        read: dict[tuple[str, str], Resource] = {}
        try:
            for subject in _subjects(declaration, by, scope):
                for resource in read_live(clients, declaration, subject, account, region):
                    read.setdefault((resource.type, resource.id), resource)
        except (ClientError, BotoCoreError) as exc:
            inventory.not_checked.append(NotChecked(type_name, region, short_error(exc)))
            continue
        inventory.resources.extend(
            r
            for r in read.values()
            if r.id in scope.ids or (parent_attr is not None and r.attrs.get(parent_attr) in scope.ids)
        )
        inventory.checked.add((type_name, region))
    return inventory


def _subjects(declaration: ResourceType, by: str, scope: Scope) -> list[Resource]:
    """What to read narrowly: each touched resource (as declared, when it is), or for a child
    type, its siblings under each touched parent."""
    if by == "parent" and declaration.parent is not None:
        parent_attr = declaration.parent[0]
        return [Resource(declaration.name, "", {parent_attr: parent}) for parent in sorted(scope.ids)]
    declared = {r.id: r for r in scope.desired if r.type == declaration.name}
    return [declared.get(i) or Resource(declaration.name, i, {}) for i in sorted(scope.ids)]


# --- one event, end to end ----------------------------------------------------------


@dataclass
class _Account:
    """Where one account's events are checked: its clients and its declared state (read once)."""

    clients: Clients
    sources: Sequence[StateSource]
    regions: tuple[str, ...] = ()
    loaded: Loaded | None = None

    def declared(self, registry: Registry) -> Loaded:
        from guard.pipeline.accounts import known_types
        from guard.state.sources import load_sources

        if self.loaded is None:
            self.loaded = load_sources(self.sources, self.clients.session, known_types(registry))
        return self.loaded


class _Accounts:
    """The accounts an event may come from: the current credentials, or guard.toml's / --account's
    targets, each assumed only when one of its events needs a read."""

    def __init__(self, options: ScanOptions, clients: Clients) -> None:
        from guard.config import load_config
        from guard.pipeline.run import build_targets, command_line_sources

        self.options = options
        self.clients = clients
        self.targets: list[Target] | None = None
        self.seen: dict[str, _Account | str] = {}
        self.current: _Account | None = None
        if not (options.config or options.accounts):
            self.current = _Account(clients, command_line_sources(options), options.regions)
        else:
            config = load_config(options.config) if options.config else None
            self.targets = build_targets(options, config, clients.session)
            self.session_name = options.session_name or (config.session_name if config else "change-guard")

    def for_event(self, event_account: str | None) -> _Account | str:
        """The account's checker, or why the event is not this run's."""
        from guard.pipeline.accounts import assumed_session, known_types
        from guard.state.sources import load_sources

        if self.current is not None:
            return self.current
        assert self.targets is not None
        key = str(event_account or "")
        if key in self.seen:
            return self.seen[key]
        target = next((t for t in self.targets if t.account_id == key), None)
        answer: _Account | str
        if target is None:
            answer = f"account {key or '?'} is not one this run checks (--config / --account)"
        else:
            try:
                session = (
                    assumed_session(self.clients.session, target, self.session_name)
                    if target.role_arn
                    else self.clients.session
                )
            except (ClientError, BotoCoreError) as exc:
                answer = f"cannot assume {target.role_arn}: {short_error(exc)}"
            else:
                answer = _Account(Clients(session, max_attempts=self.options.max_attempts), target.sources)
                answer.regions = target.regions
                answer.loaded = load_sources(target.sources, self.clients.session, known_types(REGISTRY))
        self.seen[key] = answer
        return answer


def check_events(
    document: Any,
    states: Sequence[str] | ScanOptions,
    clients: Clients,
    registry: Registry = REGISTRY,
    source: str = "the event",
    rules: RuleSet | None = None,
) -> list[EventOutcome]:
    """Every CloudTrail record in `document`, each checked against the declared state that
    `states` names (Terraform state paths, or a scan's whole set of options: Pulumi, --tf-dir,
    guard.toml accounts)."""
    accounts: _Accounts | None = None
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
        targets = touched(record, registry)
        if not targets:
            reason = f"guard does not follow {record.get('eventSource') or '?'} {name}"
            outcomes.append(EventOutcome(event_id, name, "ignored", reason))
            continue
        region = str(record.get("awsRegion") or clients.default_region() or "us-east-1")
        if accounts is None:
            from guard.pipeline.run import ScanOptions

            options = states if isinstance(states, ScanOptions) else ScanOptions(states=tuple(states))
            rules = rules if rules is not None else options.rules
            accounts = _Accounts(options, clients)
        account = accounts.for_event(_event_account(record))
        if isinstance(account, str):
            outcomes.append(EventOutcome(event_id, name, "ignored", account))
            continue
        regional = any(not registry.types[t].global_service for t, _ in targets if t in registry.types)
        if regional and account.regions and region not in account.regions:
            outcomes.append(EventOutcome(event_id, name, "ignored", _outside(region, account.regions)))
            continue
        loaded = account.declared(registry)
        outcomes.append(_check_one(record, targets, loaded, account.clients, registry, rules))
    return outcomes


def _outside(region: str, regions: Sequence[str]) -> str:
    return f"the event is in {region}, outside the regions this run reads ({', '.join(regions)})"


def _event_account(record: dict[str, Any]) -> str | None:
    account = record.get("recipientAccountId") or (record.get("userIdentity") or {}).get("accountId")
    return str(account) if account else None


def _check_one(
    record: dict[str, Any],
    targets: list[tuple[str, str]],
    loaded: Loaded,
    clients: Clients,
    registry: Registry,
    rules: RuleSet | None,
) -> EventOutcome:
    from guard.enrich.attribution import actor_from_record
    from guard.pipeline.scan import PassOptions, run_pass

    event_id = str(record.get("eventID") or "")
    name = str(record.get("eventName") or "")
    region = str(record.get("awsRegion") or clients.default_region() or "us-east-1")
    names = tuple(resource_id for _, resource_id in targets)
    scope = scope_for(targets, loaded.resources, region, registry)
    if not scope.desired:
        reason = f"{', '.join(names)} in {region} is in no state given"
        return EventOutcome(event_id, name, "ignored", reason, names)
    account = clients.account_id(region)
    event_account = _event_account(record)
    if event_account and event_account != account:
        reason = f"the event is from account {event_account}, but these credentials read account {account}"
        return EventOutcome(event_id, name, "ignored", reason, names)

    in_scope = {id(r) for r in scope.desired}
    options = PassOptions(
        sources=tuple(loaded.read),
        rules=rules,  # on what was read: the touched resources, live and as declared
        actor=actor_from_record(record),
        unreadable=tuple(loaded.unreadable),
        around=tuple(r for r in loaded.resources if id(r) not in in_scope),
        types=tuple(scope.types),
    )
    live = read_scope(clients, account, region, scope, registry)
    report = run_pass(scope.desired, live, clients, registry, options)
    looked_at = {(r.type, r.id) for r in [*scope.desired, *live.resources]}
    looked_at |= {(t, i) for t, i in targets}
    findings = report.findings
    if not report.complete:
        status, reason = "incomplete", "the touched resource could not be read"
    elif findings:
        status, reason = "drift", f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    else:
        status, reason = "clean", "matches the state"
    return EventOutcome(event_id, name, status, reason, names, report, tuple(sorted(looked_at)))
