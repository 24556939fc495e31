"""EventBridge rules and their targets: one ListEventBuses per region, then per bus one
paginated ListRules and, per rule, one paginated ListTargetsByRule (EventBridge lists
targets only rule by rule) and ListTagsForResource (no batch call), concurrent per bus.
Rules a service made for itself (`ManagedBy`: Config, GuardDuty, Security Hub, AWS
Backup...) and their targets are that service's, never unmanaged."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.policy import parse_policy
from guard.live.shape import declared_tags, tag_changes
from guard.live.types import PER_ITEM_WORKERS, REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_DEFAULT_BUS = "default"


def _pages(client: Any, operation: str, items: str, **params: Any) -> list[Attrs]:
    return [
        item for page in client.get_paginator(operation).paginate(**params) for item in page.get(items) or []
    ]


@reads("list_rules", "list_targets_by_rule", "list_tags_for_resource")
def read_bus(clients: Any, region: str, bus: Attrs) -> Attrs:
    """A bus's rules, each with its targets and tags (read once for both types)."""
    events = clients.client("events", region)
    name = str(bus["Name"])
    rules = _pages(events, "list_rules", "Rules", EventBusName=name)

    def targets(rule: Attrs) -> Attrs:
        listed = _pages(events, "list_targets_by_rule", "Targets", Rule=rule["Name"], EventBusName=name)
        rule_tags = events.list_tags_for_resource(ResourceARN=rule["Arn"]).get("Tags") or []
        return {**rule, "EventBusName": name, "Targets": listed, "Tags": rule_tags}

    with ThreadPoolExecutor(max_workers=max(1, min(PER_ITEM_WORKERS, len(rules)))) as pool:
        return {**bus, "Rules": list(pool.map(targets, rules))}


def bus_name(bus: Any) -> str:
    """A bus by name; Terraform also takes its ARN (…:event-bus/NAME) in event_bus_name."""
    text = str(bus or _DEFAULT_BUS)
    return text.split(":event-bus/", 1)[1] if text.startswith("arn:") and ":event-bus/" in text else text


def rule_id(bus: Any, name: Any) -> str:
    """Terraform's id: the name on the default bus, BUS/NAME on another."""
    bus = bus_name(bus)
    return str(name) if bus == _DEFAULT_BUS else f"{bus}/{name}"


def _rules_of(bus: Attrs) -> list[Attrs]:
    return [
        {**rule, "Id": rule_id(rule.get("EventBusName"), rule["Name"])} for rule in bus.get("Rules") or []
    ]


def _pattern(value: Any) -> str | None:
    """An event pattern (or input) compared as JSON, not as text."""
    parsed = parse_policy(value)
    if parsed is None:
        return None
    return (
        json.dumps(parsed, sort_keys=True, separators=(",", ":"))
        if isinstance(parsed, (dict, list))
        else str(parsed)
    )


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _rule_attrs(item: Attrs) -> Attrs:
    return {
        "name": item["Name"],
        "event_bus_name": item.get("EventBusName") or _DEFAULT_BUS,
        "description": _text(item.get("Description")),
        "event_pattern": _pattern(item.get("EventPattern")),
        "schedule_expression": _text(item.get("ScheduleExpression")),
        "role_arn": _text(item.get("RoleArn")),
        "state": item.get("State") or "ENABLED",
        "tags": {
            t["Key"]: t["Value"] for t in item.get("Tags") or [] if not str(t["Key"]).startswith("aws:")
        },
    }


def _rule_state(attrs: Attrs) -> str:
    # Provider 5.x writes both `state` and its older form `is_enabled`; a state written by an
    # earlier 5.x release has only `is_enabled`.
    if attrs.get("state"):
        return str(attrs["state"])
    return "DISABLED" if attrs.get("is_enabled") is False else "ENABLED"


def _rule_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "event_bus_name": bus_name(attrs.get("event_bus_name")),
        "description": _text(attrs.get("description")),
        "event_pattern": _pattern(attrs.get("event_pattern")),
        "schedule_expression": _text(attrs.get("schedule_expression")),
        "role_arn": _text(attrs.get("role_arn")),
        "state": _rule_state(attrs),
        "tags": declared_tags(attrs),
    }


_DEFINITION = ("event_bus_name", "description", "event_pattern", "schedule_expression", "role_arn", "state")


def _rule_arn(resource: Resource) -> str:
    return str(resource.attrs.get("arn") or "")


