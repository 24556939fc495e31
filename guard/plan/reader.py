"""A Terraform plan as `terraform show -json tfplan` prints it, every format version from 0.1.

Read: `resource_changes` (actions, action_reason, replace_paths, after_unknown,
before/after_sensitive), `resource_drift` (what Terraform's refresh saw changed outside
it) and `prior_state`. Values marked sensitive are printed in clear by Terraform; here
every value meant for a person goes through `masked` first.

Formats by the Terraform that writes them: 0.1 (0.12 to 0.15.3), 0.2 (0.15.4 to 1.0),
1.0 (1.1), 1.1 (1.2), 1.2 (1.3 on; OpenTofu writes 1.2 too). The fields guard uses are read
by presence; where an older format lacks one, `Plan.limits` says what could not be checked.
Terraform leaves empty fields out (`omitempty`), so absence alone is not a gap: a field
counts as missing only in the formats that predate it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.input_limits import check_file_size
from guard.model import Resource
from guard.state.placement import placement

MASK = "(sensitive)"
UNKNOWN = "(known after apply)"
_FIX = "pass the output of `terraform show -json tfplan > plan.json`"
NO_DRIFT = (
    "Changes made outside Terraform that this apply reverts (GUARD-PLAN-002) were not checked from "
    "the plan: format 0.1 (Terraform before 0.15.4) has no `resource_drift`; `--live` checks them "
    "against AWS."
)


@dataclass(frozen=True)
class PlannedChange:
    """One entry of `resource_changes` or `resource_drift`."""

    address: str
    type: str
    name: str
    actions: tuple[str, ...]
    before: Any = None
    after: Any = None
    after_unknown: Any = None
    before_sensitive: Any = None
    after_sensitive: Any = None
    action_reason: str = ""
    replace_paths: tuple[tuple[Any, ...], ...] = ()
    module_address: str = ""
    mode: str = "managed"
    index: Any = None
    previous_address: str = ""
    provider_name: str = ""

    @property
    def deletes(self) -> bool:
        return "delete" in self.actions

    @property
    def replaces(self) -> bool:
        return "delete" in self.actions and "create" in self.actions

    @property
    def touches(self) -> bool:
        """The apply does something to the real object (not a no-op or a read)."""
        return bool(set(self.actions) & {"create", "update", "delete"})

    @property
    def action_text(self) -> str:
        if self.actions == ("delete", "create"):
            return "replace (destroy, then create)"
        if self.actions == ("create", "delete"):
            return "replace (create before destroy)"
        return "/".join(self.actions)

    def unknown_names(self) -> frozenset[str]:
        """Top-level attributes whose planned value is known only after apply."""
        if not isinstance(self.after_unknown, dict):
            return frozenset()
        return frozenset(name for name, flag in self.after_unknown.items() if _any_true(flag))


@dataclass(frozen=True)
class Plan:
    source: str
    format_version: str
    terraform_version: str
    changes: tuple[PlannedChange, ...]
    drift: tuple[PlannedChange, ...]
    prior: tuple[Resource, ...]
    complete: bool = True
    errored: bool = False
    limits: tuple[str, ...] = ()  # what this plan's format could not tell guard

    def after_states(self) -> list[Resource]:
        """Every managed resource as it will be after the apply (deleted ones left out)."""
        out = []
        for change in self.changes:
            if change.mode != "managed" or not isinstance(change.after, dict):
                continue
            attrs = dict(change.after)
            before = change.before if isinstance(change.before, dict) else {}
            resource_id = attrs.get("id") or ("" if change.replaces else before.get("id")) or ""
            account, region = placement(attrs)
            out.append(
                Resource(
                    type=change.type,
                    id=str(resource_id),
                    attrs=attrs,
                    address=change.address,
                    account=account,
                    region=region,
                    source=self.source,
                    sensitive=_sensitive_names(change.after_sensitive, attrs),
                )
            )
        return out

    def unknown(self) -> dict[str, frozenset[str]]:
        return {change.address: change.unknown_names() for change in self.changes}


def _any_true(flags: Any) -> bool:
    if flags is True:
        return True
    if isinstance(flags, dict):
        return any(_any_true(v) for v in flags.values())
    if isinstance(flags, list):
        return any(_any_true(v) for v in flags)
    return False


def _sensitive_names(flags: Any, attrs: dict[str, Any] | None = None) -> frozenset[str]:
    if flags is True:  # no marks in the plan (Terraform before 0.14): every attribute may be secret
        return frozenset(attrs or ())
    if not isinstance(flags, dict):
        return frozenset()
    return frozenset(name for name, flag in flags.items() if _any_true(flag))


def masked(value: Any, sensitive: Any) -> Any:
    """The value with every part marked in a `*_sensitive` structure replaced by a mask."""
    if sensitive is True:
        return None if value is None else MASK
    if isinstance(value, dict) and isinstance(sensitive, dict):
        return {key: masked(item, sensitive.get(key)) for key, item in value.items()}
    if isinstance(value, list) and isinstance(sensitive, list):
        return [masked(item, sensitive[i] if i < len(sensitive) else None) for i, item in enumerate(value)]
    return value


def read_plan(path: str | Path) -> Plan:
    name = str(path)
    check_file_size(path, name)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "no such file", _FIX) from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a plan file", _FIX) from None
    except UnicodeDecodeError:
        raise InputError(
            name, "is not UTF-8 text (a binary tfplan?)", "run `terraform show -json tfplan > plan.json`"
        ) from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})", "check permissions") from None
    return parse_plan(text, name)


def parse_plan(text: str, source: str) -> Plan:
    if text.startswith("PK"):
        raise InputError(source, "is a binary plan file", "run `terraform show -json tfplan > plan.json`")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"is not valid JSON (line {exc.lineno}, column {exc.colno})", _FIX) from None
    if not isinstance(document, dict):
        raise InputError(source, "is JSON but not a Terraform plan object", _FIX)
    version = document.get("format_version")
    if version is None:
        hint = (
            " (it looks like a state file: pass it to `guard scan --state`)" if "version" in document else ""
        )
        raise InputError(source, f"has no `format_version`, so it is not a plan{hint}", _FIX)
    known = _format(version)
    if known is None:
        raise InputError(
            source,
            f"has a `format_version` guard does not know ({version!r})",
            "pass the output of `terraform show -json` (format versions 0.1 to 1.x)",
        )
    if known[0] > 1:
        raise InputError(
            source,
            f"is plan format version {version}, newer than the 0.1 to 1.x guard reads",
            "upgrade change-guard",
        )
    changes = _changes(document.get("resource_changes"), source, "resource_changes")
    drift = _changes(document.get("resource_drift"), source, "resource_drift")
    marked = _marks_sensitivity(document.get("resource_changes"))
    prior_values = _object_at(document, ("prior_state", "values", "root_module"), source)
    prior = tuple(_module_resources(prior_values, source, marked))
    return Plan(
        source=source,
        format_version=version,
        terraform_version=str(document.get("terraform_version") or ""),
        changes=changes,
        drift=drift,
        prior=prior,
        complete=document.get("complete", True) is not False,
        errored=bool(document.get("errored")),
        limits=_limits(known, changes, marked),
    )


def _format(version: Any) -> tuple[int, int] | None:
    if not isinstance(version, str):
        return None
    parts = version.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def _marks_sensitivity(entries: Any) -> bool:
    """Terraform 0.14+ writes `before_sensitive`/`after_sensitive` on every change (false or {})."""
    if not isinstance(entries, list):
        return True
    changes: list[dict[str, Any]] = [
        e["change"] for e in entries if isinstance(e, dict) and isinstance(e.get("change"), dict)
    ]
    return not changes or any("before_sensitive" in c or "after_sensitive" in c for c in changes)


def _limits(version: tuple[int, int], changes: tuple[PlannedChange, ...], marked: bool) -> tuple[str, ...]:
    """What guard could not check because this plan's format predates the field it needs."""
    out = []
    if version < (0, 2):
        out.append(NO_DRIFT)
    if not marked:
        out.append(
            "This plan marks no value sensitive (`before_sensitive`/`after_sensitive`, Terraform 0.14+): "
            "guard cannot tell secrets apart, so it shows no attribute value from it."
        )
    managed = [c for c in changes if c.mode == "managed"]
    if version < (1, 0) and any(c.replaces or c.deletes for c in managed):
        out.append(
            "Why each replace or delete happens (`action_reason`, Terraform 1.1+) is not in this plan: "
            "the changes are checked, their reasons are not shown."
        )
    if version < (0, 2) and any(c.replaces and not c.replace_paths for c in managed):
        out.append(
            "Which attribute forces each replacement (`replace_paths`) is not in this plan: "
            "replacements are checked, their cause is not shown."
        )
    return tuple(out)


