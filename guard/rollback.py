"""The way back for every finding, most precise first: the AWS call, then the IaC command."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from botocore import xform_name

from guard.live.types import Registry
from guard.model import AwsCall, Drift, DriftKind, RollbackStep
from guard.reconcile import MASK

_SAFE_NAME = re.compile(r"[^A-Za-z0-9_]")


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
        steps += [_aws_step(call, "Restore the declared value in place") for call in calls]
        uncovered = [
            c.path
            for c in drift.changes
            if c not in visible or not _restorable(c.path, declaration.restorable)
        ]
        if uncovered:
            steps.append(
                RollbackStep(
                    "manual",
                    "No safe direct AWS call for " + ", ".join(uncovered) + "; let the IaC tool do it",
                )
            )
        steps.append(_iac_step(drift.address, "Or re-apply the declaration"))
    elif drift.kind is DriftKind.MISSING and drift.expected is not None:
        if declaration.recreate_calls is not None:
            calls = declaration.recreate_calls(drift.expected)
            steps += [_aws_step(call, "Re-create exactly what was deleted") for call in calls]
        steps.append(_iac_step(drift.address, "Or let Terraform re-create it"))
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
                    )
                )
        else:
            steps.append(_import_step(drift))
            if declaration.delete_calls is not None:
                steps += [
                    RollbackStep(
                        "delete",
                        "Or delete it (only with --delete-unmanaged)",
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


def iac_command(address: str) -> str:
    if address.startswith("urn:pulumi:"):
        return f"pulumi up --target {shlex.quote(address)}"
    return f"terraform apply -target={shlex.quote(address)}"


def _iac_step(address: str, description: str) -> RollbackStep:
    return RollbackStep("iac", description, iac=iac_command(address))


def _import_step(drift: Drift) -> RollbackStep:
    name = _SAFE_NAME.sub("_", drift.id).strip("_") or "adopted"
    block = f"import {{\n  to = {drift.type}.{name}\n  id = {json.dumps(drift.id)}\n}}"
    return RollbackStep(
        "import",
        "Adopt it into Terraform: add this import block, then "
        "`terraform plan -generate-config-out=adopted.tf`",
        iac=block,
    )


def aws_cli(call: AwsCall) -> str:
    """The copy-pasteable `aws` CLI line for a boto3 call."""
    words = ["aws", call.service, xform_name(_camel(call.operation), "-")]
    if call.region:
        words += ["--region", call.region]
    for name, value in call.params.items():
        words += _cli_option(xform_name(name, "-"), value)
    return " ".join(words)


def _camel(operation: str) -> str:
    return "".join(part.capitalize() for part in operation.split("_"))


def _cli_option(option: str, value: Any) -> list[str]:
    if isinstance(value, bool):
        return [f"--{option}" if value else f"--no-{option}"]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [f"--{option}", *(shlex.quote(item) for item in value)]
    if isinstance(value, (list, dict)):
        return [f"--{option}", shlex.quote(json.dumps(value, separators=(",", ":")))]
    return [f"--{option}", shlex.quote(str(value))]