@writes("put_rule", "tag_resource", "untag_resource")
def _rule_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """PutRule replaces the whole definition: it is sent as declared."""
    declared = resource.attrs
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if paths & set(_DEFINITION):
        request: Attrs = {
            "Name": declared.get("name"),
            "EventBusName": declared.get("event_bus_name") or _DEFAULT_BUS,
            "State": _rule_state(declared),
            "Description": declared.get("description") or "",
        }
        for key, name in (
            ("EventPattern", "event_pattern"),
            ("ScheduleExpression", "schedule_expression"),
            ("RoleArn", "role_arn"),
        ):
            if declared.get(name):
                request[key] = declared[name]
        calls.append(AwsCall("events", "put_rule", request, resource.region))
    restore, remove = tag_changes(changes)
    arn = _rule_arn(resource)
    if restore and arn:
        request = {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("events", "tag_resource", request, resource.region))
    if remove and arn:
        calls.append(
            AwsCall("events", "untag_resource", {"ResourceARN": arn, "TagKeys": remove}, resource.region)
        )
    return calls


_NAME = r"[\w.\-]+"
# How CloudTrail names a rule: its ARN (rule/NAME on the default bus, rule/BUS/NAME on
# another), or the bus (a name or an ARN) joined to the rule's name below.
_RULE_IDS = IdForms(
    (
        (rf"arn:[\w-]+:events:[\w-]+:\d{{12}}:rule/default/(?P<name>{_NAME})", "{name}"),
        (rf"arn:[\w-]+:events:[\w-]+:\d{{12}}:rule/(?P<id>{_NAME}(?:/{_NAME})?)", "{id}"),
        (rf"arn:[\w-]+:events:[\w-]+:\d{{12}}:event-bus/default/(?P<name>{_NAME})", "{name}"),
        (rf"arn:[\w-]+:events:[\w-]+:\d{{12}}:event-bus/(?P<id>{_NAME}/{_NAME})", "{id}"),
        (rf"default/(?P<name>{_NAME})", "{name}"),
        (rf"{_NAME}(?:/{_NAME})?", "{value}"),
    ),
    "a rule's ARN, or its bus and name",
)
# The rule a request names: its bus (when given) and its name.
_RULE_IN_REQUEST = (
    "requestParameters.eventBusName && join('/', [requestParameters.eventBusName, requestParameters.name])"
    " || requestParameters.name"
)
_TARGET_RULE_IN_REQUEST = (
    "requestParameters.eventBusName && join('/', [requestParameters.eventBusName, requestParameters.rule])"
    " || requestParameters.rule"
)

_RULE_BY_PATH = {
    **dict.fromkeys(("description", "event_pattern", "schedule_expression", "role_arn"), ("PutRule",)),
    "state": ("PutRule", "EnableRule", "DisableRule"),
    "tags": ("TagResource", "UntagResource"),
}
_RULE_EVENTS = TypeEvents(
    missing=("DeleteRule",),
    unmanaged=("PutRule",),
    changed=edits(_RULE_BY_PATH),
    by_path=_RULE_BY_PATH,
    touched_by={
        "PutRule": "responseElements.ruleArn",
        **dict.fromkeys(("DeleteRule", "EnableRule", "DisableRule"), _RULE_IN_REQUEST),
        **dict.fromkeys(("TagResource", "UntagResource"), "requestParameters.resourceARN"),
    },
    ids=_RULE_IDS,
)


REGISTRY.register(
    ResourceType(
        name="aws_cloudwatch_event_rule",
        events=_RULE_EVENTS,
        service="events",
        list_call="list_event_buses",
        # ListEventBuses has no paginator; 100 buses a region is the quota, one answer holds them.
        list_params={"Limit": 100},
        items_path="EventBuses",
        id_key="Id",
        per_item=read_bus,
        split_item=_rules_of,
        to_attrs=_rule_attrs,
        normalise_desired=_rule_desired,
        compared=("name", *_DEFINITION, "tags"),
        ignored={
            "is_enabled": "older form of state, which is compared",
            "arn": "computed",
            "name_prefix": "Terraform-only: the name it made is compared",
            "force_destroy": "Terraform-only setting",
        },
        aws_default=lambda item: bool(item.get("ManagedBy")),
        restore_calls=_rule_restore,
        restorable=(*_DEFINITION, "tags"),
        describe=lambda resource: f"EventBridge rule {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:cloudwatch/eventRule:EventRule",),
        graph=GraphHooks(forward=("event_bus_name",)),
    )
)


