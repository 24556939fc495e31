"""Route53 (global, read once per account): hosted zones and their records.

One paginated ListHostedZones; then, per zone, concurrently: ListTagsForResource and
the paginated ListResourceRecordSets (1 + pages calls per zone, shared by both types).
The NS and SOA records Route53 creates at the apex are AWS's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guard.live.events import IdForms, TypeEvents
from guard.live.shape import declared_tags, first_block, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, GraphRole, ResourceType, reads, writes
from guard.model import AwsCall, Resource


def zone_id(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def record_name(value: Any) -> str:
    """Route53 answers `www.example.com.` with `*` as `\\052`; Terraform stores `www.example.com`."""
    return str(value or "").replace("\\052", "*").rstrip(".").lower()


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value.startswith('"') and value.endswith('"') else value


@reads("list_tags_for_resource", "list_resource_record_sets")
def read_zone(clients: Any, region: str, zone: dict[str, Any]) -> dict[str, Any]:
    route53 = clients.client("route53", region)
    identifier = zone_id(zone["Id"])
    tagged = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=identifier)
    records = [
        record
        for page in route53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=identifier)
        for record in page.get("ResourceRecordSets") or []
    ]
    return {
        **zone,
        "ZoneId": identifier,
        "Tags": (tagged.get("ResourceTagSet") or {}).get("Tags") or [],
        "Records": records,
    }


def _zone_records(zone: dict[str, Any]) -> list[Attrs]:
    name = record_name(zone["Name"])
    out = []
    for record in zone.get("Records") or []:
        fqdn = record_name(record["Name"])
        key = f"{zone['ZoneId']}_{fqdn}_{record['Type']}"
        if record.get("SetIdentifier"):
            key += f"_{record['SetIdentifier']}"
        out.append({**record, "Id": key, "ZoneId": zone["ZoneId"], "ZoneName": name})
    return out


def _record_attrs(item: dict[str, Any]) -> Attrs:
    alias = item.get("AliasTarget")
    kind = item["Type"]
    values = [r["Value"] for r in item.get("ResourceRecords") or []]
    return {
        "zone_id": item["ZoneId"],
        "name": record_name(item["Name"]),
        "type": kind,
        "set_identifier": item.get("SetIdentifier") or None,
        "ttl": item.get("TTL") or None,
        "records": sorted(_unquote(v) if kind in ("TXT", "SPF") else v for v in values),
        "alias": {
            "name": record_name(alias.get("DNSName")),
            "zone_id": alias.get("HostedZoneId"),
            "evaluate_target_health": bool(alias.get("EvaluateTargetHealth")),
        }
        if alias
        else None,
    }


def _record_desired(attrs: Attrs) -> Attrs:
    alias = first_block(attrs, "alias")
    kind = attrs.get("type")
    return {
        "zone_id": attrs.get("zone_id"),
        "name": record_name(attrs.get("fqdn") or attrs.get("name")),
        "type": kind,
        "set_identifier": attrs.get("set_identifier") or None,
        "ttl": attrs.get("ttl") or None,
        "records": sorted(
            _unquote(str(v)) if kind in ("TXT", "SPF") else str(v) for v in attrs.get("records") or []
        ),
        "alias": {
            "name": record_name(alias.get("name")),
            "zone_id": alias.get("zone_id"),
            "evaluate_target_health": bool(alias.get("evaluate_target_health")),
        }
        if alias
        else None,
    }


def _record_key(resource: Resource) -> str:
    attrs = resource.attrs
    return (
        f"{attrs.get('zone_id')}_{attrs.get('name')}_{attrs.get('type')}_{attrs.get('set_identifier') or ''}"
    )


def _upsert(resource: Resource, action: str = "UPSERT") -> AwsCall:
    attrs = resource.attrs
    record: dict[str, Any] = {"Name": attrs.get("name"), "Type": attrs.get("type")}
    if attrs.get("set_identifier"):
        record["SetIdentifier"] = attrs["set_identifier"]
    if attrs.get("alias"):
        alias = attrs["alias"]
        record["AliasTarget"] = {
            "HostedZoneId": alias.get("zone_id"),
            "DNSName": alias.get("name"),
            "EvaluateTargetHealth": bool(alias.get("evaluate_target_health")),
        }
    else:
        record["TTL"] = attrs.get("ttl") or 300
        quote = attrs.get("type") in ("TXT", "SPF")
        record["ResourceRecords"] = [
            {"Value": f'"{value}"' if quote else value} for value in attrs.get("records") or []
        ]
    return AwsCall(
        "route53",
        "change_resource_record_sets",
        {
            "HostedZoneId": attrs.get("zone_id"),
            "ChangeBatch": {"Changes": [{"Action": action, "ResourceRecordSet": record}]},
        },
    )


_ZONE = {
    "service": "route53",
    "list_call": "list_hosted_zones",
    "items_path": "HostedZones",
    "per_item": read_zone,
    "global_service": True,
}

_ZONE_ID = IdForms(
    ((r"(?:/hostedzone/)?(?P<zone>[A-Z0-9]+)", "{zone}"),), "a zone id, with or without /hostedzone/"
)
_ZONE_EVENTS = TypeEvents(
    missing=("DeleteHostedZone",),
    unmanaged=("CreateHostedZone",),
    changed=("UpdateHostedZoneComment", "ChangeTagsForResource"),
    by_path={"comment": ("UpdateHostedZoneComment",), "tags": ("ChangeTagsForResource",)},
    touched_by={
        "CreateHostedZone": "responseElements.hostedZone.id",
        "DeleteHostedZone": "requestParameters.id",
        "UpdateHostedZoneComment": "requestParameters.id",
        "ChangeTagsForResource": "[requestParameters][?resourceType=='hostedzone'].resourceId",
    },
    ids=_ZONE_ID,
)


REGISTRY.register(
    ResourceType(
        name="aws_route53_zone",
        events=_ZONE_EVENTS,
        id_key="ZoneId",
        to_attrs=lambda item: {
            "name": record_name(item["Name"]),
            "comment": (item.get("Config") or {}).get("Comment") or None,
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "name": record_name(attrs.get("name")),
            "comment": attrs.get("comment") or None,
            "tags": declared_tags(attrs),
        },
        compared=("name", "comment", "tags"),
        ignored={
            "vpc": "needs one GetHostedZone call per private zone",
            "name_servers": "assigned by AWS",
            "force_destroy": "Terraform-only setting",
        },
        restore_calls=writes("update_hosted_zone_comment")(
            lambda resource, _, changes: (
                [
                    AwsCall(
                        "route53",
                        "update_hosted_zone_comment",
                        {"Id": resource.id, "Comment": resource.attrs.get("comment") or ""},
                    )
                ]
                if any(c.path == "comment" for c in changes)
                else []
            )
        ),
        restorable=("comment",),
        describe=lambda resource: f"hosted zone {resource.attrs.get('name') or resource.id}",
        **_ZONE,  # type: ignore[arg-type]
        protected="a re-created zone gets new name servers, which the registrar still points away from",
    )
)


def _record_id(value: Any, record: Mapping[str, Any]) -> str | None:
    """[name, type, set identifier] of a changed record set -> Terraform's ZONE_NAME_TYPE[_SET]."""
    zone = _ZONE_ID((record.get("requestParameters") or {}).get("hostedZoneId"), record)
    if not zone or not isinstance(value, list) or len(value) != 3 or not value[0] or not value[1]:
        return None
    name, kind, identifier = value
    return f"{zone}_{record_name(str(name))}_{kind}" + (f"_{identifier}" if identifier else "")


