"""Step Functions state machines: one paginated ListStateMachines per region, then
DescribeStateMachine and ListTagsForResource per state machine (2 calls each: Step
Functions has no batch describe). The definition is compared as JSON."""

from __future__ import annotations

import json
from typing import Any

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.policy import parse_policy
from guard.live.shape import declared_tags, first_block, tag_changes
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource


@reads("describe_state_machine", "list_tags_for_resource")
def read_state_machine(clients: Any, region: str, listed: Attrs) -> Attrs:
    sfn = clients.client("stepfunctions", region)
    arn = listed["stateMachineArn"]
    described = sfn.describe_state_machine(stateMachineArn=arn)
    described.pop("ResponseMetadata", None)
    machine_tags = sfn.list_tags_for_resource(resourceArn=arn).get("tags") or []
    return {**listed, **described, "tags": machine_tags}


def _definition(value: Any) -> str | None:
    parsed = parse_policy(value)
    if parsed is None:
        return None
    return (
        json.dumps(parsed, sort_keys=True, separators=(",", ":")) if isinstance(parsed, dict) else str(parsed)
    )


def _logging(level: Any, include: Any, destination: Any) -> list[Attrs]:
    return [
        {
            "level": str(level or "OFF"),
            "include_execution_data": bool(include),
            "log_destination": str(destination or "") or None,
        }
    ]


def _machine_attrs(item: Attrs) -> Attrs:
    logging = item.get("loggingConfiguration") or {}
    destinations = logging.get("destinations") or [{}]
    group = ((destinations[0] or {}).get("cloudWatchLogsLogGroup") or {}).get("logGroupArn")
    return {
        "name": item["name"],
        "definition": _definition(item.get("definition")),
        "role_arn": item.get("roleArn"),
        "type": item.get("type") or "STANDARD",
        "logging_configuration": _logging(logging.get("level"), logging.get("includeExecutionData"), group),
        "tracing_configuration": [{"enabled": bool((item.get("tracingConfiguration") or {}).get("enabled"))}],
        "tags": {
            t["key"]: t["value"] for t in item.get("tags") or [] if not str(t["key"]).startswith("aws:")
        },
    }


def _machine_desired(attrs: Attrs) -> Attrs:
    logging = first_block(attrs, "logging_configuration")
    return {
        "name": attrs.get("name"),
        "definition": _definition(attrs.get("definition")),
        "role_arn": attrs.get("role_arn"),
        "type": attrs.get("type") or "STANDARD",
        "logging_configuration": _logging(
            logging.get("level"), logging.get("include_execution_data"), logging.get("log_destination")
        ),
        "tracing_configuration": [
            {"enabled": bool(first_block(attrs, "tracing_configuration").get("enabled"))}
        ],
        "tags": declared_tags(attrs),
    }


_UPDATABLE = ("definition", "role_arn", "logging_configuration", "tracing_configuration")


@writes("update_state_machine", "tag_resource", "untag_resource")
def _machine_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """UpdateStateMachine takes the definition, role, logging and tracing as declared."""
    declared = resource.attrs
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if paths & set(_UPDATABLE):
        logging = first_block(declared, "logging_configuration")
        request: Attrs = {
            "stateMachineArn": resource.id,
            "definition": declared.get("definition"),
            "roleArn": declared.get("role_arn"),
            "tracingConfiguration": {
                "enabled": bool(first_block(declared, "tracing_configuration").get("enabled"))
            },
        }
        log_config: Attrs = {
            "level": logging.get("level") or "OFF",
            "includeExecutionData": bool(logging.get("include_execution_data")),
        }
        if logging.get("log_destination"):
            log_config["destinations"] = [
                {"cloudWatchLogsLogGroup": {"logGroupArn": logging["log_destination"]}}
            ]
        request["loggingConfiguration"] = log_config
        calls.append(AwsCall("stepfunctions", "update_state_machine", request, resource.region))
    restore, remove = tag_changes(changes)
    if restore:
        request = {"resourceArn": resource.id, "tags": [{"key": k, "value": v} for k, v in restore.items()]}
        calls.append(AwsCall("stepfunctions", "tag_resource", request, resource.region))
    if remove:
        request = {"resourceArn": resource.id, "tagKeys": remove}
        calls.append(AwsCall("stepfunctions", "untag_resource", request, resource.region))
    return calls


_MACHINE_BY_PATH = {
    **dict.fromkeys(_UPDATABLE, ("UpdateStateMachine",)),
    "tags": ("TagResource", "UntagResource"),
}
_MACHINE_EVENTS = TypeEvents(
    missing=("DeleteStateMachine",),
    unmanaged=("CreateStateMachine",),
    changed=edits(_MACHINE_BY_PATH),
    by_path=_MACHINE_BY_PATH,
    touched_by={
        "CreateStateMachine": "responseElements.stateMachineArn",
        "DeleteStateMachine": "requestParameters.stateMachineArn",
        "UpdateStateMachine": "requestParameters.stateMachineArn",
        "TagResource": "requestParameters.resourceArn",
        "UntagResource": "requestParameters.resourceArn",
    },
    # A version or alias ARN (stateMachine:NAME:1) is not the state machine's.
    ids=arn_id("states", r"stateMachine:[\w-]+"),
    source="states.amazonaws.com",  # Step Functions' CloudTrail source (boto3 calls it stepfunctions)
)


REGISTRY.register(
    ResourceType(
        name="aws_sfn_state_machine",
        events=_MACHINE_EVENTS,
        service="stepfunctions",
        list_call="list_state_machines",
        items_path="stateMachines",
        id_key="stateMachineArn",
        per_item=read_state_machine,
        to_attrs=_machine_attrs,
        normalise_desired=_machine_desired,
        compared=(
            "name",
            "definition",
            "role_arn",
            "type",
            "logging_configuration",
            "tracing_configuration",
            "tags",
        ),
        ignored={
            "arn": "computed (the id)",
            "creation_date": "computed",
            "status": "computed (ACTIVE until deleted)",
            "revision_id": "computed",
            "state_machine_version_arn": "computed (the version `publish` made)",
            "publish": "Terraform-only: whether apply publishes a version",
            "version_description": "a published version's description, not the state machine's",
            "description": "computed (the published version's description)",
            "name_prefix": "Terraform-only: the name it made is compared",
            "encryption_configuration": "not compared yet",
        },
        restore_calls=_machine_restore,
        restorable=(*_UPDATABLE, "tags"),
        delete_calls=writes("delete_state_machine")(
            lambda live: [
                AwsCall("stepfunctions", "delete_state_machine", {"stateMachineArn": live.id}, live.region)
            ]
        ),
        describe=lambda resource: f"state machine {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:sfn/stateMachine:StateMachine",),
        graph=GraphHooks(forward=("role_arn",)),
    )
)
