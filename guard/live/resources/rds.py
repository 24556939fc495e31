"""RDS: DB instances (one paginated DescribeDBInstances per region, tags included) and
DB subnet groups (DescribeDBSubnetGroups has no tags: one ListTagsForResource per group)."""

from __future__ import annotations

from typing import Any

from guard.live.events import Prefixed, TypeEvents, edits, named
from guard.live.shape import changed_settings, declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, KnownType, ResourceType, reads, writes
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
        # An Aurora cluster's members are aws_rds_cluster_instance, read as that type.
        keep_item=lambda item: (
            item.get("DBInstanceStatus") != "deleting" and not item.get("DBClusterIdentifier")
        ),
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

_DATA_LOST = "data a re-create does not bring back"


@writes("add_tags_to_resource", "remove_tags_from_resource")
def _rds_tag_calls(resource: Resource, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Tags put back on an RDS resource, named by its ARN (the state's `arn`)."""
    restore, remove = tag_changes(changes)
    arn = resource.attrs.get("arn")
    calls = []
    if restore and arn:
        tagged = {"ResourceName": arn, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("rds", "add_tags_to_resource", tagged, resource.region))
    if remove and arn:
        request = {"ResourceName": arn, "TagKeys": remove}
        calls.append(AwsCall("rds", "remove_tags_from_resource", request, resource.region))
    return calls


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _cluster_shape(values: Attrs) -> Attrs:
    """One shape for state and AWS. Optional+Computed settings left unset in the
    configuration are in the state as AWS chose them after apply, so they compare as is."""
    return {
        "cluster_identifier": values.get("cluster_identifier"),
        "engine": values.get("engine"),
        "engine_mode": values.get("engine_mode") or "provisioned",
        "storage_encrypted": bool(values.get("storage_encrypted")),
        "backup_retention_period": int(values.get("backup_retention_period") or 1),
        "preferred_backup_window": _text(values.get("preferred_backup_window")),
        "preferred_maintenance_window": _text(str(values.get("preferred_maintenance_window") or "").lower()),
        "deletion_protection": bool(values.get("deletion_protection")),
        "copy_tags_to_snapshot": bool(values.get("copy_tags_to_snapshot")),
        "db_subnet_group_name": _text(values.get("db_subnet_group_name")),
        "db_cluster_parameter_group_name": _text(values.get("db_cluster_parameter_group_name")),
        "vpc_security_group_ids": sorted(values.get("vpc_security_group_ids") or []),
        "iam_database_authentication_enabled": bool(values.get("iam_database_authentication_enabled")),
        "enabled_cloudwatch_logs_exports": sorted(values.get("enabled_cloudwatch_logs_exports") or []),
        "port": int(values["port"]) if values.get("port") else None,
        "master_username": _text(values.get("master_username")),
        "enable_http_endpoint": bool(values.get("enable_http_endpoint")),
    }


def _cluster_attrs(item: Attrs) -> Attrs:
    shaped = _cluster_shape(
        {
            "cluster_identifier": item.get("DBClusterIdentifier"),
            "engine": item.get("Engine"),
            "engine_mode": item.get("EngineMode"),
            "storage_encrypted": item.get("StorageEncrypted"),
            "backup_retention_period": item.get("BackupRetentionPeriod"),
            "preferred_backup_window": item.get("PreferredBackupWindow"),
            "preferred_maintenance_window": item.get("PreferredMaintenanceWindow"),
            "deletion_protection": item.get("DeletionProtection"),
            "copy_tags_to_snapshot": item.get("CopyTagsToSnapshot"),
            # DescribeDBClusters names the subnet group and parameter group by name (strings).
            "db_subnet_group_name": item.get("DBSubnetGroup"),
            "db_cluster_parameter_group_name": item.get("DBClusterParameterGroup"),
            "vpc_security_group_ids": [g["VpcSecurityGroupId"] for g in item.get("VpcSecurityGroups") or []],
            "iam_database_authentication_enabled": item.get("IAMDatabaseAuthenticationEnabled"),
            "enabled_cloudwatch_logs_exports": item.get("EnabledCloudwatchLogsExports"),
            "port": item.get("Port"),
            "master_username": item.get("MasterUsername"),
            "enable_http_endpoint": item.get("HttpEndpointEnabled"),
        }
    )
    return {**shaped, "tags": tags(item, "TagList")}


# Settings ModifyDBCluster puts back in place: attribute -> request parameter.
_CLUSTER_MODIFIABLE = {
    "backup_retention_period": "BackupRetentionPeriod",
    "preferred_backup_window": "PreferredBackupWindow",
    "preferred_maintenance_window": "PreferredMaintenanceWindow",
    "deletion_protection": "DeletionProtection",
    "copy_tags_to_snapshot": "CopyTagsToSnapshot",
    "db_cluster_parameter_group_name": "DBClusterParameterGroupName",
    "vpc_security_group_ids": "VpcSecurityGroupIds",
    "iam_database_authentication_enabled": "EnableIAMDatabaseAuthentication",
    "port": "Port",
    "enable_http_endpoint": "EnableHttpEndpoint",
}


@writes("modify_db_cluster", _rds_tag_calls)
def _cluster_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _cluster_shape(resource.attrs)
    params = changed_settings(declared, changes, _CLUSTER_MODIFIABLE)
    calls = []
    if params:
        request = {"DBClusterIdentifier": declared["cluster_identifier"], **params, "ApplyImmediately": True}
        calls.append(AwsCall("rds", "modify_db_cluster", request, resource.region))
    return calls + _rds_tag_calls(resource, changes)


_CLUSTER_BY_PATH = {
    **dict.fromkeys((*_CLUSTER_MODIFIABLE, "enabled_cloudwatch_logs_exports"), ("ModifyDBCluster",)),
    "tags": ("AddTagsToResource", "RemoveTagsFromResource"),
}
_CLUSTER_CREATES = (
    "CreateDBCluster",
    "RestoreDBClusterFromSnapshot",
    "RestoreDBClusterToPointInTime",
    "RestoreDBClusterFromS3",
)
_CLUSTER_EVENTS = TypeEvents(
    missing=("DeleteDBCluster",),
    unmanaged=_CLUSTER_CREATES,
    changed=edits(_CLUSTER_BY_PATH),
    by_path=_CLUSTER_BY_PATH,
    touched_by={
        **dict.fromkeys(
            (*_CLUSTER_CREATES, "ModifyDBCluster", "DeleteDBCluster"), "requestParameters.dBClusterIdentifier"
        ),
        **dict.fromkeys(_CLUSTER_BY_PATH["tags"], "requestParameters.resourceName"),
    },
    # Terraform's id is the cluster identifier; tag calls name the cluster by its cluster: ARN.
    ids=named("rds", "cluster:", r"[\w-]+", "a DB cluster identifier, or its cluster: ARN"),
)

REGISTRY.register(
    ResourceType(
        name="aws_rds_cluster",
        events=_CLUSTER_EVENTS,
        service="rds",
        list_call="describe_db_clusters",
        items_path="DBClusters",
        id_key="DBClusterIdentifier",
        to_attrs=_cluster_attrs,
        normalise_desired=lambda attrs: {**_cluster_shape(attrs), "tags": declared_tags(attrs)},
        compared=(
            "cluster_identifier",
            "engine",
            "engine_mode",
            "storage_encrypted",
            "backup_retention_period",
            "preferred_backup_window",
            "preferred_maintenance_window",
            "deletion_protection",
            "copy_tags_to_snapshot",
            "db_subnet_group_name",
            "db_cluster_parameter_group_name",
            "vpc_security_group_ids",
            "iam_database_authentication_enabled",
            "enabled_cloudwatch_logs_exports",
            "port",
            "master_username",
            "enable_http_endpoint",
            "tags",
        ),
        ignored={
            "allocated_storage": "Aurora storage grows by itself",
            "allow_major_version_upgrade": "Terraform-only setting, applied with an upgrade",
            "apply_immediately": "Terraform-only setting",
            "arn": "computed",
            "availability_zones": "AWS adds zones to the list itself (the provider ignores the difference)",
            "backtrack_window": "Aurora MySQL only; not compared yet",
            "ca_certificate_identifier": "rotated by AWS; computed for Aurora",
            "ca_certificate_valid_till": "computed",
            "cluster_identifier_prefix": "Terraform-only, used to make cluster_identifier",
            "cluster_members": "set by the aws_rds_cluster_instance resources, compared there",
            "cluster_resource_id": "computed",
            "database_name": "applied at creation only",
            "db_cluster_instance_class": "Multi-AZ DB clusters only; not compared yet",
            "db_instance_parameter_group_name": "Terraform-only, sent with an upgrade",
            "db_system_id": "computed",
            "delete_automated_backups": "applies when the cluster is deleted",
            "domain": "Active Directory membership; not compared yet",
            "domain_iam_role_name": "Active Directory membership; not compared yet",
            "enable_global_write_forwarding": "global clusters only; not compared yet",
            "enable_local_write_forwarding": "Aurora MySQL only; not compared yet",
            "endpoint": "computed",
            "engine_lifecycle_support": "not in DescribeDBClusters' answer for every engine",
            "engine_version": "AWS upgrades minor versions itself (engine_version_actual is computed)",
            "engine_version_actual": "computed",
            "final_snapshot_identifier": "applies when the cluster is deleted",
            "global_cluster_identifier": "global clusters only; not compared yet",
            "hosted_zone_id": "computed",
            "iam_roles": "managed by aws_rds_cluster_role_association too; not compared yet",
            "id": "the cluster identifier, compared as cluster_identifier",
            "iops": "Multi-AZ DB clusters only; not compared yet",
            "kms_key_id": "applied at creation only (follows storage_encrypted)",
            "manage_master_user_password": "the secret is Secrets Manager's",
            "master_password": "never readable from AWS",
            "master_user_secret": "computed, Secrets Manager's",
            "master_user_secret_kms_key_id": "the secret is Secrets Manager's",
            "network_type": "follows the subnet group",
            "performance_insights_enabled": "Multi-AZ DB clusters only; not compared yet",
            "performance_insights_kms_key_id": "Multi-AZ DB clusters only; not compared yet",
            "performance_insights_retention_period": "Multi-AZ DB clusters only; not compared yet",
            "reader_endpoint": "computed",
            "replication_source_identifier": "read replicas only; not compared yet",
            "restore_to_point_in_time": "applied at creation only",
            "s3_import": "applied at creation only",
            "scaling_configuration": "Serverless v1 only; not compared yet",
            "serverlessv2_scaling_configuration": "not compared yet",
            "skip_final_snapshot": "applies when the cluster is deleted",
            "snapshot_identifier": "applied at creation only",
            "source_region": "applied at creation only",
            "storage_type": "AWS reports its own value for Aurora's default storage",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "timeouts": "Terraform-only setting",
        },
        keep_item=lambda item: item.get("Status") != "deleting",
        restore_calls=_cluster_restore,
        restorable=(*_CLUSTER_MODIFIABLE, "tags"),
        describe=lambda resource: f"DB cluster {resource.attrs.get('cluster_identifier') or resource.id}",
        protected=_DATA_LOST,
        pulumi_tokens=("aws:rds/cluster:Cluster",),
        graph=GraphHooks(name=lambda attrs: str(attrs.get("cluster_identifier") or "DB cluster")),
    )
)


def _member_shape(values: Attrs) -> Attrs:
    return {
        "identifier": values.get("identifier"),
        "cluster_identifier": values.get("cluster_identifier"),
        "instance_class": values.get("instance_class"),
        "engine": values.get("engine"),
        "publicly_accessible": bool(values.get("publicly_accessible")),
        "auto_minor_version_upgrade": values.get("auto_minor_version_upgrade") is not False,
        "promotion_tier": int(values.get("promotion_tier") or 0),
        "db_parameter_group_name": _text(values.get("db_parameter_group_name")),
        "monitoring_interval": int(values.get("monitoring_interval") or 0),
        "performance_insights_enabled": bool(values.get("performance_insights_enabled")),
        "copy_tags_to_snapshot": bool(values.get("copy_tags_to_snapshot")),
        "preferred_maintenance_window": _text(str(values.get("preferred_maintenance_window") or "").lower()),
    }


def _member_attrs(item: Attrs) -> Attrs:
    groups = item.get("DBParameterGroups") or [{}]
    shaped = _member_shape(
        {
            "identifier": item.get("DBInstanceIdentifier"),
            "cluster_identifier": item.get("DBClusterIdentifier"),
            "instance_class": item.get("DBInstanceClass"),
            "engine": item.get("Engine"),
            "publicly_accessible": item.get("PubliclyAccessible"),
            "auto_minor_version_upgrade": item.get("AutoMinorVersionUpgrade"),
            "promotion_tier": item.get("PromotionTier"),
            "db_parameter_group_name": groups[0].get("DBParameterGroupName"),
            "monitoring_interval": item.get("MonitoringInterval"),
            "performance_insights_enabled": item.get("PerformanceInsightsEnabled"),
            "copy_tags_to_snapshot": item.get("CopyTagsToSnapshot"),
            "preferred_maintenance_window": item.get("PreferredMaintenanceWindow"),
        }
    )
    return {**shaped, "tags": tags(item, "TagList")}


_MEMBER_MODIFIABLE = {
    "instance_class": "DBInstanceClass",
    "publicly_accessible": "PubliclyAccessible",
    "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
    "promotion_tier": "PromotionTier",
    "db_parameter_group_name": "DBParameterGroupName",
    "monitoring_interval": "MonitoringInterval",
    "performance_insights_enabled": "EnablePerformanceInsights",
    "copy_tags_to_snapshot": "CopyTagsToSnapshot",
    "preferred_maintenance_window": "PreferredMaintenanceWindow",
}


@writes("modify_db_instance", _rds_tag_calls)
def _member_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _member_shape(resource.attrs)
    params = changed_settings(declared, changes, _MEMBER_MODIFIABLE)
    calls = []
    if params:
        request = {"DBInstanceIdentifier": declared["identifier"], **params, "ApplyImmediately": True}
        calls.append(AwsCall("rds", "modify_db_instance", request, resource.region))
    return calls + _rds_tag_calls(resource, changes)


_MEMBER_BY_PATH = {
    **dict.fromkeys(_MEMBER_MODIFIABLE, ("ModifyDBInstance",)),
    "tags": ("AddTagsToResource", "RemoveTagsFromResource"),
}
# The answer of each call describes the instance; a cluster member's names its cluster
# (a standalone instance's does not: it is aws_db_instance's).
_MEMBER_ID = "responseElements.dBClusterIdentifier && responseElements.dBInstanceIdentifier"
_MEMBER_EVENTS = TypeEvents(
    missing=("DeleteDBInstance",),
    unmanaged=("CreateDBInstance",),
    changed=edits(_MEMBER_BY_PATH),
    by_path=_MEMBER_BY_PATH,
    touched_by={
        **dict.fromkeys(("CreateDBInstance", "ModifyDBInstance", "DeleteDBInstance"), _MEMBER_ID),
        **dict.fromkeys(_MEMBER_BY_PATH["tags"], "requestParameters.resourceName"),
    },
    ids=named("rds", "db:", r"[\w-]+", "a DB instance identifier, or its db: ARN"),
)

REGISTRY.register(
    ResourceType(
        name="aws_rds_cluster_instance",
        events=_MEMBER_EVENTS,
        service="rds",
        list_call="describe_db_instances",
        items_path="DBInstances",
        # Unlike aws_db_instance, the provider keeps the identifier as the id.
        id_key="DBInstanceIdentifier",
        to_attrs=_member_attrs,
        normalise_desired=lambda attrs: {**_member_shape(attrs), "tags": declared_tags(attrs)},
        compared=(*_MEMBER_MODIFIABLE, "identifier", "cluster_identifier", "engine", "tags"),
        ignored={
            "apply_immediately": "Terraform-only setting",
            "arn": "computed",
            "availability_zone": "applied at creation only",
            "ca_cert_identifier": "rotated by AWS",
            "custom_iam_instance_profile": "RDS Custom only; not compared yet",
            "db_subnet_group_name": "the cluster's, compared on aws_rds_cluster",
            "dbi_resource_id": "computed",
            "endpoint": "computed",
            "engine_version": "the cluster's; AWS upgrades minor versions itself",
            "engine_version_actual": "computed",
            "id": "the identifier, compared as identifier",
            "identifier_prefix": "Terraform-only, used to make identifier",
            "kms_key_id": "the cluster's",
            "monitoring_role_arn": "needed only with monitoring_interval, which is compared",
            "network_type": "follows the subnet group",
            "performance_insights_kms_key_id": "applied when Performance Insights is turned on",
            "performance_insights_retention_period": "applied when Performance Insights is turned on",
            "port": "the cluster's, compared on aws_rds_cluster",
            "preferred_backup_window": "the cluster's, compared on aws_rds_cluster",
            "storage_encrypted": "the cluster's, compared on aws_rds_cluster",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "timeouts": "Terraform-only setting",
            "writer": "computed: which member is the writer is the cluster's choice (failover)",
        },
        # Only cluster members; standalone instances are aws_db_instance.
        keep_item=lambda item: (
            item.get("DBInstanceStatus") != "deleting" and bool(item.get("DBClusterIdentifier"))
        ),
        parent=("cluster_identifier", "aws_rds_cluster"),
        restore_calls=_member_restore,
        restorable=(*_MEMBER_MODIFIABLE, "tags"),
        describe=lambda resource: f"DB cluster instance {resource.attrs.get('identifier') or resource.id}",
        protected=_DATA_LOST,
        pulumi_tokens=("aws:rds/clusterInstance:ClusterInstance",),
        graph=GraphHooks(forward=("cluster_identifier",)),
    )
)

# Types guard does not read live, declared for what check-plan and the Pulumi reader need
# of them. DocumentDB and Neptune clusters are RDS clusters under another engine.
REGISTRY.know(KnownType("aws_docdb_cluster", protected=_DATA_LOST))
REGISTRY.know(KnownType("aws_neptune_cluster", protected=_DATA_LOST))
REGISTRY.know(KnownType("aws_db_option_group", pulumi_tokens=("aws:rds/optionGroup:OptionGroup",)))
REGISTRY.know(KnownType("aws_db_snapshot", pulumi_tokens=("aws:rds/snapshot:Snapshot",)))
