"""The one generic collector: a paginated list call per (type, region), run concurrently."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import jmespath
from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import Clients, short_error
from guard.live.types import PerItemReader, ResourceType
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


PER_ITEM_WORKERS = 8  # per-item reads in flight for one list call (AWS throttles per account)


def collect(
    clients: Clients,
    account: str,
    regions: Sequence[str],
    types: Iterable[ResourceType],
    workers: int = 16,
) -> LiveInventory:
    """Read every type in every region; a call that fails marks that (type, region) unchecked."""
    calls: dict[_ListCall, list[ResourceType]] = {}
    companions: dict[tuple[str, str], _ListCall] = {}
    for declaration in types:
        for region in regions[:1] if declaration.global_service else regions:
            key = _ListCall(
                declaration.service,
                declaration.list_call,
                tuple(sorted(declaration.list_params.items())),
                region,
                items_path=declaration.items_path if declaration.per_item else "",
                per_item=declaration.per_item,
            )
            calls.setdefault(key, []).append(declaration)
            if declaration.companion_call:
                side = _ListCall(declaration.service, declaration.companion_call[0], (), region)
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
                    reason = _failure(error)
                    log.warning("could not read %s in %s: %s", declaration.name, call.region, reason)
                    inventory.not_checked.append(NotChecked(declaration.name, call.region, reason))
                    continue
                try:
                    extra = futures[companion].result() if companion else []
                    result = future.result()
                    items = result if call.per_item else _items(result, declaration.items_path)
                    inventory.resources.extend(_to_resources(declaration, items, extra, account, call.region))
                except Exception as exc:  # a converter bug must not hide the other types
                    log.exception("could not interpret %s in %s", declaration.name, call.region)
                    inventory.not_checked.append(
                        NotChecked(declaration.name, call.region, f"internal error: {exc!r}")
                    )
                    continue
                inventory.checked.add((declaration.name, call.region))
    return inventory


def _read_pages(clients: Clients, call: _ListCall) -> list[Any]:
    client = clients.client(call.service, call.region)
    if client.can_paginate(call.operation):
        pages = list(client.get_paginator(call.operation).paginate(**dict(call.params)))
    else:  # a describe call that returns everything at once (CloudTrail's describe_trails)
        pages = [getattr(client, call.operation)(**dict(call.params))]
    if call.per_item is None:
        return pages
    reader = call.per_item
    listed = _items(pages, call.items_path)
    with ThreadPoolExecutor(max_workers=max(1, min(PER_ITEM_WORKERS, len(listed)))) as pool:
        return list(pool.map(lambda item: reader(clients, call.region, item), listed))


def _items(pages: list[Any], path: str) -> list[Any]:
    expression = jmespath.compile(path)
    return [item for page in pages for item in expression.search(page) or []]


def _to_resources(
    declaration: ResourceType,
    listed: list[Any],
    companion_pages: list[dict[str, Any]],
    account: str,
    region: str,
) -> list[Resource]:
    if declaration.children is not None:
        listed = [child for item in listed for child in declaration.children(item)]
    items = [item for item in listed if declaration.keep_item(item)]
    if declaration.companion_call and declaration.merge_companion:
        items = [dict(item) for item in items]
        declaration.merge_companion(items, _items(companion_pages, declaration.companion_call[1]))
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


def _failure(error: BaseException) -> str:
    if isinstance(error, (ClientError, BotoCoreError)):
        return short_error(error)
    return f"internal error: {error!r}"
