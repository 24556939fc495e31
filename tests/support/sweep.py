"""The sweep's machinery: every case of tests/cases/, the edits they make, and the checks
that a printed rollback plan is real (shared by tests/test_type_sweep.py and tests/test_rollback.py)."""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
import shlex
from typing import Any

import botocore.session
import hcl2
from botocore import xform_name
from botocore.validate import ParamValidator

import tests.cases
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.live.types import ResourceType
from tests.cases import TypeCase

CASES: list[TypeCase] = [
    case
    for module in pkgutil.iter_modules(tests.cases.__path__)
    for case in importlib.import_module(f"tests.cases.{module.name}").CASES
]


def service_args(case: TypeCase, state: TerraformState) -> list[str]:
    """`--service` for every service the case's state declares or its findings name.

    A type's parent, children and expansions are of its own service, so each case is still
    read with everything that can report it twice. That nothing of another service is
    reported for any case is checked once, on the estate of every case
    (tests/test_promise_read_only.py), instead of by reading all types for each case.
    """
    types = {REGISTRY.canonical(block["type"]) for block in state.document()["resources"]}
    types |= {case.type, case.expected.type, case.unmanaged_type or case.type}
    services = sorted({REGISTRY.types[t].service for t in types if t in REGISTRY.types})
    return [arg for service in services for arg in ("--service", service)]


WRITE_KINDS = ("aws", "delete")


@dataclasses.dataclass(frozen=True)
class Edit:
    """One way a case edits AWS: its drift, or a resource made outside Terraform."""

    case: TypeCase
    variant: str  # "drift" | "unmanaged"

    @property
    def type(self) -> str:
        return self.case.type if self.variant == "drift" else self.case.unmanaged_type

    @property
    def kind(self) -> str:
        return self.case.expected.kind if self.variant == "drift" else "unmanaged"

    def __str__(self) -> str:
        return f"{self.type}-{self.kind}"


EDITS = [Edit(case, "drift") for case in CASES] + [
    Edit(case, "unmanaged") for case in CASES if case.unmanaged is not None
]


def offered_kinds(declaration: ResourceType) -> set[str]:
    """The drift kinds for which the type's declaration offers a direct AWS reversal."""
    defaults = {f.name: f.default for f in dataclasses.fields(ResourceType)}
    kinds = set()
    if declaration.restore_calls is not defaults["restore_calls"]:
        kinds.add("changed")
    if declaration.recreate_calls is not None:
        kinds.add("missing")
    if declaration.delete_calls is not None:
        kinds.add("unmanaged")
    return kinds


# Services whose aws CLI command is not the botocore name (aws-cli renames them; `aws s3`
# is the high-level cp/sync command, the API calls are under `aws s3api`).
AWS_CLI_RENAMED = {"s3": "s3api", "codedeploy": "deploy", "config": "configservice"}
AWS_CLI_SERVICES = {command: service for service, command in AWS_CLI_RENAMED.items()}


def check_cli_line(line: str) -> None:
    """The line parses with shlex, names a real operation, and every option is one of its inputs."""
    words = shlex.split(line)
    assert words[:1] == ["aws"], line
    assert words[1] not in AWS_CLI_RENAMED, f"the aws CLI calls it {AWS_CLI_RENAMED.get(words[1])}: {line}"
    service, command, rest = AWS_CLI_SERVICES.get(words[1], words[1]), words[2], words[3:]
    loader = botocore.session.get_session()
    assert service in loader.get_available_services(), line
    model = loader.get_service_model(service)
    operations = {xform_name(name, "-"): name for name in model.operation_names}
    assert command in operations, f"{service} has no {command}: {line}"
    shape = model.operation_model(operations[command]).input_shape
    by_option = {xform_name(name, "-"): name for name in shape.members}
    params: dict[str, Any] = {}
    index = 0
    while index < len(rest):
        option = rest[index]
        assert option.startswith("--"), line
        values = []
        index += 1
        while index < len(rest) and not rest[index].startswith("--"):
            values.append(rest[index])
            index += 1
        name = option[2:]
        if name == "region":
            assert len(values) == 1
            continue
        negative = name.startswith("no-") and name[3:] in by_option
        member = by_option[name[3:]] if negative else by_option.get(name)
        assert member is not None, f"{option} is not an input of {command}: {line}"
        member_shape = shape.members[member]
        if not values:  # a flag: a boolean, or EC2's structure of one boolean Value
            value: Any = not negative
            if member_shape.type_name == "structure":
                value = {"Value": value}
        elif member_shape.type_name == "list" and member_shape.member.type_name == "string":
            value = values
        elif member_shape.type_name in ("list", "structure", "map"):
            (text,) = values
            value = json.loads(text)
        else:
            (value,) = values
            if member_shape.type_name == "integer":
                value = int(value)
        params[member] = value
    report = ParamValidator().validate(params, shape)
    assert not report.has_errors(), f"{report.generate_report()}: {line}"


def required_step_kinds(edit: Edit) -> set[str]:
    """The kinds of step an edit's plan must print, read from its type's declaration alone."""
    declaration = REGISTRY.get(edit.type)
    if edit.kind != "unmanaged":
        return {"iac"}  # a declared resource can always be put back by its IaC tool
    if declaration.parent is None:
        # A resource in no state: adopt it, or delete it when the type says how.
        return {"import"} | ({"delete"} if declaration.delete_calls is not None else set())
    return {"aws"} if declaration.delete_calls is not None else set()  # an addition to a declared one


def check_printed_plan(edit: Edit, steps: list[dict[str, Any]]) -> None:
    """Every printed aws CLI line and HCL block is real, and the plan holds what the type offers."""
    kinds = {step["kind"] for step in steps}
    assert kinds >= required_step_kinds(edit), (str(edit), steps)
    assert all(step["cli"] for step in steps if step["kind"] in WRITE_KINDS), steps
    # Not a vacuous check: an edit whose type declares a way back for it prints that way
    # back (or says, in a manual step, which attribute has none).
    if edit.kind in offered_kinds(REGISTRY.get(edit.type)):
        assert kinds & set(WRITE_KINDS) or "manual" in kinds, (str(edit), steps)
    for line in [step["cli"] for step in steps if step["cli"]]:
        check_cli_line(line)
    for text in [step["iac"] for step in steps if step["kind"] == "import"]:
        check_import_hcl(text)


def check_import_hcl(text: str) -> None:
    """python-hcl2 reads the block back: one import, one resource, and they name each other."""
    document = hcl2.loads(text)
    (imported,) = document["import"]
    (resource,) = document["resource"]
    ((type_label, named),) = resource.items()
    ((name_label, _),) = named.items()
    assert imported["to"] == f"${{{type_label.strip(chr(34))}.{name_label.strip(chr(34))}}}"
