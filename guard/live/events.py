"""CloudTrail events and resources: the engine that reads each type's declared `events`.

Every declaration in guard/live/resources/ names the write events that change its type
(`ResourceType.events`). Three readers use them: attribution (a finding of this kind on
this type was most likely made by one of these events), `guard on-event` (this event
touched that resource) and `guard events-rule` (the EventBridge pattern that sends guard
exactly those events). A type without events is still attributed, to any write event on it.

How an event names its resource differs by service, so each type says it explicitly:
`touched_by` maps an event name to a JMESPath over the CloudTrail record, and `ids` turns
each value found into the id the declaration (and Terraform state) uses: an EC2 id by its
prefix (sg-, i-), a name (an S3 bucket, an IAM role), an ARN, or a name inside an ARN.
A type follows only the calls that can change what guard compares or whether the resource
exists (RegisterTargets, which Auto Scaling makes all day, changes no compared attribute);
the other write calls it names are for attribution.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jmespath

if TYPE_CHECKING:
    from guard.live.types import Registry, ResourceType
    from guard.model import Resource

# A value found in a record (usually a string) and the record -> the declared id, or None
# when the value is not this type's (another type's id, an alias where a key id belongs).
IdRule = Callable[[Any, Mapping[str, Any]], "str | None"]

# The eventSource CloudTrail writes for a boto3 service, where it is not SERVICE.amazonaws.com.
# Classic and v2 load balancers share one eventSource; so do API Gateway's REST and HTTP APIs.
_EVENT_SOURCES = {
    "elbv2": "elasticloadbalancing.amazonaws.com",
    "elb": "elasticloadbalancing.amazonaws.com",
    "apigatewayv2": "apigateway.amazonaws.com",
}


def event_source(service: str) -> str:
    """CloudTrail's `eventSource` for a boto3 service name (elbv2 -> elasticloadbalancing...)."""
    return _EVENT_SOURCES.get(service, f"{service}.amazonaws.com")


# CloudTrail names a few calls differently from the API operation. Lambda suffixes the API
# version it was made against (UpdateFunctionConfiguration20150331v2); S3 says "Bucket"
# in the public access block calls.
_S3_EVENT_OPERATIONS = {
    "PutBucketPublicAccessBlock": "PutPublicAccessBlock",
    "DeleteBucketPublicAccessBlock": "DeletePublicAccessBlock",
    "GetBucketPublicAccessBlock": "GetPublicAccessBlock",
}
_API_VERSION_SUFFIX = re.compile(r"20\d{6}(v\d+)?$")


def api_operation(source: str, event_name: str) -> str:
    """The API operation (botocore's name) a CloudTrail event name records."""
    if source == "lambda.amazonaws.com":
        return _API_VERSION_SUFFIX.sub("", event_name)
    if source == "s3.amazonaws.com":
        return _S3_EVENT_OPERATIONS.get(event_name, event_name)
    return event_name


@dataclass(frozen=True)
class Prefixed:
    """An EC2-style id: any value with this prefix (sg-, vpc-, eipalloc-) is one of this type."""

    prefix: str

    def __call__(self, value: Any, record: Mapping[str, Any]) -> str | None:
        return value if isinstance(value, str) and value.startswith(self.prefix) and value else None

    def __str__(self) -> str:
        return f"an id starting {self.prefix}"


@dataclass(frozen=True)
class IdForms:
    """The forms a record gives the id in: the first regular expression that matches the whole
    value, and the template that makes the declared id from it. A template can use the
    pattern's named groups, `value` (the whole value), and the record's `region`, `account`
    and `partition` (a CloudTrail trail named by name, declared by ARN)."""

    forms: tuple[tuple[str, str], ...]
    text: str = ""

    def __call__(self, value: Any, record: Mapping[str, Any]) -> str | None:
        if not isinstance(value, str) or not value:
            return None
        for pattern, template in self.forms:
            match = re.fullmatch(pattern, value)
            if match:
                return template.format_map({**_context(record), **match.groupdict(), "value": value})
        return None

    def __str__(self) -> str:
        return self.text or " or ".join(pattern for pattern, _ in self.forms)


_ARN_HEAD = r"arn:(?:aws|aws-cn|aws-us-gov):{service}:[a-z0-9-]*:\d*:"
NAME = r"[\w+=,.@-]+"  # IAM, DynamoDB, Lambda and most other names


