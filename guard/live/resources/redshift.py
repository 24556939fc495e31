"""Redshift: not read live; declared for what check-plan needs of it."""

from __future__ import annotations

from guard.live.types import REGISTRY, KnownType

REGISTRY.know(KnownType("aws_redshift_cluster", protected="data a re-create does not bring back"))
