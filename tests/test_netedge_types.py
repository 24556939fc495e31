"""Network-edge types beyond their sweep cases: what is a service's own, and what AWS fills in."""

from __future__ import annotations

from typing import Any

from guard.demo.state import TerraformState, target_group_attributes
from tests.cases.ec2 import build_instance
from tests.cases.netedge import REGION
from tests.support.netedge import target_group_attachment_attributes


def _scan(guard: Any, state: TerraformState, tmp_path: Any) -> dict[str, Any]:
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json")
    assert result.code in (0, 2), result.err
    return result.json()


def _group(aws: Any, state: TerraformState, ctx: dict[str, Any], name: str) -> str:
    group = aws.client("elbv2", region_name=REGION).create_target_group(
        Name=name, Protocol="HTTP", Port=80, VpcId=ctx["vpc_id"], TargetType="instance"
    )["TargetGroups"][0]
    state.add("aws_lb_target_group", name.replace("-", "_"), target_group_attributes(group, {}))
    return str(group["TargetGroupArn"])


def test_targets_of_a_group_that_terraform_fills_by_no_attachment_are_never_unmanaged(aws, guard, tmp_path):
    """An Auto Scaling group's (or ECS service's) instances registered in a declared group."""
    state, ctx = TerraformState(), {}
    build_instance(aws, state, ctx)
    group = _group(aws, state, ctx, "sweep-tga-asg")
    aws.client("elbv2", region_name=REGION).register_targets(
        TargetGroupArn=group, Targets=[{"Id": ctx["instance_id"]}]
    )

    report = _scan(guard, state, tmp_path)

    assert report["findings"] == [], [f["title"] for f in report["findings"]]
    assert "aws_lb_target_group_attachment" not in report["summary"]["unsupported_types"]


def test_an_attachment_declared_without_a_port_is_the_registration_on_the_groups_port(aws, guard, tmp_path):
    """Registered without a port, AWS answers with the group's: no drift, and a deregistration found."""
    state, ctx = TerraformState(), {}
    build_instance(aws, state, ctx)
    group = _group(aws, state, ctx, "sweep-tga-noport")
    elb = aws.client("elbv2", region_name=REGION)
    elb.register_targets(TargetGroupArn=group, Targets=[{"Id": ctx["instance_id"]}])
    attrs = target_group_attachment_attributes(group, {"Id": ctx["instance_id"], "Port": None})
    state.add("aws_lb_target_group_attachment", "web", attrs)

    assert _scan(guard, state, tmp_path)["findings"] == []

    elb.deregister_targets(TargetGroupArn=group, Targets=[{"Id": ctx["instance_id"]}])
    [finding] = _scan(guard, state, tmp_path)["findings"]
    assert (finding["kind"], finding["id"]) == ("missing", attrs["id"])
    assert [step["cli"] for step in finding["rollback"] if step["kind"] == "aws"] == [
        f"aws elbv2 register-targets --target-group-arn {group} "
        f'--targets \'[{{"Id":"{ctx["instance_id"]}"}}]\''
    ]
