"""Match declared resources with live ones and say, field by field, what differs.

Pure: plain data in, findings out. Every type-specific decision comes from the
type's declaration in guard/live/.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from deepdiff import DeepDiff

from guard.live.collector import LiveInventory
from guard.live.types import LEFT_TO_OTHERS, Registry, ResourceType
from guard.model import Change, Drift, DriftKind, Resource, Severity

MASK = "(sensitive)"
_SEVERITY = {
    DriftKind.MISSING: Severity.HIGH,
    DriftKind.CHANGED: Severity.MEDIUM,
    DriftKind.UNMANAGED: Severity.MEDIUM,
}


@dataclass
class Reconciled:
    findings: list[Drift] = field(default_factory=list)
    unsupported_types: Counter[str] = field(default_factory=Counter)
    managed_total: int = 0
    managed_checked: int = 0
    out_of_scope: int = 0
    not_compared: int = 0  # declared, but their type could not be read in their region


def reconcile(desired: Iterable[Resource], live: LiveInventory, registry: Registry) -> Reconciled:
    result = Reconciled()
    declared = list(desired)
    by_id = {resource.id: resource for resource in declared if resource.id}

    # The compared shape of every declared resource, most specific declaration first; a
    # type whose declarations share a live resource keeps each (the third part tells them apart).
    compared: dict[tuple[str, str, str], tuple[int, Resource]] = {}
    for resource in declared:
        result.managed_total += 1
        forms = _compared_shapes(resource, by_id, registry)
        if not forms:
            result.unsupported_types[resource.type] += 1
            continue
        result.managed_checked += 1
        for precedence, shape in forms:
            declaration = registry.get(shape.type)
            if not _in_scope(shape, declaration, live):
                result.out_of_scope += 1
                continue
            shape = replace(shape, attrs=declaration.normalise_desired(shape.attrs))
            own = (shape.address or shape.id) if declaration.shares_live else ""
            key = (shape.type, declaration.match_key(shape), own)
            if key not in compared or compared[key][0] < precedence:
                compared[key] = (precedence, shape)
    shapes = _leave_to_others(compared, registry)

    live_by_key: dict[tuple[str, str], Resource] = {}
    for resource in live.resources:
        declaration = registry.get(resource.type)
        live_by_key[(resource.type, declaration.match_key(resource))] = resource

    missing: list[Resource] = []
    shared: set[tuple[str, str]] = set()
    for (type_name, match, own), (_, want) in compared.items():
        if own:
            have = live_by_key.get((type_name, match))
            shared.add((type_name, match))
        else:
            have = live_by_key.pop((type_name, match), None)
        if not _was_read(want, registry.get(want.type), live):
            result.not_compared += 1
        elif have is None:
            if not want.attrs.get(LEFT_TO_OTHERS):
                missing.append(want)
        else:
            _add_if_changed(result, registry, want, have, shapes)
    for taken in shared:
        live_by_key.pop(taken, None)

    declared_ids = {resource.id for resource in declared if resource.id}
    siblings = _declared_parents(compared.values(), registry)
    claims = _claims(shapes, registry)
    unmanaged = [
        have
        for have in live_by_key.values()
        if not have.owned_elsewhere
        and _parent_declared(have, registry, declared_ids)
        and _sibling_declared(have, registry, siblings)
        and not _held_by_parent(have, registry, by_id)
        and not _claimed(have, registry, claims)
    ]
    unmanaged = _newest_of_undeclared_families(unmanaged, [want for _, want in compared.values()], registry)
    missing, unmanaged = _pair_edits_in_place(result, registry, missing, unmanaged)
    missing = _without_children_of(missing, registry)

    result.findings.extend(_missing(want, registry) for want in missing)
    result.findings.extend(_unmanaged(have, registry, by_id) for have in unmanaged)
    result.findings.sort(key=lambda d: (d.address or "~", d.type, d.id, d.title))
    return result


def _compared_shapes(
    resource: Resource, by_id: dict[str, Resource], registry: Registry
) -> list[tuple[int, Resource]]:
    shapes: list[tuple[int, Resource]] = []
    for expansion in registry.expansions.get(resource.type, []):
        shapes.extend((expansion.precedence, shape) for shape in expansion.expand(resource, by_id))
    canonical = registry.canonical(resource.type)
    if canonical in registry.types:
        shapes.append((100, replace(resource, type=canonical, declared_type=resource.type)))
    return shapes


def _in_scope(resource: Resource, declaration: ResourceType, live: LiveInventory) -> bool:
    """Declared somewhere this run did not look (another region or account) is not missing."""
    if resource.account and resource.account != live.account:
        return False
    return declaration.global_service or not resource.region or resource.region in live.regions


def _was_read(resource: Resource, declaration: ResourceType, live: LiveInventory) -> bool:
    """Only a complete read of the resource's region can show it is gone."""
    if declaration.global_service:
        regions: tuple[str, ...] = live.regions[:1]
    elif resource.region:
        regions = (resource.region,)
    else:
        regions = live.regions
    return all((resource.type, region) in live.checked for region in regions)


