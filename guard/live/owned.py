"""Attributes owned by something other than the IaC tool: never compared, and why.

Declarations ignore the well-known ones (an autoscaling group's desired_capacity);
`ignore_owned_elsewhere` adds what a user's config names (`[owned_elsewhere]` in
guard.toml), e.g. a DynamoDB table's capacity managed by a scheduler.
"""

from __future__ import annotations

from dataclasses import replace

from guard.live.types import Registry

DEFAULT_REASON = "owned elsewhere (listed in config)"


def ignore_owned_elsewhere(
    registry: Registry, type_name: str, attribute: str, reason: str = DEFAULT_REASON
) -> None:
    """Stop comparing `attribute` of `type_name`; ValueError names an unknown type or attribute."""
    if type_name not in registry.types and registry.canonical(type_name) not in registry.types:
        raise ValueError(f"unknown resource type {type_name!r} (see `guard types`)")
    declaration = registry.get(type_name)
    top = attribute.split(".", 1)[0]
    if top not in declaration.compared and top not in declaration.ignored:
        raise ValueError(
            f"{declaration.name} has no compared attribute {top!r} "
            f"(compared: {', '.join(declaration.compared)})"
        )
    registry.types[declaration.name] = replace(
        declaration,
        compared=tuple(name for name in declaration.compared if name != top),
        ignored={**declaration.ignored, top: reason},
    )
