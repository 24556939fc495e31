"""Cases for the data stores: Aurora clusters and their instances, parameter groups,
S3 bucket settings, ElastiCache, EFS, Kinesis."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState, subnet_attributes, vpc_attributes
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, account, client
from tests.support.data import (
    db_parameter_group_attributes,
    elasticache_cluster_attributes,
    elasticache_replication_group_attributes,
    elasticache_subnet_group_attributes,
    rds_cluster_attributes,
    rds_cluster_instance_attributes,
    rds_cluster_parameter_group_attributes,
)


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


_PG = "sweep-pg-orders"
_CLUSTER_PG = "sweep-cluster-pg-ledger"
_TEAM = [{"Key": "Team", "Value": "data"}]


def _parameter_group(session: boto3.Session, name: str, cluster: bool = False) -> dict[str, Any]:
    """CreateDB(Cluster)ParameterGroup, then the Modify call that sets its parameters, as apply does."""
    rds, word = client(session, "rds"), "DBClusterParameterGroup" if cluster else "DBParameterGroup"
    family = "aurora-postgresql15" if cluster else "postgres15"
    create = rds.create_db_cluster_parameter_group if cluster else rds.create_db_parameter_group
    group = create(
        **{f"{word}Name": name}, DBParameterGroupFamily=family, Description="Managed by Terraform", Tags=_TEAM
    )[word]
    parameters = (
        [{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"}]
        if cluster
        else [
            {
                "ParameterName": "log_min_duration_statement",
                "ParameterValue": "500",
                "ApplyMethod": "immediate",
            },
            {"ParameterName": "work_mem", "ParameterValue": "65536", "ApplyMethod": "immediate"},
        ]
    )
    modify = rds.modify_db_cluster_parameter_group if cluster else rds.modify_db_parameter_group
    modify(**{f"{word}Name": name}, Parameters=parameters)
    return {"group": dict(group), "parameters": parameters}


def build_parameter_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    made = _parameter_group(session, _PG)
    ctx["parameter_group"] = _PG
    state.add(
        "aws_db_parameter_group",
        "orders",
        db_parameter_group_attributes(made["group"], made["parameters"], _TEAM),
    )


def build_cluster_parameter_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    made = _parameter_group(session, _CLUSTER_PG, cluster=True)
    ctx["cluster_parameter_group"] = _CLUSTER_PG
    attributes = rds_cluster_parameter_group_attributes(made["group"], made["parameters"], _TEAM)
    state.add("aws_rds_cluster_parameter_group", "ledger", attributes)


_CACHE_SUBNETS = "sweep-ec-subnets"


def build_cache_subnet_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2, acct = client(session, "ec2"), account(session)
    vpc = ec2.create_vpc(CidrBlock="10.41.0.0/16")["Vpc"]
    state.add("aws_vpc", "cache", vpc_attributes(vpc, acct, REGION))
    subnet_ids = []
    for index, zone in enumerate(("a", "b")):
        subnet = ec2.create_subnet(
            VpcId=vpc["VpcId"], CidrBlock=f"10.41.{index}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]
        subnet_ids.append(subnet["SubnetId"])
        state.add("aws_subnet", "cache", subnet_attributes(subnet, acct), index_key=index)
    group = client(session, "elasticache").create_cache_subnet_group(
        CacheSubnetGroupName=_CACHE_SUBNETS,
        CacheSubnetGroupDescription="Managed by Terraform",
        SubnetIds=subnet_ids,
        Tags=_TEAM,
    )["CacheSubnetGroup"]
    ctx.update(
        cache_subnet_group=_CACHE_SUBNETS, cache_subnet_ids=subnet_ids, cache_subnet_group_arn=group["ARN"]
    )
    state.add("aws_elasticache_subnet_group", "cache", elasticache_subnet_group_attributes(group, _TEAM))


_SESSIONS = "sweep-ec-sessions"
_AUTH_TOKEN = "sweep-ec-auth-token-0123456789"  # a secret in state: never printed


def _replication_group(session: boto3.Session, name: str, **extra: Any) -> dict[str, Any]:
    return dict(
        client(session, "elasticache").create_replication_group(
            ReplicationGroupId=name,
            ReplicationGroupDescription="sessions",
            Engine="redis",
            EngineVersion="7.1",
            CacheNodeType="cache.t4g.small",
            NumCacheClusters=2,
            AutomaticFailoverEnabled=True,
            MultiAZEnabled=True,
            **extra,
        )["ReplicationGroup"]
    )


def build_replication_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_cache_subnet_group(session, state, ctx)
    elasticache = client(session, "elasticache")
    _replication_group(
        session,
        _SESSIONS,
        CacheSubnetGroupName=_CACHE_SUBNETS,
        SnapshotRetentionLimit=5,
        SnapshotWindow="03:00-04:00",
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
        TransitEncryptionEnabled=True,
        AtRestEncryptionEnabled=True,
        AuthToken=_AUTH_TOKEN,
        Tags=_TEAM,
    )
    group = elasticache.describe_replication_groups(ReplicationGroupId=_SESSIONS)["ReplicationGroups"][0]
    # AWS makes a group's member clusters itself; moto does not, so the case makes the one
    # moto lists, with the settings AWS would give it.
    for member_id in group["MemberClusters"]:
        elasticache.create_cache_cluster(
            CacheClusterId=member_id,
            ReplicationGroupId=_SESSIONS,
            Engine="redis",
            EngineVersion="7.1.0",
            CacheNodeType=group["CacheNodeType"],
            CacheSubnetGroupName=_CACHE_SUBNETS,
            PreferredMaintenanceWindow="sun:05:00-sun:06:00",
        )
    member = elasticache.describe_cache_clusters(CacheClusterId=group["MemberClusters"][0])["CacheClusters"][
        0
    ]
    ctx["replication_group"] = _SESSIONS
    attributes = elasticache_replication_group_attributes(group, member, _TEAM, _AUTH_TOKEN)
    state.add("aws_elasticache_replication_group", "sessions", attributes, sensitive=("auth_token",))


_MEMO = "sweep-ec-memo"


def _cache_cluster(session: boto3.Session, name: str) -> dict[str, Any]:
    elasticache = client(session, "elasticache")
    elasticache.create_cache_cluster(
        CacheClusterId=name,
        Engine="memcached",
        EngineVersion="1.6.17",
        CacheNodeType="cache.t4g.micro",
        NumCacheNodes=2,
        CacheSubnetGroupName=_CACHE_SUBNETS,
        PreferredMaintenanceWindow="sun:05:00-sun:06:00",
        Tags=_TEAM,
    )
    return dict(
        elasticache.describe_cache_clusters(CacheClusterId=name, ShowCacheNodeInfo=True)["CacheClusters"][0]
    )


def build_cache_cluster(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    # With the replication group and its members beside it (which it must not claim), and
    # first, so that a full estate builds the subnet group once.
    build_replication_group(session, state, ctx)
    cluster = _cache_cluster(session, _MEMO)
    ctx.update(cache_cluster=_MEMO, cache_cluster_arn=cluster["ARN"])
    state.add("aws_elasticache_cluster", "memo", elasticache_cluster_attributes(cluster, _TEAM))


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
    TypeCase(
        "aws_db_parameter_group",
        build=build_parameter_group,
        # Slow-query logging raised by hand during an incident and never put back.
        drift=lambda s, c: client(s, "rds").modify_db_parameter_group(
            DBParameterGroupName=_PG,
            Parameters=[
                {
                    "ParameterName": "log_min_duration_statement",
                    "ParameterValue": "-1",
                    "ApplyMethod": "immediate",
                }
            ],
        ),
        expected=Expected(
            "changed",
            "aws_db_parameter_group",
            "parameter_group",
            "aws_db_parameter_group.orders",
            paths=("parameter.log_min_duration_statement",),
        ),
        unmanaged=lambda s, c: str(_parameter_group(s, "sweep-pg-scratch")["group"]["DBParameterGroupName"]),
        unmanaged_type="aws_db_parameter_group",
    ),
    TypeCase(
        "aws_rds_cluster_parameter_group",
        build=build_cluster_parameter_group,
        # TLS no longer forced: clients may connect in clear text.
        drift=lambda s, c: client(s, "rds").modify_db_cluster_parameter_group(
            DBClusterParameterGroupName=_CLUSTER_PG,
            Parameters=[
                {"ParameterName": "rds.force_ssl", "ParameterValue": "0", "ApplyMethod": "pending-reboot"}
            ],
        ),
        expected=Expected(
            "changed",
            "aws_rds_cluster_parameter_group",
            "cluster_parameter_group",
            "aws_rds_cluster_parameter_group.ledger",
            paths=("parameter.rds.force_ssl",),
        ),
        unmanaged=lambda s, c: str(
            _parameter_group(s, "sweep-cluster-pg-scratch", cluster=True)["group"][
                "DBClusterParameterGroupName"
            ]
        ),
        unmanaged_type="aws_rds_cluster_parameter_group",
    ),
    TypeCase(
        "aws_elasticache_cluster",
        build=build_cache_cluster,
        # moto has no ModifyCacheCluster, so the edit here is a tag.
        drift=lambda s, c: client(s, "elasticache").remove_tags_from_resource(
            ResourceName=c["cache_cluster_arn"], TagKeys=["Team"]
        ),
        expected=Expected(
            "changed",
            "aws_elasticache_cluster",
            "cache_cluster",
            "aws_elasticache_cluster.memo",
            paths=("tags.Team",),
        ),
        unmanaged=lambda s, c: str(_cache_cluster(s, "sweep-ec-memo-adhoc")["CacheClusterId"]),
        unmanaged_type="aws_elasticache_cluster",
    ),
    TypeCase(
        "aws_elasticache_replication_group",
        build=build_replication_group,
        # Backups turned off by hand "to save cost".
        drift=lambda s, c: client(s, "elasticache").modify_replication_group(
            ReplicationGroupId=_SESSIONS, SnapshotRetentionLimit=0, ApplyImmediately=True
        ),
        expected=Expected(
            "changed",
            "aws_elasticache_replication_group",
            "replication_group",
            "aws_elasticache_replication_group.sessions",
            paths=("snapshot_retention_limit",),
        ),
        unmanaged=lambda s, c: str(_replication_group(s, "sweep-ec-scratch")["ReplicationGroupId"]),
        unmanaged_type="aws_elasticache_replication_group",
    ),
    TypeCase(
        "aws_elasticache_subnet_group",
        build=build_cache_subnet_group,
        # moto has no ModifyCacheSubnetGroup, so the edit here is a tag.
        drift=lambda s, c: client(s, "elasticache").add_tags_to_resource(
            ResourceName=c["cache_subnet_group_arn"], Tags=[{"Key": "Team", "Value": "x"}]
        ),
        expected=Expected(
            "changed",
            "aws_elasticache_subnet_group",
            "cache_subnet_group",
            "aws_elasticache_subnet_group.cache",
            paths=("tags.Team",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "elasticache").create_cache_subnet_group(
                CacheSubnetGroupName="sweep-ec-subnets-adhoc",
                CacheSubnetGroupDescription="adhoc",
                SubnetIds=c["cache_subnet_ids"],
            )["CacheSubnetGroup"]["CacheSubnetGroupName"]
        ),
        unmanaged_type="aws_elasticache_subnet_group",
    ),
]
