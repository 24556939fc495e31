"""guard.toml: accounts, roles, regions, states, rules folders, ignores, history, Slack target.

Every key can be set without the file: account-level keys through `guard scan` flags
(`--account`, `--role`, `--external-id`, `--region`, `--state`, ...), the rest through
GUARD_* environment variables (docs/config.md has the table). The file is checked
as a whole: `guard config check` lists every problem at once.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.model import Drift

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,64}$")

# Top-level settings and the environment variable that overrides each.
ENVIRONMENT = {
    "regions": "GUARD_REGIONS",
    "role": "GUARD_ROLE",
    "external_id": "GUARD_EXTERNAL_ID",
    "session_name": "GUARD_SESSION_NAME",
    "max_workers": "GUARD_MAX_WORKERS",
    "slack_channel": "GUARD_SLACK_CHANNEL",
    "rules_folders": "GUARD_RULES",
    "history_store": "GUARD_HISTORY",
    "rollback_role": "GUARD_ROLLBACK_ROLE",
}
_SECTIONS = {"defaults", "accounts", "organization", "rules", "ignores", "history", "slack"}
_DEFAULT_KEYS = {"regions", "role", "external_id", "session_name", "max_workers", "slack_channel"}
_ACCOUNT_KEYS = {
    "id",
    "name",
    "role",
    "external_id",
    "regions",
    "states",
    "tf_dirs",
    "workspace",
    "pulumi_stacks",
    "pulumi",
    "slack_channel",
}
_ORGANIZATION_KEYS = {
    "role",
    "external_id",
    "regions",
    "include_ous",
    "exclude_ous",
    "include_tags",
    "exclude_tags",
    "states",
    "ou_states",
    "workers",
    "calls_per_second",
}
# What a state pattern or a role pattern may name, per account (and {region}: one per region).
PLACEHOLDERS = ("account_id", "account_name", "region", "ou", "ou_id")
_OU_ID = re.compile(r"^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")
_IGNORE_KEYS = {"type", "id", "address", "account", "region", "reason", "expires"}


@dataclass(frozen=True)
class Approvers:
    """guard.toml `[slack.approvers]`: users and user groups, everywhere or per account."""

    users: tuple[str, ...] = ()
    usergroups: tuple[str, ...] = ()
    accounts: Mapping[str, Approvers] = field(default_factory=dict)

    def for_account(self, account: str) -> Approvers:
        return self.accounts.get(account) or self

    @property
    def empty(self) -> bool:
        return not (self.users or self.usergroups or self.accounts)


@dataclass(frozen=True)
class PulumiBackendStack:
    backend: str  # s3://bucket[/prefix] or a local backend folder
    stack: str  # org/project/stack


@dataclass(frozen=True)
class AccountConfig:
    id: str
    name: str = ""
    role: str = ""  # a role ARN, or a role name that exists in every account
    external_id: str = ""
    regions: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    tf_dirs: tuple[str, ...] = ()
    workspace: str = ""
    pulumi_stacks: tuple[str, ...] = ()
    pulumi: tuple[PulumiBackendStack, ...] = ()
    slack_channel: str = ""

    @property
    def label(self) -> str:
        return f"{self.id} ({self.name})" if self.name else self.id


@dataclass(frozen=True)
class OrganizationConfig:
    """[organization]: accounts discovered through AWS Organizations at each run."""

    role: str = ""  # a role name, or an ARN pattern with {account_id}
    external_id: str = ""
    regions: tuple[str, ...] = ()
    include_ous: tuple[str, ...] = ()  # OU ids (ou-..., r-...) or paths (Prod/Web); children too
    exclude_ous: tuple[str, ...] = ()
    include_tags: tuple[tuple[str, str], ...] = ()  # every one must match (value: a glob)
    exclude_tags: tuple[tuple[str, str], ...] = ()  # any one excludes
    states: tuple[str, ...] = ()  # patterns with {account_id} {account_name} {region} {ou} {ou_id}
    ou_states: tuple[tuple[str, tuple[str, ...]], ...] = ()  # OU id or path -> patterns
    workers: int = 8
    calls_per_second: float = 20.0  # per account, every AWS call; 0: no limit


@dataclass(frozen=True)
class Ignore:
    """Hides the findings it matches (glob patterns), for a reason, until it expires."""

    reason: str
    type: str = "*"
    id: str = "*"
    address: str = "*"
    account: str = "*"
    region: str = "*"
    expires: date | None = None

    def matches(self, drift: Drift) -> bool:
        return all(
            fnmatch.fnmatchcase(str(value or ""), pattern)
            for value, pattern in (
                (drift.type, self.type),
                (drift.id, self.id),
                (drift.address, self.address),
                (drift.account, self.account),
                (drift.region, self.region),
            )
        )

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    @property
    def label(self) -> str:
        what = " ".join(v for v in (self.type, self.id, self.address) if v != "*") or "everything"
        return f"{what} ({self.reason})"


@dataclass(frozen=True)
class Config:
    path: str = ""
    accounts: tuple[AccountConfig, ...] = ()
    regions: tuple[str, ...] = ()
    role: str = ""
    external_id: str = ""
    session_name: str = "change-guard"
    max_workers: int = 4
    slack_channel: str = ""
    rules_folders: tuple[str, ...] = ()
    history_store: str = ""
    ignores: tuple[Ignore, ...] = ()
    organization: OrganizationConfig | None = None
    rollback_role: str = ""  # [slack] rollback_role: what `guard serve` rolls back with
    approvers: Approvers = field(default_factory=Approvers)
    problems: tuple[str, ...] = field(default=(), compare=False)


def load_config(path: str | Path, environ: Mapping[str, str] | None = None, strict: bool = True) -> Config:
    """Read and check guard.toml; with `strict`, the first problem (and how many more) is an InputError."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "no such file", "check --config or GUARD_CONFIG") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot be read ({exc})", "check the file") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(name, f"is not valid TOML ({exc})", "fix the syntax") from None
    config = parse_config(document, name, os.environ if environ is None else environ)
    if strict and config.problems:
        more = len(config.problems) - 1
        raise InputError(
            name,
            config.problems[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""),
            f"run `guard config check --config {name}` to list them all",
        )
    return config


