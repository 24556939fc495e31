"""Sample CloudTrail records for the data-store family (RDS clusters and parameter groups,
S3 bucket settings, ElastiCache, EFS, Kinesis)."""

from __future__ import annotations

from tests.event_samples import Sample

ARN = "us-east-1:123456789012"

SAMPLES: list[Sample] = [
    # RDS clusters: named by identifier; tag calls by the cluster: ARN -------------------
    (
        "rds",
        "CreateDBCluster RestoreDBClusterFromSnapshot RestoreDBClusterToPointInTime RestoreDBClusterFromS3 "
        "ModifyDBCluster DeleteDBCluster",
        {"dBClusterIdentifier": "orders"},
        {"dBClusterIdentifier": "orders", "dbClusterResourceId": "cluster-ABCDEFGHIJKL"},
        None,
        [("aws_rds_cluster", "orders")],
    ),
    (
        "rds",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:rds:{ARN}:cluster:orders"},
        None,
        None,
        [("aws_rds_cluster", "orders")],
    ),
]
SAMPLES += [
    # RDS cluster members: the answer names the cluster (a standalone instance's does not)
    (
        "rds",
        "CreateDBInstance ModifyDBInstance DeleteDBInstance",
        {"dBInstanceIdentifier": "orders-1"},
        {"dBInstanceIdentifier": "orders-1", "dBClusterIdentifier": "orders", "dbiResourceId": "db-ABCDEFGH"},
        None,
        [("aws_db_instance", "db-ABCDEFGH"), ("aws_rds_cluster_instance", "orders-1")],
    ),
    (
        "rds",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:rds:{ARN}:db:orders-1"},
        None,
        None,
        [("aws_rds_cluster_instance", "orders-1")],
    ),
]
SAMPLES += [
    # RDS parameter groups: named by name; a copy by its target; tag calls by the pg: ARN
    (
        "rds",
        "CreateDBParameterGroup ModifyDBParameterGroup ResetDBParameterGroup DeleteDBParameterGroup",
        {"dBParameterGroupName": "orders-pg"},
        None,
        None,
        [("aws_db_parameter_group", "orders-pg")],
    ),
    (
        "rds",
        "CopyDBParameterGroup",
        {
            "sourceDBParameterGroupIdentifier": "default.postgres15",
            "targetDBParameterGroupIdentifier": "orders-pg",
        },
        None,
        None,
        [("aws_db_parameter_group", "orders-pg")],
    ),
    (
        "rds",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:rds:{ARN}:pg:orders-pg"},
        None,
        None,
        [("aws_db_parameter_group", "orders-pg")],
    ),
    (
        "rds",
        "CreateDBClusterParameterGroup ModifyDBClusterParameterGroup ResetDBClusterParameterGroup "
        "DeleteDBClusterParameterGroup",
        {"dBClusterParameterGroupName": "ledger-pg"},
        None,
        None,
        [("aws_rds_cluster_parameter_group", "ledger-pg")],
    ),
    (
        "rds",
        "CopyDBClusterParameterGroup",
        {
            "sourceDBClusterParameterGroupIdentifier": "default.aurora-postgresql15",
            "targetDBClusterParameterGroupIdentifier": "ledger-pg",
        },
        None,
        None,
        [("aws_rds_cluster_parameter_group", "ledger-pg")],
    ),
    (
        "rds",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:rds:{ARN}:cluster-pg:ledger-pg"},
        None,
        None,
        [("aws_rds_cluster_parameter_group", "ledger-pg")],
    ),
]
SAMPLES += [
    # ElastiCache subnet groups: named by name; tag calls by the subnetgroup: ARN
    (
        "elasticache",
        "CreateCacheSubnetGroup ModifyCacheSubnetGroup DeleteCacheSubnetGroup",
        {"cacheSubnetGroupName": "sessions-subnets"},
        None,
        None,
        [("aws_elasticache_subnet_group", "sessions-subnets")],
    ),
    (
        "elasticache",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:elasticache:{ARN}:subnetgroup:sessions-subnets"},
        None,
        None,
        [("aws_elasticache_subnet_group", "sessions-subnets")],
    ),
]
SAMPLES += [
    # ElastiCache replication groups: named by id; tag calls by the replicationgroup: ARN
    (
        "elasticache",
        "CreateReplicationGroup ModifyReplicationGroup IncreaseReplicaCount DecreaseReplicaCount "
        "DeleteReplicationGroup",
        {"replicationGroupId": "sessions"},
        None,
        None,
        [("aws_elasticache_replication_group", "sessions")],
    ),
    (
        "elasticache",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:elasticache:{ARN}:replicationgroup:sessions"},
        None,
        None,
        [("aws_elasticache_replication_group", "sessions")],
    ),
]
SAMPLES += [
    # ElastiCache clusters: named by id, unless the answer puts it in a replication group
    (
        "elasticache",
        "CreateCacheCluster ModifyCacheCluster DeleteCacheCluster",
        {"cacheClusterId": "memo"},
        {"cacheClusterId": "memo", "engine": "memcached"},
        None,
        [("aws_elasticache_cluster", "memo")],
    ),
    (
        "elasticache",
        "CreateCacheCluster",
        {"cacheClusterId": "sessions-003", "replicationGroupId": "sessions"},
        {"cacheClusterId": "sessions-003", "replicationGroupId": "sessions"},
        None,
        [],
    ),
    (
        "elasticache",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:elasticache:{ARN}:cluster:memo"},
        None,
        None,
        [("aws_elasticache_cluster", "memo")],
    ),
]
