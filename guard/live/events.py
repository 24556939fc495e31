"""CloudTrail events and resources: the engine that reads each type's declared `events`.

Every declaration in guard/live/resources/ names the write events that change its type
(`ResourceType.events`). Two readers use them: attribution (a finding of this kind on this
type was most likely made by one of these events) and `guard on-event` (this event touched
that resource). A type without events is still attributed, to any write event on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jmespath

if TYPE_CHECKING:
    from guard.live.types import Registry


@dataclass(frozen=True)
class TypeEvents:
    """The write events for one Terraform type, and how an event names the resource."""

    id_prefix: str  # the cloud id's prefix (sg-, i-): tells a tagged resource's type
    missing: tuple[str, ...] = ()  # events that delete it
    unmanaged: tuple[str, ...] = ()  # events that create it
    changed: tuple[str, ...] = ()  # events that edit it, when no path below says better
    by_path: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # top attribute -> events
    # CloudTrail names a rule by its group: the attribute holding the name to look up.
    lookup_attr: str | None = None
    # Event name -> JMESPath (over the CloudTrail record) to the ids of resources it touched.
    touched_by: Mapping[str, str] = field(default_factory=dict)

    def for_change(self, kind: str, paths: tuple[str, ...]) -> tuple[str, ...]:
        """Event names that make this kind of change (kind is a DriftKind value)."""
        if kind == "missing":
            return self.missing
        if kind == "unmanaged":
            return self.unmanaged
        names: list[str] = []
        for path in paths:
            for name in self.by_path.get(path.split(".", 1)[0], ()):
                if name not in names:
                    names.append(name)
        return tuple(names) or self.changed


def events_for(type_name: str, registry: Registry) -> TypeEvents | None:
    declaration = registry.types.get(type_name)
    return declaration.events if declaration is not None else None


def touched(record: Mapping[str, Any], registry: Registry) -> list[tuple[str, str]]:
    """(type, id) of every resource the call changed, as each type declares."""
    name = record.get("eventName") or ""
    found: list[tuple[str, str]] = []
    for type_name, declaration in registry.types.items():
        declared = declaration.events
        path = declared.touched_by.get(name) if declared is not None else None
        if declared is None or not path:
            continue
        values = jmespath.search(path, record)
        for value in values if isinstance(values, list) else [values]:
            fresh = (type_name, value) not in found
            if isinstance(value, str) and value.startswith(declared.id_prefix) and fresh:
                found.append((type_name, value))
    return found