def named(service: str, kind: str = "", name: str = NAME, what: str = "") -> IdForms:
    """A name used as is, or the name in an ARN of this service whose resource part starts
    with `kind` (`function:`, `table/`, `role/...`); what follows the name (a Lambda
    qualifier, a DynamoDB stream) is not part of it."""
    arn = _ARN_HEAD.format(service=service) + kind + f"(?P<name>{name})(?:[:/].*)?"
    text = what or f"a {service} name, or the name in its {kind or 'resource'} ARN"
    return IdForms(((arn, "{name}"), (name, "{value}")), text)


def arn_id(service: str, resource: str, build: str = "", name: str = NAME) -> IdForms:
    """An ARN of this service whose resource part matches `resource`; with `build`, also a
    plain name, made into the ARN with that template (`{value}` is the name)."""
    forms: tuple[tuple[str, str], ...] = ((_ARN_HEAD.format(service=service) + resource, "{value}"),)
    if build:
        forms += ((name, build),)
    return IdForms(forms, f"a {service} ARN ({resource})" + (", or a name made into one" if build else ""))


def _context(record: Mapping[str, Any]) -> dict[str, str]:
    identity = record.get("userIdentity") or {}
    arn = str(identity.get("arn") or "")
    return {
        "region": str(record.get("awsRegion") or ""),
        "account": str(record.get("recipientAccountId") or identity.get("accountId") or ""),
        "partition": arn.split(":")[1] if arn.startswith("arn:") and arn.count(":") > 1 else "aws",
    }


@dataclass(frozen=True)
class TypeEvents:
    """The write events for one Terraform type, and how an event names the resource."""

    id_prefix: str = ""  # the cloud id's prefix (sg-, i-): tells a tagged resource's type
    missing: tuple[str, ...] = ()  # events that delete it
    unmanaged: tuple[str, ...] = ()  # events that create it
    changed: tuple[str, ...] = ()  # events that edit it, when no path below says better
    by_path: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # top attribute -> events
    # CloudTrail names a rule by its group: the attribute holding the name to look up.
    lookup_attr: str | None = None
    # Event name -> JMESPath (over the CloudTrail record) to the ids of resources it touched.
    touched_by: Mapping[str, str] = field(default_factory=dict)
    # What turns a value found by `touched_by` into the declared id; default: Prefixed(id_prefix).
    ids: IdRule | None = None
    # The values found are the parent's ids (a route names its table, a policy attachment
    # its role: the child's own id is not in the record): the parent, and with it its
    # children, is what was touched.
    names_parent: bool = False
    source: str = ""  # CloudTrail eventSource; default: from the declaration's service

    def for_change(self, kind: str, paths: tuple[str, ...]) -> tuple[str, ...]:
        """Event names that make this kind of change (kind is a DriftKind value)."""
        if kind == "missing":
            return self.missing
        if kind == "unmanaged":
            return self.unmanaged
        names: list[str] = []
        for path in paths:
            for name in self.by_path.get(path.split(".", 1)[0], ()):
                if name not in names:
                    names.append(name)
        return tuple(names) or self.changed

    def id_rule(self) -> IdRule:
        return self.ids if self.ids is not None else Prefixed(self.id_prefix)

    def names(self) -> tuple[str, ...]:
        """Every event named: the ones that change it and the ones on-event follows."""
        every = [*self.missing, *self.unmanaged, *self.changed, *self.touched_by]
        every += [name for names in self.by_path.values() for name in names]
        return tuple(sorted(set(every)))


def edits(by_path: Mapping[str, tuple[str, ...]], *more: str) -> tuple[str, ...]:
    """Every edit event of a type: those named per attribute, and more (for `changed`)."""
    names = [name for names in by_path.values() for name in names] + list(more)
    return tuple(dict.fromkeys(names))


def events_for(type_name: str, registry: Registry) -> TypeEvents | None:
    declaration = registry.types.get(type_name)
    return declaration.events if declaration is not None else None


def source_of(declaration: ResourceType) -> str:
    """The eventSource of the events a type follows."""
    declared = declaration.events
    return (declared.source if declared is not None else "") or event_source(declaration.service)


