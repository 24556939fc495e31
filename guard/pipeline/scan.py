"""One scan, left to right: declared state, live AWS, reconcile, rollback plans, a Report."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone

from guard.aws import Clients
from guard.enrich.attribution import AttributionSettings, attribute_findings
from guard.enrich.finish import finish_report
from guard.enrich.graph import add_impact, build_graph
from guard.enrich.rules import apply_to_scan
from guard.errors import InputError
from guard.live import REGISTRY
from guard.live.collector import collect
from guard.live.types import Registry
from guard.model import Drift, DriftKind, Report, Resource, Unreadable, Violation
from guard.reconcile.current import current_resources
from guard.reconcile.match import reconcile
from guard.remedy.plan import rollback_plan
from guard.rules.loader import RuleSet
from guard.state import load_states


def scan(
    state_paths: Sequence[str],
    regions: Sequence[str],
    clients: Clients,
    registry: Registry = REGISTRY,
    rules: RuleSet | None = None,
    attribution: AttributionSettings | None = None,
    declared_resources: Sequence[Resource] | None = None,
    unreadable: Sequence[Unreadable] = (),
) -> Report:
    """`declared_resources` (already read, e.g. from Pulumi or S3) replaces reading `state_paths`."""
    started = time.monotonic()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    declared = list(declared_resources) if declared_resources is not None else load_states(state_paths)
    scanned_regions = tuple(regions) or regions_to_scan(declared, clients, state_paths)
    account = clients.account_id(scanned_regions[0])
    live = collect(clients, account, scanned_regions, registry.types.values())
    result = reconcile(declared, live, registry)
    findings = tuple(replace(drift, rollback=rollback_plan(drift, registry)) for drift in result.findings)
    if unreadable:  # what an unread state declares would show as "in no state": not a finding
        findings = tuple(d for d in findings if not _only_unmanaged(d, registry))
    violations: tuple[Violation, ...] = ()
    if rules is not None:  # rules on live state; they also rank the drift they explain
        findings, violations = apply_to_scan(rules, declared, live.resources, findings, registry)
    current = current_resources(declared, live.resources, registry, keep_missing=True)
    findings = add_impact(
        findings, build_graph([r for r in current if r.address], [r for r in current if not r.address])
    )
    notes: tuple[str, ...] = ()
    if attribution is not None:
        attributed = attribute_findings(findings, clients, account, attribution, scanned_regions[0])
        findings, notes = attributed.findings, attributed.notes
    report = Report(
        account=account,
        regions=scanned_regions,
        sources=tuple(state_paths),
        findings=findings,
        not_checked=tuple(sorted(live.not_checked, key=lambda n: (n.region, n.type))),
        checked_types=tuple(sorted(registry.types)),
        unsupported_types=dict(sorted(result.unsupported_types.items())),
        managed_total=result.managed_total,
        managed_checked=result.managed_checked,
        out_of_scope=result.out_of_scope,
        started_at=started_at,
        duration_seconds=round(time.monotonic() - started, 3),
        api_calls=clients.requests_sent,
        violations=violations,
        notes=notes,
        unreadable=tuple(unreadable),
    )
    return finish_report(report)


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
