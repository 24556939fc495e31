"""Rollback's own promises: a dry run writes nothing, --apply only the planned writes, deletes only
what is named, stale plans are skipped, a failing step stops the run. Every type's round trip
is in tests/test_type_sweep.py."""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path
from typing import Any

import boto3
import hcl2
import pytest
from rich.console import Console

from guard.aws import Clients
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.model import Resource
from guard.pipeline.rollback import EXIT_STEP_FAILED, RollbackStatus, rollback
from guard.remedy.plan import iac_command, import_hcl, split_address
from guard.render.rollback import render_rollback_console
from tests.cases.ec2 import REGION, build_instance, build_vpc, build_vpc_rules
from tests.support.network import vpc_rule_attributes
from tests.support.services import s3_bucket_attributes
from tests.support.sweep import check_cli_line


def _scan(guard: Any, path: Path) -> dict[str, Any]:
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json")
    assert result.code in (0, 2), result.err
    return result.json()


# --- no write in a dry run; only the planned writes with --apply ---------------------


def _recording_clients(session: boto3.Session) -> tuple[Clients, list[str]]:
    sent: list[str] = []
    session.events.register(
        "before-call", lambda model, **kwargs: sent.append(f"{model.service_model.service_name}:{model.name}")
    )
    return Clients(session), sent


def _is_read(operation: str) -> bool:
    name = operation.split(":", 1)[1]
    return name.startswith(("Describe", "Get", "List", "Lookup"))


