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