def _newest_of_undeclared_families(
    unmanaged: list[Resource], wanted: list[Resource], registry: Registry
) -> list[Resource]:
    """Revisions (task definitions): a family the state declares has no unmanaged revision
    (a deploy pipeline registers new ones all day); another family is reported once, by its
    newest revision, which carries the ids of all its revisions (`_revisions`, oldest first)
    so that removing the family removes every one."""
    declared = set()
    for want in wanted:
        of = registry.get(want.type).revision_of
        if of is not None:
            declared.add((want.type, of(want)[0]))
    kept: list[Resource] = []
    families: dict[tuple[str, str], list[tuple[int, Resource]]] = defaultdict(list)
    for have in unmanaged:
        of = registry.get(have.type).revision_of
        if of is None:
            kept.append(have)
            continue
        family, revision = of(have)
        if (have.type, family) not in declared:
            families[(have.type, family)].append((revision, have))
    for revisions in families.values():
        revisions.sort(key=lambda pair: pair[0])
        newest = revisions[-1][1]
        ids = [have.id for _, have in revisions]
        kept.append(replace(newest, attrs={**newest.attrs, "_revisions": ids}))
    return kept


def _parent_declared(resource: Resource, registry: Registry, declared_ids: set[str]) -> bool:
    declaration = registry.get(resource.type)
    if declaration.parent is None:
        return True
    attr, _ = declaration.parent
    return resource.attrs.get(attr) in declared_ids


def _held_by_parent(resource: Resource, registry: Registry, by_id: dict[str, Resource]) -> bool:
    declaration = registry.get(resource.type)
    if declaration.parent is None:
        return False
    parent = by_id.get(str(resource.attrs.get(declaration.parent[0]) or ""))
    return parent is not None and declaration.held_by_parent(parent.attrs)


def _leave_to_others(
    compared: dict[tuple[str, str, str], tuple[int, Resource]], registry: Registry
) -> list[Resource]:
    """Every compared shape, without what another declaration compares already."""
    shapes = [shape for _, shape in compared.values()]
    for key, (precedence, shape) in compared.items():
        leaves = registry.get(shape.type).leaves_to_others
        if leaves is not None:
            compared[key] = (precedence, replace(shape, attrs=leaves(shape.attrs, shapes)))
    return [shape for _, shape in compared.values()]


def _claims(shapes: Sequence[Resource], registry: Registry) -> set[tuple[str, str, str]]:
    """(claimed type, claiming type, key) for every key a declared shape claims."""
    claiming = {
        (claimed, by): keys
        for claimed, declaration in registry.types.items()
        for by, keys, _ in declaration.claimed_by
    }
    found: set[tuple[str, str, str]] = set()
    for shape in shapes:
        for (claimed, by), keys in claiming.items():
            if shape.type == by:
                found.update((claimed, by, key) for key in keys(shape.attrs))
    return found


def _claimed(resource: Resource, registry: Registry, claims: set[tuple[str, str, str]]) -> bool:
    """Accounted for by another declared type (an exclusive attachment of its policy)."""
    return any(
        (resource.type, by, key_of(resource.attrs)) in claims
        for by, _, key_of in registry.get(resource.type).claimed_by
    )