class _ConfigChecker:
    """Checks one guard.toml's values and keeps every problem found, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def string(self, table: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.add(f"{where}.{key}", f"must be a string, not {type(value).__name__}")
            return default
        return value

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{where}.{key}", "must be a list of strings")
            return ()
        return tuple(value)

    def unknown(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.add(f"{where}.{key}", f"is not a setting guard knows (known: {', '.join(sorted(allowed))})")

    def regions(self, regions: tuple[str, ...], where: str) -> None:
        for region in regions:
            if not _REGION.match(region):
                self.add(where, f"{region!r} is not an AWS region name (like us-east-1)")

    def role(self, role: str, where: str) -> None:
        if role and not (_ROLE_ARN.match(role) or (_ROLE_NAME.match(role) and not role.startswith("arn:"))):
            self.add(where, f"{role!r} is neither a role ARN nor a role name")


def parse_config(document: Mapping[str, Any], name: str, environ: Mapping[str, str]) -> Config:
    check = _ConfigChecker()
    check.unknown(document, _SECTIONS, name)
    defaults = _table(document, "defaults", name, check)
    check.unknown(defaults, _DEFAULT_KEYS, f"{name}: defaults")
    where = f"{name}: defaults"
    regions = check.strings(defaults, "regions", where)
    check.regions(regions, f"{where}.regions")
    role = check.string(defaults, "role", where)
    check.role(role, f"{where}.role")
    max_workers = defaults.get("max_workers", 4)
    if not isinstance(max_workers, int) or isinstance(max_workers, bool) or not 1 <= max_workers <= 64:
        check.add(f"{where}.max_workers", "must be a whole number from 1 to 64")
        max_workers = 4

    rules = _table(document, "rules", name, check)
    check.unknown(rules, {"folders"}, f"{name}: rules")
    history = _table(document, "history", name, check)
    check.unknown(history, {"store"}, f"{name}: history")
    slack = _table(document, "slack", name, check)
    check.unknown(slack, {"channel", "rollback_role", "approvers"}, f"{name}: slack")
    rollback_role = check.string(slack, "rollback_role", f"{name}: slack")
    check.role(rollback_role, f"{name}: slack.rollback_role")
    approvers = _approvers(slack.get("approvers", {}), f"{name}: slack.approvers", check)

    accounts = _accounts(document.get("accounts", []), name, check)
    organization = (
        _organization(document["organization"], name, check) if "organization" in document else None
    )
    ignores = _ignores(document.get("ignores", []), name, check)

    config = Config(
        path=name,
        accounts=accounts,
        regions=regions,
        role=role,
        external_id=check.string(defaults, "external_id", where),
        session_name=check.string(defaults, "session_name", where, "change-guard"),
        max_workers=max_workers,
        slack_channel=check.string(slack, "channel", f"{name}: slack")
        or check.string(defaults, "slack_channel", where),
        rules_folders=check.strings(rules, "folders", f"{name}: rules"),
        history_store=check.string(history, "store", f"{name}: history"),
        ignores=ignores,
        organization=organization,
        rollback_role=rollback_role,
        approvers=approvers,
    )
    config = _from_environment(config, environ, check)
    if organization is not None and not (organization.role or config.role):
        check.add(
            f"{name}: organization.role",
            "is required: the role guard assumes in each account (a name, or an ARN with {account_id})",
        )
    return Config(**{**config.__dict__, "problems": tuple(check.problems)})


def _approvers(value: Any, where: str, check: _ConfigChecker, per_account: bool = True) -> Approvers:
    """[slack.approvers]: users (U...) and usergroups (S...), and [slack.approvers.accounts."ID"]."""
    if not isinstance(value, dict):
        check.add(where, "must be a table (users = [...], usergroups = [...])")
        return Approvers()
    allowed = {"users", "usergroups", "accounts"} if per_account else {"users", "usergroups"}
    check.unknown(value, allowed, where)
    users = check.strings(value, "users", where)
    groups = check.strings(value, "usergroups", where)
    for user in users:
        if not re.match(r"^[UW][A-Z0-9]{2,}$", user):
            check.add(
                f"{where}.users", f"{user!r} is not a Slack user id (U0123ABCD: profile, Copy member ID)"
            )
    for group in groups:
        if not re.match(r"^S[A-Z0-9]{2,}$", group):
            check.add(f"{where}.usergroups", f"{group!r} is not a Slack user group id (S0123ABCD)")
    accounts: dict[str, Approvers] = {}
    if per_account:
        table = value.get("accounts", {})
        if not isinstance(table, dict):
            check.add(f"{where}.accounts", 'must be a table of account ids ([slack.approvers.accounts."ID"])')
            table = {}
        for account, entry in table.items():
            if not _ACCOUNT_ID.match(str(account)):
                check.add(f"{where}.accounts", f"{account!r} is not a 12-digit account id")
            accounts[str(account)] = _approvers(
                entry, f"{where}.accounts.{account}", check, per_account=False
            )
    return Approvers(users, groups, accounts)


def _table(document: Mapping[str, Any], key: str, name: str, check: _ConfigChecker) -> Mapping[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        check.add(f"{name}: {key}", "must be a table ([" + key + "])")
        return {}
    return value


def _accounts(value: Any, name: str, check: _ConfigChecker) -> tuple[AccountConfig, ...]:
    if not isinstance(value, list):
        check.add(f"{name}: accounts", "must be an array of tables ([[accounts]])")
        return ()
    out: list[AccountConfig] = []
    seen: dict[str, int] = {}
    for position, table in enumerate(value):
        where = f"{name}: accounts[{position}]"
        if not isinstance(table, dict):
            check.add(where, "must be a table")
            continue
        check.unknown(table, _ACCOUNT_KEYS, where)
        account_id = table.get("id")
        if isinstance(account_id, int) and not isinstance(account_id, bool):
            account_id = f"{account_id:012d}"  # an unquoted id is a TOML integer
        if not isinstance(account_id, str) or not _ACCOUNT_ID.match(account_id):
            check.add(f"{where}.id", f"{account_id!r} is not a 12-digit AWS account id")
            account_id = str(account_id)
        elif account_id in seen:
            check.add(f"{where}.id", f"{account_id} is already accounts[{seen[account_id]}]")
        seen.setdefault(account_id, position)
        regions = check.strings(table, "regions", where)
        check.regions(regions, f"{where}.regions")
        role = check.string(table, "role", where)
        check.role(role, f"{where}.role")
        if role.startswith("arn:") and account_id not in role:
            check.add(f"{where}.role", f"{role} is not in account {account_id}")
        pulumi = []
        for index, entry in enumerate(
            table.get("pulumi", []) if isinstance(table.get("pulumi"), list) else []
        ):
            spot = f"{where}.pulumi[{index}]"
            if not isinstance(entry, dict) or not {"backend", "stack"} <= set(entry):
                check.add(spot, 'must be { backend = "s3://bucket[/prefix]", stack = "org/project/stack" }')
                continue
            pulumi.append(PulumiBackendStack(str(entry["backend"]), str(entry["stack"])))
        if "pulumi" in table and not isinstance(table["pulumi"], list):
            check.add(f"{where}.pulumi", "must be an array of { backend, stack } tables")
        account = AccountConfig(
            id=account_id,
            name=check.string(table, "name", where),
            role=role,
            external_id=check.string(table, "external_id", where),
            regions=regions,
            states=check.strings(table, "states", where),
            tf_dirs=check.strings(table, "tf_dirs", where),
            workspace=check.string(table, "workspace", where),
            pulumi_stacks=check.strings(table, "pulumi_stacks", where),
            pulumi=tuple(pulumi),
            slack_channel=check.string(table, "slack_channel", where),
        )
        if not (account.states or account.tf_dirs or account.pulumi_stacks or account.pulumi):
            check.add(where, "declares no state (states, tf_dirs, pulumi_stacks or pulumi)")
        out.append(account)
    return tuple(out)


def _patterns(check: _ConfigChecker, patterns: tuple[str, ...], where: str) -> None:
    import string

    for pattern in patterns:
        try:
            names = [field for _, field, _, _ in string.Formatter().parse(pattern) if field is not None]
        except ValueError as exc:
            check.add(where, f"{pattern!r} is not a pattern ({exc}); write a literal brace as {{{{ or }}}}")
            continue
        for unknown in sorted(set(names) - set(PLACEHOLDERS)):
            check.add(
                where,
                f"{pattern!r} names {{{unknown}}}, which guard does not know "
                f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})",
            )


def _ou_specs(check: _ConfigChecker, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    specs = check.strings(table, key, where)
    for spec in specs:
        if not spec.strip("/") and spec != "/":
            check.add(f"{where}.{key}", f"{spec!r} is empty: give an OU id (ou-...) or a path (Prod/Web)")
        elif spec.startswith(("ou-", "r-")) and "/" not in spec and not _OU_ID.match(spec):
            check.add(f"{where}.{key}", f"{spec!r} is not an OU id (like ou-ab12-cd34ef56)")
    return specs


def _tags(
    check: _ConfigChecker, table: Mapping[str, Any], key: str, where: str
) -> tuple[tuple[str, str], ...]:
    value = table.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        check.add(f"{where}.{key}", 'must be a table of tag = "value" (a glob: "prod*")')
        return ()
    return tuple(sorted(value.items()))


def _organization(value: Any, name: str, check: _ConfigChecker) -> OrganizationConfig:
    where = f"{name}: organization"
    if not isinstance(value, dict):
        check.add(where, "must be a table ([organization])")
        return OrganizationConfig()
    check.unknown(value, _ORGANIZATION_KEYS, where)
    role = check.string(value, "role", where)
    if role:
        sample = role.replace("{account_id}", "123456789012")
        if "{" in sample or "}" in sample:
            check.add(f"{where}.role", f"{role!r} may name only {{account_id}}")
        else:
            check.role(sample, f"{where}.role")
    regions = check.strings(value, "regions", where)
    check.regions(regions, f"{where}.regions")
    states = check.strings(value, "states", where)
    _patterns(check, states, f"{where}.states")
    ou_states: list[tuple[str, tuple[str, ...]]] = []
    raw = value.get("ou_states", {})
    if not isinstance(raw, dict):
        check.add(f"{where}.ou_states", 'must be a table of "OU id or path" = ["pattern", ...]')
        raw = {}
    for spec in raw:
        patterns = check.strings(raw, spec, f"{where}.ou_states")
        _patterns(check, patterns, f"{where}.ou_states.{spec}")
        ou_states.append((spec, patterns))
    if not states and not ou_states:
        check.add(
            where, "declares no state: give states (a pattern like s3://tf-{account_id}/...) or ou_states"
        )
    workers = value.get("workers", 8)
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= 64:
        check.add(f"{where}.workers", "must be a whole number from 1 to 64")
        workers = 8
    rate = value.get("calls_per_second", 20.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 10000:
        check.add(f"{where}.calls_per_second", "must be a number from 0 (no limit) to 10000")
        rate = 20.0
    return OrganizationConfig(
        role=role,
        external_id=check.string(value, "external_id", where),
        regions=regions,
        include_ous=_ou_specs(check, value, "include_ous", where),
        exclude_ous=_ou_specs(check, value, "exclude_ous", where),
        include_tags=_tags(check, value, "include_tags", where),
        exclude_tags=_tags(check, value, "exclude_tags", where),
        states=states,
        ou_states=tuple(ou_states),
        workers=workers,
        calls_per_second=float(rate),
    )


def _ignores(value: Any, name: str, check: _ConfigChecker) -> tuple[Ignore, ...]:
    if not isinstance(value, list):
        check.add(f"{name}: ignores", "must be an array of tables ([[ignores]])")
        return ()
    out = []
    for position, table in enumerate(value):
        where = f"{name}: ignores[{position}]"
        if not isinstance(table, dict):
            check.add(where, "must be a table")
            continue
        check.unknown(table, _IGNORE_KEYS, where)
        reason = table.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            check.add(f"{where}.reason", "is required: say why this finding may be ignored")
            reason = ""
        expires = table.get("expires")
        if isinstance(expires, datetime):
            expires = expires.date()
        elif isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                check.add(f"{where}.expires", f"{expires!r} is not a date (YYYY-MM-DD)")
                expires = None
        elif expires is not None and not isinstance(expires, date):
            check.add(f"{where}.expires", "must be a date (YYYY-MM-DD)")
            expires = None
        patterns = {
            key: check.string(table, key, where, "*")
            for key in ("type", "id", "address", "account", "region")
        }
        if all(p == "*" for p in patterns.values()):
            check.add(where, "matches every finding; give at least one of type, id, address, account, region")
        out.append(Ignore(reason=reason, expires=expires, **patterns))
    return tuple(out)


def _from_environment(config: Config, environ: Mapping[str, str], check: _ConfigChecker) -> Config:
    """GUARD_* variables override the file's top-level settings."""
    values: dict[str, Any] = {}
    for key, variable in ENVIRONMENT.items():
        raw = environ.get(variable)
        if raw is None or raw == "":
            continue
        if key == "regions":
            values[key] = tuple(r.strip() for r in raw.split(",") if r.strip())
            check.regions(values[key], variable)
        elif key == "rules_folders":
            values[key] = tuple(p for p in raw.split(os.pathsep) if p)
        elif key == "max_workers":
            if raw.isdigit() and 1 <= int(raw) <= 64:
                values[key] = int(raw)
            else:
                check.add(variable, f"{raw!r} must be a whole number from 1 to 64")
        else:
            values[key] = raw
    return Config(**{**config.__dict__, **values}) if values else config


@dataclass(frozen=True)
class Filtered:
    findings: tuple[Drift, ...]
    hidden: int
    notes: tuple[str, ...]


def apply_ignores(
    findings: tuple[Drift, ...], ignores: tuple[Ignore, ...], today: date | None = None
) -> Filtered:
    """Drop what a live ignore matches; an expired ignore hides nothing and says so."""
    today = today or date.today()
    kept: list[Drift] = []
    hidden = 0
    expired_used: dict[Ignore, int] = {}
    for drift in findings:
        matching = [ignore for ignore in ignores if ignore.matches(drift)]
        if any(not ignore.expired(today) for ignore in matching):
            hidden += 1
            continue
        for ignore in matching:
            expired_used[ignore] = expired_used.get(ignore, 0) + 1
        kept.append(drift)
    notes = []
    if hidden:
        notes.append(f"{hidden} finding{'s' if hidden != 1 else ''} hidden by ignores in the config")
    for ignore, count in expired_used.items():
        notes.append(
            f"ignore of {ignore.label} expired on {ignore.expires}: its {count} "
            f"finding{'s are' if count != 1 else ' is'} shown again"
        )
    return Filtered(tuple(kept), hidden, tuple(notes))
