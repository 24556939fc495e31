"""Terraform state attributes, as the AWS provider 5.x writes them after `apply`, for the
data-store types of tests/cases/data.py (RDS clusters, parameter groups, S3 bucket
settings, ElastiCache, EFS, Kinesis).

Each builder takes what the AWS API answered right after the resource was created and
returns the instance's full `attributes` object, computed attributes included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _tags(items: Any) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in items or [] if not str(t["Key"]).startswith("aws:")}


def rds_cluster_attributes(cluster: Mapping[str, Any]) -> dict[str, Any]:
    """aws_rds_cluster: `id` is the cluster identifier."""
    tags = _tags(cluster.get("TagList"))
    return {
        "allocated_storage": cluster.get("AllocatedStorage", 0),
        "allow_major_version_upgrade": None,
        "apply_immediately": None,
        "arn": cluster["DBClusterArn"],
        "availability_zones": sorted(cluster.get("AvailabilityZones") or []),
        "backtrack_window": cluster.get("BacktrackWindow", 0),
        "backup_retention_period": cluster.get("BackupRetentionPeriod", 1),
        "ca_certificate_identifier": "",
        "ca_certificate_valid_till": "",
        "cluster_identifier": cluster["DBClusterIdentifier"],
        "cluster_identifier_prefix": "",
        "cluster_members": [m["DBInstanceIdentifier"] for m in cluster.get("DBClusterMembers") or []],
        "cluster_resource_id": cluster.get("DbClusterResourceId", ""),
        "copy_tags_to_snapshot": cluster.get("CopyTagsToSnapshot", False),
        "database_name": cluster.get("DatabaseName", ""),
        "db_cluster_instance_class": "",
        "db_cluster_parameter_group_name": cluster.get("DBClusterParameterGroup", ""),
        "db_instance_parameter_group_name": None,
        "db_subnet_group_name": cluster.get("DBSubnetGroup", ""),
        "db_system_id": "",
        "delete_automated_backups": True,
        "deletion_protection": cluster.get("DeletionProtection", False),
        "domain": "",
        "domain_iam_role_name": "",
        "enable_global_write_forwarding": False,
        "enable_http_endpoint": cluster.get("HttpEndpointEnabled", False),
        "enable_local_write_forwarding": False,
        "enabled_cloudwatch_logs_exports": list(cluster.get("EnabledCloudwatchLogsExports") or []),
        "endpoint": cluster.get("Endpoint", ""),
        "engine": cluster["Engine"],
        "engine_lifecycle_support": "open-source-rds-extended-support",
        "engine_mode": cluster.get("EngineMode", "provisioned"),
        "engine_version": cluster.get("EngineVersion", ""),
        "engine_version_actual": cluster.get("EngineVersion", ""),
        "final_snapshot_identifier": None,
        "global_cluster_identifier": "",
        "hosted_zone_id": cluster.get("HostedZoneId", ""),
        "iam_database_authentication_enabled": cluster.get("IAMDatabaseAuthenticationEnabled", False),
        "iam_roles": [r["RoleArn"] for r in cluster.get("AssociatedRoles") or []],
        "id": cluster["DBClusterIdentifier"],
        "iops": 0,
        "kms_key_id": cluster.get("KmsKeyId", ""),
        "manage_master_user_password": None,
        "master_password": "correct-horse-battery",
        "master_user_secret": [],
        "master_user_secret_kms_key_id": None,
        "master_username": cluster.get("MasterUsername", ""),
        "network_type": cluster.get("NetworkType", "IPV4"),
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": "",
        "performance_insights_retention_period": 0,
        "port": cluster.get("Port", 0),
        "preferred_backup_window": cluster.get("PreferredBackupWindow", ""),
        "preferred_maintenance_window": cluster.get("PreferredMaintenanceWindow", ""),
        "reader_endpoint": cluster.get("ReaderEndpoint", ""),
        "replication_source_identifier": "",
        "restore_to_point_in_time": [],
        "s3_import": [],
        "scaling_configuration": [],
        "serverlessv2_scaling_configuration": [],
        "skip_final_snapshot": True,
        "snapshot_identifier": None,
        "source_region": None,
        "storage_encrypted": cluster.get("StorageEncrypted", False),
        "storage_type": "",
        "tags": tags,
        "tags_all": tags,
        "timeouts": None,
        "vpc_security_group_ids": sorted(
            g["VpcSecurityGroupId"] for g in cluster.get("VpcSecurityGroups") or []
        ),
    }


def rds_cluster_instance_attributes(db: Mapping[str, Any]) -> dict[str, Any]:
    """aws_rds_cluster_instance: `id` is the identifier (not the DbiResourceId)."""
    endpoint = db.get("Endpoint") or {}
    tags = _tags(db.get("TagList"))
    groups = db.get("DBParameterGroups") or [{}]
    return {
        "apply_immediately": None,
        "arn": db["DBInstanceArn"],
        "auto_minor_version_upgrade": db.get("AutoMinorVersionUpgrade", True),
        "availability_zone": db.get("AvailabilityZone", ""),
        "ca_cert_identifier": db.get("CACertificateIdentifier", ""),
        "cluster_identifier": db["DBClusterIdentifier"],
        "copy_tags_to_snapshot": db.get("CopyTagsToSnapshot", False),
        "custom_iam_instance_profile": "",
        "db_parameter_group_name": groups[0].get("DBParameterGroupName", ""),
        "db_subnet_group_name": (db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName", ""),
        "dbi_resource_id": db.get("DbiResourceId", ""),
        "endpoint": endpoint.get("Address", ""),
        "engine": db["Engine"],
        "engine_version": db.get("EngineVersion", ""),
        "engine_version_actual": db.get("EngineVersion", ""),
        "id": db["DBInstanceIdentifier"],
        "identifier": db["DBInstanceIdentifier"],
        "identifier_prefix": "",
        "instance_class": db["DBInstanceClass"],
        "kms_key_id": db.get("KmsKeyId", ""),
        "monitoring_interval": db.get("MonitoringInterval", 0),
        "monitoring_role_arn": "",
        "network_type": "IPV4",
        "performance_insights_enabled": bool(db.get("PerformanceInsightsEnabled")),
        "performance_insights_kms_key_id": "",
        "performance_insights_retention_period": 0,
        "port": endpoint.get("Port", 0),
        "preferred_backup_window": db.get("PreferredBackupWindow", ""),
        "preferred_maintenance_window": db.get("PreferredMaintenanceWindow", ""),
        "promotion_tier": db.get("PromotionTier", 0),
        "publicly_accessible": bool(db.get("PubliclyAccessible")),
        "storage_encrypted": bool(db.get("StorageEncrypted")),
        "tags": tags,
        "tags_all": tags,
        "timeouts": None,
        "writer": True,
    }


def _parameter_group_attributes(
    group: Mapping[str, Any], arn: str, parameters: Any, tags: Any
) -> dict[str, Any]:
    """What both parameter group types share; `parameter` is a set of blocks in the provider."""
    listed = _tags(tags)
    return {
        "arn": group[arn],
        "description": group.get("Description", "Managed by Terraform"),
        "family": group["DBParameterGroupFamily"],
        "name_prefix": "",
        "parameter": [
            {
                "apply_method": p.get("ApplyMethod", "immediate"),
                "name": p["ParameterName"],
                "value": p["ParameterValue"],
            }
            for p in parameters
        ],
        "tags": listed,
        "tags_all": listed,
    }


def db_parameter_group_attributes(group: Mapping[str, Any], parameters: Any, tags: Any) -> dict[str, Any]:
    """aws_db_parameter_group: `id` is the name."""
    name = group["DBParameterGroupName"]
    attrs = _parameter_group_attributes(group, "DBParameterGroupArn", parameters, tags)
    return {**attrs, "id": name, "name": name, "skip_destroy": False}


def rds_cluster_parameter_group_attributes(
    group: Mapping[str, Any], parameters: Any, tags: Any
) -> dict[str, Any]:
    """aws_rds_cluster_parameter_group: `id` is the name."""
    name = group["DBClusterParameterGroupName"]
    attrs = _parameter_group_attributes(group, "DBClusterParameterGroupArn", parameters, tags)
    return {**attrs, "id": name, "name": name}


def elasticache_subnet_group_attributes(group: Mapping[str, Any], tags: Any) -> dict[str, Any]:
    """aws_elasticache_subnet_group: `id` is the name."""
    listed = _tags(tags)
    return {
        "arn": group["ARN"],
        "description": group.get("CacheSubnetGroupDescription", "Managed by Terraform"),
        "id": group["CacheSubnetGroupName"],
        "name": group["CacheSubnetGroupName"],
        "subnet_ids": sorted(s["SubnetIdentifier"] for s in group.get("Subnets") or []),
        "tags": listed,
        "tags_all": listed,
        "vpc_id": group.get("VpcId", ""),
    }


def elasticache_replication_group_attributes(
    group: Mapping[str, Any], member: Mapping[str, Any], tags: Any, auth_token: str
) -> dict[str, Any]:
    """aws_elasticache_replication_group: `id` is the replication group id. The provider reads
    what the group's answer leaves out from its first member cluster."""
    listed = _tags(tags)
    primary = next((g.get("PrimaryEndpoint") for g in group.get("NodeGroups") or []), None) or {}
    return {
        "apply_immediately": None,
        "arn": group["ARN"],
        "at_rest_encryption_enabled": group.get("AtRestEncryptionEnabled", False),
        "auth_token": auth_token,
        "auth_token_update_strategy": None,
        "auto_minor_version_upgrade": "true",  # the provider keeps it as a string
        "automatic_failover_enabled": group.get("AutomaticFailover") == "enabled",
        "cluster_enabled": group.get("ClusterEnabled", False),
        "cluster_mode": group.get("ClusterMode", "disabled"),
        "configuration_endpoint_address": "",
        "data_tiering_enabled": group.get("DataTiering") == "enabled",
        "description": group.get("Description", ""),
        "engine": "redis",
        "engine_version": "7.1",
        "engine_version_actual": member.get("EngineVersion", ""),
        "final_snapshot_identifier": None,
        "global_replication_group_id": "",
        "id": group["ReplicationGroupId"],
        "ip_discovery": group.get("IpDiscovery", "ipv4"),
        "kms_key_id": group.get("KmsKeyId", ""),
        "log_delivery_configuration": [],
        "maintenance_window": member.get("PreferredMaintenanceWindow", ""),
        "member_clusters": sorted(group.get("MemberClusters") or []),
        "multi_az_enabled": group.get("MultiAZ") == "enabled",
        "network_type": group.get("NetworkType", "ipv4"),
        "node_type": group["CacheNodeType"],
        "notification_topic_arn": None,
        "num_cache_clusters": len(group.get("MemberClusters") or []),
        "num_node_groups": len(group.get("NodeGroups") or []),
        "parameter_group_name": (member.get("CacheParameterGroup") or {}).get("CacheParameterGroupName", ""),
        "port": primary.get("Port", 6379),
        "preferred_cache_cluster_azs": None,
        "primary_endpoint_address": primary.get("Address", ""),
        "reader_endpoint_address": "",
        "replicas_per_node_group": len(group.get("MemberClusters") or []) - 1,
        "replication_group_id": group["ReplicationGroupId"],
        "security_group_ids": sorted(g["SecurityGroupId"] for g in member.get("SecurityGroups") or []),
        "security_group_names": [],
        "snapshot_arns": None,
        "snapshot_name": None,
        "snapshot_retention_limit": group.get("SnapshotRetentionLimit", 0),
        "snapshot_window": group.get("SnapshotWindow", ""),
        "subnet_group_name": member.get("CacheSubnetGroupName", ""),
        "tags": listed,
        "tags_all": listed,
        "timeouts": None,
        "transit_encryption_enabled": group.get("TransitEncryptionEnabled", False),
        "transit_encryption_mode": group.get("TransitEncryptionMode", ""),
        "user_group_ids": [],
    }