def compared_live(declaration: ResourceType, want: Resource, have: Resource) -> Resource:
    """The live resource as compared with this declaration (a part of it, for a
    non-exclusive one)."""
    if declaration.compare_live is None:
        return have
    return replace(have, attrs=declaration.compare_live(have.attrs, want.attrs))


def _declared_parents(compared: Iterable[tuple[int, Resource]], registry: Registry) -> set[tuple[str, str]]:
    """(type, parent id) of every declared child, for types whose unmanaged need a sibling."""
    found: set[tuple[str, str]] = set()
    for _, shape in compared:
        declaration = registry.get(shape.type)
        if declaration.unmanaged_needs_sibling and declaration.parent is not None:
            found.add((shape.type, str(shape.attrs.get(declaration.parent[0]) or "")))
    return found


def _sibling_declared(resource: Resource, registry: Registry, siblings: set[tuple[str, str]]) -> bool:
    declaration = registry.get(resource.type)
    if not declaration.unmanaged_needs_sibling or declaration.parent is None:
        return True
    return (resource.type, str(resource.attrs.get(declaration.parent[0]) or "")) in siblings


def _empty(value: Any) -> Any:
    """null, "", [] and {} all mean "not set" to a person and to the provider."""
    return None if value in (None, "", [], {}) else value


def _same(expected: Any, actual: Any) -> bool:
    if expected == actual:
        return True
    if isinstance(expected, (list, dict)) and isinstance(actual, (list, dict)):
        return not DeepDiff(expected, actual, ignore_order=True, ignore_numeric_type_changes=True)
    return False


def attribute_changes(want: Resource, have: Resource, names: Iterable[str]) -> tuple[Change, ...]:
    changes: list[Change] = []
    for name in names:
        if name not in want.attrs:
            continue  # the state does not hold it (an older provider): nothing to compare
        expected, actual = _empty(want.attrs.get(name)), _empty(have.attrs.get(name))
        if isinstance(expected, dict) or isinstance(actual, dict):
            expected, actual = expected or {}, actual or {}
            for key in sorted(set(expected) | set(actual)):
                if not _same(expected.get(key), actual.get(key)):
                    changes.append(_masked(want, name, f"{name}.{key}", expected.get(key), actual.get(key)))
        elif not _same(expected, actual):
            changes.append(_masked(want, name, name, expected, actual))
    return tuple(changes)


def _masked(want: Resource, name: str, path: str, expected: Any, actual: Any) -> Change:
    if name in want.sensitive:
        return Change(path, MASK if expected is not None else None, MASK if actual is not None else None)
    return Change(path, expected, actual)


def compared_names(declaration: ResourceType, want: Resource) -> tuple[str, ...]:
    """Attributes another resource may set (an EIP association) count only when declared."""
    return tuple(
        name
        for name in declaration.compared
        if name not in declaration.compared_if_declared or _empty(want.attrs.get(name)) is not None
    )


def _add_if_changed(
    result: Reconciled, registry: Registry, want: Resource, have: Resource, shapes: Sequence[Resource]
) -> None:
    declaration = registry.get(want.type)
    have = compared_live(declaration, want, have)
    changes = attribute_changes(want, have, compared_names(declaration, want))
    if changes:
        drift = _changed(want, have, changes, declaration)
        note = declaration.conflicts(want, have, shapes) if declaration.conflicts else ""
        result.findings.append(replace(drift, title=f"{drift.title}; {note}") if note else drift)


def _pair_edits_in_place(
    result: Reconciled, registry: Registry, missing: list[Resource], unmanaged: list[Resource]
) -> tuple[list[Resource], list[Resource]]:
    """A declared and a live leftover that agree on a pair key are one thing edited in place."""
    for type_name, declaration in registry.types.items():
        for pair_key in declaration.pair_keys:
            gone = _unique_by(pair_key, [r for r in missing if r.type == type_name])
            new = _unique_by(pair_key, [r for r in unmanaged if r.type == type_name])
            for key in gone.keys() & new.keys():
                want, have = gone[key], new[key]
                missing.remove(want)
                unmanaged.remove(have)
                changes = attribute_changes(want, have, compared_names(declaration, want))
                if changes:  # agreeing on everything compared, they are one thing named two ways
                    result.findings.append(_changed(want, have, changes, declaration))
    return missing, unmanaged


