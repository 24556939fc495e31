"""One pass, left to right, for every entry: read, reconcile, rules, impact, attribution, Report.

`scan` reads every type in every region; `guard on-event` reads the one resource an event
touched, rollback re-scans after its calls, and `check-plan --live` reads what a plan
touches. All of them hand what they read to `run_pass`, so every report is made the same way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cache

from guard.aws import Clients
from guard.enrich.attribution import AttributionSettings, attribute_findings
from guard.enrich.finish import finish_report
from guard.enrich.graph import add_impact, build_graph, estate_view
from guard.enrich.rules import apply_to_scan
from guard.errors import InputError
from guard.live import REGISTRY
from guard.live.collector import LiveInventory, collect
from guard.live.types import Registry
from guard.model import Actor, Drift, DriftKind, Report, Resource, Unreadable
from guard.reconcile.current import current_resources
from guard.reconcile.match import reconcile
from guard.remedy.plan import rollback_plan
from guard.rules.loader import RuleSet, load_rules


@dataclass(frozen=True)
class PassOptions:
    """What a pass adds to the comparison itself, and what its report names."""

    sources: tuple[str, ...] = ()  # the states read, as the report names them
    rules: RuleSet | None = None
    attribution: AttributionSettings | None = None  # look the actor up in CloudTrail
    actor: Actor | None = None  # the actor is already known (the event that started the pass)
    unreadable: tuple[Unreadable, ...] = ()
    # Declared resources outside what was read: the graph sees them as the state has them.
    around: tuple[Resource, ...] = ()
    types: tuple[str, ...] | None = None  # the types read; None: every registered type
    started: float = field(default_factory=time.monotonic)
    started_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))


@cache
def builtin_pack() -> RuleSet:
    """The built-in rules, read once per process: they rank every pass's drift."""
    return load_rules()


def run_pass(
    declared: Sequence[Resource],
    live: LiveInventory,
    clients: Clients,
    registry: Registry = REGISTRY,
    options: PassOptions | None = None,
) -> Report:
    """Compare what was read live with what is declared, and enrich the findings into a Report."""
    options = options or PassOptions()
    result = reconcile(declared, live, registry)
    findings = tuple(replace(drift, rollback=rollback_plan(drift, registry)) for drift in result.findings)
    if options.unreadable:  # what an unread state declares would show as "in no state": not a finding
        findings = tuple(d for d in findings if not _only_unmanaged(d, registry))
    current = current_resources(declared, live.resources, registry)
    # The built-in pack ranks drift on every pass; standing violations are reported (and
    # change the exit code) only when rules were asked for.
    ranking = options.rules if options.rules is not None else builtin_pack()
    findings, violations = apply_to_scan(ranking, declared, current.found, findings, registry)
    if options.rules is None:
        violations = ()
    estate = [*current.everything, *options.around]
    graph = build_graph([r for r in estate if r.address], [r for r in estate if not r.address])
    findings = add_impact(findings, graph)
    notes: tuple[str, ...] = ()
    if options.actor is not None:
        findings = tuple(replace(drift, actor=options.actor) for drift in findings)
    elif options.attribution is not None and live.regions:
        attributed = attribute_findings(findings, clients, live.account, options.attribution, live.regions[0])
        findings, notes = attributed.findings, attributed.notes
    report = Report(
        account=live.account,
        regions=live.regions,
        sources=options.sources,
        findings=findings,
        not_checked=tuple(sorted(live.not_checked, key=lambda n: (n.region, n.type))),
        checked_types=tuple(sorted(registry.types if options.types is None else options.types)),
        unsupported_types=dict(sorted(result.unsupported_types.items())),
        managed_total=result.managed_total,
        managed_checked=result.managed_checked,
        out_of_scope=result.out_of_scope,
        started_at=options.started_at,
        duration_seconds=round(time.monotonic() - options.started, 3),
        api_calls=clients.requests_sent,
        throttled_calls=clients.throttled,
        estate=estate_view(graph),
        violations=violations,
        notes=notes,
        unreadable=options.unreadable,
    )
    return finish_report(report)


def scan(
    declared: Sequence[Resource],
    regions: Sequence[str],
    clients: Clients,
    registry: Registry = REGISTRY,
    rules: RuleSet | None = None,
    attribution: AttributionSettings | None = None,
    sources: Sequence[str] = (),
    unreadable: Sequence[Unreadable] = (),
    services: Sequence[str] = (),
) -> Report:
    """Every type in every region against `declared` (read by guard.state.sources.load_sources).

    `services` (`--service`) narrows the read to those services' types: what the state
    declares of the others is neither read nor compared (the report's checked types say
    which were), and stays in the graph as the state has it.
    """
    scanned_regions = tuple(regions) or regions_to_scan(declared, clients, sources)
    around: tuple[Resource, ...] = ()
    types: tuple[str, ...] | None = None
    if services:
        selected = registry.of_services(services)
        by_id = {r.id: r for r in declared if r.id}
        around = tuple(
            r for r in declared if registry.handles(r.type) and not selected.compared_here(r, by_id, registry)
        )
        skipped = {id(r) for r in around}
        declared = [r for r in declared if id(r) not in skipped]
        registry, types = selected, tuple(selected.types)
    options = PassOptions(
        sources=tuple(sources),
        rules=rules,
        attribution=attribution,
        unreadable=tuple(unreadable),
        around=around,
        types=types,
    )
    account = clients.account_id(scanned_regions[0])
    live = collect(clients, account, scanned_regions, registry.types.values())
    report = run_pass(declared, live, clients, registry, options)
    if types is None:
        return report
    note = (
        f"only {', '.join(sorted(set(services)))} read (--service): {len(types)} types; "
        f"{len(around)} declared resources of other services not compared"
    )
    return replace(report, notes=(note, *report.notes))


def _only_unmanaged(drift: Drift, registry: Registry) -> bool:
    """A whole resource in no state (not a rule added to a declared group)."""
    return drift.kind is DriftKind.UNMANAGED and registry.get(drift.type).parent is None


def regions_to_scan(
    declared: Sequence[Resource], clients: Clients, state_paths: Sequence[str]
) -> tuple[str, ...]:
    """Without --region: the regions the state's resources live in, else the default region."""
    found = sorted({resource.region for resource in declared if resource.region})
    if found:
        return tuple(found)
    default = clients.default_region()
    if default:
        return (default,)
    raise InputError(
        "--region",
        f"no region given and none can be read from {', '.join(state_paths) or 'the state'}",
        "pass --region or set AWS_REGION",
    )
