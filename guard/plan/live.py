"""`check-plan --live`: compare what a plan touches with live AWS, through the one pass of a scan.

Terraform's own refresh puts what it saw in `resource_drift`; a plan made with
`-refresh=false`, or a change made after the plan, is only visible here. Read-only.
"""

from __future__ import annotations

from guard.aws import Clients
from guard.live import REGISTRY
from guard.live.collector import collect
from guard.live.types import Registry
from guard.model import DriftKind
from guard.pipeline.scan import run_pass
from guard.plan.check import LiveComparison, Revert
from guard.plan.reader import Plan, masked


def compare_live(plan: Plan, clients: Clients, registry: Registry = REGISTRY) -> LiveComparison:
    touched = {c.address: c for c in plan.changes if c.touches and c.actions != ("create",)}
    desired = [r for r in plan.prior if r.address in touched and registry.handles(r.type)]
    comparison = LiveComparison()
    unsupported = sorted(
        {r.type for r in plan.prior if r.address in touched and not registry.handles(r.type)}
    )
    comparison.not_checked += [f"{name} (guard does not read this type yet)" for name in unsupported]
    if not desired:
        return comparison
    regions = tuple(sorted({r.region for r in desired if r.region})) or (
        clients.default_region() or "us-east-1",
    )
    account = clients.account_id(regions[0])
    live = collect(clients, account, regions, registry.types.values(), declared=desired)
    report = run_pass(desired, live, clients, registry)
    comparison.not_checked += [f"{n.type} in {n.region}: {n.reason}" for n in report.not_checked]
    for drift in report.findings:
        change = touched.get(drift.address)
        if change is None:
            continue
        planned_after = masked(change.after, change.after_sensitive)
        if (
            drift.kind is DriftKind.CHANGED
            and drift.changes
            and not registry.get(
                (drift.expected or drift.actual).type  # type: ignore[union-attr]
            ).parent
        ):
            found = [
                Revert(
                    c.path,
                    c.actual,
                    _at(planned_after, c.path) if not change.deletes else "(destroyed)",
                    seen_by="live",
                )
                for c in drift.changes
            ]
        else:
            what = drift.title.split(": ", 1)[-1]
            kind = {DriftKind.MISSING: "declared", DriftKind.UNMANAGED: "not declared"}.get(
                drift.kind, "declared"
            )
            found = [Revert(what, "live AWS differs", f"back to {kind} state", seen_by="live")]
        comparison.reverts.setdefault(drift.address, []).extend(found)
    return comparison


def _at(value: object, path: str) -> object:
    for step in path.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value
