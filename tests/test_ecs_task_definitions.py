"""Task definitions are immutable revisions that deploy pipelines register all day: only
what the state holds is compared, a newer revision of a declared family is no finding, a
deregistered revision the state holds is missing, an undeclared family is reported once."""

from __future__ import annotations

from guard.demo.state import TerraformState
from tests.cases.compute import _register, build_ecs_task_definition, ecs_task_definition_attributes
from tests.cases.services import client


def _scan(guard, state: TerraformState, tmp_path):
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    assert result.code in (0, 2), result.err
    return result.json()["findings"]


def test_the_revision_state_holds_deregistered_is_missing_and_newer_ones_are_no_finding(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_ecs_task_definition(aws, state, ctx)
    for image in ("nginx:1.29", "nginx:1.30"):  # more pipeline revisions
        _register(aws, "sweep-ecs-td-api", image=image)
    assert _scan(guard, state, tmp_path) == []

    client(aws, "ecs").deregister_task_definition(taskDefinition=ctx["task_arn"])
    findings = _scan(guard, state, tmp_path)
    assert [(f["kind"], f["type"], f["address"]) for f in findings] == [
        ("missing", "aws_ecs_task_definition", "aws_ecs_task_definition.sweep_ecs_td_api")
    ]
    assert "sweep-ecs-td-api:1" in findings[0]["title"]


def test_an_older_revision_state_still_holds_is_compared_as_itself(aws, guard, tmp_path):
    """State holds revision 1 while 2 is the newest: revision 1's own tags are compared."""
    first = _register(aws, "sweep-ecs-td-web", tags={"Team": "web"})
    _register(aws, "sweep-ecs-td-web", image="nginx:1.28", tags={"Team": "someone-else"})
    state = TerraformState()
    state.add("aws_ecs_task_definition", "web", ecs_task_definition_attributes(first, {"Team": "web"}))
    assert _scan(guard, state, tmp_path) == []


def test_an_undeclared_family_is_reported_once_by_its_newest_revision(aws, guard, tmp_path):
    for image in ("nginx:1.27", "nginx:1.28", "nginx:1.29"):
        newest = _register(aws, "sweep-ecs-td-manual", image=image)
    findings = _scan(guard, TerraformState(), tmp_path)
    assert [(f["kind"], f["id"]) for f in findings] == [("unmanaged", newest["taskDefinitionArn"])]
