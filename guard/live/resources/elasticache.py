"""ElastiCache: cache subnet groups, one paginated DescribeCacheSubnetGroups per region. The
describe answers carry no tags and ElastiCache has no batch tag call: one
ListTagsForResource per ARN."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, KnownType, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_TAG_EVENTS = ("AddTagsToResource", "RemoveTagsFromResource")


@reads("list_tags_for_resource")
def _with_tags(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
    answer = clients.client("elasticache", region).list_tags_for_resource(ResourceName=item["ARN"])
    return {**item, "Tags": answer.get("TagList") or []}


@writes("add_tags_to_resource", "remove_tags_from_resource")
def _tag_calls(resource: Resource, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Tags put back on an ElastiCache resource, named by its ARN (the state's `arn`)."""
    restore, remove = tag_changes(changes)
    arn = resource.attrs.get("arn")
    calls = []
    if restore and arn:
        tagged = {"ResourceName": arn, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("elasticache", "add_tags_to_resource", tagged, resource.region))
    if remove and arn:
        request = {"ResourceName": arn, "TagKeys": remove}
        calls.append(AwsCall("elasticache", "remove_tags_from_resource", request, resource.region))
    return calls


def _subnet_group_shape(values: Attrs) -> Attrs:
    return {
        "name": values.get("name"),
        "description": values.get("description") or None,
        "subnet_ids": sorted(values.get("subnet_ids") or []),
    }


@writes("modify_cache_subnet_group", _tag_calls)
def _subnet_group_restore(
    resource: Resource, _: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    declared = _subnet_group_shape(resource.attrs)
    calls = []
    if any(change.path in ("description", "subnet_ids") for change in changes):
        request: dict[str, Any] = {
            "CacheSubnetGroupName": declared["name"] or resource.id,
            "SubnetIds": declared["subnet_ids"],
        }
        if declared["description"]:
            request["CacheSubnetGroupDescription"] = declared["description"]
        calls.append(AwsCall("elasticache", "modify_cache_subnet_group", request, resource.region))
    return calls + _tag_calls(resource, changes)


_SUBNET_GROUP_BY_PATH = {
    "description": ("ModifyCacheSubnetGroup",),
    "subnet_ids": ("ModifyCacheSubnetGroup",),
    "tags": _TAG_EVENTS,
}

REGISTRY.register(
    ResourceType(
        name="aws_elasticache_subnet_group",
        events=TypeEvents(
            missing=("DeleteCacheSubnetGroup",),
            unmanaged=("CreateCacheSubnetGroup",),
            changed=edits(_SUBNET_GROUP_BY_PATH),
            by_path=_SUBNET_GROUP_BY_PATH,
            touched_by={
                **dict.fromkeys(
                    ("CreateCacheSubnetGroup", "ModifyCacheSubnetGroup", "DeleteCacheSubnetGroup"),
                    "requestParameters.cacheSubnetGroupName",
                ),
                **dict.fromkeys(_TAG_EVENTS, "requestParameters.resourceName"),
            },
            ids=named("elasticache", "subnetgroup:", r"[\w.-]+", "a cache subnet group name, or its ARN"),
        ),
        service="elasticache",
        list_call="describe_cache_subnet_groups",
        items_path="CacheSubnetGroups",
        id_key="CacheSubnetGroupName",
        per_item=_with_tags,
        to_attrs=lambda item: {
            **_subnet_group_shape(
                {
                    "name": item["CacheSubnetGroupName"],
                    "description": item.get("CacheSubnetGroupDescription"),
                    "subnet_ids": [s["SubnetIdentifier"] for s in item.get("Subnets") or []],
                }
            ),
            "tags": tags(item),
            "arn": item.get("ARN"),
        },
        # arn is carried for the tag calls, never compared.
        normalise_desired=lambda attrs: {
            **_subnet_group_shape(attrs),
            "tags": declared_tags(attrs),
            "arn": attrs.get("arn"),
        },
        compared=("name", "description", "subnet_ids", "tags"),
        ignored={
            "arn": "computed",
            "id": "the name, compared as name",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "vpc_id": "follows from subnet_ids",
        },
        # ElastiCache makes "default" (the default VPC's subnets) itself.
        aws_default=lambda item: item.get("CacheSubnetGroupName") == "default",
        read_params=lambda resource: {"CacheSubnetGroupName": resource.id},
        restore_calls=_subnet_group_restore,
        restorable=("description", "subnet_ids", "tags"),
        describe=lambda resource: f"cache subnet group {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:elasticache/subnetGroup:SubnetGroup",),
    )
)

REGISTRY.know(KnownType("aws_elasticache_parameter_group", pulumi_blocks={"parameters": "parameter"}))
