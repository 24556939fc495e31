"""Pulumi stacks: `pulumi stack export` files and self-managed backend checkpoints (version 3).

The AWS provider is bridged from Terraform's, so a resource's `outputs` are its
Terraform attributes in lowerCamelCase. Three differences are undone here, driven by
the declarations and the tables below: type tokens (`aws:ec2/securityGroup:SecurityGroup` is
`aws_security_group`), blocks limited to one item (a single object in Pulumi, a list
of one in Terraform), and list blocks that Pulumi gives a plural name
(`inlinePolicies` is Terraform's `inline_policy`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.input_limits import check_file_size
from guard.live.types import REGISTRY, Registry
from guard.model import Resource
from guard.state.placement import placement

SUPPORTED_VERSION = 3
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
_FIX = "pass the output of `pulumi stack export --file stack.json` (Pulumi 3.x)"

# Pulumi modules whose Terraform names carry no service prefix (aws:ec2/vpc:Vpc is aws_vpc).
_UNPREFIXED_MODULES = frozenset({"ec2"})

# Attributes that hold user data maps: their keys are not field names and stay as they are.
MAP_ATTRIBUTES = frozenset(
    {
        "tags",
        "tags_all",
        "default_tags",
        "variables",
        "environment_variables",
        "stage_variables",
        "request_parameters",
        "request_templates",
        "request_models",
        "response_parameters",
        "response_templates",
        "response_models",
        "parameters",
        "labels",
        "annotations",
        "triggers",
        "context",
        "default_arguments",
        "arguments",
        "properties",
        "options",
        "outputs",
        "metadata",
        "attributes",
        "policy_attributes",
        "conditions_map",
        "encryption_context_equals",
        "encryption_context_subset",
    }
)

# Pulumi's plural names of Terraform list blocks, in snake_case. Applied only when the
# value is a list, so a name that is plural in Terraform too (`security_groups`) is left.
PLURAL_BLOCKS: dict[str, str] = {
    "inline_policies": "inline_policy",
    "ebs_block_devices": "ebs_block_device",
    "ephemeral_block_devices": "ephemeral_block_device",
    "network_interfaces": "network_interface",
    "lifecycle_rules": "lifecycle_rule",
    "cors_rules": "cors_rule",
    "grants": "grant",
    "default_actions": "default_action",
    "actions": "action",
    "conditions": "condition",
    "subnet_mappings": "subnet_mapping",
    "global_secondary_indexes": "global_secondary_index",
    "local_secondary_indexes": "local_secondary_index",
    "replicas": "replica",
    "origins": "origin",
    "origin_groups": "origin_group",
    "ordered_cache_behaviors": "ordered_cache_behavior",
    "custom_error_responses": "custom_error_response",
    "capacity_provider_strategies": "capacity_provider_strategy",
    "routes": "route",
    "rules": "rule",
    "transitions": "transition",
    "noncurrent_version_transitions": "noncurrent_version_transition",
    "filters": "filter",
    "settings": "setting",
    "statements": "statement",
    "event_selectors": "event_selector",
    "advanced_event_selectors": "advanced_event_selector",
    "target_groups": "target_group",
    "listeners": "listener",
    "mixed_instances_policies": "mixed_instances_policy",
    "instance_refreshes": "instance_refresh",
    "warm_pools": "warm_pool",
    "block_device_mappings": "block_device_mapping",
    "ebs_block_device_mappings": "ebs_block_device",
    "placement_constraints": "placement_constraints",
    "ordered_placement_strategies": "ordered_placement_strategy",
    "service_registries": "service_registries",
    "volumes": "volume",
    "dimensions": "dimensions",
    "metric_queries": "metric_query",
}
_CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])|(?<=[A-Z])([A-Z][a-z])")


def snake_case(name: str) -> str:
    """lowerCamelCase field name to Terraform's snake_case; anything else is left as it is."""
    if not _CAMEL.match(name):
        return name
    return _HUMP.sub(lambda m: "_" + (m.group(1) or m.group(2)), name).lower()