def touched(record: Mapping[str, Any], registry: Registry) -> list[tuple[str, str]]:
    """(type, id) of every resource the call changed, as each type declares.

    An event counts only for types of its own service: DeleteTags is both an EC2 and an
    Auto Scaling call, TagResource a dozen services' (a record without eventSource is
    taken as the type's own)."""
    name = record.get("eventName") or ""
    source = record.get("eventSource") or ""
    found: list[tuple[str, str]] = []
    for type_name, declaration in registry.types.items():
        declared = declaration.events
        path = declared.touched_by.get(name) if declared is not None else None
        if declared is None or not path or (source and source != source_of(declaration)):
            continue
        target = type_name
        if declared.names_parent and declaration.parent is not None:
            target = declaration.parent[1]
        rule = declared.id_rule()
        values = jmespath.search(path, record)
        for value in values if isinstance(values, list) else [values]:
            resource_id = rule(value, record)
            if resource_id and (target, resource_id) not in found:
                found.append((target, resource_id))
    return found


def followed(declarations: Iterable[ResourceType]) -> dict[str, list[str]]:
    """eventSource -> the events on-event acts on there (`touched_by`), sorted: what
    `guard events-rule` asks EventBridge for."""
    names: dict[str, set[str]] = {}
    for declaration in declarations:
        if declaration.events is not None:
            names.setdefault(source_of(declaration), set()).update(declaration.events.touched_by)
    return {source: sorted(found) for source, found in sorted(names.items())}


# --- the EventBridge rule -----------------------------------------------------------

DETAIL_TYPE = "AWS API Call via CloudTrail"
# EventBridge's event pattern quota: 2,048 characters by default, 4,096 at most on request.
PATTERN_LIMIT = 2048
PATTERN_LIMIT_RAISED = 4096


def event_pattern(by_source: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """The EventBridge pattern matching these CloudTrail calls (eventSource -> names), sorted."""
    sources = sorted(by_source)
    names = sorted({name for source in sources for name in by_source[source]})
    return {
        "source": sorted({"aws." + source.split(".", 1)[0] for source in sources}),
        "detail-type": [DETAIL_TYPE],
        "detail": {"eventSource": sources, "eventName": names},
    }


def pattern_size(pattern: Mapping[str, Any]) -> int:
    """Characters EventBridge counts: the pattern as compact JSON."""
    return len(json.dumps(pattern, separators=(",", ":")))


def split_patterns(
    by_source: Mapping[str, Iterable[str]], limit: int = PATTERN_LIMIT
) -> list[dict[str, Any]]:
    """As few patterns as fit in `limit` characters each, for one rule each: event sources
    packed in order, a source whose names do not fit in one split across several. A packed
    pattern also matches one source's name on another (DeleteTags on EC2 and Auto Scaling);
    on-event ignores those without an AWS call."""
    units: list[tuple[str, list[str]]] = []  # (source, names) that each fit alone
    for source in sorted(by_source):
        chunk: list[str] = []
        for name in sorted(by_source[source]):
            if chunk and pattern_size(event_pattern({source: [*chunk, name]})) > limit:
                units.append((source, chunk))
                chunk = []
            chunk.append(name)
        if chunk:
            units.append((source, chunk))
    groups: list[dict[str, list[str]]] = []
    for source, names in units:
        merged = {**groups[-1], source: [*groups[-1].get(source, []), *names]} if groups else None
        if merged is not None and pattern_size(event_pattern(merged)) <= limit:
            groups[-1] = merged
        else:
            groups.append({source: names})
    return [event_pattern(group) for group in groups]


def types_in_play(resources: Iterable[Resource], registry: Registry) -> list[ResourceType]:
    """The compared types a set of declared resources stands for (through aliases and
    expansions: an aws_security_group_rule is an ingress rule), and their child types,
    whose unmanaged resources are reported under a declared parent."""
    names: set[str] = set()
    declared = list(resources)
    by_id = {resource.id: resource for resource in declared}
    for resource in declared:
        canonical = registry.canonical(resource.type)
        if canonical in registry.types:
            names.add(canonical)
        for expansion in registry.expansions.get(resource.type, []):
            names.update(shape.type for shape in expansion.expand(resource, by_id))
    children = {d.name for d in registry.types.values() if d.parent is not None and d.parent[1] in names}
    return [registry.types[name] for name in sorted(names | children) if name in registry.types]
