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


def _task_definition(session: boto3.Session, family: str = "api") -> str:
    answer = client(session, "ecs").register_task_definition(
        family=family,
        containerDefinitions=[
            {"name": family, "image": "nginx:1.27", "memory": 512, "portMappings": [{"containerPort": 80}]}
        ],
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
    )
    return str(answer["taskDefinition"]["taskDefinitionArn"])


def _default_network(session: boto3.Session) -> tuple[str, str]:
    ec2 = client(session, "ec2")
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])
    return str(subnet["SubnetId"]), str(group["SecurityGroups"][0]["GroupId"])


def _create_service(
    session: boto3.Session, cluster: str, name: str, subnet: str, group: str
) -> dict[str, Any]:
    service: dict[str, Any] = client(session, "ecs").create_service(
        cluster=cluster,
        serviceName=name,
        taskDefinition="api:1",
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": [subnet],
                "securityGroups": [group],
                "assignPublicIp": "DISABLED",
            }
        },
        propagateTags="SERVICE",
        tags=[{"key": "Team", "value": "platform"}],
    )["service"]
    return service


def ecs_service_attributes(service: dict[str, Any], task_definition: str) -> dict[str, Any]:
    vpc = service["networkConfiguration"]["awsvpcConfiguration"]
    return {
        "alarms": [],
        "availability_zone_rebalancing": "DISABLED",
        "capacity_provider_strategy": [],
        "cluster": service["clusterArn"],
        "deployment_circuit_breaker": [{"enable": False, "rollback": False}],
        "deployment_controller": [{"type": "ECS"}],
        "deployment_maximum_percent": 200,
        "deployment_minimum_healthy_percent": 100,
        "desired_count": service["desiredCount"],
        "enable_ecs_managed_tags": False,
        "enable_execute_command": False,
        "force_delete": None,
        "force_new_deployment": None,
        "health_check_grace_period_seconds": 0,
        "iam_role": "",
        "id": service["serviceArn"],
        "launch_type": "FARGATE",
        "load_balancer": [],
        "name": service["serviceName"],
        "network_configuration": [
            {"assign_public_ip": False, "security_groups": vpc["securityGroups"], "subnets": vpc["subnets"]}
        ],
        "ordered_placement_strategy": [],
        "placement_constraints": [],
        "platform_version": "LATEST",
        "propagate_tags": "SERVICE",
        "scheduling_strategy": "REPLICA",
        "service_connect_configuration": [],
        "service_registries": [],
        "tags": {"Team": "platform"},
        "tags_all": {"Team": "platform"},
        "task_definition": task_definition,
        "triggers": {},
        "volume_configuration": [],
        "wait_for_steady_state": False,
    }


def build_ecs_service(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_ecs_cluster(session, state, ctx)
    _task_definition(session)
    ctx["task_definition_2"] = _task_definition(session)  # the next revision, not deployed yet
    ctx["subnet"], ctx["group"] = _default_network(session)
    service = _create_service(session, "apps", "api", ctx["subnet"], ctx["group"])
    ctx["service_arn"] = service["serviceArn"]
    # A service in ECS's own default cluster, which no state declares: never reported.
    _create_service(session, "default", "scratch", ctx["subnet"], ctx["group"])
    # Terraform stores the task definition as written: family:revision here.
    state.add("aws_ecs_service", "api", ecs_service_attributes(service, "api:1"))


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
    TypeCase(
        "aws_ecs_service",
        build=build_ecs_service,
        # The next revision deployed from the console, untested: the service now runs it.
        drift=lambda s, c: client(s, "ecs").update_service(
            cluster="apps", service="api", taskDefinition=c["task_definition_2"]
        ),
        expected=Expected(
            "changed", "aws_ecs_service", "service_arn", "aws_ecs_service.api", paths=("task_definition",)
        ),
        unmanaged=lambda s, c: str(
            _create_service(s, "apps", "adhoc", c["subnet"], c["group"])["serviceArn"]
        ),
        unmanaged_type="aws_ecs_service",
    ),
]
