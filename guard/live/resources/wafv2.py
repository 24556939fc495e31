"""WAFv2 IP sets (regional scope, read per region).

ListIPSets has no botocore paginator: it pages by NextMarker (`ResourceType.marker`). Its
summaries leave out the addresses, and WAFv2 has no batch read: GetIPSet and
ListTagsForResource run once per set, concurrently. UpdateIPSet replaces the whole set and
needs the LockToken of a fresh GetIPSet: rollback reads the set again just before it, and
the put-back sends that token.

Not read yet: IP sets of scope CLOUDFRONT (listed only in us-east-1 with Scope=CLOUDFRONT);
a declared one is not matched by this list call.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from guard.live.events import IdForms, TypeEvents
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_SCOPE = "REGIONAL"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


@reads("get_ip_set", "list_tags_for_resource")
def _read_ip_set(clients: Any, region: str, item: Attrs) -> Attrs:
    """GetIPSet and its tags for one listed summary; a set deleted since the list is dropped."""
    client = clients.client("wafv2", region)
    try:
        answer = client.get_ip_set(Name=item["Name"], Id=item["Id"], Scope=_SCOPE)
        tagged = client.list_tags_for_resource(ResourceARN=item["ARN"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "WAFNonexistentItemException":
            return {**item, "_gone": True}
        raise
    return {
        **item,
        **answer["IPSet"],
        "LockToken": answer.get("LockToken"),
        "Tags": (tagged.get("TagInfoForResource") or {}).get("TagList") or [],
    }


def _shape(values: Attrs) -> Attrs:
    return {
        "name": str(values.get("name") or ""),
        "description": _text(values.get("description")),
        "ip_address_version": str(values.get("ip_address_version") or ""),
        # A set in AWS and in the provider's schema: order carries no meaning.
        "addresses": sorted(str(a) for a in values.get("addresses") or []),
    }


def _ip_set_attrs(item: Attrs) -> Attrs:
    shaped = _shape(
        {
            "name": item.get("Name"),
            "description": item.get("Description"),
            "ip_address_version": item.get("IPAddressVersion"),
            "addresses": item.get("Addresses"),
        }
    )
    # The lock token is what an UpdateIPSet must send back; never compared.
    return {**shaped, "arn": item.get("ARN"), "lock_token": item.get("LockToken"), "tags": tags(item)}


def _ip_set_desired(attrs: Attrs) -> Attrs:
    return {**_shape(attrs), "arn": attrs.get("arn"), "tags": declared_tags(attrs)}


@writes("update_ip_set", "tag_resource", "untag_resource")
def _ip_set_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _ip_set_desired(resource.attrs)
    arn = str(resource.attrs.get("arn") or (live.attrs.get("arn") if live else "") or "")
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    token = live.attrs.get("lock_token") if live else None
    if paths & {"addresses", "description"} and token:
        request: dict[str, Any] = {
            "Name": declared["name"],
            "Scope": _SCOPE,
            "Id": resource.id,
            "Addresses": declared["addresses"],
            "LockToken": token,  # from the fresh read rollback makes before it writes
        }
        if declared["description"]:
            request["Description"] = declared["description"]
        calls.append(AwsCall("wafv2", "update_ip_set", request))
    restore, remove = tag_changes(changes)
    if restore and arn:
        tag_list = [{"Key": k, "Value": v} for k, v in restore.items()]
        calls.append(AwsCall("wafv2", "tag_resource", {"ResourceARN": arn, "Tags": tag_list}))
    if remove and arn:
        calls.append(AwsCall("wafv2", "untag_resource", {"ResourceARN": arn, "TagKeys": remove}))
    return calls


@writes("delete_ip_set")
def _ip_set_delete(live: Resource) -> list[AwsCall]:
    request = {
        "Name": live.attrs.get("name"),
        "Scope": _SCOPE,
        "Id": live.id,
        "LockToken": live.attrs.get("lock_token"),
    }
    return [AwsCall("wafv2", "delete_ip_set", request)]


_IP_SET_ARN = r"arn:(?:aws|aws-cn|aws-us-gov):wafv2:[a-z0-9-]+:\d+:regional/ipset/[\w-]+/"

# Records name a set by its id (requestParameters.id) or, for tags, by its ARN.
_IP_SET_IDS = IdForms(
    (
        (_IP_SET_ARN + "(?P<id>" + _UUID + ")", "{id}"),
        (_UUID, "{value}"),
    ),
    "a WAFv2 IP set id, or the id in its regional ipset ARN",
)

_IP_SET_EVENTS = TypeEvents(
    missing=("DeleteIPSet",),
    unmanaged=("CreateIPSet",),
    changed=("UpdateIPSet",),
    by_path={"tags": ("TagResource", "UntagResource")},
    touched_by={
        "DeleteIPSet": "requestParameters.id",
        "UpdateIPSet": "requestParameters.id",
        "CreateIPSet": "responseElements.summary.id",
        "TagResource": "requestParameters.resourceARN",
        "UntagResource": "requestParameters.resourceARN",
    },
    ids=_IP_SET_IDS,
)


REGISTRY.register(
    ResourceType(
        name="aws_wafv2_ip_set",
        service="wafv2",
        list_call="list_ip_sets",
        items_path="IPSets",
        id_key="Id",
        list_params={"Scope": _SCOPE},
        marker="NextMarker",
        per_item=_read_ip_set,
        keep_item=lambda item: not item.get("_gone"),
        to_attrs=_ip_set_attrs,
        normalise_desired=_ip_set_desired,
        compared=("name", "description", "ip_address_version", "addresses", "tags"),
        ignored={
            "scope": "only REGIONAL sets are read (the list call's Scope); fixed at creation",
            "lock_token": "changes on every update; sent back by the put-back, never compared",
            "name_prefix": "Terraform-only: the name it made is compared",
            "arn": "computed from the name and id",
        },
        restore_calls=_ip_set_restore,
        restorable=("addresses", "description", "tags"),
        delete_calls=_ip_set_delete,
        describe=lambda resource: f"WAF IP set {resource.attrs.get('name') or resource.id}",
        events=_IP_SET_EVENTS,
        pulumi_tokens=("aws:wafv2/ipSet:IpSet",),
        graph=GraphHooks(name=lambda attrs: str(attrs.get("name") or "IP set")),
    )
)