# aws_cloudwatch_event_target ----------------------------------------------------------


def _targets_of(bus: Attrs) -> list[Attrs]:
    return [
        {
            **target,
            "Rule": rule["Name"],
            "EventBusName": rule.get("EventBusName") or _DEFAULT_BUS,
            "ManagedBy": rule.get("ManagedBy"),
            "Key": _target_key(rule.get("EventBusName"), rule["Name"], target["Id"]),
        }
        for rule in bus.get("Rules") or []
        for target in rule.get("Targets") or []
    ]


def _target_key(bus: Any, rule: Any, target_id: Any) -> str:
    """Terraform's id: RULE-TARGET on the default bus, BUS-RULE-TARGET on another."""
    bus = bus_name(bus)
    return f"{rule}-{target_id}" if bus == _DEFAULT_BUS else f"{bus}-{rule}-{target_id}"


def _transformer(paths: Any, template: Any) -> list[Attrs]:
    if template in (None, ""):
        return []
    return [{"input_paths": dict(paths or {}), "input_template": _pattern(template)}]


def _target_shape(values: Attrs) -> Attrs:
    bus = bus_name(values.get("event_bus_name"))
    return {
        "rule": values.get("rule"),
        "event_bus_name": bus,
        "rule_id": rule_id(bus, values.get("rule")),
        "target_id": values.get("target_id"),
        "arn": values.get("arn"),
        "role_arn": _text(values.get("role_arn")),
        "input": _pattern(values.get("input")),
        "input_path": _text(values.get("input_path")),
        "input_transformer": values.get("input_transformer") or [],
        "retry_policy": values.get("retry_policy") or [],
        "dead_letter_config": values.get("dead_letter_config") or [],
        "sqs_target": values.get("sqs_target") or [],
    }


def _target_attrs(item: Attrs) -> Attrs:
    transformer = item.get("InputTransformer") or {}
    retry = item.get("RetryPolicy") or {}
    dead_letter = item.get("DeadLetterConfig") or {}
    sqs = item.get("SqsParameters") or {}
    return _target_shape(
        {
            "rule": item["Rule"],
            "event_bus_name": item.get("EventBusName"),
            "target_id": item["Id"],
            "arn": item.get("Arn"),
            "role_arn": item.get("RoleArn"),
            "input": item.get("Input"),
            "input_path": item.get("InputPath"),
            "input_transformer": _transformer(
                transformer.get("InputPathsMap"), transformer.get("InputTemplate")
            ),
            "retry_policy": [
                {
                    "maximum_event_age_in_seconds": retry.get("MaximumEventAgeInSeconds"),
                    "maximum_retry_attempts": retry.get("MaximumRetryAttempts"),
                }
            ]
            if retry
            else [],
            "dead_letter_config": [{"arn": dead_letter["Arn"]}] if dead_letter.get("Arn") else [],
            "sqs_target": [{"message_group_id": sqs["MessageGroupId"]}] if sqs.get("MessageGroupId") else [],
        }
    )


def _target_desired(attrs: Attrs) -> Attrs:
    transformer = (attrs.get("input_transformer") or [{}])[0] or {}
    retry = [
        {
            "maximum_event_age_in_seconds": block.get("maximum_event_age_in_seconds") or None,
            "maximum_retry_attempts": block.get("maximum_retry_attempts"),
        }
        for block in attrs.get("retry_policy") or []
    ]
    return _target_shape(
        {
            **attrs,
            "input_transformer": _transformer(
                transformer.get("input_paths"), transformer.get("input_template")
            ),
            "retry_policy": retry,
            "dead_letter_config": [b for b in attrs.get("dead_letter_config") or [] if b.get("arn")],
            "sqs_target": [b for b in attrs.get("sqs_target") or [] if b.get("message_group_id")],
        }
    )


def _target_match(resource: Resource) -> str:
    attrs = resource.attrs
    return "|".join(str(attrs.get(k) or "") for k in ("event_bus_name", "rule", "target_id"))


