"""Live AWS state: one module per service declares its resource types in REGISTRY."""

import guard.live.autoscaling
import guard.live.cloudtrail
import guard.live.dynamodb
import guard.live.iam
import guard.live.kms
import guard.live.lambda_
import guard.live.rds
import guard.live.route53
import guard.live.s3
import guard.live.sns
import guard.live.sqs  # noqa: F401
from guard.live import ec2, sg_rules  # noqa: F401  (each module registers its declarations)
from guard.live.types import REGISTRY, Registry, ResourceType

__all__ = ["REGISTRY", "Registry", "ResourceType"]
