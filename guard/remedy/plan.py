"""The way back for every finding, most precise first: the AWS call, then the IaC command.

1. A direct AWS call that reverses the edit, only where the type's declaration says
   one is safe (`restore_calls`, `recreate_calls`, `delete_calls`); never an invented one.
2. `terraform apply -target=ADDRESS` (or `pulumi up --target URN`).
3. For a resource in no state: an `import` block and a resource skeleton written in
   HCL with python-hcl2, or the delete call (run only with --delete-unmanaged).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import botocore.session
import hcl2
from botocore import xform_name

from guard.live.types import Registry, ResourceType
from guard.model import AwsCall, Drift, DriftKind, Resource, RollbackStep
from guard.reconcile.match import MASK

log = logging.getLogger(__name__)

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_]")
_IS_BLOCK = "__is_block__"


def rollback_plan(drift: Drift, registry: Registry) -> tuple[RollbackStep, ...]:
    subject = drift.expected or drift.actual
    if subject is None:
        return ()
    declaration = registry.get(subject.type)
    steps: list[RollbackStep] = []
    if drift.kind is DriftKind.CHANGED and drift.expected is not None:
        # A masked value cannot go into a command line; Terraform holds the real one.
        visible = tuple(c for c in drift.changes if MASK not in (c.expected, c.actual))
        calls = declaration.restore_calls(drift.expected, drift.actual, visible) if visible else []
        steps += [
            _delete_step(call, drift.id)
            if call.operation in declaration.removing
            else _aws_step(call, "Restore the declared value in place")
            for call in calls
        ]
        uncovered = [
            c.path
            for c in drift.changes
            if c not in visible or not calls or not _restorable(c.path, declaration.restorable)
        ]
        if uncovered:
            steps.append(
                RollbackStep(
                    "manual",
                    "No safe direct AWS call for " + ", ".join(uncovered) + "; let the IaC tool do it",
                )
            )
        steps.append(_iac_step(drift.address, "Or re-apply the declaration", drift.source))
    elif drift.kind is DriftKind.MISSING and drift.expected is not None:
        calls = declaration.recreate_calls(drift.expected) if declaration.recreate_calls else []
        steps += [_aws_step(call, "Re-create exactly what was deleted") for call in calls]
        if not calls:
            steps.append(
                RollbackStep("manual", "No safe direct AWS call re-creates it; let the IaC tool do it")
            )
        steps.append(_iac_step(drift.address, "Or let Terraform re-create it", drift.source))
    elif drift.kind is DriftKind.UNMANAGED and drift.actual is not None:
        if declaration.parent is not None and declaration.delete_calls is not None:
            # An addition to a declared resource: taking it away restores the declaration.
            calls = declaration.delete_calls(drift.actual)
            steps += [_aws_step(call, "Remove what was added") for call in calls]
            if drift.address:
                steps.append(
                    _iac_step(
                        drift.address,
                        "Or re-apply the owner (removes it only if its rules are inline)",
                        drift.source,
                    )
                )
        else:
            steps.append(_import_step(drift.actual, declaration))
            if declaration.delete_calls is not None:
                steps += [
                    RollbackStep(
                        "delete",
                        "Or delete it (only with --delete-unmanaged and --only " + drift.id + ")",
                        cli=aws_cli(call),
                        call=call,
                    )
                    for call in declaration.delete_calls(drift.actual)
                ]
    return tuple(steps)


def _restorable(path: str, restorable: tuple[str, ...]) -> bool:
    top = path.split(".", 1)[0]
    return "*" in restorable or top in restorable


def _aws_step(call: AwsCall, description: str) -> RollbackStep:
    return RollbackStep("aws", description, cli=aws_cli(call), call=call)


def _delete_step(call: AwsCall, finding_id: str) -> RollbackStep:
    """Taking away what was added to a declared resource (a detach) is a delete."""
    description = f"Remove what was added (only with --delete-unmanaged and --only {finding_id})"
    return RollbackStep("delete", description, cli=aws_cli(call), call=call)


# --- the IaC command ---------------------------------------------------------------


def iac_command(address: str) -> str:
    """`terraform apply -target=ADDR`, quoted for the shell when the address has an index key."""
    if address.startswith("urn:pulumi:"):
        return f"pulumi up --target {shlex.quote(address)}"
    return f"terraform apply -target={shlex.quote(address)}"


def _iac_step(address: str, description: str, source: str = "") -> RollbackStep:
    if source.startswith("tfe://"):
        # State kept by HCP Terraform: the apply is a run in that workspace, not a local apply.
        workspace = source.removeprefix("tfe://")
        command = iac_command(address)
        description = (
            f"{description}: in HCP Terraform workspace {workspace}, start a run with "
            f"-target={shlex.quote(address)} (or `{command}` from a directory whose cloud block "
            "selects that workspace)"
        )
        return RollbackStep("iac", description, iac=command)
    return RollbackStep("iac", description, iac=iac_command(address))


# --- adopting an unmanaged resource: HCL written with python-hcl2 -------------------


def terraform_name(resource_id: str) -> str:
    """A valid Terraform resource name derived from the cloud id (`sg-0ab` -> `sg_0ab`)."""
    name = _SAFE_NAME.sub("_", resource_id).strip("_") or "adopted"
    return name if name[0].isalpha() or name[0] == "_" else f"r_{name}"


def import_hcl(resource: Resource, declaration: ResourceType) -> str:
    """An `import` block and a resource skeleton holding the live values guard compares."""
    name = terraform_name(resource.id)
    arguments = (
        declaration.hcl_arguments(resource)
        if declaration.hcl_arguments is not None
        else {key: resource.attrs.get(key) for key in declaration.compared}
    )
    body: dict[str, Any] = {}
    for key, value in arguments.items():
        if value in (None, "", [], {}) or key in resource.sensitive:
            continue
        body[key] = _hcl_value(value, top_level=True)
    body[_IS_BLOCK] = True
    imported = declaration.import_id(resource) if declaration.import_id is not None else resource.id
    document = {
        "import": [{"to": f"${{{resource.type}.{name}}}", "id": _hcl_string(imported), _IS_BLOCK: True}],
        "resource": [{_hcl_string(resource.type): {_hcl_string(name): body}}],
    }
    text = hcl2.dumps(document)
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _hcl_string(value: str) -> str:
    """An HCL string literal: JSON's escapes, plus `$${` and `%%{` so nothing is a template."""
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _hcl_value(value: Any, top_level: bool = False) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return _hcl_string(value)
    if isinstance(value, Mapping):
        return {_hcl_string(str(k)): _hcl_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        if top_level and value and all(isinstance(item, Mapping) for item in value):
            # A list of objects in the provider's attribute shape is a repeated block.
            return [{**_hcl_block(item), _IS_BLOCK: True} for item in value]
        return [_hcl_value(item) for item in value]
    return _hcl_string(str(value))


def _hcl_block(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A nested block's body: argument names are bare identifiers, values as anywhere else."""
    return {str(k): _hcl_value(v, top_level=True) for k, v in arguments.items() if v is not None}


def _import_step(resource: Resource, declaration: ResourceType) -> RollbackStep:
    return RollbackStep(
        "import",
        "Adopt it into Terraform: add this import block and skeleton, then run `terraform plan` "
        "and fill in what it reports (or use `terraform plan -generate-config-out=adopted.tf`)",
        iac=import_hcl(resource, declaration),
    )


# --- the `aws` CLI line, checked against botocore's service model --------------------


@functools.cache
def _service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


@functools.cache
def operation_name(service: str, method: str) -> str:
    """The API operation behind a boto3 method (`describe_db_instances` -> `DescribeDBInstances`)."""
    for name in _service_model(service).operation_names:
        if xform_name(name) == method:
            return str(name)
    raise ValueError(f"{service} has no operation {method}")


# botocore service names the aws CLI renames (awscli/customizations: s3 -> s3api, since
# `aws s3` is the high-level cp/sync command; codedeploy -> deploy; config -> configservice).
# Every other service's command is its botocore name (elbv2, lambda, route53, ...).
CLI_COMMANDS = {"s3": "s3api", "codedeploy": "deploy", "config": "configservice"}


def cli_command(service: str) -> str:
    """The aws CLI command for a botocore service name."""
    return CLI_COMMANDS.get(service, service)


def aws_cli(call: AwsCall) -> str:
    """The copy-pasteable `aws` CLI line for a boto3 call."""
    operation = _service_model(call.service).operation_model(operation_name(call.service, call.operation))
    members = operation.input_shape.members if operation.input_shape is not None else {}
    words = ["aws", cli_command(call.service), xform_name(operation.name, "-")]
    if call.region:
        words += ["--region", shlex.quote(call.region)]
    for name, value in call.params.items():
        shape = members.get(name)
        words += _cli_option(xform_name(name, "-"), value, shape, call.service)
    return " ".join(words)


def _is_boolean_value(shape: Any) -> bool:
    """A structure of one boolean `Value`: the aws CLI turns it into --flag / --no-flag (EC2)."""
    if shape is None or shape.type_name != "structure":
        return False
    members = shape.members
    return list(members) == ["Value"] and members["Value"].type_name == "boolean"


def _cli_option(option: str, value: Any, shape: Any, service: str) -> list[str]:
    if isinstance(value, bool):
        return [f"--{option}" if value else f"--no-{option}"]
    if service == "ec2" and _is_boolean_value(shape) and isinstance(value, Mapping):
        return [f"--{option}" if value.get("Value") else f"--no-{option}"]
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return [f"--{option}", *(shlex.quote(item) for item in value)]
    if isinstance(value, (list, dict)):
        return [f"--{option}", shlex.quote(json.dumps(value, separators=(",", ":")))]
    return [f"--{option}", shlex.quote(str(value))]


# --- where the resource is declared (--tf-dir) ---------------------------------------


@dataclass(frozen=True)
class Declared:
    """Where a resource block lives in the Terraform code."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


_MODULE_STEP = re.compile(r'module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.')
_RESOURCE_PART = re.compile(r'^([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:\d+|".*")\])?$')


def split_address(address: str) -> tuple[tuple[str, ...], str, str] | None:
    """`module.a["x"].aws_sg.lb[0]` -> (("a",), type aws_sg, "lb"); None for a data source or URN."""
    modules: list[str] = []
    rest = address
    while match := _MODULE_STEP.match(rest):
        modules.append(match.group(1))
        rest = rest[match.end() :]
    found = _RESOURCE_PART.match(rest)
    if not found or found.group(1) == "data":
        return None
    return tuple(modules), found.group(1), found.group(2)


class TerraformCode:
    """The `.tf` files of a root module and the local modules it calls, parsed with python-hcl2."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._parsed: dict[Path, list[tuple[Path, str, dict[str, Any]]]] = {}

    def _files(self, folder: Path) -> list[tuple[Path, str, dict[str, Any]]]:
        if folder not in self._parsed:
            parsed = []
            for path in sorted(folder.glob("*.tf")):
                text = path.read_text(encoding="utf-8", errors="replace")
                try:
                    parsed.append((path, text, hcl2.loads(text)))
                except Exception as exc:  # python-hcl2 raises lark errors of several kinds
                    log.warning("cannot parse %s: %s", path, str(exc).splitlines()[0] if str(exc) else exc)
            self._parsed[folder] = parsed
        return self._parsed[folder]

    def _module_folder(self, folder: Path, name: str) -> Path | None:
        for _, _, document in self._files(folder):
            for block in document.get("module") or []:
                body = block.get(_hcl_string(name)) or block.get(name)
                if not isinstance(body, dict):
                    continue
                source = _unquote(body.get("source"))
                if source and (source.startswith("./") or source.startswith("../")):
                    return (folder / source).resolve()
        return None

    def find(self, address: str) -> Declared | None:
        parts = split_address(address)
        if parts is None:
            return None
        modules, type_name, name = parts
        folder: Path | None = self.root
        for module in modules:
            folder = self._module_folder(folder, module) if folder else None
        if folder is None:
            return None
        pattern = re.compile(
            rf'^[ \t]*resource[ \t]+"{re.escape(type_name)}"[ \t]+"{re.escape(name)}"[ \t]*\{{', re.MULTILINE
        )
        for path, text, document in self._files(folder):
            if not _declares(document, type_name, name):
                continue
            match = pattern.search(text)
            line = text.count("\n", 0, match.start()) + 1 if match else 1
            return Declared(_relative(path, self.root), line)
        return None


def _declares(document: Mapping[str, Any], type_name: str, name: str) -> bool:
    for block in document.get("resource") or []:
        for label, bodies in block.items():
            if (
                _unquote(label) == type_name
                and isinstance(bodies, dict)
                and any(_unquote(key) == name for key in bodies)
            ):
                return True
    return False


def _unquote(value: Any) -> str:
    text = str(value) if value is not None else ""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _relative(path: Path, root: Path) -> Path:
    return Path(os.path.relpath(path.resolve(), root.resolve()))


def with_declarations(findings: Iterable[Drift], tf_dir: str | Path) -> tuple[Drift, ...]:
    """Name the file and line that declares each finding's resource in its IaC step."""
    code = TerraformCode(Path(tf_dir))
    out = []
    for drift in findings:
        declared = code.find(drift.address) if drift.address else None
        if declared is None:
            out.append(drift)
            continue
        steps = tuple(
            replace(step, description=f"{step.description} (declared at {declared})")
            if step.kind == "iac"
            else step
            for step in drift.rollback
        )
        out.append(replace(drift, rollback=steps))
    return tuple(out)
