"""Sample CloudTrail records for compute and containers (ECS, ECR, EKS, Auto Scaling, Lambda)."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
CLUSTER = f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/apps"
SERVICE = f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/apps/api"
TASK = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/api:7"
EKS_CLUSTER = "prod"
EKS_ARN = f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/prod"
REPOSITORY = "team/api"
REPOSITORY_ARN = f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/{REPOSITORY}"

SAMPLES: list[Sample] = [
    (
        "ecs",
        "CreateCluster",
        {"clusterName": "apps"},
        {"cluster": {"clusterArn": CLUSTER}},
        None,
        [("aws_ecs_cluster", CLUSTER)],
    ),
    # Named by name (the console) or by ARN (the CLI, Terraform).
    (
        "ecs",
        "DeleteCluster UpdateCluster UpdateClusterSettings",
        {"cluster": "apps"},
        None,
        None,
        [("aws_ecs_cluster", CLUSTER)],
    ),
    ("ecs", "DeleteCluster UpdateCluster", {"cluster": CLUSTER}, None, None, [("aws_ecs_cluster", CLUSTER)]),
    (
        "ecs",
        "TagResource UntagResource",
        {"resourceArn": CLUSTER, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_ecs_cluster", CLUSTER)],
    ),
    (
        "ecs",
        "CreateService",
        {"cluster": "apps", "serviceName": "api"},
        {"service": {"serviceArn": SERVICE}},
        None,
        [("aws_ecs_service", SERVICE)],
    ),
    # By name within its cluster (named by name or ARN), or by its own ARN.
    (
        "ecs",
        "DeleteService UpdateService",
        {"cluster": "apps", "service": "api"},
        None,
        None,
        [("aws_ecs_service", SERVICE)],
    ),
    (
        "ecs",
        "DeleteService UpdateService",
        {"cluster": CLUSTER, "service": "api"},
        None,
        None,
        [("aws_ecs_service", SERVICE)],
    ),
    (
        "ecs",
        "UpdateService",
        {"cluster": "apps", "service": SERVICE},
        None,
        None,
        [("aws_ecs_service", SERVICE)],
    ),
    (
        "ecs",
        "TagResource UntagResource",
        {"resourceArn": SERVICE, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_ecs_service", SERVICE)],
    ),
    (
        "ecr",
        "CreateRepository",
        {"repositoryName": REPOSITORY},
        {"repository": {"repositoryName": REPOSITORY, "repositoryArn": REPOSITORY_ARN}},
        None,
        [("aws_ecr_repository", REPOSITORY)],
    ),
    (
        "ecr",
        "DeleteRepository PutImageTagMutability PutImageScanningConfiguration",
        {"repositoryName": REPOSITORY},
        None,
        None,
        [("aws_ecr_repository", REPOSITORY)],
    ),
    (
        "ecr",
        "TagResource UntagResource",
        {"resourceArn": REPOSITORY_ARN, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_ecr_repository", REPOSITORY)],
    ),
    (
        "ecr",
        "PutLifecyclePolicy DeleteLifecyclePolicy",
        {"repositoryName": REPOSITORY},
        None,
        None,
        [("aws_ecr_lifecycle_policy", REPOSITORY)],
    ),
    (
        "ecs",
        "RegisterTaskDefinition",
        {"family": "api", "containerDefinitions": [{"name": "api", "image": "nginx:1.27"}]},
        {"taskDefinition": {"taskDefinitionArn": TASK, "family": "api", "revision": 7}},
        None,
        [("aws_ecs_task_definition", TASK)],
    ),
    # By family:revision (the console, the CLI) or by ARN.
    (
        "ecs",
        "DeregisterTaskDefinition",
        {"taskDefinition": "api:7"},
        None,
        None,
        [("aws_ecs_task_definition", TASK)],
    ),
    (
        "ecs",
        "DeregisterTaskDefinition",
        {"taskDefinition": TASK},
        None,
        None,
        [("aws_ecs_task_definition", TASK)],
    ),
    (
        "ecs",
        "DeleteTaskDefinitions",
        {"taskDefinitions": ["api:7", TASK.replace(":7", ":6")]},
        None,
        None,
        [("aws_ecs_task_definition", TASK), ("aws_ecs_task_definition", TASK.replace(":7", ":6"))],
    ),
    (
        "ecs",
        "TagResource UntagResource",
        {"resourceArn": TASK, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_ecs_task_definition", TASK)],
    ),
    (
        "eks",
        "CreateCluster",
        {"name": EKS_CLUSTER, "roleArn": f"arn:aws:iam::{ACCOUNT}:role/eks"},
        {"cluster": {"name": EKS_CLUSTER, "arn": EKS_ARN}},
        None,
        [("aws_eks_cluster", EKS_CLUSTER)],
    ),
    (
        "eks",
        "DeleteCluster UpdateClusterConfig UpdateClusterVersion",
        {"name": EKS_CLUSTER},
        None,
        None,
        [("aws_eks_cluster", EKS_CLUSTER)],
    ),
    (
        "eks",
        "TagResource UntagResource",
        {"resourceArn": EKS_ARN, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_eks_cluster", EKS_CLUSTER)],
    ),
]
