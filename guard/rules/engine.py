"""Run rules over resources: live state, a state file, a plan's after-states or its changes.

Each resource becomes a document: its attributes, plus facts derived from the whole
input, as its type's declaration derives them (a security group's `_ingress`/`_egress`: its
effective rules from all three Terraform forms), and `_policy`, a JSON policy string parsed
and normalised, plus `_related`, the resources a
rule's relations found. Conditions are three-valued: a value Terraform knows only after
apply makes a condition unknown, never a violation.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jmespath
from jmespath.exceptions import JMESPathError
from jmespath.parser import ParsedResult

from guard.live import REGISTRY, Registry
from guard.model import Resource, Violation
from guard.rules.model import Condition, Leaf, Relation, Rule
from guard.rules.operators import OPERATORS


@dataclass(frozen=True)
class Subject:
    """One thing a rule is checked on: a resource's document, or a plan change's."""

    type: str
    address: str
    doc: dict[str, Any]
    id: str = ""
    unknown: frozenset[str] = frozenset()  # top-level names only known after apply
    account: str | None = None
    region: str | None = None
    source: str = ""


@dataclass
class RuleResults:
    """What checking rules on subjects found: the violations, and the checks left undecided."""

    violations: list[Violation] = field(default_factory=list)
    undecided: list[tuple[str, str]] = field(default_factory=list)  # (rule id, address)


@lru_cache(maxsize=2048)
def compiled(expression: str) -> ParsedResult:
    return jmespath.compile(expression)


def search(expression: str, doc: Any) -> Any:
    """A runtime type error (contains() on a number) reads as "no value", not a crash."""
    try:
        return compiled(expression).search(doc)
    except JMESPathError:
        return None


def _fields(node: Mapping[str, Any]) -> set[str]:
    found = {str(node["value"])} if node.get("type") == "field" else set()
    for child in node.get("children") or []:
        if isinstance(child, Mapping):
            found |= _fields(child)
    return found


@lru_cache(maxsize=2048)
def fields_of(expression: str) -> frozenset[str]:
    return frozenset(_fields(compiled(expression).parsed))


# -- derived facts -----------------------------------------------------------------


def _added_facts(resource: Resource, registry: Registry) -> tuple[str, str, list[dict[str, Any]]] | None:
    declaration = registry.about(resource.type)
    return declaration.adds_facts(resource) if declaration and declaration.adds_facts else None


def _policy(text: Any) -> dict[str, Any] | None:
    """A policy document with every Statement a list, and Action/Resource/Principal values lists."""
    if isinstance(text, dict):
        document = text
    elif isinstance(text, str) and text.strip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            return None
    else:
        return None
    statements = document.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    normal = []
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        item = dict(statement)
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in item and not isinstance(item[key], list):
                item[key] = [item[key]]
        for key in ("Principal", "NotPrincipal"):
            principal = item.get(key)
            if principal == "*":
                item[key] = {"*": ["*"]}
            elif isinstance(principal, dict):
                item[key] = {k: v if isinstance(v, list) else [v] for k, v in principal.items()}
        normal.append(item)
    return {**document, "Statement": normal}


def subjects_from_resources(
    resources: Sequence[Resource],
    unknown: Mapping[str, frozenset[str]] | None = None,
    context: Sequence[Resource] = (),
    registry: Registry = REGISTRY,
) -> list[Subject]:
    """Documents for every resource. `context`: more resources that only tell facts (the
    prior state of a plan: a group whose rules were standalone resources before). Facts
    beside the attributes come from the declarations (`rule_facts`, `adds_facts`)."""
    added: dict[str, dict[str, list[dict[str, Any]]]] = {}
    held_elsewhere: set[str] = set()
    for resource in [*resources, *context]:
        if found := _added_facts(resource, registry):
            held_elsewhere.add(found[0])
    for resource in resources:
        if found := _added_facts(resource, registry):
            holder, name, values = found
            added.setdefault(holder, {}).setdefault(name, []).extend(values)
    subjects = []
    for resource in resources:
        doc: dict[str, Any] = dict(resource.attrs)
        if resource.id and not doc.get("id"):
            doc["id"] = resource.id  # live attributes leave the id out; relations match on it
        declaration = registry.about(resource.type)
        if declaration is not None and declaration.rule_facts is not None:
            held = resource.id in held_elsewhere
            doc.update(declaration.rule_facts(resource, added.get(resource.id, {}), held))
        policy = _policy(resource.attrs.get("policy"))
        if policy is not None:
            doc["_policy"] = policy
        doc["_type"] = resource.type
        doc["_address"] = resource.address
        subjects.append(
            Subject(
                type=resource.type,
                address=resource.address or f"{resource.type}.{resource.id}",
                doc=doc,
                id=resource.id,
                unknown=(unknown or {}).get(resource.address, frozenset()),
                account=resource.account,
                region=resource.region,
                source=resource.source,
            )
        )
    return subjects


# -- evaluation ----------------------------------------------------------------------


def applies_to(rule: Rule, type_name: str) -> bool:
    return any(fnmatch.fnmatchcase(type_name, pattern) for pattern in rule.resource_types)


def _flat(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return [item for element in value for item in _flat(element)]
    return [value]


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def _related(
    rule: Rule, subject: Subject, by_type: Mapping[str, list[Subject]]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for relation in rule.relations:
        base = found.get(relation.through, []) if relation.through else [subject.doc]
        ours = {_hashable(v) for doc in base for v in _flat(search(relation.ours, doc))}
        found[relation.name] = [
            other.doc
            for other in _candidates(relation, by_type)
            if other is not subject
            and ours & {_hashable(v) for v in _flat(search(relation.their, other.doc))}
            and (not relation.where or bool(search(relation.where, other.doc)))
        ]
    return found


def _candidates(relation: Relation, by_type: Mapping[str, list[Subject]]) -> list[Subject]:
    return [
        subject
        for type_name, subjects in by_type.items()
        if any(fnmatch.fnmatchcase(type_name, pattern) for pattern in relation.types)
        for subject in subjects
    ]


def check(
    condition: Condition, doc: Mapping[str, Any], unknown: frozenset[str]
) -> tuple[bool | None, list[str]]:
    """True, False, or None (depends on a value known only after apply); with details."""
    if isinstance(condition, Leaf):
        if unknown and fields_of(condition.path) & unknown:
            return None, []
        holds, detail = OPERATORS[condition.operator](search(condition.path, doc), condition.value)
        return holds, [detail] if detail and not holds else []
    results = [check(child, doc, unknown) for child in condition.children]
    details = [d for _, found in results for d in found]
    values = [value for value, _ in results]
    if condition.kind == "not":
        value = values[0]
        return (None if value is None else not value), []
    if condition.kind == "and":
        if False in values:
            return False, [d for (v, found) in results if v is False for d in found]
        return (None if None in values else True), details
    if True in values:
        return True, []
    return (None if None in values else False), details


def evaluate(
    rules: Iterable[Rule], subjects: Sequence[Subject], subject_kind: str = "resource"
) -> RuleResults:
    by_type: dict[str, list[Subject]] = {}
    for subject in subjects:
        by_type.setdefault(subject.type, []).append(subject)
    outcome = RuleResults()
    for rule in rules:
        if rule.subject != subject_kind:
            continue
        for subject in subjects:
            if not applies_to(rule, subject.type):
                continue
            doc = subject.doc
            if rule.relations:
                doc = {**doc, "_related": _related(rule, subject, by_type)}
            if rule.applies is not None:
                applies, _ = check(rule.applies, doc, subject.unknown)
                if applies is None:
                    outcome.undecided.append((rule.id, subject.address))
                if not applies:
                    continue
            holds, details = check(rule.condition, doc, subject.unknown)
            if holds is None:
                outcome.undecided.append((rule.id, subject.address))
            elif not holds:
                outcome.violations.append(_violation(rule, subject, details))
    outcome.violations.sort(key=lambda v: (-v.severity.rank, v.address, v.rule_id))
    return outcome


def _violation(rule: Rule, subject: Subject, details: list[str]) -> Violation:
    message = f"{subject.address}: {rule.title}"
    if details:
        message += f" ({'; '.join(details)})"
    return Violation(
        rule_id=rule.id,
        severity=rule.severity,
        title=rule.title,
        message=message,
        type=subject.type,
        address=subject.address,
        id=subject.id,
        account=subject.account,
        region=subject.region,
        source=subject.source,
        remediation=rule.remediation,
    )
