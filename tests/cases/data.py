"""Cases for the data stores: Aurora clusters and their instances, parameter groups,
S3 bucket settings, ElastiCache, EFS, Kinesis."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.data import rds_cluster_attributes


def _cluster(session: boto3.Session, name: str, **extra: Any) -> dict[str, Any]:
    return dict(
        client(session, "rds").create_db_cluster(
            DBClusterIdentifier=name,
            Engine="aurora-postgresql",
            EngineVersion="15.4",
            MasterUsername="orders",
            MasterUserPassword="correct-horse-battery",
            **extra,
        )["DBCluster"]
    )


def build_cluster(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _cluster(
        session,
        "orders",
        BackupRetentionPeriod=7,
        StorageEncrypted=True,
        DeletionProtection=True,
        Tags=[{"Key": "Team", "Value": "data"}],
    )
    cluster = client(session, "rds").describe_db_clusters(DBClusterIdentifier="orders")["DBClusters"][0]
    ctx["cluster"] = "orders"
    state.add("aws_rds_cluster", "orders", rds_cluster_attributes(cluster), sensitive=("master_password",))


CASES = [
    TypeCase(
        "aws_rds_cluster",
        build=build_cluster,
        # Someone turns deletion protection off to delete the cluster by hand.
        drift=lambda s, c: client(s, "rds").modify_db_cluster(
            DBClusterIdentifier="orders", DeletionProtection=False, ApplyImmediately=True
        ),
        expected=Expected(
            "changed", "aws_rds_cluster", "cluster", "aws_rds_cluster.orders", paths=("deletion_protection",)
        ),
        unmanaged=lambda s, c: str(_cluster(s, "adhoc")["DBClusterIdentifier"]),
        unmanaged_type="aws_rds_cluster",
    ),
]
