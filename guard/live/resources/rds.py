"""RDS: DB instances (one paginated DescribeDBInstances per region, tags included) and
DB subnet groups (DescribeDBSubnetGroups has no tags: one ListTagsForResource per group)."""

from __future__ import annotations

from typing import Any

from guard.live.events import Prefixed, TypeEvents, edits, named
from guard.live.shape import declared_tags, tags
from guard.live.types import REGISTRY, Attrs, KnownType, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_MODIFIABLE = {
    "instance_class": ("DBInstanceClass", str),
    "multi_az": ("MultiAZ", bool),
    "publicly_accessible": ("PubliclyAccessible", bool),
    "backup_retention_period": ("BackupRetentionPeriod", int),
    "deletion_protection": ("DeletionProtection", bool),
    "vpc_security_group_ids": ("VpcSecurityGroupIds", list),
    "iam_database_authentication_enabled": ("EnableIAMDatabaseAuthentication", bool),
    "auto_minor_version_upgrade": ("AutoMinorVersionUpgrade", bool),
}


def _instance_attrs(item: dict[str, Any]) -> Attrs:
    return {
        "identifier": item.get("DBInstanceIdentifier"),
        "instance_class": item.get("DBInstanceClass"),
        "engine": item.get("Engine"),
        # With storage autoscaling (max_allocated_storage) AWS grows the disk itself.
        "allocated_storage": None if item.get("MaxAllocatedStorage") else item.get("AllocatedStorage"),
        "storage_type": item.get("StorageType"),
        "storage_encrypted": bool(item.get("StorageEncrypted")),
        "multi_az": bool(item.get("MultiAZ")),
        "publicly_accessible": bool(item.get("PubliclyAccessible")),
        "backup_retention_period": item.get("BackupRetentionPeriod"),
        "deletion_protection": bool(item.get("DeletionProtection")),
        "db_subnet_group_name": (item.get("DBSubnetGroup") or {}).get("DBSubnetGroupName"),
        "vpc_security_group_ids": sorted(
            g["VpcSecurityGroupId"] for g in item.get("VpcSecurityGroups") or []
        ),
        "iam_database_authentication_enabled": bool(item.get("IAMDatabaseAuthenticationEnabled")),
        "auto_minor_version_upgrade": bool(item.get("AutoMinorVersionUpgrade")),
        "tags": tags(item, "TagList"),
    }


def _instance_desired(attrs: Attrs) -> Attrs:
    return {
        "identifier": attrs.get("identifier"),
        "instance_class": attrs.get("instance_class"),
        "engine": attrs.get("engine"),
        "allocated_storage": None if attrs.get("max_allocated_storage") else attrs.get("allocated_storage"),
        "storage_type": attrs.get("storage_type"),
        "storage_encrypted": bool(attrs.get("storage_encrypted")),
        "multi_az": bool(attrs.get("multi_az")),
        "publicly_accessible": bool(attrs.get("publicly_accessible")),
        "backup_retention_period": attrs.get("backup_retention_period"),
        "deletion_protection": bool(attrs.get("deletion_protection")),
        "db_subnet_group_name": attrs.get("db_subnet_group_name") or None,
        "vpc_security_group_ids": sorted(attrs.get("vpc_security_group_ids") or []),
        "iam_database_authentication_enabled": bool(attrs.get("iam_database_authentication_enabled")),
        "auto_minor_version_upgrade": attrs.get("auto_minor_version_upgrade", True) is not False,
        "tags": declared_tags(attrs),
    }


@writes("modify_db_instance")
def _instance_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    params: dict[str, Any] = {}
    for change in changes:
        if change.path in _MODIFIABLE:
            key, kind = _MODIFIABLE[change.path]
            params[key] = kind(change.expected) if change.expected is not None else kind()
    if not params:
        return []
    identifier = resource.attrs.get("identifier")
    return [
        AwsCall(
            "rds",
            "modify_db_instance",
            {"DBInstanceIdentifier": identifier, **params, "ApplyImmediately": True},
            resource.region,
        )
    ]


_INSTANCE_BY_PATH = {
    **dict.fromkeys(
        (
            "identifier",
            "instance_class",
            "allocated_storage",
            "storage_type",
            "multi_az",
            "publicly_accessible",
            "backup_retention_period",
            "deletion_protection",
            "db_subnet_group_name",
            "vpc_security_group_ids",
            "iam_database_authentication_enabled",
            "auto_minor_version_upgrade",
            "engine",
        ),
        ("ModifyDBInstance",),
    ),
    "tags": ("AddTagsToResource", "RemoveTagsFromResource"),
}
_INSTANCE_CREATES = ("CreateDBInstance", "CreateDBInstanceReadReplica", "RestoreDBInstanceFromDBSnapshot")
_INSTANCE_EVENTS = TypeEvents(
    missing=("DeleteDBInstance",),
    unmanaged=_INSTANCE_CREATES,
    changed=edits(_INSTANCE_BY_PATH),
    by_path=_INSTANCE_BY_PATH,
    # Terraform's id is the DbiResourceId, which the answers carry (the requests name the
    # identifier). Tag calls name the instance by an identifier ARN only: a scan finds those.
    touched_by=dict.fromkeys(
        (*_INSTANCE_CREATES, "ModifyDBInstance", "DeleteDBInstance"), "responseElements.dbiResourceId"
    ),
    ids=Prefixed("db-"),
)


