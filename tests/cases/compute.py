"""Cases for compute and containers (ECS, ECR, EKS, Auto Scaling extras, Lambda extras),
each built the way `terraform apply` would and recorded in the AWS provider 5.x state shape."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.services import iam_role_attributes


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


def _containers(family: str, image: str = "nginx:1.27") -> list[dict[str, Any]]:
    """As a configuration writes them; AWS answers with its defaults filled in."""
    return [
        {
            "name": family,
            "image": image,
            "memory": 512,
            "essential": True,
            "portMappings": [{"containerPort": 80}],
            "environment": [{"name": "MODE", "value": "web"}, {"name": "LOG_LEVEL", "value": "info"}],
        }
    ]


def _register(
    session: boto3.Session, family: str, image: str = "nginx:1.27", tags: dict[str, str] | None = None
) -> dict[str, Any]:
    answer = client(session, "ecs").register_task_definition(
        family=family,
        containerDefinitions=_containers(family, image),
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        **({"tags": [{"key": k, "value": v} for k, v in tags.items()]} if tags else {}),
    )
    return dict(answer["taskDefinition"])


def _task_definition(session: boto3.Session, family: str = "api") -> str:
    return str(_register(session, family)["taskDefinitionArn"])


def ecs_task_definition_attributes(task: dict[str, Any], tags: dict[str, str] | None) -> dict[str, Any]:
    arn = task["taskDefinitionArn"]
    return {
        "arn": arn,
        "arn_without_revision": arn.rsplit(":", 1)[0],
        # jsonencode of the configuration's list: what the provider keeps when AWS's answer
        # is equivalent to it.
        "container_definitions": json.dumps(
            _containers(task["family"], task["containerDefinitions"][0]["image"]), separators=(",", ":")
        ),
        "cpu": task["cpu"],
        "enable_fault_injection": False,
        "ephemeral_storage": [],
        "execution_role_arn": "",
        "family": task["family"],
        "id": task["family"],
        "inference_accelerator": [],
        "ipc_mode": "",
        "memory": task["memory"],
        "network_mode": task["networkMode"],
        "pid_mode": "",
        "placement_constraints": [],
        "proxy_configuration": [],
        "requires_compatibilities": sorted(task["requiresCompatibilities"]),
        "revision": task["revision"],
        "runtime_platform": [],
        "skip_destroy": False,
        "tags": dict(tags) if tags else None,
        "tags_all": dict(tags or {}),
        "task_role_arn": "",
        "track_latest": False,
        "volume": [],
    }


def build_ecs_task_definition(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    task = _register(session, "sweep-ecs-td-api", tags={"Team": "platform"})
    ctx["task_arn"] = task["taskDefinitionArn"]
    state.add(
        "aws_ecs_task_definition",
        "sweep_ecs_td_api",
        ecs_task_definition_attributes(task, {"Team": "platform"}),
    )
    # The deploy pipeline registers the next image outside Terraform: not a finding of this type.
    _register(session, "sweep-ecs-td-api", image="nginx:1.28")
    # A revision Terraform replaced is deregistered (INACTIVE): gone, never unmanaged.
    old = _register(session, "sweep-ecs-td-old")
    client(session, "ecs").deregister_task_definition(taskDefinition=old["taskDefinitionArn"])


def _unmanaged_family(session: boto3.Session, ctx: Context) -> str:
    """A family registered by hand twice: reported once, by its newest revision."""
    _register(session, "sweep-ecs-td-adhoc")
    return str(_register(session, "sweep-ecs-td-adhoc", image="nginx:1.28")["taskDefinitionArn"])


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
    first = _register(session, "api")
    state.add("aws_ecs_task_definition", "api", ecs_task_definition_attributes(first, None))
    ctx["task_definition_2"] = _task_definition(session)  # the next revision, not deployed yet
    ctx["subnet"], ctx["group"] = _default_network(session)
    service = _create_service(session, "apps", "api", ctx["subnet"], ctx["group"])
    ctx["service_arn"] = service["serviceArn"]
    # A service in ECS's own default cluster, which no state declares: never reported.
    _create_service(session, "default", "scratch", ctx["subnet"], ctx["group"])
    # Terraform stores the task definition as written: family:revision here.
    state.add("aws_ecs_service", "api", ecs_service_attributes(service, "api:1"))


# --- ECR ---------------------------------------------------------------------------------


def ecr_repository_attributes(repository: dict[str, Any], tags: dict[str, str] | None) -> dict[str, Any]:
    encryption = repository["encryptionConfiguration"]
    return {
        "arn": repository["repositoryArn"],
        "encryption_configuration": [
            {"encryption_type": encryption["encryptionType"], "kms_key": encryption.get("kmsKey", "")}
        ],
        "force_delete": None,
        "id": repository["repositoryName"],
        "image_scanning_configuration": [
            {"scan_on_push": repository["imageScanningConfiguration"]["scanOnPush"]}
        ],
        "image_tag_mutability": repository["imageTagMutability"],
        "name": repository["repositoryName"],
        "registry_id": repository["registryId"],
        "repository_url": repository["repositoryUri"],
        "tags": dict(tags) if tags else None,
        "tags_all": dict(tags or {}),
        "timeouts": None,
    }


def _repository(
    session: boto3.Session, state: TerraformState, name: str, tags: dict[str, str] | None = None
) -> dict[str, Any]:
    repository: dict[str, Any] = client(session, "ecr").create_repository(
        repositoryName=name,
        imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True},
        tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    )["repository"]
    state.add(
        "aws_ecr_repository",
        name.replace("-", "_").replace("/", "_"),
        ecr_repository_attributes(repository, tags),
    )
    return repository


def build_ecr_repository(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    # A namespaced name, as teams name them: the slash is part of the name.
    repository = _repository(session, state, "sweep-ecr-repo/api", {"Team": "platform"})
    ctx["repository"] = repository["repositoryName"]


# What `jsonencode` writes: compact, keys in the configuration's order.
LIFECYCLE_POLICY = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "keep the last 30 release images",
            "selection": {
                "tagStatus": "tagged",
                "tagPrefixList": ["v", "release"],
                "countType": "imageCountMoreThan",
                "countNumber": 30,
            },
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 2,
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 14,
            },
            "action": {"type": "expire"},
        },
    ]
}


def _put_lifecycle_policy(session: boto3.Session, repository: str, policy: dict[str, Any]) -> None:
    # ECR keeps the text as sent; the console sends it pretty-printed.
    client(session, "ecr").put_lifecycle_policy(
        repositoryName=repository, lifecyclePolicyText=json.dumps(policy, indent=2)
    )


def build_ecr_lifecycle_policy(
    session: boto3.Session, state: TerraformState, ctx: Context, name: str = "sweep-ecr-lifecycle"
) -> None:
    repository = _repository(session, state, name)
    ctx["repository"] = repository["repositoryName"]
    # A second declared repository, without a policy: the unmanaged case puts one on it.
    ctx["bare_repository"] = _repository(session, state, f"{name}-bare")["repositoryName"]
    text = json.dumps(LIFECYCLE_POLICY, separators=(",", ":"))
    client(session, "ecr").put_lifecycle_policy(repositoryName=ctx["repository"], lifecyclePolicyText=text)
    state.add(
        "aws_ecr_lifecycle_policy",
        "sweep_ecr_lifecycle",
        {
            "id": ctx["repository"],
            "policy": text,
            "registry_id": repository["registryId"],
            "repository": ctx["repository"],
        },
    )


def _keep_fewer_images(session: boto3.Session, ctx: Context) -> None:
    """Someone keeps 5 release images instead of 30 in the console: older releases expire."""
    policy = json.loads(json.dumps(LIFECYCLE_POLICY))
    policy["rules"][0]["selection"]["countNumber"] = 5
    _put_lifecycle_policy(session, ctx["repository"], policy)


def _unmanaged_lifecycle_policy(session: boto3.Session, ctx: Context) -> str:
    _put_lifecycle_policy(session, ctx["bare_repository"], LIFECYCLE_POLICY)
    return str(ctx["bare_repository"])


# --- EKS ---------------------------------------------------------------------------------


def _eks_role(session: boto3.Session, state: TerraformState, name: str) -> str:
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = client(session, "iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(assume))[
        "Role"
    ]
    state.add("aws_iam_role", name.replace("-", "_"), iam_role_attributes(role, assume))
    return str(role["Arn"])


def eks_cluster_attributes(cluster: dict[str, Any], vpc_id: str) -> dict[str, Any]:
    vpc = cluster["resourcesVpcConfig"]
    return {
        "access_config": [],
        "arn": cluster["arn"],
        "bootstrap_self_managed_addons": True,
        "certificate_authority": [{"data": cluster["certificateAuthority"]["data"]}],
        "cluster_id": None,
        "compute_config": [],
        "created_at": str(cluster["createdAt"]),
        "default_addons_to_remove": None,
        "enabled_cluster_log_types": ["audit"],
        "encryption_config": [],
        "endpoint": cluster["endpoint"],
        "force_update_version": None,
        "id": cluster["name"],
        "identity": [{"oidc": [{"issuer": cluster["identity"]["oidc"]["issuer"]}]}],
        "kubernetes_network_config": [
            {
                "ip_family": "ipv4",
                "service_ipv4_cidr": "172.20.0.0/16",
                "service_ipv6_cidr": "",
                "elastic_load_balancing": [],
            }
        ],
        "name": cluster["name"],
        "outpost_config": [],
        "platform_version": "eks.1",
        "remote_network_config": [],
        "role_arn": cluster["roleArn"],
        "status": "ACTIVE",
        "storage_config": [],
        "tags": {"Team": "platform"},
        "tags_all": {"Team": "platform"},
        "timeouts": None,
        "upgrade_policy": [{"support_type": "EXTENDED"}],
        "version": cluster["version"],
        # What the provider reads back: AWS's defaults (a public endpoint open to everyone).
        "vpc_config": [
            {
                "cluster_security_group_id": "",
                "endpoint_private_access": True,
                "endpoint_public_access": False,
                "public_access_cidrs": ["0.0.0.0/0"],
                "security_group_ids": [],
                "subnet_ids": sorted(vpc["subnetIds"]),
                "vpc_id": vpc_id,
            }
        ],
        "zonal_shift_config": [],
    }


def build_eks_cluster(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = client(session, "ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][:2]
    role = _eks_role(session, state, "sweep-eks-cluster-role")
    # A private endpoint only, as the platform team set it; audit logs on.
    cluster = client(session, "eks").create_cluster(
        name="sweep-eks",
        version="1.29",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": [s["SubnetId"] for s in subnets],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        logging={"clusterLogging": [{"types": ["audit"], "enabled": True}]},
        tags={"Team": "platform"},
    )["cluster"]
    ctx["cluster"] = cluster["name"]
    ctx["role"] = role
    ctx["subnets"] = [s["SubnetId"] for s in subnets]
    state.add("aws_eks_cluster", "sweep_eks", eks_cluster_attributes(cluster, subnets[0]["VpcId"]))


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
    TypeCase(
        "aws_ecr_repository",
        build=build_ecr_repository,
        # Scan on push switched off: new images are no longer checked for vulnerabilities.
        drift=lambda s, c: client(s, "ecr").put_image_scanning_configuration(
            repositoryName=c["repository"], imageScanningConfiguration={"scanOnPush": False}
        ),
        expected=Expected(
            "changed",
            "aws_ecr_repository",
            "repository",
            "aws_ecr_repository.sweep_ecr_repo_api",
            paths=("image_scanning_configuration.scan_on_push",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "ecr").create_repository(repositoryName="sweep-ecr-repo-adhoc")["repository"][
                "repositoryName"
            ]
        ),
        unmanaged_type="aws_ecr_repository",
    ),
    TypeCase(
        "aws_ecr_lifecycle_policy",
        build=build_ecr_lifecycle_policy,
        drift=_keep_fewer_images,
        expected=Expected(
            "changed",
            "aws_ecr_lifecycle_policy",
            "repository",
            "aws_ecr_lifecycle_policy.sweep_ecr_lifecycle",
            paths=("policy",),
        ),
        unmanaged=_unmanaged_lifecycle_policy,
        unmanaged_type="aws_ecr_lifecycle_policy",
    ),
    TypeCase(
        "aws_ecr_lifecycle_policy",
        build=lambda s, state, c: build_ecr_lifecycle_policy(s, state, c, "sweep-ecr-lifecycle-gone"),
        # The policy deleted in the console: images pile up until the repository's quota.
        drift=lambda s, c: client(s, "ecr").delete_lifecycle_policy(repositoryName=c["repository"]),
        expected=Expected(
            "missing",
            "aws_ecr_lifecycle_policy",
            "repository",
            "aws_ecr_lifecycle_policy.sweep_ecr_lifecycle",
        ),
    ),
    TypeCase(
        "aws_ecs_task_definition",
        build=build_ecs_task_definition,
        # The team tag removed in the console: cost reports lose the task's spend.
        drift=lambda s, c: client(s, "ecs").untag_resource(resourceArn=c["task_arn"], tagKeys=["Team"]),
        expected=Expected(
            "changed",
            "aws_ecs_task_definition",
            "task_arn",
            "aws_ecs_task_definition.sweep_ecs_td_api",
            paths=("tags.Team",),
        ),
        unmanaged=_unmanaged_family,
        unmanaged_type="aws_ecs_task_definition",
    ),
    TypeCase(
        "aws_eks_cluster",
        build=build_eks_cluster,
        # Audit logging switched off in the console: who did what in the cluster is no longer kept.
        # (The endpoint edit is the classic one, but moto's UpdateClusterConfig replaces the
        # whole VPC configuration where AWS merges it, dropping the subnets.)
        drift=lambda s, c: client(s, "eks").update_cluster_config(
            name=c["cluster"], logging={"clusterLogging": [{"types": ["audit"], "enabled": False}]}
        ),
        expected=Expected(
            "changed",
            "aws_eks_cluster",
            "cluster",
            "aws_eks_cluster.sweep_eks",
            paths=("enabled_cluster_log_types",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "eks").create_cluster(
                name="sweep-eks-adhoc", roleArn=c["role"], resourcesVpcConfig={"subnetIds": c["subnets"]}
            )["cluster"]["name"]
        ),
        unmanaged_type="aws_eks_cluster",
    ),
]
