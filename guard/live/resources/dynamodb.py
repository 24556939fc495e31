"""DynamoDB tables: one paginated ListTables per region, then per table, concurrently:
DescribeTable, ListTagsOfResource and DescribeContinuousBackups (3 calls per table).

Provisioned read/write capacity is owned by Application Auto Scaling on most tables
that have it: not compared by default (name it in config to compare it anyway).
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import declared_tags, first_block, tags
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource


@reads("describe_table", "list_tags_of_resource", "describe_continuous_backups")
def read_table(clients: Any, region: str, name: str) -> dict[str, Any]:
    dynamodb = clients.client("dynamodb", region)
    table = dict(dynamodb.describe_table(TableName=name)["Table"])
    table["Tags"] = dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags") or []
    backups = dynamodb.describe_continuous_backups(TableName=name).get("ContinuousBackupsDescription") or {}
    recovery = backups.get("PointInTimeRecoveryDescription") or {}
    table["PointInTimeRecovery"] = recovery.get("PointInTimeRecoveryStatus") == "ENABLED"
    return table


def _key(schema: list[dict[str, Any]], kind: str) -> str | None:
    return next((k["AttributeName"] for k in schema if k["KeyType"] == kind), None)


def _table_attrs(item: dict[str, Any]) -> Attrs:
    schema = item.get("KeySchema") or []
    stream = item.get("StreamSpecification") or {}
    return {
        "name": item["TableName"],
        "billing_mode": (item.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED",
        "hash_key": _key(schema, "HASH"),
        "range_key": _key(schema, "RANGE"),
        "attribute": sorted(
            (
                {"name": a["AttributeName"], "type": a["AttributeType"]}
                for a in item.get("AttributeDefinitions") or []
            ),
            key=lambda a: a["name"],
        ),
        "global_secondary_indexes": sorted(i["IndexName"] for i in item.get("GlobalSecondaryIndexes") or []),
        "stream_enabled": bool(stream.get("StreamEnabled")),
        "stream_view_type": stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
        "point_in_time_recovery": bool(item.get("PointInTimeRecovery")),
        "deletion_protection_enabled": bool(item.get("DeletionProtectionEnabled")),
        "tags": tags(item),
    }


def _table_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "billing_mode": attrs.get("billing_mode") or "PROVISIONED",
        "hash_key": attrs.get("hash_key"),
        "range_key": attrs.get("range_key") or None,
        "attribute": sorted(
            ({"name": a.get("name"), "type": a.get("type")} for a in attrs.get("attribute") or []),
            key=lambda a: str(a["name"]),
        ),
        "global_secondary_indexes": sorted(i.get("name") for i in attrs.get("global_secondary_index") or []),
        "stream_enabled": bool(attrs.get("stream_enabled")),
        "stream_view_type": (attrs.get("stream_view_type") or None) if attrs.get("stream_enabled") else None,
        "point_in_time_recovery": bool(first_block(attrs, "point_in_time_recovery").get("enabled")),
        "deletion_protection_enabled": bool(attrs.get("deletion_protection_enabled")),
        "tags": declared_tags(attrs),
    }


@writes("update_continuous_backups", "update_table")
def _table_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = []
    name = resource.id
    for change in changes:
        if change.path == "point_in_time_recovery":
            calls.append(
                AwsCall(
                    "dynamodb",
                    "update_continuous_backups",
                    {
                        "TableName": name,
                        "PointInTimeRecoverySpecification": {
                            "PointInTimeRecoveryEnabled": bool(change.expected)
                        },
                    },
                    resource.region,
                )
            )
        elif change.path == "deletion_protection_enabled":
            calls.append(
                AwsCall(
                    "dynamodb",
                    "update_table",
                    {"TableName": name, "DeletionProtectionEnabled": bool(change.expected)},
                    resource.region,
                )
            )
    return calls


_TABLE_BY_PATH = {
    **dict.fromkeys(
        (
            "billing_mode",
            "attribute",
            "global_secondary_indexes",
            "stream_enabled",
            "stream_view_type",
            "deletion_protection_enabled",
        ),
        ("UpdateTable",),
    ),
    "point_in_time_recovery": ("UpdateContinuousBackups",),
    "tags": ("TagResource", "UntagResource"),
}
_TABLE_EVENTS = TypeEvents(
    missing=("DeleteTable",),
    unmanaged=("CreateTable",),
    changed=edits(_TABLE_BY_PATH),
    by_path=_TABLE_BY_PATH,
    touched_by={
        **dict.fromkeys(
            ("CreateTable", "DeleteTable", "UpdateTable", "UpdateContinuousBackups"),
            "requestParameters.tableName",
        ),
        **dict.fromkeys(_TABLE_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    ids=named("dynamodb", "table/", r"[\w.-]+", "a table name, or its table/ ARN"),
)


REGISTRY.register(
    ResourceType(
        name="aws_dynamodb_table",
        events=_TABLE_EVENTS,
        service="dynamodb",
        list_call="list_tables",
        items_path="TableNames",
        id_key="TableName",
        per_item=read_table,
        keep_item=lambda item: item.get("TableStatus") != "DELETING",
        to_attrs=_table_attrs,
        normalise_desired=_table_desired,
        compared=(
            "name",
            "billing_mode",
            "hash_key",
            "range_key",
            "attribute",
            "global_secondary_indexes",
            "stream_enabled",
            "stream_view_type",
            "point_in_time_recovery",
            "deletion_protection_enabled",
            "tags",
        ),
        ignored={
            "read_capacity": "owned by Application Auto Scaling when the table has a scaling target",
            "write_capacity": "owned by Application Auto Scaling when the table has a scaling target",
            "ttl": "needs one DescribeTimeToLive call per table; not compared yet",
            "replica": "not compared yet",
        },
        restore_calls=_table_restore,
        restorable=("point_in_time_recovery", "deletion_protection_enabled"),
        describe=lambda resource: f"table {resource.id}",
        protected="data a re-create does not bring back",
        pulumi_blocks={"attributes": "attribute"},
    )
)
