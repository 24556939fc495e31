"""SSM Parameter Store parameters: one paginated DescribeParameters per region (type, tier,
description, key, data type, allowed pattern, version); tags have no batch call, so
ListTagsForResource runs once per parameter.

The value is never read. Every PutParameter gives the parameter a new version and state
holds the version it wrote, so a value overwritten outside Terraform shows as `value`
changed ("version 1" -> "version 2", masked where state marks `value` sensitive) without
guard calling GetParameter(s) at all. Parameters under /aws/ are AWS's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _merge_tags(item: Attrs, answer: Attrs) -> None:
    item["Tags"] = answer.get("TagList") or []


def _written(version: Any) -> str | None:
    """The value as guard knows it: which write it is (never what it holds)."""
    return f"version {int(version)}" if version not in (None, "") else None


def _shape(values: Attrs) -> Attrs:
    kind = str(values.get("type") or "String")
    return {
        "name": values.get("name"),
        "type": kind,
        "description": _text(values.get("description")),
        # Only a SecureString is encrypted; the provider stores "" for the others.
        "key_id": _text(values.get("key_id")) if kind == "SecureString" else None,
        "data_type": _text(values.get("data_type")) or "text",
        "allowed_pattern": _text(values.get("allowed_pattern")),
        "tier": _text(values.get("tier")) or "Standard",
    }


def _parameter_attrs(item: Attrs) -> Attrs:
    shaped = _shape(
        {
            "name": item.get("Name"),
            "type": item.get("Type"),
            "description": item.get("Description"),
            "key_id": item.get("KeyId"),
            "data_type": item.get("DataType"),
            "allowed_pattern": item.get("AllowedPattern"),
            "tier": item.get("Tier"),
        }
    )
    return {**shaped, "value": _written(item.get("Version")), "tags": tags(item)}


def _parameter_desired(attrs: Attrs) -> Attrs:
    desired = {**_shape(attrs), "tags": declared_tags(attrs)}
    if str(attrs.get("tier") or "") == "Intelligent-Tiering":
        del desired["tier"]  # AWS picks Standard or Advanced by the value's size: not a drift
    if attrs.get("version") not in (None, ""):
        desired["value"] = _written(attrs.get("version"))  # an older state without it: not compared
    return desired


@writes("add_tags_to_resource", "remove_tags_from_resource")
def _parameter_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Only the tags: every other setting is a PutParameter, which must resend the value."""
    restore, remove = tag_changes(changes)
    target = {"ResourceType": "Parameter", "ResourceId": resource.id}
    calls = []
    if restore:
        pairs = [{"Key": k, "Value": v} for k, v in restore.items()]
        calls.append(AwsCall("ssm", "add_tags_to_resource", {**target, "Tags": pairs}, resource.region))
    if remove:
        calls.append(
            AwsCall("ssm", "remove_tags_from_resource", {**target, "TagKeys": remove}, resource.region)
        )
    return calls


def _by_name(resource: Resource) -> Mapping[str, Any]:
    name = str(resource.attrs.get("name") or resource.id)
    return {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": [name]}]}


_BY_PATH = {
    "value": ("PutParameter",),
    "type": ("PutParameter",),
    "description": ("PutParameter",),
    "key_id": ("PutParameter",),
    "data_type": ("PutParameter",),
    "allowed_pattern": ("PutParameter",),
    "tier": ("PutParameter",),
    "tags": ("AddTagsToResource", "RemoveTagsFromResource"),
}
_TAGGED = "[requestParameters][?resourceType=='Parameter'].resourceId"
_EVENTS = TypeEvents(
    missing=("DeleteParameter", "DeleteParameters"),
    unmanaged=("PutParameter",),
    changed=edits(_BY_PATH),
    by_path=_BY_PATH,
    touched_by={
        "PutParameter": "requestParameters.name",
        "DeleteParameter": "requestParameters.name",
        "DeleteParameters": "requestParameters.names",
        "AddTagsToResource": _TAGGED,
        "RemoveTagsFromResource": _TAGGED,
    },
    ids=IdForms(((r"[\w./-]+", "{value}"),), "a parameter name"),
)


REGISTRY.register(
    ResourceType(
        name="aws_ssm_parameter",
        service="ssm",
        list_call="describe_parameters",
        items_path="Parameters",
        id_key="Name",
        details=(
            DetailCall(
                operation="list_tags_for_resource",
                param="ResourceId",
                items_path="@",
                answer_key="",
                merge=_merge_tags,
                params={"ResourceType": "Parameter"},
            ),
        ),
        to_attrs=_parameter_attrs,
        normalise_desired=_parameter_desired,
        compared=(
            "name",
            "type",
            "description",
            "key_id",
            "data_type",
            "allowed_pattern",
            "tier",
            "value",
            "tags",
        ),
        ignored={
            "arn": "computed",
            "version": "compared as `value`: every write of the value bumps it",
            "insecure_value": "compared as `value` (by version; the value itself is never read)",
            "overwrite": "deprecated Terraform-only setting",
        },
        aws_default=lambda item: str(item.get("Name") or "").startswith("/aws/"),
        read_params=_by_name,
        restore_calls=_parameter_restore,
        restorable=("tags",),
        delete_calls=writes("delete_parameter")(
            lambda live: [AwsCall("ssm", "delete_parameter", {"Name": live.id}, live.region)]
        ),
        # The import skeleton leaves the value out: guard never knows it.
        hcl_arguments=lambda live: {
            key: value for key, value in live.attrs.items() if key not in ("value",) and value
        },
        describe=lambda resource: f"parameter {resource.id}",
        events=_EVENTS,
        pulumi_tokens=("aws:ssm/parameter:Parameter",),
        graph=GraphHooks(forward=("key_id",)),
    )
)
