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
from guard.live.types import ResourceType
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
                    inventory.resources.extend(
                        _to_resources(declaration, future.result(), extra, account, call.region)
                    )
                except Exception as exc:  # a converter bug must not hide the other types
                    log.exception("could not interpret %s in %s", declaration.name, call.region)
                    inventory.not_checked.append(
                        NotChecked(declaration.name, call.region, f"internal error: {exc!r}")
                    )
                    continue
                inventory.checked.add((declaration.name, call.region))
    return inventory


def _read_pages(clients: Clients, call: _ListCall) -> list[dict[str, Any]]:
    client = clients.client(call.service, call.region)
    pages = client.get_paginator(call.operation).paginate(**dict(call.params))
    return list(pages)


def _items(pages: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    expression = jmespath.compile(path)
    return [item for page in pages for item in expression.search(page) or []]


def _to_resources(
    declaration: ResourceType,
    pages: list[dict[str, Any]],
    companion_pages: list[dict[str, Any]],
    account: str,
    region: str,
) -> list[Resource]:
    items = [item for item in _items(pages, declaration.items_path) if declaration.keep_item(item)]
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


def read_live(
    clients: Clients,
    declaration: ResourceType,
    subject: Resource,
    account: str,
    region: str,
) -> list[Resource]:
    """Re-read one resource (and whatever else its narrowed list call returns) right now.

    Uses the type's list call with its `read_params`, so a rollback step acts on what AWS
    holds at that moment, not on what the scan saw. A "not found" answer means it is gone.
    """
    params = dict(declaration.list_params)
    if declaration.read_params is not None:
        params.update(declaration.read_params(subject))
    call = _ListCall(declaration.service, declaration.list_call, tuple(params.items()), region)
    try:
        pages = _read_pages(clients, call)
    except ClientError as exc:
        if _not_found(exc):
            return []
        raise
    companion_pages: list[dict[str, Any]] = []
    if declaration.companion_call:
        side = _ListCall(declaration.service, declaration.companion_call[0], (), region)
        companion_pages = _read_pages(clients, side)
    return _to_resources(declaration, pages, companion_pages, account, region)


def _not_found(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    return "NotFound" in code or code.startswith("NoSuch")
