"""Rules on a scan: violations in live state, and the severity and rule ids of drift findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from guard.live import REGISTRY
from guard.live.types import Registry
from guard.model import Drift, Resource, Violation
from guard.rules.engine import evaluate, subjects_from_resources
from guard.rules.loader import RuleSet


def live_view(current: Sequence[Resource]) -> list[Resource]:
    """What AWS holds (guard.reconcile.current: the collected types as read, with their
    Terraform addresses, plus declared resources of types guard does not read, so that
    rules about related resources still see them). Resources owned elsewhere (AWS's own
    defaults and managed keys, a volume launched with its instance) are not judged on their
    own: they are not the user's to change, or they are judged through their owner."""
    return [resource for resource in current if not resource.owned_elsewhere]


def apply_to_scan(
    rules: RuleSet,
    declared: Sequence[Resource],
    current: Sequence[Resource],
    findings: Sequence[Drift],
    registry: Registry = REGISTRY,
) -> tuple[tuple[Drift, ...], tuple[Violation, ...]]:
    """Violations in live state (`current`: what was found live, CurrentEstate.found); a drift
    that brought a violation in (it is not in the declared state) takes the rule's id, and its
    severity when that is higher."""
    violations = evaluate(rules, subjects_from_resources(live_view(current), registry=registry)).violations
    declared_violations = evaluate(
        rules, subjects_from_resources(list(declared), registry=registry)
    ).violations
    declared_keys = {(v.rule_id, v.id) for v in declared_violations}
    caused = [v for v in violations if (v.rule_id, v.id) not in declared_keys]
    enriched = []
    for drift in findings:
        related = {drift.id}
        for side in (drift.expected, drift.actual):
            if side is not None:
                related.add(side.id)
                holder = registry.graph_of(side.type).group  # a rule's violation is its group's
                group = side.attrs.get(holder) if holder else None
                if isinstance(group, str):
                    related.add(group)
        matched = [v for v in caused if v.id and v.id in related]
        if matched:
            severity = max([drift.severity, *(v.severity for v in matched)], key=lambda s: s.rank)
            ids = tuple(dict.fromkeys([*drift.rule_ids, *(v.rule_id for v in matched)]))
            drift = replace(drift, severity=severity, rule_ids=ids)
        enriched.append(drift)
    return tuple(enriched), tuple(violations)