def _camel_to_snake_words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def terraform_type(token: str, known: Collection[str] = (), registry: Registry = REGISTRY) -> str:
    """`aws:ec2/securityGroup:SecurityGroup` -> `aws_security_group`.

    The tokens declarations name first (where the rule gets a type wrong); then, of the
    names the bridge's rule can give, the first one guard knows (`known`); else the most
    likely one.
    """
    declared = registry.pulumi_tokens()
    if token in declared:
        return declared[token]
    parts = token.split(":")
    if len(parts) != 3:
        return token
    package, module_path, _ = parts
    module, _, member = module_path.partition("/")
    if not member:
        return f"{package}_{_camel_to_snake_words(module)}"
    name = _camel_to_snake_words(member)
    unversioned = re.sub(r"_?v\d+$", "", name)
    module_words = _camel_to_snake_words(module)
    candidates: list[str] = []
    for base in dict.fromkeys((unversioned, name)):
        prefixed = base if base.startswith(module_words + "_") else f"{module_words}_{base}"
        if module in _UNPREFIXED_MODULES or module == "index":
            candidates += [_join(package, base), _join(package, prefixed)]
        else:
            candidates += [_join(package, prefixed), _join(package, base)]
    return next((c for c in candidates if c in known), candidates[0])


def _join(package: str, name: str) -> str:
    """`random` + `random_password` is `random_password`, not `random_random_password`."""
    return name if name.startswith(package + "_") else f"{package}_{name}"


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG) == SECRET_VALUE


class _Secrets:
    """Unwraps secret sentinel objects; remembers that the value was secret."""

    def __init__(self) -> None:
        self.found = False
        self.unreadable = False

    def reveal(self, value: Any) -> Any:
        self.found = True
        plaintext = value.get("plaintext")
        if isinstance(plaintext, str):
            try:
                return json.loads(plaintext)
            except json.JSONDecodeError:
                return plaintext
        self.unreadable = True  # exported without --show-secrets: the value is not known here
        return None


def to_terraform_attrs(
    outputs: dict[str, Any], tf_type: str, registry: Registry = REGISTRY
) -> tuple[dict[str, Any], frozenset[str], frozenset[str]]:
    """Pulumi outputs to Terraform attributes: (attrs, secret names, names with unreadable secrets)."""
    renames = {**PLURAL_BLOCKS, **registry.pulumi_blocks(tf_type)}
    attrs: dict[str, Any] = {}
    secret: set[str] = set()
    unreadable: set[str] = set()
    for key, value in outputs.items():
        if key.startswith("__"):
            continue  # bridge bookkeeping (__meta, __defaults)
        secrets = _Secrets()
        name = snake_case(key)
        converted = _value(name, value, renames, secrets)
        if isinstance(converted, list) and name in renames:
            name = renames[name]
        if secrets.found:
            secret.add(name)
        if secrets.unreadable:
            unreadable.add(name)
            continue
        attrs[name] = converted
    return attrs, frozenset(secret), frozenset(unreadable)


def _value(name: str, value: Any, renames: dict[str, str], secrets: _Secrets) -> Any:
    if _is_secret(value):
        value = secrets.reveal(value)
    if name in MAP_ATTRIBUTES and isinstance(value, dict):
        return {k: secrets.reveal(v) if _is_secret(v) else v for k, v in value.items()}
    if isinstance(value, dict):
        return [_block(value, renames, secrets)]  # a block limited to one item: a list of one
    if isinstance(value, list):
        return [
            _block(item, renames, secrets) if isinstance(item, dict) else _plain(item, secrets)
            for item in value
        ]
    return value


def _plain(value: Any, secrets: _Secrets) -> Any:
    return secrets.reveal(value) if _is_secret(value) else value


def _block(block: dict[str, Any], renames: dict[str, str], secrets: _Secrets) -> dict[str, Any]:
    if _is_secret(block):
        revealed = secrets.reveal(block)
        return revealed if isinstance(revealed, dict) else {}
    out: dict[str, Any] = {}
    for key, value in block.items():
        name = snake_case(key)
        converted = _value(name, value, renames, secrets)
        if isinstance(converted, list) and name in renames:
            name = renames[name]
        out[name] = converted
    return out