_RECORD_EVENTS = TypeEvents(
    missing=("ChangeResourceRecordSets",),
    unmanaged=("ChangeResourceRecordSets",),
    changed=("ChangeResourceRecordSets",),
    lookup_attr="zone_id",  # CloudTrail names a record change by its zone
    touched_by={
        "ChangeResourceRecordSets": (
            "requestParameters.changeBatch.changes[].resourceRecordSet.[name, type, setIdentifier]"
        )
    },
    ids=_record_id,
)


REGISTRY.register(
    ResourceType(
        name="aws_route53_record",
        events=_RECORD_EVENTS,
        id_key="Id",
        split_item=_zone_records,
        to_attrs=_record_attrs,
        normalise_desired=_record_desired,
        compared=("ttl", "records", "alias"),
        ignored={
            "allow_overwrite": "Terraform-only setting",
            "fqdn": "the name, fully qualified",
            "health_check_id": "not compared yet",
        },
        aws_default=lambda item: (
            item["Type"] in ("NS", "SOA") and record_name(item["Name"]) == item["ZoneName"]
        ),
        parent=("zone_id", "aws_route53_zone"),
        match_key=_record_key,
        restore_calls=writes("change_resource_record_sets")(lambda resource, _, __: [_upsert(resource)]),
        restorable=("*",),
        recreate_calls=writes("change_resource_record_sets")(lambda resource: [_upsert(resource, "CREATE")]),
        delete_calls=writes("change_resource_record_sets")(lambda resource: [_upsert(resource, "DELETE")]),
        describe=lambda resource: f"{resource.attrs.get('type')} record {resource.attrs.get('name')}",
        **_ZONE,  # type: ignore[arg-type]
        graph=GraphHooks(role=GraphRole.DNS_RECORD),
    )
)