def _declared_target(attrs: Attrs) -> Attrs:
    """The target as PutTargets takes it, from what the state declares."""
    target: Attrs = {"Id": attrs.get("target_id"), "Arn": attrs.get("arn")}
    if attrs.get("role_arn"):
        target["RoleArn"] = attrs["role_arn"]
    if attrs.get("input"):
        target["Input"] = attrs["input"]
    if attrs.get("input_path"):
        target["InputPath"] = attrs["input_path"]
    for block in (attrs.get("input_transformer") or [])[:1]:
        target["InputTransformer"] = {
            "InputPathsMap": dict(block.get("input_paths") or {}),
            "InputTemplate": block.get("input_template") or "",
        }
    for block in (attrs.get("retry_policy") or [])[:1]:
        policy = {
            "MaximumEventAgeInSeconds": block.get("maximum_event_age_in_seconds"),
            "MaximumRetryAttempts": block.get("maximum_retry_attempts"),
        }
        target["RetryPolicy"] = {k: v for k, v in policy.items() if v is not None}
    for block in (attrs.get("dead_letter_config") or [])[:1]:
        if block.get("arn"):
            target["DeadLetterConfig"] = {"Arn": block["arn"]}
    for block in (attrs.get("sqs_target") or [])[:1]:
        if block.get("message_group_id"):
            target["SqsParameters"] = {"MessageGroupId": block["message_group_id"]}
    return target


@writes("put_targets")
def _target_put(resource: Resource, _: Resource | None = None, __: tuple[Change, ...] = ()) -> list[AwsCall]:
    attrs = resource.attrs
    request = {
        "Rule": attrs.get("rule"),
        "EventBusName": attrs.get("event_bus_name") or _DEFAULT_BUS,
        "Targets": [_declared_target(attrs)],
    }
    return [AwsCall("events", "put_targets", request, resource.region)]


@writes("remove_targets")
def _target_remove(live: Resource) -> list[AwsCall]:
    attrs = live.attrs
    request = {
        "Rule": attrs.get("rule"),
        "EventBusName": attrs.get("event_bus_name") or _DEFAULT_BUS,
        "Ids": [attrs.get("target_id")],
    }
    return [AwsCall("events", "remove_targets", request, live.region)]


_TARGET_FIELDS = (
    "arn",
    "role_arn",
    "input",
    "input_path",
    "input_transformer",
    "retry_policy",
    "dead_letter_config",
    "sqs_target",
)
_TARGET_EVENTS = TypeEvents(
    missing=("RemoveTargets", "DeleteRule"),
    unmanaged=("PutTargets",),
    changed=("PutTargets",),
    by_path=dict.fromkeys(_TARGET_FIELDS, ("PutTargets",)),
    # CloudTrail names the rule, not the target: the rule, and with it its targets, was touched.
    touched_by=dict.fromkeys(("PutTargets", "RemoveTargets"), _TARGET_RULE_IN_REQUEST),
    ids=_RULE_IDS,
    names_parent=True,
)


REGISTRY.register(
    ResourceType(
        name="aws_cloudwatch_event_target",
        events=_TARGET_EVENTS,
        service="events",
        list_call="list_event_buses",
        list_params={"Limit": 100},
        items_path="EventBuses",
        id_key="Key",
        per_item=read_bus,  # the rules' read: ListTargetsByRule was made there, once
        split_item=_targets_of,
        to_attrs=_target_attrs,
        normalise_desired=_target_desired,
        match_key=_target_match,
        compared=("rule", "event_bus_name", "target_id", *_TARGET_FIELDS),
        ignored={
            "ecs_target": "ECS task targets; not compared yet",
            "batch_target": "Batch job targets; not compared yet",
            "kinesis_target": "Kinesis targets (partition key path); not compared yet",
            "http_target": "API destination targets; not compared yet",
            "redshift_target": "Redshift Data API targets; not compared yet",
            "run_command_targets": "SSM Run Command targets; not compared yet",
            "sagemaker_pipeline_target": "SageMaker pipeline targets; not compared yet",
            "appsync_target": "AppSync targets; not compared yet",
            "force_destroy": "Terraform-only setting",
        },
        aws_default=lambda item: bool(item.get("ManagedBy")),
        parent=("rule_id", "aws_cloudwatch_event_rule"),
        restore_calls=_target_put,
        restorable=_TARGET_FIELDS,
        recreate_calls=_target_put,
        delete_calls=_target_remove,
        describe=lambda resource: (
            f"target {resource.attrs.get('target_id')} of EventBridge rule {resource.attrs.get('rule')}"
        ),
        pulumi_tokens=("aws:cloudwatch/eventTarget:EventTarget",),
        graph=GraphHooks(forward=("rule_id", "arn")),
    )
)
