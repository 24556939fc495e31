"""WAFv2 IP sets, of both scopes.

REGIONAL sets (for ALBs, API Gateway, AppSync, Cognito) are listed in each scanned region
with Scope=REGIONAL; CLOUDFRONT sets are global and listed once, in us-east-1 only (where
AWS serves them, arn `...:us-east-1:ACCOUNT:global/ipset/...`) and only when us-east-1 is
scanned (`AlsoList`). Every later call for a set sends the scope its ARN says.

ListIPSets has no botocore paginator: it pages by NextMarker (`ResourceType.marker`). Its
summaries leave out the addresses, and WAFv2 has no batch read: GetIPSet and
ListTagsForResource run once per set, concurrently. UpdateIPSet replaces the whole set and
needs the LockToken of a fresh GetIPSet: rollback reads the set again just before it, and
the put-back sends that token.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from guard.live.events import IdForms, TypeEvents
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, AlsoList, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_REGIONAL = {"Scope": "REGIONAL"}
# CloudFront's web ACLs and the sets they use: global, served by us-east-1 alone.
_CLOUDFRONT = (AlsoList({"Scope": "CLOUDFRONT"}, region="us-east-1"),)
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def scope_of(arn: Any) -> str:
    """CLOUDFRONT for a global ARN (`...:global/ipset/...`), REGIONAL otherwise."""
    return "CLOUDFRONT" if ":global/" in str(arn or "") else "REGIONAL"


def _scope(attrs: Attrs) -> str:
    """A resource's scope: the state's `scope`, else what its ARN says."""
    declared = str(attrs.get("scope") or "").upper()
    return declared if declared in ("REGIONAL", "CLOUDFRONT") else scope_of(attrs.get("arn"))


@reads("get_ip_set", "list_tags_for_resource")
def _read_ip_set(clients: Any, region: str, item: Attrs) -> Attrs:
    """GetIPSet and its tags for one listed summary; a set deleted since the list is dropped."""
    client = clients.client("wafv2", region)
    try:
        answer = client.get_ip_set(Name=item["Name"], Id=item["Id"], Scope=scope_of(item["ARN"]))
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
    return {
        **shaped,
        "arn": item.get("ARN"),
        "scope": scope_of(item.get("ARN")),
        "lock_token": item.get("LockToken"),
        "tags": tags(item),
    }


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
            "Scope": _scope(resource.attrs),
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
        "Scope": _scope(live.attrs),
        "Id": live.id,
        "LockToken": live.attrs.get("lock_token"),
    }
    return [AwsCall("wafv2", "delete_ip_set", request)]


_IP_SET_ARN = r"arn:(?:aws|aws-cn|aws-us-gov):wafv2:[a-z0-9-]+:\d+:(?:regional|global)/ipset/[\w-]+/"

# Records name a set by its id (requestParameters.id) or, for tags, by its ARN.
_IP_SET_IDS = IdForms(
    (
        (_IP_SET_ARN + "(?P<id>" + _UUID + ")", "{id}"),
        (_UUID, "{value}"),
    ),
    "a WAFv2 IP set id, or the id in its ipset ARN (regional or global)",
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
        list_params=_REGIONAL,
        also_list=_CLOUDFRONT,
        marker="NextMarker",
        per_item=_read_ip_set,
        keep_item=lambda item: not item.get("_gone"),
        # The narrow read (rollback, on-event) lists the scope the set is in.
        read_params=lambda resource: {"Scope": _scope(resource.attrs)},
        to_attrs=_ip_set_attrs,
        normalise_desired=_ip_set_desired,
        compared=("name", "description", "ip_address_version", "addresses", "tags"),
        ignored={
            "scope": "fixed at creation (a new set); it picks the list call that reads the set",
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