def read_pulumi_file(path: str | Path, known_types: Collection[str] = ()) -> list[Resource]:
    name = str(path)
    check_file_size(path, name)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "no such file", "check the --pulumi-stack path") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a stack export", _FIX) from None
    except UnicodeDecodeError:
        raise InputError(name, "is not UTF-8 text", _FIX) from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})", "check permissions") from None
    return parse_pulumi(text, name, known_types)


def parse_pulumi(text: str, source: str, known_types: Collection[str] = ()) -> list[Resource]:
    """An export (`{"version": 3, "deployment": ...}`) or a backend checkpoint (`checkpoint.latest`)."""
    if not text.strip():
        raise InputError(source, "is empty", _FIX)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"is not valid JSON (line {exc.lineno}, column {exc.colno})", _FIX) from None
    if not isinstance(document, dict):
        raise InputError(source, "is JSON but not a Pulumi stack export object", _FIX)
    if "resources" in document and "deployment" not in document and "checkpoint" not in document:
        raise InputError(
            source, "looks like a Terraform state, not a Pulumi stack export", "pass it with --state"
        )
    version = document.get("version")
    if version != SUPPORTED_VERSION or isinstance(version, bool):
        raise InputError(
            source,
            f"is Pulumi checkpoint version {version!r}; guard reads version {SUPPORTED_VERSION}",
            "export it with Pulumi 3.x (`pulumi stack export`)" if isinstance(version, int) else _FIX,
        )
    if "deployment" in document:
        deployment = document["deployment"]
    elif isinstance(document.get("checkpoint"), dict):
        deployment = document["checkpoint"].get("latest") or {"resources": []}  # a stack never updated
    else:
        raise InputError(source, "has neither `deployment` nor `checkpoint`", _FIX)
    if not isinstance(deployment, dict):
        raise InputError(source, "has a `deployment` that is not an object", _FIX)
    resources = deployment.get("resources") or []
    if not isinstance(resources, list):
        raise InputError(source, "has `deployment.resources` that is not a list", _FIX)
    regions = _provider_regions(resources)
    out: list[Resource] = []
    for position, item in enumerate(resources):
        resource = _resource(item, f"{source}: resources[{position}]", source, regions, known_types)
        if resource is not None:
            out.append(resource)
    return out


def _provider_regions(resources: Iterable[Any]) -> dict[str, str]:
    """`<provider urn>::<id>` -> the provider's region, for resources whose outputs do not say."""
    regions: dict[str, str] = {}
    for item in resources:
        if isinstance(item, dict) and str(item.get("type", "")).startswith("pulumi:providers:"):
            config = {**(item.get("inputs") or {}), **(item.get("outputs") or {})}
            region = config.get("region")
            if isinstance(region, str):
                regions[f"{item.get('urn')}::{item.get('id')}"] = region
    return regions


def _resource(
    item: Any, where: str, source: str, regions: dict[str, str], known_types: Collection[str]
) -> Resource | None:
    if not isinstance(item, dict):
        raise InputError(where, "is not an object", _FIX)
    for required in ("urn", "type"):
        if not isinstance(item.get(required), str):
            raise InputError(where, f"has no `{required}` string", _FIX)
    token: str = item["type"]
    if token == "pulumi:pulumi:Stack" or token.startswith("pulumi:providers:"):
        return None
    if not item.get("custom", False) or item.get("delete"):
        return None  # a component groups others; `delete` marks a replaced object pending deletion
    outputs = item.get("outputs") or {}
    if not isinstance(outputs, dict):
        raise InputError(where, "has `outputs` that is not an object", _FIX)
    tf_type = terraform_type(token, known_types)
    attrs, secret, unreadable = to_terraform_attrs(outputs, tf_type)
    resource_id = item.get("id") or attrs.get("id") or ""
    attrs.setdefault("id", resource_id)
    account, region = placement(attrs)
    region = region or regions.get(str(item.get("provider") or ""))
    dependencies = item.get("dependencies") or []
    return Resource(
        type=tf_type,
        id=str(resource_id),
        attrs=attrs,
        address=item["urn"],
        account=account,
        region=region,
        source=source,
        sensitive=secret | unreadable,
        dependencies=tuple(str(d) for d in dependencies),
    )