REGISTRY.register(
    ResourceType(
        name="aws_db_instance",
        events=_INSTANCE_EVENTS,
        service="rds",
        list_call="describe_db_instances",
        items_path="DBInstances",
        # Since provider 5.0 the id is the DbiResourceId (db-...); `identifier` is the name.
        id_key="DbiResourceId",
        to_attrs=_instance_attrs,
        normalise_desired=_instance_desired,
        compared=(
            "identifier",
            "instance_class",
            "engine",
            "allocated_storage",
            "storage_type",
            "storage_encrypted",
            "multi_az",
            "publicly_accessible",
            "backup_retention_period",
            "deletion_protection",
            "db_subnet_group_name",
            "vpc_security_group_ids",
            "iam_database_authentication_enabled",
            "auto_minor_version_upgrade",
            "tags",
        ),
        ignored={
            "engine_version": "AWS upgrades minor versions itself (engine_version_actual is computed)",
            "password": "never readable from AWS",
            "status": "operations, not configuration",
            "latest_restorable_time": "computed",
            "max_allocated_storage": "with it, allocated_storage is owned by storage autoscaling",
        },
        keep_item=lambda item: item.get("DBInstanceStatus") != "deleting",
        # The name is unique per account and region and is in every state version (moto
        # also hands every instance the same DbiResourceId).
        match_key=lambda resource: str(resource.attrs.get("identifier") or resource.id),
        restore_calls=_instance_restore,
        restorable=tuple(_MODIFIABLE),
        describe=lambda resource: f"DB instance {resource.attrs.get('identifier') or resource.id}",
        protected="data a re-create does not bring back",
        pulumi_tokens=("aws:rds/instance:Instance",),
    )
)


@reads("list_tags_for_resource")
def _subnet_group_tags(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
    answer = clients.client("rds", region).list_tags_for_resource(ResourceName=item["DBSubnetGroupArn"])
    return {**item, "Tags": answer.get("TagList") or []}


_SUBNET_GROUP_BY_PATH = {
    "description": ("ModifyDBSubnetGroup",),
    "subnet_ids": ("ModifyDBSubnetGroup",),
    "tags": ("AddTagsToResource", "RemoveTagsFromResource"),
}
_SUBNET_GROUP_EVENTS = TypeEvents(
    missing=("DeleteDBSubnetGroup",),
    unmanaged=("CreateDBSubnetGroup",),
    changed=edits(_SUBNET_GROUP_BY_PATH),
    by_path=_SUBNET_GROUP_BY_PATH,
    touched_by={
        **dict.fromkeys(
            ("CreateDBSubnetGroup", "ModifyDBSubnetGroup", "DeleteDBSubnetGroup"),
            "requestParameters.dBSubnetGroupName",
        ),
        **dict.fromkeys(_SUBNET_GROUP_BY_PATH["tags"], "requestParameters.resourceName"),
    },
    ids=named("rds", "subgrp:", r"[\w .-]+", "a subnet group name, or its subgrp: ARN"),
)


REGISTRY.register(
    ResourceType(
        name="aws_db_subnet_group",
        events=_SUBNET_GROUP_EVENTS,
        service="rds",
        list_call="describe_db_subnet_groups",
        items_path="DBSubnetGroups",
        id_key="DBSubnetGroupName",
        per_item=_subnet_group_tags,
        to_attrs=lambda item: {
            "name": item["DBSubnetGroupName"],
            "description": item.get("DBSubnetGroupDescription"),
            "subnet_ids": sorted(s["SubnetIdentifier"] for s in item.get("Subnets") or []),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "description": attrs.get("description"),
            "subnet_ids": sorted(attrs.get("subnet_ids") or []),
            "tags": declared_tags(attrs),
        },
        compared=("name", "description", "subnet_ids", "tags"),
        ignored={"supported_network_types": "computed", "vpc_id": "follows from subnet_ids"},
        aws_default=lambda item: item.get("DBSubnetGroupName") == "default",
        restore_calls=writes("modify_db_subnet_group")(
            lambda resource, _, changes: (
                [
                    AwsCall(
                        "rds",
                        "modify_db_subnet_group",
                        {
                            "DBSubnetGroupName": resource.id,
                            "DBSubnetGroupDescription": resource.attrs.get("description") or "",
                            "SubnetIds": list(resource.attrs.get("subnet_ids") or []),
                        },
                        resource.region,
                    )
                ]
                if any(c.path in ("description", "subnet_ids") for c in changes)
                else []
            )
        ),
        restorable=("description", "subnet_ids"),
        describe=lambda resource: f"DB subnet group {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:rds/subnetGroup:SubnetGroup",),
    )
)

# Types guard does not read live, declared for what check-plan and the Pulumi reader need
# of them. DocumentDB and Neptune clusters are RDS clusters under another engine.
_DATA_LOST = "data a re-create does not bring back"
REGISTRY.know(KnownType("aws_rds_cluster", protected=_DATA_LOST))
REGISTRY.know(KnownType("aws_docdb_cluster", protected=_DATA_LOST))
REGISTRY.know(KnownType("aws_neptune_cluster", protected=_DATA_LOST))
REGISTRY.know(
    KnownType(
        "aws_db_parameter_group",
        pulumi_tokens=("aws:rds/parameterGroup:ParameterGroup",),
        pulumi_blocks={"parameters": "parameter"},
    )
)
REGISTRY.know(KnownType("aws_rds_cluster_parameter_group", pulumi_blocks={"parameters": "parameter"}))
REGISTRY.know(KnownType("aws_db_option_group", pulumi_tokens=("aws:rds/optionGroup:OptionGroup",)))
REGISTRY.know(KnownType("aws_db_snapshot", pulumi_tokens=("aws:rds/snapshot:Snapshot",)))
