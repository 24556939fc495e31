"""Cases for the data stores: Aurora clusters and their instances, parameter groups,
S3 bucket settings, ElastiCache, EFS, Kinesis."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.data import rds_cluster_attributes, rds_cluster_instance_attributes


def _cluster(session: boto3.Session, name: str, **extra: Any) -> dict[str, Any]:
    return dict(
        client(session, "rds").create_db_cluster(
            DBClusterIdentifier=name,
            Engine="aurora-postgresql",
            EngineVersion="15.4",
            MasterUsername="ledger",
            MasterUserPassword="correct-horse-battery",
            **extra,
        )["DBCluster"]
    )


def build_cluster(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _cluster(
        session,
        "ledger",
        BackupRetentionPeriod=7,
        StorageEncrypted=True,
        DeletionProtection=True,
        Tags=[{"Key": "Team", "Value": "data"}],
    )
    cluster = client(session, "rds").describe_db_clusters(DBClusterIdentifier="ledger")["DBClusters"][0]
    ctx["cluster"] = "ledger"
    state.add("aws_rds_cluster", "ledger", rds_cluster_attributes(cluster), sensitive=("master_password",))


def _member(session: boto3.Session, name: str) -> dict[str, Any]:
    rds = client(session, "rds")
    rds.create_db_instance(
        DBInstanceIdentifier=name,
        DBClusterIdentifier="ledger",
        Engine="aurora-postgresql",
        DBInstanceClass="db.r6g.large",
        Tags=[{"Key": "Team", "Value": "data"}],
    )
    return dict(rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0])


def build_cluster_instance(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_cluster(session, state, ctx)
    ctx["member"] = "ledger-1"
    state.add(
        "aws_rds_cluster_instance", "ledger", rds_cluster_instance_attributes(_member(session, "ledger-1"))
    )


# The member's case builds its cluster too: first, so a full estate builds the cluster once.
CASES = [
    TypeCase(
        "aws_rds_cluster_instance",
        build=build_cluster_instance,
        drift=lambda s, c: client(s, "rds").modify_db_instance(
            DBInstanceIdentifier="ledger-1", DBInstanceClass="db.r6g.xlarge", ApplyImmediately=True
        ),
        expected=Expected(
            "changed",
            "aws_rds_cluster_instance",
            "member",
            "aws_rds_cluster_instance.ledger",
            paths=("instance_class",),
        ),
        unmanaged=lambda s, c: str(_member(s, "ledger-2")["DBInstanceIdentifier"]),
        unmanaged_type="aws_rds_cluster_instance",
    ),
    TypeCase(
        "aws_rds_cluster",
        build=build_cluster,
        # Someone turns deletion protection off to delete the cluster by hand.
        drift=lambda s, c: client(s, "rds").modify_db_cluster(
            DBClusterIdentifier="ledger", DeletionProtection=False, ApplyImmediately=True
        ),
        expected=Expected(
            "changed", "aws_rds_cluster", "cluster", "aws_rds_cluster.ledger", paths=("deletion_protection",)
        ),
        unmanaged=lambda s, c: str(_cluster(s, "scratch")["DBClusterIdentifier"]),
        unmanaged_type="aws_rds_cluster",
    ),
]
