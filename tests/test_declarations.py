"""A resource type is one declaration: no stage names a type, and every declaration says
what each stage needs of it (Pulumi token, graph part, rollback writes, protection)."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from guard.live import REGISTRY
from guard.live.types import GraphRole, KnownType, ResourceType, write_operations_of
from guard.remedy.iam_policy import READ, api_name, rollback_functions
from guard.state.pulumi import terraform_type

GUARD = Path(__file__).resolve().parent.parent / "guard"
TYPE_NAME = re.compile(r"[\"']aws_[a-z0-9_]+[\"']")
# Where type names may live: the declarations, and the demo's own estate.
DECLARATION_FOLDERS = ("live/resources", "demo")


def test_no_stage_module_names_a_resource_type():
    """Everything guard knows about a type is in its declaration under guard/live/resources/."""
    named = []
    for path in sorted(GUARD.rglob("*.py")):
        relative = path.relative_to(GUARD).as_posix()
        if relative.startswith(DECLARATION_FOLDERS):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TYPE_NAME.search(line):
                named.append(f"guard/{relative}:{number}: {line.strip()}")
    assert named == [], "resource type names outside the declarations:\n" + "\n".join(named)


def _bridge_tokens(type_name: str) -> list[str]:
    """The tokens the Pulumi bridge may write for a Terraform type: aws_a_b_c is module a,
    member bC (or module ab, member c ...), or ec2 for the unprefixed EC2 names."""
    words = type_name.removeprefix("aws_").split("_")
    splits = [("".join(words[:cut]), words[cut:]) for cut in range(1, len(words))]
    splits.append(("ec2", words))
    tokens = []
    for module, rest in splits:
        member = rest[0] + "".join(word.capitalize() for word in rest[1:])
        tokens.append(f"aws:{module}/{member}:{member[0].upper()}{member[1:]}")
    return tokens


DECLARATIONS = sorted(REGISTRY.declarations(), key=lambda d: d.name)


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.name)
def test_every_declared_pulumi_token_reads_back_as_its_type(declaration: ResourceType | KnownType):
    for token in declaration.pulumi_tokens:
        assert terraform_type(token) == declaration.name, token
    if isinstance(declaration, ResourceType):  # read live: a Pulumi stack of it must be read as it
        tokens = [*declaration.pulumi_tokens, *_bridge_tokens(declaration.name)]
        assert any(terraform_type(token) == declaration.name for token in tokens)


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.name)
def test_graph_hooks_name_what_the_type_holds(declaration: ResourceType | KnownType):
    graph = declaration.graph
    held = {graph.joins.user, graph.joins.used} if graph.joins else set()
    if isinstance(declaration, ResourceType):
        held |= set(declaration.compared) | set(declaration.ignored)
        held |= {declaration.parent[0]} if declaration.parent else set()
    for attribute in graph.forward:
        assert attribute in held, (
            f"{declaration.name} follows {attribute}, which it neither compares nor holds"
        )
    assert (graph.role is GraphRole.ATTACHMENT) == (graph.joins is not None)
    assert (graph.role is GraphRole.RULE) == bool(graph.group)
    if graph.ports_let_in is not None:
        assert graph.role is GraphRole.RULE
    if graph.internet_facing is not None:
        assert graph.role is GraphRole.LOAD_BALANCER


def test_protected_types_say_why_and_include_the_data_stores():
    protected = {d.name: d.protected for d in DECLARATIONS if d.protected}
    for name in ("aws_db_instance", "aws_rds_cluster", "aws_s3_bucket", "aws_dynamodb_table", "aws_kms_key"):
        assert name in protected
    assert all(len(reason.split()) >= 3 for reason in protected.values())


@pytest.mark.parametrize(
    "declaration", sorted(REGISTRY.types.values(), key=lambda d: d.name), ids=lambda d: d.name
)
def test_every_rollback_function_declares_real_writes_of_its_service(declaration: ResourceType):
    model = botocore.session.get_session().get_service_model(declaration.service)
    operations = {xform_name(name) for name in model.operation_names}
    for calls in rollback_functions(declaration):
        declared = write_operations_of(calls)
        assert declared is not None, f"{declaration.name}: {calls} carries no @writes"
        for operation in declared:
            assert operation in operations, f"{declaration.name}: {declaration.service} has no {operation}"
            assert not READ.match(api_name(declaration.service, operation)), f"{operation} is a read"