def _without_children_of(missing: list[Resource], registry: Registry) -> list[Resource]:
    """A deleted group's rules went with it: the group's finding says it once."""
    # By type and id: an S3 bucket setting's id is its bucket's name, the same as the bucket's.
    gone = {(resource.type, resource.id) for resource in missing if resource.id}
    kept = []
    for resource in missing:
        parent = registry.get(resource.type).parent
        if parent is None or (parent[1], resource.attrs.get(parent[0])) not in gone:
            kept.append(resource)
    return kept


def _unique_by(key_of: Callable[[Resource], str | None], resources: list[Resource]) -> dict[str, Resource]:
    groups: dict[str, list[Resource]] = defaultdict(list)
    for resource in resources:
        key = key_of(resource)
        if key:
            groups[key].append(resource)
    return {key: found[0] for key, found in groups.items() if len(found) == 1}


def _name(resource: Resource, registry: Registry) -> str:
    declaration = registry.get(resource.type)
    if declaration.describe is not None:
        return declaration.describe(resource)
    return resource.id


def _declared_id(resource: Resource, declaration: ResourceType) -> str:
    """A rule declared inline has no id of its own; its group's id says where it was."""
    if resource.id or not declaration.parent:
        return resource.id
    return str(resource.attrs.get(declaration.parent[0]) or "")


def _show(value: Any) -> str:
    return "nothing" if value is None else str(value)


def _changed(want: Resource, have: Resource, changes: tuple[Change, ...], declaration: ResourceType) -> Drift:
    if declaration.parent:  # a rule edited in place: name it as it was and as it is now
        before = declaration.describe(want) if declaration.describe else want.id
        after = declaration.describe(have) if declaration.describe else have.id
        what = (
            f"{before} was changed to {after}"
            if before != after
            else f"{before} was changed ({_paths(changes)})"
        )
    elif len(changes) == 1:
        change = changes[0]
        what = f"{change.path} changed from {_show(change.expected)} to {_show(change.actual)}"
    else:
        what = f"{len(changes)} attributes changed ({_paths(changes)})"
    return _drift(DriftKind.CHANGED, want, have, have.id, f"{want.address}: {what}", changes)


def _paths(changes: tuple[Change, ...]) -> str:
    return ", ".join(change.path for change in changes)


def _missing(want: Resource, registry: Registry) -> Drift:
    what = _name(want, registry)
    title = f"{want.address}: {what} was deleted outside Terraform"
    return _drift(DriftKind.MISSING, want, None, _declared_id(want, registry.get(want.type)), title)


def _unmanaged(have: Resource, registry: Registry, by_id: dict[str, Resource]) -> Drift:
    declaration = registry.get(have.type)
    what = _name(have, registry)
    if declaration.parent:
        parent = by_id.get(str(have.attrs.get(declaration.parent[0])))
        owner = parent.address if parent else ""
        title = f"{owner}: {what} was added outside Terraform"
        return _drift(DriftKind.UNMANAGED, None, have, have.id, title, address=owner)
    named = f"{what} ({have.type} {have.id})" if declaration.describe else f"{have.type} {have.id}"
    title = f"{named} exists in AWS but in no state"
    return _drift(DriftKind.UNMANAGED, None, have, have.id, title)


def _drift(
    kind: DriftKind,
    want: Resource | None,
    have: Resource | None,
    resource_id: str,
    title: str,
    changes: tuple[Change, ...] = (),
    address: str = "",
) -> Drift:
    subject = want or have
    assert subject is not None
    declared_type = want.declared_type if want and want.declared_type else subject.type
    return Drift(
        kind=kind,
        type=declared_type,
        id=resource_id,
        address=want.address if want else address,
        account=(want.account if want else None) or (have.account if have else None),
        region=(want.region if want else None) or (have.region if have else None),
        title=title,
        changes=changes,
        expected=want,
        actual=have,
        source=want.source if want else "aws",
        severity=_SEVERITY[kind],
    )
