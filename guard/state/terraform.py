"""Terraform state, format version 4 (every Terraform since 0.12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.input_limits import check_file_size
from guard.model import Resource
from guard.state.placement import placement

SUPPORTED_VERSION = 4
_FIX = "pass a state written by Terraform 0.12 or later (`terraform state pull > file.tfstate`)"


def read_state_file(path: str | Path) -> list[Resource]:
    """Read a local state file; every problem is an InputError naming the file."""
    name = str(path)
    check_file_size(path, name)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "no such file", "check the --state path") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a state file", "pass the .tfstate file") from None
    except UnicodeDecodeError:
        raise InputError(name, "is not UTF-8 text", _FIX) from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})", "check permissions") from None
    return parse_state(text, name)


def parse_state(text: str, source: str) -> list[Resource]:
    if not text.strip():
        raise InputError(source, "is empty", _FIX)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"is not valid JSON (line {exc.lineno}, column {exc.colno})", _FIX) from None
    if not isinstance(document, dict):
        raise InputError(source, "is JSON but not a Terraform state object", _FIX)
    if "deployment" in document and "checkpoint" not in document:
        raise InputError(
            source,
            "looks like a Pulumi stack export, not a Terraform state",
            "pass it with --pulumi-stack",
        )
    version = document.get("version")
    if version is None:
        raise InputError(source, "has no `version` field, so it is not a Terraform state", _FIX)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError(source, f"has a non-integer `version` ({version!r})", _FIX)
    if version < SUPPORTED_VERSION:
        raise InputError(
            source,
            f"is state format version {version} (Terraform 0.11 or older), which guard does not read",
            "run `terraform init` and `terraform apply` with Terraform 0.12+ to upgrade it",
        )
    if version > SUPPORTED_VERSION:
        raise InputError(
            source,
            f"is state format version {version}, newer than the version 4 guard knows",
            "upgrade change-guard",
        )
    resources = document.get("resources")
    if resources is None:
        raise InputError(source, "has no `resources` list", _FIX)
    if not isinstance(resources, list):
        raise InputError(source, "has a `resources` field that is not a list", _FIX)
    out: list[Resource] = []
    for position, block in enumerate(resources):
        out.extend(_resource_instances(block, f"{source}: resources[{position}]", source))
    return out


def _resource_instances(block: Any, where: str, source: str) -> list[Resource]:
    if not isinstance(block, dict):
        raise InputError(where, "is not an object", _FIX)
    for required in ("type", "name", "instances"):
        if required not in block:
            raise InputError(where, f"has no `{required}` field", _FIX)
    if block.get("mode", "managed") != "managed":
        return []  # data sources are reads, not things Terraform owns
    type_, name = block["type"], block["name"]
    if not isinstance(type_, str) or not isinstance(name, str):
        raise InputError(where, "has a `type` or `name` that is not a string", _FIX)
    instances = block["instances"]
    if not isinstance(instances, list):
        raise InputError(where, "has `instances` that is not a list", _FIX)
    module = block.get("module") or ""
    if not isinstance(module, str):
        raise InputError(where, "has a `module` that is not a string", _FIX)
    base = f"{module}.{type_}.{name}" if module else f"{type_}.{name}"
    out = []
    for position, instance in enumerate(instances):
        spot = f"{where}.instances[{position}]"
        if not isinstance(instance, dict):
            raise InputError(spot, "is not an object", _FIX)
        if instance.get("deposed"):
            continue  # an object left over from create_before_destroy; Terraform deletes it
        attrs = instance.get("attributes")
        if attrs is None and "attributes_flat" in instance:
            raise InputError(spot, "has only `attributes_flat` (a pre-0.12 layout)", _FIX)
        if not isinstance(attrs, dict):
            raise InputError(spot, "has no `attributes` object", _FIX)
        address = base + _index_suffix(instance.get("index_key"), spot)
        account, region = placement(attrs)
        resource_id = attrs.get("id")
        out.append(
            Resource(
                type=type_,
                id=str(resource_id) if resource_id is not None else "",
                attrs=attrs,
                address=address,
                account=account,
                region=region,
                source=source,
                sensitive=_sensitive_names(instance.get("sensitive_attributes"), spot),
                dependencies=_dependencies(instance.get("dependencies"), spot),
            )
        )
    return out


def _dependencies(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(where, "has `dependencies` that is not a list of addresses", _FIX)
    return tuple(value)


def _index_suffix(key: Any, where: str) -> str:
    if key is None:
        return ""
    if isinstance(key, bool):
        raise InputError(where, f"has an index_key that is neither number nor string ({key!r})", _FIX)
    if isinstance(key, int):
        return f"[{key}]"
    if isinstance(key, str):
        return f"[{json.dumps(key)}]"
    raise InputError(where, f"has an index_key that is neither number nor string ({key!r})", _FIX)


def _sensitive_names(paths: Any, where: str) -> frozenset[str]:
    """Top-level attribute names under `sensitive_attributes`; masking the whole attribute is safe."""
    if not paths:
        return frozenset()
    if not isinstance(paths, list):
        raise InputError(where, "has `sensitive_attributes` that is not a list", _FIX)
    names = set()
    for path in paths:
        steps = path if isinstance(path, list) else [path]
        first = steps[0] if steps else None
        if isinstance(first, dict) and first.get("type") == "get_attr":
            names.add(str(first.get("value")))
    return frozenset(names)
