"""The one generic collector: a paginated list call per (type, region), run concurrently."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import jmespath
from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.live.types import PER_ITEM_WORKERS, DetailCall, PerItemReader, ResourceType
from guard.model import NotChecked, Resource

log = logging.getLogger(__name__)


@dataclass
class LiveInventory:
    account: str
    regions: tuple[str, ...]
    resources: list[Resource] = field(default_factory=list)
    not_checked: list[NotChecked] = field(default_factory=list)
    checked: set[tuple[str, str]] = field(default_factory=set)  # (type, region) read in full


@dataclass(frozen=True)
class _ListCall:
    """Types that share one list call read its pages once (ingress and egress rules)."""

    service: str
    operation: str
    params: tuple[tuple[str, Any], ...]
    region: str
    items_path: str = ""  # set with per_item: the call's result is then the enriched items
    per_item: PerItemReader | None = None
    marker: str = ""  # pages by this answer key, sent back under the same name (no paginator)


def collect(
    clients: Clients,
    account: str,
    regions: Sequence[str],
    types: Iterable[ResourceType],
    workers: int = 16,
    declared: Sequence[Resource] | None = None,
) -> LiveInventory:
    """Read every type in every region; a call that fails marks that (type, region) unchecked.

    `declared` (the state's resources) narrows a PerParent.declared_only list to the parents
    that matter; without it every live parent is read."""
    declarations = list(types)
    children = [d for d in declarations if d.per_parent is not None]
    calls: dict[_ListCall, list[ResourceType]] = {}
    companions: dict[tuple[str, str], _ListCall] = {}
    for declaration in declarations:
        if declaration.per_parent is not None:
            continue
        for region in _regions(declaration, regions):
            key = _list_call(declaration, declaration.list_params, region)
            calls.setdefault(key, []).append(declaration)
            for also in declaration.also_list:
                if also.region in ("", region):
                    params = {**declaration.list_params, **also.params}
                    calls.setdefault(_list_call(declaration, params, region), []).append(declaration)
            if declaration.companion_call:
                side = _companion(declaration, region)
                companions[(declaration.name, region)] = side
                calls.setdefault(side, [])

    inventory = LiveInventory(account=account, regions=tuple(regions))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(calls)))) as pool:
        futures = {call: pool.submit(_read_pages, clients, call) for call in calls}
        for call, future in futures.items():
            for declaration in calls[call]:
                companion = companions.get((declaration.name, call.region))
                error = future.exception()
                if error is None and companion is not None:
                    error = futures[companion].exception()
                if error is not None:
                    _not_read(inventory, declaration, call.region, error)
                    continue
                side_pages = futures[companion].result() if companion else []
                items = _listed_items(
                    declaration, future.result(), side_pages, enriched=call.per_item is not None
                )
                _add(inventory, clients, declaration, items, call.region, workers)
    # A (type, region) with several list calls (AlsoList) is read in full only if all were.
    for unread in inventory.not_checked:
        inventory.checked.discard((unread.type, unread.region))
    _collect_children(clients, inventory, children, workers, declared)
    return inventory


def _companion(declaration: ResourceType, region: str) -> _ListCall:
    """The companion call; when it is the type's own list call (a group's members are in its
    users' part of the same answer), its pages are the list call's, read once."""
    assert declaration.companion_call is not None
    operation = declaration.companion_call[0]
    params = _frozen(declaration.list_params) if operation == declaration.list_call else ()
    return _ListCall(declaration.service, operation, params, region)


def _list_call(declaration: ResourceType, params: Mapping[str, Any], region: str) -> _ListCall:
    return _ListCall(
        declaration.service,
        declaration.list_call,
        _frozen(params),
        region,
        items_path=declaration.items_path if declaration.per_item else "",
        per_item=declaration.per_item,
        marker=declaration.marker,
    )


def _frozen(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Call parameters as a hashable key (botocore takes a tuple wherever it takes a list)."""
    return tuple(sorted((name, _hashable(v)) for name, v in params.items()))


class _FrozenMap(dict[str, Any]):
    """A structure parameter (ACM's `Includes`) inside a hashable call key; botocore takes any dict."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, Mapping):
        return _FrozenMap({key: _hashable(v) for key, v in value.items()})
    return value


def _listed_items(
    declaration: ResourceType, result: list[Any], side_pages: list[Any], enriched: bool = False
) -> list[Any]:
    """The items of one list call's pages (already the items when read per item), completed
    with what the companion call adds."""
    items = result if enriched else _items(result, declaration.items_path)
    if declaration.companion_call and declaration.merge_companion:
        items = [dict(item) for item in items]
        declaration.merge_companion(items, _items(side_pages, declaration.companion_call[1]))
    if declaration.regroup is not None:
        items = declaration.regroup(items)
    return items


def _regions(declaration: ResourceType, regions: Sequence[str]) -> Sequence[str]:
    return regions[:1] if declaration.global_service else regions


def _not_read(inventory: LiveInventory, declaration: ResourceType, region: str, error: BaseException) -> None:
    reason = _failure(error)
    log.warning("could not read %s in %s: %s", declaration.name, region, reason)
    inventory.not_checked.append(NotChecked(declaration.name, region, reason))


def _add(
    inventory: LiveInventory,
    clients: Clients,
    declaration: ResourceType,
    items: list[dict[str, Any]],
    region: str,
    workers: int,
) -> None:
    """Turn one (type, region)'s items into resources; any failure marks it unchecked."""
    try:
        resources = _to_resources(clients, declaration, items, inventory.account, region, workers)
    except (ClientError, BotoCoreError) as exc:
        _not_read(inventory, declaration, region, exc)
        return
    except Exception as exc:  # a converter bug must not hide the other types
        log.exception("could not interpret %s in %s", declaration.name, region)
        inventory.not_checked.append(NotChecked(declaration.name, region, f"internal error: {exc!r}"))
        return
    inventory.resources.extend(resources)
    inventory.checked.add((declaration.name, region))


def _collect_children(
    clients: Clients,
    inventory: LiveInventory,
    children: list[ResourceType],
    workers: int,
    declared: Sequence[Resource] | None = None,
) -> None:
    """Types listed once per live parent, parents first (load balancers, listeners, rules)."""
    pending = list(children)
    while pending:
        waiting = {d.name for d in pending}
        ready = [d for d in pending if d.per_parent and d.per_parent.type not in waiting]
        if not ready:
            raise ValueError(f"per_parent declarations form a cycle: {sorted(waiting)}")
        jobs: list[tuple[ResourceType, str, str, _ListCall]] = []
        for declaration in ready:
            assert declaration.per_parent is not None
            parent = declaration.per_parent
            for region in _regions(declaration, inventory.regions):
                if (parent.type, region) not in inventory.checked:
                    inventory.not_checked.append(
                        NotChecked(declaration.name, region, f"needs {parent.type}, which could not be read")
                    )
                    continue
                parent_ids = sorted(
                    r.id
                    for r in inventory.resources
                    if r.type == parent.type and r.region in (region, None) and parent.listed(r)
                )
                wanted = _declared_parents(declaration, declared)
                if wanted is not None:
                    parent_ids = [parent_id for parent_id in parent_ids if parent_id in wanted]
                for parent_id in parent_ids:
                    params = {**declaration.list_params, parent.param: parent_id}
                    call = _ListCall(declaration.service, declaration.list_call, _frozen(params), region)
                    jobs.append((declaration, region, parent_id, call))
                inventory.checked.add((declaration.name, region))  # until a call fails
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
            futures = [pool.submit(_read_pages, clients, job[3]) for job in jobs]
            found: dict[tuple[str, str], list[dict[str, Any]]] = {}
            failed: dict[tuple[str, str], BaseException] = {}
            for (declaration, region, parent_id, _), future in zip(jobs, futures, strict=True):
                key = (declaration.name, region)
                error = future.exception()
                if error is not None:
                    failed.setdefault(key, error)
                    continue
                param = declaration.per_parent.param if declaration.per_parent else ""
                found.setdefault(key, []).extend(
                    {**item, param: item.get(param) or parent_id}
                    for item in _items(future.result(), declaration.items_path)
                )
        for declaration in ready:
            for region in _regions(declaration, inventory.regions):
                key = (declaration.name, region)
                if key not in inventory.checked:
                    continue
                inventory.checked.discard(key)
                if key in failed:
                    _not_read(inventory, declaration, region, failed[key])
                else:
                    _add(inventory, clients, declaration, found.get(key, []), region, workers)
        pending = [d for d in pending if d not in ready]


def _declared_parents(declaration: ResourceType, declared: Sequence[Resource] | None) -> set[str] | None:
    """The parents a declared_only child type is listed under: those the state declares and
    those its declared children name; None when every live parent is read."""
    parent = declaration.per_parent
    if declared is None or parent is None or not parent.declared_only or declaration.parent is None:
        return None
    attribute = declaration.parent[0]
    named = {
        str(r.attrs[attribute]) for r in declared if r.type == declaration.name and r.attrs.get(attribute)
    }
    return named | {r.id for r in declared if r.type == parent.type and r.id}


def _read_pages(clients: Clients, call: _ListCall) -> list[Any]:
    client = clients.client(call.service, call.region)
    if client.can_paginate(call.operation):
        pages = list(client.get_paginator(call.operation).paginate(**dict(call.params)))
    elif call.marker:
        pages = _marker_pages(getattr(client, call.operation), dict(call.params), call.marker)
    else:  # DescribeAddresses, DescribeKeyPairs, DescribeTrails: everything in one answer
        pages = [getattr(client, call.operation)(**dict(call.params))]
    if call.per_item is None:
        return pages
    reader = call.per_item
    listed = _items(pages, call.items_path)
    with ThreadPoolExecutor(max_workers=max(1, min(PER_ITEM_WORKERS, len(listed)))) as pool:
        return list(pool.map(lambda item: reader(clients, call.region, item), listed))


def _marker_pages(operation: Any, params: dict[str, Any], marker: str) -> list[Any]:
    """Every page of a call botocore has no paginator for: the marker an answer holds is
    sent back under the same name until an answer holds none (or an empty page repeats it)."""
    pages = [operation(**params)]
    while pages[-1].get(marker) and pages[-1][marker] != params.get(marker):
        params = {**params, marker: pages[-1][marker]}
        pages.append(operation(**params))
    return pages


def _items(pages: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    expression = jmespath.compile(path)
    return [item for page in pages for item in expression.search(page) or []]


def _to_resources(
    clients: Clients,
    declaration: ResourceType,
    items: list[dict[str, Any]],
    account: str,
    region: str,
    workers: int,
) -> list[Resource]:
    if declaration.split_item is not None:
        items = [part for item in items for part in declaration.split_item(item)]
    items = [item for item in items if declaration.keep_item(item)]
    if declaration.details and items:
        items = [dict(item) for item in items]
        for detail in declaration.details:
            _add_details(clients, declaration.service, region, detail, declaration.id_key, items, workers)
        # What only the details say (an ECS cluster listed by ARN, INACTIVE once described).
        items = [item for item in items if declaration.keep_item(item)]
    return [
        Resource(
            type=declaration.name,
            id=str(item[declaration.id_key]),
            attrs=declaration.to_attrs(item),
            account=account,
            region=None if declaration.global_service else region,
            source="aws",
            owned_elsewhere=declaration.aws_default(item),
        )
        for item in items
    ]


def _add_details(
    clients: Clients,
    service: str,
    region: str,
    detail: DetailCall,
    id_key: str,
    items: list[dict[str, Any]],
    workers: int,
) -> None:
    """Fill each item from `detail`, `detail.batch` items per call, concurrently."""
    by_id = {str(item[id_key]): item for item in items}
    groups: dict[Any, list[str]] = {}
    for item_id, item in by_id.items():
        groups.setdefault(item.get(detail.by) if detail.by else None, []).append(item_id)
    batches = [
        (group, ids[start : start + detail.batch])
        for group, ids in groups.items()
        for start in range(0, len(ids), detail.batch)
    ]
    expression = jmespath.compile(detail.items_path)

    def ask(job: tuple[Any, list[str]]) -> list[tuple[str, dict[str, Any]]]:
        group, batch = job
        service_client = clients.client(service, region)
        sent = [by_id[item_id][detail.send] for item_id in batch] if detail.send else batch
        value: Any = sent if detail.batch > 1 else sent[0]
        grouped = {detail.by: group} if detail.by else {}
        response = getattr(service_client, detail.operation)(
            **detail.params, **grouped, **{detail.param: value}
        )
        answers = expression.search(response)
        if not isinstance(answers, list):
            answers = [answers] if answers else []
        if not detail.answer_key:
            return [(batch[0], answer) for answer in answers]
        return [(str(answer.get(detail.answer_key)), answer) for answer in answers]

    with ThreadPoolExecutor(max_workers=max(1, min(workers, 8, len(batches)))) as pool:
        for answered in pool.map(ask, batches):
            for item_id, answer in answered:
                if item_id in by_id:
                    detail.merge(by_id[item_id], answer)


def _failure(error: BaseException) -> str:
    if isinstance(error, (ClientError, BotoCoreError)):
        return short_error(error)
    return f"internal error: {error!r}"


def read_live(
    clients: Clients,
    declaration: ResourceType,
    subject: Resource,
    account: str,
    region: str,
) -> list[Resource]:
    """The narrow read: one resource (and whatever else its narrowed list call returns) now.

    The same path as `collect` (paginated or not, per-item reads, the companion call,
    details, split items), narrowed by the type's `read_params`; `guard on-event` reads
    what an event touched with it, and rollback what it is about to put back. A child
    (`subject` with only its parent attribute set) is read with its siblings. A "not found"
    answer means it is gone: no resources.
    """
    params = dict(declaration.list_params)
    parent_param, parent_id = _parent_of(declaration, subject)
    if parent_param:
        params[parent_param] = parent_id  # a child is listed under its parent, as in a scan
    if declaration.read_params is not None:
        params.update(declaration.read_params(subject))
    call = _list_call(declaration, params, region)
    try:
        result = _read_pages(clients, call)
    except ClientError as exc:
        if _not_found(exc):
            return []
        raise
    side_pages: list[Any] = []
    if declaration.companion_call:
        side = _companion(declaration, region)
        side_pages = result if side.operation == declaration.list_call else _read_pages(clients, side)
    items = _listed_items(declaration, result, side_pages, enriched=call.per_item is not None)
    if parent_param:
        items = [{**item, parent_param: item.get(parent_param) or parent_id} for item in items]
    return _to_resources(clients, declaration, items, account, region, workers=4)


def _parent_of(declaration: ResourceType, subject: Resource) -> tuple[str, Any]:
    """(list-call parameter, parent id) for a type listed once per parent, else ("", None).

    Such a list call (ELBv2 describe_listeners, describe_rules) refuses to run without it."""
    if declaration.per_parent is None or declaration.parent is None:
        return "", None
    parent_id = subject.attrs.get(declaration.parent[0])
    return (declaration.per_parent.param, parent_id) if parent_id else ("", None)


def _not_found(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    return "NotFound" in code or code.startswith("NoSuch")
