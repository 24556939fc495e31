"""ECS: not read live; declared for the Pulumi reader."""

from __future__ import annotations

from guard.live.types import REGISTRY, KnownType

REGISTRY.know(
    KnownType(
        "aws_ecs_service",
        pulumi_blocks={"load_balancers": "load_balancer", "service_registries": "service_registries"},
    )
)
