"""What is there now, in one shape: live attributes where guard reads the type, state otherwise.

The impact graph and rules on a scan both need the estate as it is. A declared resource
of a type guard reads is replaced by its live counterpart (matched the way reconcile
matches them), keeping its Terraform address and dependencies and the identity
attributes the live shape leaves out (ARN, DNS name); a declared resource of a type
guard does not read is taken from the state as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from guard.live.types import Registry
from guard.model import Resource

# Names a resource is known by that do not drift, so the state's value stands when the
# live shape leaves them out: relations (listener -> load balancer ARN, alias -> DNS name)
# match on them.
_IDENTITY = ("arn", "dns_name", "zone_id", "fqdn", "arn_suffix", "name")


@dataclass(frozen=True)
class CurrentEstate:
    """The estate as it is, read once per pass and seen two ways."""

    everything: tuple[Resource, ...]  # declared in state order (live where found), then live in no state
    missing: frozenset[int]  # positions in `everything` of declared resources of read types not found live

    @property
    def found(self) -> list[Resource]:
        """Without what was not found live: rules judge only what exists."""
        return [r for position, r in enumerate(self.everything) if position not in self.missing]


def current_resources(
    declared: Sequence[Resource], live: Sequence[Resource], registry: Registry
) -> CurrentEstate:
    """Declared resources in state order (live where found), then live ones in no state.

    Declared resources of read types that were not found live are kept and marked missing
    (the graph explains what a deleted resource breaks).
    """
    live_by_key: dict[tuple[str, str], Resource] = {}
    for resource in live:
        live_by_key.setdefault((resource.type, registry.get(resource.type).match_key(resource)), resource)
    matched: set[int] = set()
    out: list[Resource] = []
    missing: set[int] = set()
    for want in declared:
        if not registry.handles(want.type):
            out.append(want)  # not read live: the state is what is known
            continue
        have = _live_match(want, live_by_key, registry)
        if have is not None and id(have) not in matched:
            matched.add(id(have))
            out.append(_merged(want, have))
        else:
            missing.add(len(out))
            out.append(want)
    out += [_with_arn(r) for r in live if id(r) not in matched]
    return CurrentEstate(tuple(out), frozenset(missing))


def _live_match(
    want: Resource, live_by_key: dict[tuple[str, str], Resource], registry: Registry
) -> Resource | None:
    canonical = registry.canonical(want.type)
    if canonical not in registry.types:  # read only as parts (inline rules): no one live twin
        return None
    declaration = registry.get(canonical)
    shape = replace(want, type=canonical, attrs=declaration.normalise_desired(want.attrs))
    return live_by_key.get((canonical, declaration.match_key(shape)))


def _with_arn(resource: Resource) -> Resource:
    """Live shapes keep an ARN id out of the attributes; relations match on `arn`."""
    if resource.id.startswith("arn:") and not resource.attrs.get("arn"):
        return replace(resource, attrs={**resource.attrs, "arn": resource.id})
    return resource


def _merged(want: Resource, have: Resource) -> Resource:
    attrs = dict(have.attrs)
    for name in _IDENTITY:
        if attrs.get(name) in (None, "") and want.attrs.get(name) not in (None, ""):
            attrs[name] = want.attrs[name]
    return _with_arn(
        replace(
            have,
            attrs=attrs,
            address=want.address,
            dependencies=want.dependencies,
            source=want.source or have.source,
        )
    )
