"""Live AWS state: one module per service declares its resource types in REGISTRY."""

import guard.live.elbv2  # (load balancers, target groups, listeners, rules)
import guard.live.vpc  # noqa: F401  (route tables, routes, gateways, NACLs, EIPs, volumes, keys)
from guard.live import ec2, sg_rules  # noqa: F401  (each module registers its declarations)
from guard.live.types import REGISTRY, Registry, ResourceType

__all__ = ["REGISTRY", "Registry", "ResourceType"]
