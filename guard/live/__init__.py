"""Live AWS state: one module per service declares its resource types in REGISTRY."""

from guard.live import ec2, sg_rules  # noqa: F401  (each module registers its declarations)
from guard.live import s3  # noqa: F401
from guard.live import iam  # noqa: F401
from guard.live import rds  # noqa: F401
from guard.live import route53  # noqa: F401
from guard.live import kms  # noqa: F401
from guard.live import lambda_  # noqa: F401
from guard.live import cloudtrail  # noqa: F401
from guard.live import autoscaling  # noqa: F401
from guard.live import dynamodb  # noqa: F401
from guard.live import sqs  # noqa: F401
from guard.live import sns  # noqa: F401
from guard.live.types import REGISTRY, Registry, ResourceType

__all__ = ["REGISTRY", "Registry", "ResourceType"]