def elasticache_cluster_attributes(cluster: Mapping[str, Any], tags: Any) -> dict[str, Any]:
    """aws_elasticache_cluster: `id` is the cluster id."""
    listed = _tags(tags)
    endpoint = cluster.get("ConfigurationEndpoint") or {}
    nodes = cluster.get("CacheNodes") or []
    return {
        "apply_immediately": None,
        "arn": cluster["ARN"],
        "auto_minor_version_upgrade": "true",  # the provider keeps it as a string
        "availability_zone": cluster.get("PreferredAvailabilityZone", ""),
        "az_mode": "single-az",
        "cache_nodes": [
            {
                "address": (n.get("Endpoint") or {}).get("Address", ""),
                "availability_zone": n.get("CustomerAvailabilityZone", ""),
                "id": n.get("CacheNodeId", ""),
                "outpost_arn": "",
                "port": (n.get("Endpoint") or {}).get("Port", 0),
            }
            for n in nodes
        ],
        "cluster_address": endpoint.get("Address", ""),
        "cluster_id": cluster["CacheClusterId"],
        "configuration_endpoint": f"{endpoint['Address']}:{endpoint['Port']}" if endpoint else "",
        "engine": cluster["Engine"],
        "engine_version": cluster.get("EngineVersion", ""),
        "engine_version_actual": cluster.get("EngineVersion", ""),
        "final_snapshot_identifier": None,
        "id": cluster["CacheClusterId"],
        "ip_discovery": cluster.get("IpDiscovery", "ipv4"),
        "log_delivery_configuration": [],
        "maintenance_window": cluster.get("PreferredMaintenanceWindow", ""),
        "network_type": cluster.get("NetworkType", "ipv4"),
        "node_type": cluster["CacheNodeType"],
        "notification_topic_arn": (cluster.get("NotificationConfiguration") or {}).get("TopicArn", ""),
        "num_cache_nodes": cluster.get("NumCacheNodes", 1),
        "outpost_mode": None,
        "parameter_group_name": (cluster.get("CacheParameterGroup") or {}).get("CacheParameterGroupName", ""),
        "port": endpoint.get("Port") or next(((n.get("Endpoint") or {}).get("Port") for n in nodes), 0),
        "preferred_availability_zones": None,
        "preferred_outpost_arn": "",
        "replication_group_id": "",
        "security_group_ids": sorted(g["SecurityGroupId"] for g in cluster.get("SecurityGroups") or []),
        "snapshot_arns": None,
        "snapshot_name": None,
        "snapshot_retention_limit": cluster.get("SnapshotRetentionLimit", 0),
        "snapshot_window": cluster.get("SnapshotWindow", ""),
        "subnet_group_name": cluster.get("CacheSubnetGroupName", ""),
        "tags": listed,
        "tags_all": listed,
        "timeouts": None,
        "transit_encryption_enabled": cluster.get("TransitEncryptionEnabled", False),
    }