def _vpc_rules_with_every_kind(aws: boto3.Session, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A deleted rule, a changed tag, an added rule and an unmanaged VPC at once."""
    state, ctx = TerraformState(), {}
    build_vpc_rules(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.revoke_security_group_ingress(GroupId=ctx["group_id"], SecurityGroupRuleIds=[ctx["ingress_rule_id"]])
    ec2.create_tags(Resources=[ctx["vpc_id"]], Tags=[{"Key": "Name", "Value": "renamed"}])
    ec2.authorize_security_group_ingress(
        GroupId=ctx["group_id"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    ctx["stray_vpc"] = ec2.create_vpc(CidrBlock="10.200.0.0/16")["Vpc"]["VpcId"]
    return path, ctx


def test_dry_run_sends_no_write_call(aws, tmp_path):
    path, _ = _vpc_rules_with_every_kind(aws, tmp_path)
    clients, sent = _recording_clients(aws)
    run = rollback([str(path)], [REGION], clients)
    assert run.applied is False
    assert len(run.selected) == 4
    assert all(item.outcome in (RollbackStatus.PLANNED, RollbackStatus.NEEDS_FLAG) for item in run.runs)
    assert sent, "the scan must have read AWS"
    assert [op for op in sent if not _is_read(op)] == []


def test_apply_sends_only_the_planned_writes_and_never_deletes_unnamed(aws, tmp_path):
    path, ctx = _vpc_rules_with_every_kind(aws, tmp_path)
    clients, sent = _recording_clients(aws)
    run = rollback([str(path)], [REGION], clients, apply=True)
    writes = sorted(op for op in sent if not _is_read(op))
    assert writes == [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:CreateTags",
        "ec2:RevokeSecurityGroupIngress",
    ]
    assert [d.id for d in run.remaining] == [ctx["stray_vpc"]]  # in no state, not named: kept
    assert run.closed and run.new == ()
    assert run.exit_code == 2
    vpcs = aws.client("ec2", region_name=REGION).describe_vpcs(VpcIds=[ctx["stray_vpc"]])["Vpcs"]
    assert len(vpcs) == 1


def test_delete_unmanaged_needs_only(aws, guard, tmp_path):
    path, _ = _vpc_rules_with_every_kind(aws, tmp_path)
    result = guard("rollback", "--state", path, "--apply", "--yes", "--delete-unmanaged")
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "guard: error: --delete-unmanaged: deletes only resources named with --only, and none was named; "
        "add --only ID for each resource to delete"
    ]


def test_only_that_matches_nothing_is_one_clear_line(aws, guard, tmp_path):
    path, _ = _vpc_rules_with_every_kind(aws, tmp_path)
    result = guard("rollback", "--state", path, "--only", "aws_vpc.nope")
    assert result.code == 1
    assert "--only aws_vpc.nope: matches no finding" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_only_selects_by_address_and_deletes_only_the_named(aws, guard, tmp_path):
    path, ctx = _vpc_rules_with_every_kind(aws, tmp_path)
    result = guard(
        "rollback", "--state", path, "--apply", "--yes", "--format", "json",
        "--delete-unmanaged", "--only", ctx["stray_vpc"], "--only", "aws_vpc.main",
    )  # fmt: skip
    assert result.code == 0, result.err  # what was selected is closed; the rest was not asked for
    report = result.json()
    assert sorted(f["outcome"] for f in report["findings"]) == ["done", "done"]
    after = _scan(guard, path)
    titles = [f["title"] for f in after["findings"]]
    assert len(titles) == 2 and all("aws_security_group.api" in t or "ingress" in t for t in titles)


def test_confirmation_declined_changes_nothing(aws, guard, tmp_path, monkeypatch):
    path, _ = _vpc_rules_with_every_kind(aws, tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    result = guard("rollback", "--state", path, "--apply")
    assert result.code == 1
    assert "aws ec2 authorize-security-group-ingress" in result.err
    assert "guard: aborted" in result.err
    assert len(_scan(guard, path)["findings"]) == 4


# --- stale plans and failing steps ---------------------------------------------------


def test_finding_fixed_by_someone_else_before_apply_is_skipped_not_failed(aws, tmp_path):
    state, ctx = TerraformState(), {}
    build_vpc_rules(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.revoke_security_group_ingress(GroupId=ctx["group_id"], SecurityGroupRuleIds=[ctx["ingress_rule_id"]])

    def someone_fixes_it_while_we_confirm(runs: Any) -> bool:
        ec2.authorize_security_group_ingress(
            GroupId=ctx["group_id"],
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 8443,
                    "ToPort": 8443,
                    "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "internal"}],
                }
            ],
        )
        return True

    clients, sent = _recording_clients(aws)
    run = rollback([str(path)], [REGION], clients, apply=True, confirm=someone_fixes_it_while_we_confirm)
    assert [item.outcome for item in run.runs] == [RollbackStatus.STALE]
    assert "someone fixed it" in run.runs[0].detail
    assert not run.failed
    assert run.exit_code == 0 and len(run.closed) == 1
    assert [op for op in sent if not _is_read(op)] == []  # no duplicate authorize was sent


def test_finding_changed_again_before_apply_is_skipped(aws, tmp_path):
    state, ctx = TerraformState(), {}
    build_vpc(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.create_tags(Resources=[ctx["vpc_id"]], Tags=[{"Key": "Name", "Value": "renamed"}])

    def renamed_again(runs: Any) -> bool:
        ec2.create_tags(Resources=[ctx["vpc_id"]], Tags=[{"Key": "Name", "Value": "renamed-twice"}])
        return True

    run = rollback([str(path)], [REGION], Clients(aws), apply=True, confirm=renamed_again)
    assert [item.outcome for item in run.runs] == [RollbackStatus.CHANGED]
    assert run.exit_code == 2 and run.remaining


def test_failing_step_stops_the_run_and_reports_what_was_and_was_not_done(aws, tmp_path):
    state, ctx = TerraformState(), {}
    build_vpc_rules(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.create_tags(Resources=[ctx["vpc_id"]], Tags=[{"Key": "Name", "Value": "renamed"}])
    for kind in ("ingress", "egress"):
        getattr(ec2, f"revoke_security_group_{kind}")(
            GroupId=ctx["group_id"], SecurityGroupRuleIds=[ctx[f"{kind}_rule_id"]]
        )

    def group_deleted_meanwhile(runs: Any) -> bool:
        ec2.delete_security_group(GroupId=ctx["group_id"])
        return True

    run = rollback([str(path)], [REGION], Clients(aws), apply=True, confirm=group_deleted_meanwhile)
    # Findings run in address order: aws_vpc.main, then the egress rule, then the ingress rule.
    assert [(item.drift.address, item.outcome) for item in run.runs] == [
        ("aws_vpc.main", RollbackStatus.DONE),
        ("aws_vpc_security_group_egress_rule.egress", RollbackStatus.FAILED),
        ("aws_vpc_security_group_ingress_rule.ingress", RollbackStatus.NOT_RUN),
    ]
    failed = run.runs[1]
    assert "InvalidGroup.NotFound" in failed.detail and failed.done == 0
    assert run.exit_code == EXIT_STEP_FAILED
    tags = ec2.describe_vpcs(VpcIds=[ctx["vpc_id"]])["Vpcs"][0]["Tags"]
    assert {"Key": "Name", "Value": "main"} in tags  # the step before the failure was done

    buffer = io.StringIO()
    render_rollback_console(run, Console(file=buffer, width=400, color_system=None))
    text = buffer.getvalue()
    assert "DONE      aws_vpc.main" in text
    assert "FAILED    aws_vpc_security_group_egress_rule.egress" in text
    assert "NOT RUN   aws_vpc_security_group_ingress_rule.ingress" in text
    assert "stopped after a failed step" in text
    assert "STOPPED at aws_vpc_security_group_egress_rule.egress" in text


def test_failing_step_exit_code_from_the_cli(aws, guard, tmp_path):
    """A declared rule whose group is gone: it cannot be re-created by a direct call.

    The group is declared elsewhere (another stack), so the rule is a finding of its own;
    a group declared in the same state would be one finding for itself and its rules, with
    no direct call offered (tests/test_security_group_rules.py).
    """
    ec2 = aws.client("ec2", region_name=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="gone", Description="gone", VpcId=vpc_id)
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group["GroupId"]]}])
    (rule,) = [r for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
    ec2.delete_security_group(GroupId=group["GroupId"])
    state = TerraformState()
    state.add(
        "aws_vpc_security_group_ingress_rule", "https", vpc_rule_attributes(rule, "123456789012", REGION)
    )
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("rollback", "--state", path, "--region", REGION, "--apply", "--yes")
    assert result.code == EXIT_STEP_FAILED, (result.out, result.err)
    assert "FAILED" in result.out and "InvalidGroup.NotFound" in result.out
    assert "terraform apply -target=aws_vpc_security_group_ingress_rule.https" in result.out


# --- never an invented call ----------------------------------------------------------


def test_change_without_a_safe_reversal_offers_only_iac(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_instance(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.stop_instances(InstanceIds=[ctx["instance_id"]])
    ec2.modify_instance_attribute(InstanceId=ctx["instance_id"], InstanceType={"Value": "m5.large"})
    ec2.start_instances(InstanceIds=[ctx["instance_id"]])

    result = guard("rollback", "--state", path, "--region", REGION, "--apply", "--yes", "--format", "json")
    assert result.code == 2, result.err
    (finding,) = result.json()["findings"]
    assert finding["outcome"] == "iac-only" and finding["calls"] == []
    assert [s["kind"] for s in finding["rollback"]] == ["manual", "iac"]
    assert "No safe direct AWS call for instance_type" in finding["rollback"][0]["description"]
    assert (
        finding["rollback"][1]["iac"] == "terraform apply -target='module.jobs.aws_instance.worker[\"blue\"]'"
    )
    live = ec2.describe_instances(InstanceIds=[ctx["instance_id"]])["Reservations"][0]["Instances"][0]
    assert live["InstanceType"] == "m5.large"


# --- the printed commands are real ---------------------------------------------------


def test_ec2_boolean_values_print_as_flags():
    from guard.model import AwsCall
    from guard.remedy.plan import aws_cli

    call = AwsCall(
        "ec2", "modify_subnet_attribute", {"SubnetId": "subnet-1", "MapPublicIpOnLaunch": {"Value": False}}
    )
    assert (
        aws_cli(call) == "aws ec2 modify-subnet-attribute --subnet-id subnet-1 --no-map-public-ip-on-launch"
    )
    check_cli_line(aws_cli(call))


def test_s3_calls_print_under_s3api():
    """`aws s3` is the high-level cp/sync command; S3's API operations are `aws s3api`."""
    from guard.model import AwsCall
    from guard.remedy.plan import aws_cli

    call = AwsCall("s3", "delete_bucket_policy", {"Bucket": "acme-prod-logs"})
    assert aws_cli(call) == "aws s3api delete-bucket-policy --bucket acme-prod-logs"
    check_cli_line(aws_cli(call))
    elbv2 = AwsCall("elbv2", "delete_rule", {"RuleArn": "arn:aws:elasticloadbalancing:rule"}, "us-east-1")
    assert aws_cli(elbv2).startswith("aws elbv2 delete-rule --region us-east-1 ")


def test_hcl_skeleton_keeps_awkward_values_intact():
    declaration = REGISTRY.get("aws_instance")
    resource = Resource(
        "aws_instance",
        "i-0abc",
        {
            "instance_type": "t3.micro",
            "monitoring": True,
            "vpc_security_group_ids": ["sg-1", "sg-2"],
            "http_tokens": "required",
            "tags": {"Name": 'say "hi" ${not_a_ref} %{x}', "team:owner": "ops\nnight", "ünï": "çødé"},
        },
    )
    text = import_hcl(resource, declaration)
    document = hcl2.loads(text)
    body = document["resource"][0]['"aws_instance"']['"i_0abc"']
    assert body["instance_type"] == '"t3.micro"'
    assert body["monitoring"] is True
    assert body["metadata_options"][0]["http_tokens"] == '"required"'
    tags = body["tags"]
    assert (
        json.loads(tags['"Name"'].replace("$${", "${").replace("%%{", "%{")) == 'say "hi" ${not_a_ref} %{x}'
    )
    assert json.loads(tags['"team:owner"']) == "ops\nnight"
    assert json.loads(tags['"ünï"']) == "çødé"
    assert document["import"][0]["id"] == '"i-0abc"'


_URN = "urn:pulumi:prod::web::acme:net:Edge$aws:ec2/securityGroup:SecurityGroup::lb"
_TF = ["terraform", "apply"]


@pytest.mark.parametrize(
    "address, expected",
    [
        ("aws_vpc.main", [*_TF, "-target=aws_vpc.main"]),
        ('module.edge.aws_sg.lb["blue"]', [*_TF, '-target=module.edge.aws_sg.lb["blue"]']),
        (
            'module.a["x y"].module.b[0].aws_subnet.p[2]',
            [*_TF, '-target=module.a["x y"].module.b[0].aws_subnet.p[2]'],
        ),
        (_URN, ["pulumi", "up", "--target", _URN]),
    ],
)
def test_iac_command_survives_the_shell(address, expected):
    command = iac_command(address)
    assert shlex.split(command) == expected
    if "[" in address or "$" in address:
        assert "'" in command


# --- where the code declares it -----------------------------------------------------


def test_split_address():
    assert split_address('module.a["x"].module.b[0].aws_sg.lb[1]') == (("a", "b"), "aws_sg", "lb")
    assert split_address("aws_vpc.main") == ((), "aws_vpc", "main")
    assert split_address("data.aws_ami.ubuntu") is None


def test_tf_dir_shows_the_file_and_line_that_declares_it(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_instance(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    aws.client("ec2", region_name=REGION).create_tags(
        Resources=[ctx["instance_id"]], Tags=[{"Key": "Name", "Value": "renamed"}]
    )
    code = tmp_path / "infra"
    (code / "modules" / "jobs").mkdir(parents=True)
    (code / "main.tf").write_text(
        'resource "aws_vpc" "main" {\n  cidr_block = "10.1.0.0/16"\n}\n\n'
        'module "jobs" {\n  source = "./modules/jobs"\n}\n',
        encoding="utf-8",
    )
    (code / "modules" / "jobs" / "network.tf").write_text('variable "x" {}\n', encoding="utf-8")
    (code / "modules" / "jobs" / "main.tf").write_text(
        '# the workers\nlocals {\n  names = ["blue"]\n}\n\n'
        'resource "aws_instance" "worker" {\n  for_each      = toset(local.names)\n'
        '  instance_type = "t3.micro"\n}\n',
        encoding="utf-8",
    )
    result = guard("rollback", "--state", path, "--region", REGION, "--tf-dir", code)
    assert result.code == 2, result.err
    assert "(declared at modules/jobs/main.tf:6)" in result.out
    assert "aws ec2 create-tags" in result.out
    assert "Dry run: nothing was changed" in result.out


def test_apply_rescans_a_state_read_from_s3(aws, tmp_path):
    state, ctx = TerraformState(), {}
    build_vpc_rules(aws, state, ctx)
    s3 = aws.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="acme-tf-state")
    state.add("aws_s3_bucket", "tf_state", s3_bucket_attributes("acme-tf-state", REGION))
    s3.put_object(Bucket="acme-tf-state", Key="vpc.tfstate", Body=json.dumps(state.document()).encode())
    ec2 = aws.client("ec2", region_name=REGION)
    ec2.revoke_security_group_ingress(GroupId=ctx["group_id"], SecurityGroupRuleIds=[ctx["ingress_rule_id"]])

    run = rollback(["s3://acme-tf-state/vpc.tfstate"], [REGION], Clients(aws), apply=True)

    assert [d.kind.value for d in run.selected] == ["missing"]
    assert run.after is not None and run.after.sources == ("s3://acme-tf-state/vpc.tfstate",)
    assert run.closed == run.selected and run.after.findings == ()
    assert run.exit_code == 0


# --- a resource still applying the previous call ------------------------------------


def _stream_with_two_edits(aws: boto3.Session, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Retention and shard-level metrics both edited: two calls, and after the first AWS
    holds the stream UPDATING for a while."""
    from tests.cases.kinesis import build_stream

    state, ctx = TerraformState(), {}
    build_stream(aws, state, ctx)
    kinesis = aws.client("kinesis", region_name=REGION)
    kinesis.decrease_stream_retention_period(StreamName=ctx["stream_name"], RetentionPeriodHours=24)
    kinesis.disable_enhanced_monitoring(StreamName=ctx["stream_name"], ShardLevelMetrics=["IncomingBytes"])
    return state.write(tmp_path / "terraform.tfstate"), ctx


def _behind_front(monkeypatch: pytest.MonkeyPatch, fault: Any) -> Any:
    import os

    from tests.faultyaws import FaultyAws

    front = FaultyAws(os.environ["AWS_ENDPOINT_URL"], {("kinesis", REGION): fault}).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", front.url)
    return front


UPDATING = "Stream sweep-kinesis-orders under account 123456789012 not ACTIVE, instead in state UPDATING"


def test_a_call_aws_refuses_while_the_last_one_applies_is_sent_again(aws, tmp_path, monkeypatch):
    from guard.pipeline import rollback as module
    from tests.faultyaws import Fault

    path, _ = _stream_with_two_edits(aws, tmp_path)
    monkeypatch.setattr(module, "BUSY_WAITS", (0.0, 0.0))
    busy = Fault(400, "ResourceInUseException", UPDATING, operation="EnableEnhancedMonitoring", times=1)
    front = _behind_front(monkeypatch, busy)
    try:
        run = rollback([str(path)], [REGION], Clients(), apply=True)
    finally:
        front.stop()
    assert [item.outcome for item in run.runs] == [RollbackStatus.DONE]
    assert front.faulted[("kinesis", REGION)] == 1
    # rollback's own scan after its calls: the finding is closed, nothing new
    assert len(run.closed) == 1 and run.remaining == () and run.new == ()


def test_a_resource_busy_for_longer_than_the_waits_fails_the_step_with_what_aws_said(
    aws, tmp_path, monkeypatch
):
    from guard.pipeline import rollback as module
    from tests.faultyaws import Fault

    path, _ = _stream_with_two_edits(aws, tmp_path)
    monkeypatch.setattr(module, "BUSY_WAITS", (0.0, 0.0))
    busy = Fault(400, "ResourceInUseException", UPDATING, operation="EnableEnhancedMonitoring")
    front = _behind_front(monkeypatch, busy)
    try:
        run = rollback([str(path)], [REGION], Clients(), apply=True)
    finally:
        front.stop()
    [failed] = run.runs
    assert failed.outcome is RollbackStatus.FAILED and run.exit_code == EXIT_STEP_FAILED
    assert front.faulted[("kinesis", REGION)] == 3  # the call, then once after each wait
    assert "ResourceInUseException" in failed.detail and "enable-enhanced-monitoring" in failed.detail
