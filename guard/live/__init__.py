"""Live AWS state: the declaration model, the one generic collector, and the declarations."""

from guard.live import resources  # noqa: F401  (registers every declaration on import)
from guard.live.types import REGISTRY, Registry, ResourceType

__all__ = ["REGISTRY", "Registry", "ResourceType"]