def _changes(entries: Any, source: str, field: str) -> tuple[PlannedChange, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise InputError(source, f"has a `{field}` that is not a list", _FIX)
    out = []
    for position, entry in enumerate(entries):
        where = f"{source}: {field}[{position}]"
        if not isinstance(entry, dict):
            raise InputError(where, "is not an object", _FIX)
        change = entry.get("change")
        if not isinstance(change, dict):
            raise InputError(where, "has no `change` object", _FIX)
        actions = change.get("actions")
        if not isinstance(actions, list) or not actions or not all(isinstance(a, str) for a in actions):
            raise InputError(where, "has no `change.actions` list", _FIX)
        for required in ("address", "type"):
            if not isinstance(entry.get(required), str):
                raise InputError(where, f"has no `{required}`", _FIX)
        unmarked = "before_sensitive" not in change and "after_sensitive" not in change
        out.append(
            PlannedChange(
                address=entry["address"],
                type=entry["type"],
                name=str(entry.get("name") or ""),
                actions=tuple(actions),
                before=change.get("before"),
                after=change.get("after"),
                after_unknown=change.get("after_unknown"),
                # No marks at all (before 0.14): treat every value as sensitive when shown.
                before_sensitive=change.get("before_sensitive", True if unmarked else None),
                after_sensitive=change.get("after_sensitive", True if unmarked else None),
                action_reason=str(entry.get("action_reason") or ""),
                replace_paths=tuple(
                    tuple(p) for p in change.get("replace_paths") or [] if isinstance(p, list)
                ),
                module_address=str(entry.get("module_address") or ""),
                mode=str(entry.get("mode") or "managed"),
                index=entry.get("index"),
                previous_address=str(entry.get("previous_address") or ""),
                provider_name=str(entry.get("provider_name") or ""),
            )
        )
    return tuple(out)


def _object_at(document: dict[str, Any], path: tuple[str, ...], source: str) -> dict[str, Any]:
    """The object at `path` (absent or null: empty); anything but an object is an InputError."""
    value: Any = document
    for depth, key in enumerate(path):
        value = value.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise InputError(source, f"has a `{'.'.join(path[: depth + 1])}` that is not an object", _FIX)
    return dict(value)


def _module_resources(module: dict[str, Any], source: str, marked: bool = True) -> list[Resource]:
    out = []
    resources = module.get("resources") or []
    if not isinstance(resources, list):
        raise InputError(source, "has a module `resources` that is not a list", _FIX)
    for entry in resources:
        if not isinstance(entry, dict) or entry.get("mode", "managed") != "managed":
            continue
        found = entry.get("values")
        values: dict[str, Any] = found if isinstance(found, dict) else {}
        account, region = placement(values)
        out.append(
            Resource(
                type=str(entry.get("type")),
                id=str(values.get("id") or ""),
                attrs=values,
                address=str(entry.get("address")),
                account=account,
                region=region,
                source=source,
                sensitive=_sensitive_names(entry.get("sensitive_values", None if marked else True), values),
            )
        )
    children = module.get("child_modules") or []
    if not isinstance(children, list):
        raise InputError(source, "has `child_modules` that is not a list", _FIX)
    for child in children:
        if isinstance(child, dict):
            out.extend(_module_resources(child, source, marked))
    return out
