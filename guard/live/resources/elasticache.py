"""ElastiCache: not read live; declared for the Pulumi reader."""

from __future__ import annotations

from guard.live.types import REGISTRY, KnownType

REGISTRY.know(KnownType("aws_elasticache_parameter_group", pulumi_blocks={"parameters": "parameter"}))
