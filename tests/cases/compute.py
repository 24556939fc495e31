"""Cases for compute and containers (ECS, ECR, EKS, Auto Scaling extras, Lambda extras),
each built the way `terraform apply` would and recorded in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client


def ecs_cluster_attributes(cluster: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    return {
        "arn": cluster["clusterArn"],
        "configuration": [],
        "id": cluster["clusterArn"],
        "name": cluster["clusterName"],
        "service_connect_defaults": [],
        "setting": [dict(s) for s in cluster.get("settings") or []],
        "tags": dict(tags),
        "tags_all": dict(tags),
    }


def build_ecs_cluster(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ecs = client(session, "ecs")
    cluster = ecs.create_cluster(
        clusterName="apps",
        settings=[{"name": "containerInsights", "value": "enabled"}],
        tags=[{"key": "Team", "value": "platform"}],
    )["cluster"]
    ctx["cluster_arn"] = cluster["clusterArn"]
    # A cluster deleted earlier stays describable as INACTIVE: it is gone, never unmanaged.
    ecs.create_cluster(clusterName="retired")
    ecs.delete_cluster(cluster="retired")
    # ECS's own `default` cluster, made by a task run without a cluster: never unmanaged.
    ecs.create_cluster(clusterName="default")
    state.add("aws_ecs_cluster", "apps", ecs_cluster_attributes(cluster, {"Team": "platform"}))


CASES = [
    TypeCase(
        "aws_ecs_cluster",
        build=build_ecs_cluster,
        # Container Insights switched off in the console: the cluster's metrics stop.
        drift=lambda s, c: client(s, "ecs").update_cluster(
            cluster=c["cluster_arn"], settings=[{"name": "containerInsights", "value": "disabled"}]
        ),
        expected=Expected(
            "changed", "aws_ecs_cluster", "cluster_arn", "aws_ecs_cluster.apps", paths=("setting",)
        ),
        unmanaged=lambda s, c: str(
            client(s, "ecs").create_cluster(clusterName="adhoc")["cluster"]["clusterArn"]
        ),
        unmanaged_type="aws_ecs_cluster",
    ),
]
