"""Live AWS state: one module per service declares its resource types in REGISTRY."""

from guard.live import (  # noqa: F401  (each module registers its declarations on import)
    autoscaling,
    cloudtrail,
    dynamodb,
    ec2,
    elbv2,
    iam,
    kms,
    lambda_,
    rds,
    route53,
    s3,
    sg_rules,
    sns,
    sqs,
    vpc,
)
from guard.live.types import REGISTRY, Registry, ResourceType

__all__ = ["REGISTRY", "Registry", "ResourceType"]
