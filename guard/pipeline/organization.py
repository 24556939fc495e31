"""[organization]: the accounts to scan, found through AWS Organizations at each run.

The tree is walked from the root (ListRoots, ListOrganizationalUnitsForParent,
ListAccountsForParent, every page of each), so a new account is scanned without a config
change and each account knows its OU and the OUs above it. Tags are read
(ListTagsForResource) only when a tag filter asks for them. An account that is not ACTIVE
(suspended, closing, closed) is skipped and said so; one whose tags cannot be read is
reported, not guessed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from guard.aws import short_error
from guard.config import OrganizationConfig
from guard.errors import AwsAccessError
from guard.model import Unreadable

if TYPE_CHECKING:
    import boto3


@dataclass(frozen=True)
class OrgUnit:
    id: str
    name: str
    path: str  # names below the root joined by "/": "Prod/Web"; "" for the root


@dataclass(frozen=True)
class OrgAccount:
    id: str
    name: str
    status: str  # ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, ...
    parents: tuple[OrgUnit, ...]  # the root first, the account's own OU last
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def ou(self) -> OrgUnit:
        return self.parents[-1]

    @property
    def label(self) -> str:
        return f"{self.id} ({self.name})" if self.name else self.id


@dataclass
class Discovery:
    accounts: list[OrgAccount] = field(default_factory=list)  # chosen, ACTIVE
    notes: list[str] = field(default_factory=list)  # what was skipped and why
    unreadable: list[Unreadable] = field(default_factory=list)


def _pages(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**params):
        items += page.get(key, [])
    return items


def walk(client: Any) -> list[OrgAccount]:
    """Every account of the organisation with the OUs above it, breadth first."""
    roots = _pages(client, "list_roots", "Roots")
    if not roots:
        return []
    root = OrgUnit(roots[0]["Id"], roots[0].get("Name", "Root"), "")
    accounts: list[OrgAccount] = []
    queue: list[tuple[OrgUnit, ...]] = [(root,)]
    while queue:
        chain = queue.pop(0)
        parent = chain[-1]
        for account in _pages(client, "list_accounts_for_parent", "Accounts", ParentId=parent.id):
            status = account.get("State") or account.get("Status") or "ACTIVE"
            accounts.append(OrgAccount(account["Id"], account.get("Name", ""), str(status).upper(), chain))
        for unit in _pages(
            client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent.id
        ):
            path = f"{parent.path}/{unit['Name']}" if parent.path else unit["Name"]
            queue.append((*chain, OrgUnit(unit["Id"], unit["Name"], path)))
    return accounts


def _normal_path(spec: str) -> str:
    spec = spec.strip("/")
    if spec == "Root" or spec.startswith("Root/"):
        spec = spec[4:].lstrip("/")
    return spec


def in_ou(account: OrgAccount, spec: str) -> bool:
    """The OU (by id or by path) is the account's own or one above it."""
    if spec.startswith(("ou-", "r-")) and "/" not in spec:
        return any(unit.id == spec for unit in account.parents)
    wanted = _normal_path(spec)
    return any(unit.path == wanted for unit in account.parents)


def _tags_match(tags: dict[str, str], wanted: tuple[tuple[str, str], ...], every: bool) -> bool:
    hits = (key in tags and fnmatch.fnmatchcase(tags[key], pattern) for key, pattern in wanted)
    return all(hits) if every else any(hits)


def discover(session: boto3.Session, settings: OrganizationConfig) -> Discovery:
    """The ACTIVE accounts [organization] selects; the organisation itself unreadable stops the run."""
    client = session.client("organizations", region_name=session.region_name or "us-east-1")
    try:
        every = walk(client)
    except (ClientError, BotoCoreError) as exc:
        raise AwsAccessError(
            f"cannot list the organisation's accounts ([organization] in the config): {short_error(exc)}; "
            "run from the management account or a delegated administrator with organizations:List*"
        ) from None
    found = Discovery()
    for account in sorted(every, key=lambda a: a.id):
        if settings.include_ous and not any(in_ou(account, s) for s in settings.include_ous):
            continue
        if any(in_ou(account, s) for s in settings.exclude_ous):
            continue
        if account.status != "ACTIVE":
            found.notes.append(f"account {account.label} skipped: it is {account.status} in the organisation")
            continue
        if settings.include_tags or settings.exclude_tags:
            try:
                tags = {
                    t["Key"]: t["Value"]
                    for t in _pages(client, "list_tags_for_resource", "Tags", ResourceId=account.id)
                }
            except (ClientError, BotoCoreError) as exc:
                found.unreadable.append(
                    Unreadable("account", account.label, f"cannot read its tags: {short_error(exc)}")
                )
                continue
            if settings.include_tags and not _tags_match(tags, settings.include_tags, every=True):
                continue
            if settings.exclude_tags and _tags_match(tags, settings.exclude_tags, every=False):
                continue
            account = OrgAccount(
                account.id, account.name, account.status, account.parents, tuple(sorted(tags.items()))
            )
        found.accounts.append(account)
    return found


def fill(pattern: str, account: OrgAccount, region: str = "") -> str:
    return pattern.format(
        account_id=account.id,
        account_name=account.name,
        region=region,
        ou=account.ou.name,
        ou_id=account.ou.id,
    )


def state_urls(account: OrgAccount, settings: OrganizationConfig, regions: tuple[str, ...]) -> list[str]:
    """The account's states: the patterns for every account and those of its OUs; one per region
    where a pattern names {region}."""
    patterns = list(settings.states)
    for spec, more in settings.ou_states:
        if in_ou(account, spec):
            patterns += more
    urls: list[str] = []
    for pattern in patterns:
        if "{region}" in pattern:
            urls += [fill(pattern, account, region) for region in regions]
        else:
            urls.append(fill(pattern, account))
    return list(dict.fromkeys(urls))


def role_for(account: OrgAccount, role: str) -> str:
    return role.replace("{account_id}", account.id)
