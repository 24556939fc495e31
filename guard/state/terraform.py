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
        with open(path, encoding="utf-8") as handle:
            return _stream_state(handle, name)
    except FileNotFoundError:
        raise InputError(name, "no such file", "check the --state path") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a state file", "pass the .tfstate file") from None
    except UnicodeDecodeError:
        raise InputError(name, "is not UTF-8 text", _FIX) from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})", "check permissions") from None


def parse_state(text: str, source: str) -> list[Resource]:
    """A state already in memory (from S3, HTTP): the same checks as a file."""
    if not text.strip():
        raise InputError(source, "is empty", _FIX)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"is not valid JSON (line {exc.lineno}, column {exc.colno})", _FIX) from None
    return parse_document(document, source)


def _header_problem(document: Any, source: str) -> InputError | None:
    """What makes a document not a version-4 state, judged on its top-level fields."""
    if not isinstance(document, dict):
        return InputError(source, "is JSON but not a Terraform state object", _FIX)
    if "encrypted_data" in document and "encryption_version" in document:
        # OpenTofu 1.7+ client-side encryption: {serial, lineage, meta, encrypted_data, encryption_version}
        return InputError(
            source,
            "is encrypted by OpenTofu's state encryption, so guard cannot read it",
            "give guard a decrypted copy: `tofu state pull > plain.tfstate` where the key is "
            "configured (or decrypt it with an `unencrypted` fallback method), then --state plain.tfstate",
        )
    if "deployment" in document and "checkpoint" not in document:
        return InputError(
            source,
            "looks like a Pulumi stack export, not a Terraform state",
            "pass it with --pulumi-stack",
        )
    version = document.get("version")
    if version is None:
        return InputError(source, "has no `version` field, so it is not a Terraform state", _FIX)
    if not isinstance(version, int) or isinstance(version, bool):
        return InputError(source, f"has a non-integer `version` ({version!r})", _FIX)
    if version < SUPPORTED_VERSION:
        return InputError(
            source,
            f"is state format version {version} (Terraform 0.11 or older), which guard does not read",
            "run `terraform init` and `terraform apply` with Terraform 0.12+ to upgrade it",
        )
    if version > SUPPORTED_VERSION:
        return InputError(
            source,
            f"is state format version {version}, newer than the version 4 guard knows",
            "upgrade change-guard",
        )
    return None


def parse_document(document: Any, source: str) -> list[Resource]:
    problem = _header_problem(document, source)
    if problem is not None:
        raise problem
    resources = document.get("resources")
    if resources is None:
        raise InputError(source, "has no `resources` list", _FIX)
    if not isinstance(resources, list):
        raise InputError(source, "has a `resources` field that is not a list", _FIX)
    out: list[Resource] = []
    for position, block in enumerate(resources):
        out.extend(_resource_instances(block, f"{source}: resources[{position}]", source))
    return out


class _Stream:
    """A JSON text read a chunk at a time, so a large state is never held whole in memory."""

    CHUNK = 1 << 20

    def __init__(self, handle: Any, source: str) -> None:
        self.handle, self.source = handle, source
        self.buffer, self.pos, self.eof, self.lines_before = "", 0, False, 0

    def more(self) -> bool:
        """Read on (at least as much again as is pending, so retries stay cheap)."""
        if self.eof:
            return False
        chunk = self.handle.read(max(self.CHUNK, len(self.buffer) - self.pos))
        if not chunk:
            self.eof = True
            return False
        self.lines_before += self.buffer.count("\n", 0, self.pos)
        self.buffer = self.buffer[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.more():
                return ""

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            raise self.invalid(self.pos)
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self.more():
                    continue
                raise self.invalid(exc.pos) from None
            # A number near the end of the buffer may go on in the next chunk ("0." + "5",
            # "1e" + "+3"): read on and decode it again.
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if (end == len(self.buffer) or (number and len(self.buffer) - end <= 2)) and self.more():
                continue
            self.pos = end
            return value

    def invalid(self, position: int) -> InputError:
        line = self.lines_before + self.buffer.count("\n", 0, position) + 1
        column = position - self.buffer.rfind("\n", 0, position)
        return InputError(self.source, f"is not valid JSON (line {line}, column {column})", _FIX)


_DECODER = json.JSONDecoder()


def _stream_state(handle: Any, source: str) -> list[Resource]:
    """Read a state file's top level, turning each `resources` entry into Resources as it
    is decoded (Terraform writes `version` first), so the file's text is never whole."""
    stream = _Stream(handle, source)
    first = stream.peek()
    if not first:
        raise InputError(source, "is empty", _FIX)
    if first != "{":
        document = stream.value()
        if stream.peek():
            raise stream.invalid(stream.pos)
        return parse_document(document, source)
    stream.pos += 1
    header: dict[str, Any] = {}
    converted: list[Resource] | None = None
    while stream.peek() != "}":
        key = stream.value()
        if not isinstance(key, str):
            raise stream.invalid(stream.pos)
        stream.take(":")
        if (
            key == "resources"
            and stream.peek() == "["
            and _header_problem({**header, "resources": []}, source) is None
        ):
            converted = _stream_resources(stream, source)
        else:
            header[key] = stream.value()
        if stream.peek() == ",":
            stream.pos += 1
        elif stream.peek() != "}":
            raise stream.invalid(stream.pos)
    stream.pos += 1
    if stream.peek():
        raise stream.invalid(stream.pos)
    if converted is None:
        return parse_document(header, source)
    problem = _header_problem({**header, "resources": []}, source)
    if problem is not None:
        raise problem
    return converted


def _stream_resources(stream: _Stream, source: str) -> list[Resource]:
    stream.take("[")
    out: list[Resource] = []
    position = 0
    while stream.peek() != "]":
        out.extend(_resource_instances(stream.value(), f"{source}: resources[{position}]", source))
        position += 1
        if stream.peek() == ",":
            stream.pos += 1
        elif stream.peek() != "]":
            raise stream.invalid(stream.pos)
    stream.pos += 1
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
