"""Rollback plans proven by running them: inject the edit on the emulator, scan, roll back, scan again."""

from __future__ import annotations

import dataclasses
import io
import json
import shlex
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import hcl2
import pytest
from botocore import xform_name
from botocore.validate import ParamValidator
from rich.console import Console

from guard.aws import Clients
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.live.types import ResourceType
from guard.model import Resource
from guard.pipeline.rollback import EXIT_STEP_FAILED, RollbackStatus, rollback
from guard.remedy.plan import iac_command, import_hcl, split_address
from guard.render.rollback import render_rollback_console
from tests.cases import TypeCase
from tests.cases.ec2 import REGION, build_instance, build_vpc, build_vpc_rules
from tests.support.network import vpc_rule_attributes
from tests.support.services import s3_bucket_attributes
from tests.test_type_sweep import CASES, service_args

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


def test_every_offered_reversal_has_a_round_trip_case():
    """A type that declares a way back for a drift kind must have a case that runs it."""
    proven = {(edit.type, edit.kind) for edit in EDITS}
    unproven = sorted(
        (name, kind)
        for name, declaration in REGISTRY.types.items()
        for kind in offered_kinds(declaration)
        if (name, kind) not in proven
    )
    assert unproven == [], "add a case in tests/cases/ for each (type, drift kind)"


def _scan(guard: Any, path: Path, *narrow: str) -> dict[str, Any]:
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json", *narrow)
    assert result.code in (0, 2), result.err
    return result.json()


def _inject(edit: Edit, aws: boto3.Session, tmp_path: Path) -> tuple[Path, dict[str, Any], list[str]]:
    """The case built and edited; the `--service` arguments that read what it declares."""
    state, ctx = TerraformState(), {}
    edit.case.build(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    if edit.variant == "drift":
        edit.case.drift(aws, ctx)
    else:
        assert edit.case.unmanaged is not None
        ctx["unmanaged_id"] = edit.case.unmanaged(aws, ctx)
    return path, ctx, service_args(edit.case, state)


@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_rollback_apply_closes_the_finding(edit, aws, guard, tmp_path):
    path, _, narrow = _inject(edit, aws, tmp_path)
    before = _scan(guard, path, *narrow)
    assert len(before["findings"]) == 1, [f["title"] for f in before["findings"]]
    finding = before["findings"][0]
    # The plan it prints is real before it is run (one edit's share of the check below).
    _check_printed_plan(edit, finding["rollback"])
    kinds = {step["kind"] for step in finding["rollback"]}
    declaration = REGISTRY.get(edit.type)
    if not kinds & set(WRITE_KINDS):
        # No direct way back: only allowed when the declaration offers none for this kind,
        # or the changed attribute is one it cannot restore (the plan then says so).
        assert edit.kind not in offered_kinds(declaration) or "manual" in kinds, finding["rollback"]
        return

    args = ["rollback", "--state", path, "--region", REGION, "--apply", "--yes", "--format", "json", *narrow]
    if "aws" not in kinds:  # a resource in no state: only deleted when named
        args += ["--delete-unmanaged", "--only", finding["id"]]
    result = guard(*args)
    assert result.code == 0, (result.out, result.err)
    report = result.json()
    assert [f["outcome"] for f in report["findings"]] == ["done"]
    assert [f["title"] for f in report["closed"]] == [finding["title"]]
    assert report["new"] == [] and report["remaining"] == []

    after = _scan(guard, path, *narrow)
    assert after["findings"] == [], [f["title"] for f in after["findings"]]
    assert after["complete"] is True


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


# Services whose aws CLI command is not the botocore name (aws-cli renames them; `aws s3`
# is the high-level cp/sync command, the API calls are under `aws s3api`).
AWS_CLI_RENAMED = {"s3": "s3api", "codedeploy": "deploy", "config": "configservice"}
AWS_CLI_SERVICES = {command: service for service, command in AWS_CLI_RENAMED.items()}


def _check_cli_line(line: str) -> None:
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


def _check_printed_plan(edit: Edit, steps: list[dict[str, Any]]) -> None:
    """Every printed aws CLI line and HCL block is real, and the plan holds what the type offers."""
    kinds = {step["kind"] for step in steps}
    assert kinds >= required_step_kinds(edit), (str(edit), steps)
    assert all(step["cli"] for step in steps if step["kind"] in WRITE_KINDS), steps
    # Not a vacuous check: an edit whose type declares a way back for it prints that way
    # back (or says, in a manual step, which attribute has none).
    if edit.kind in offered_kinds(REGISTRY.get(edit.type)):
        assert kinds & set(WRITE_KINDS) or "manual" in kinds, (str(edit), steps)
    for line in [step["cli"] for step in steps if step["cli"]]:
        _check_cli_line(line)
    for text in [step["iac"] for step in steps if step["kind"] == "import"]:
        _check_import_hcl(text)


def test_every_generated_cli_line_and_hcl_block_is_real():
    """Each edit's plan is checked by _check_printed_plan inside its round trip above, one
    test per edit so that xdist spreads them; this proves that, together, those plans print
    every kind of step, a way back for at least half the edits, and at least four import blocks."""
    required = [required_step_kinds(edit) for edit in EDITS]
    assert set().union(*required) >= {"aws", "iac", "import", "delete"}
    offered = [edit for edit in EDITS if edit.kind in offered_kinds(REGISTRY.get(edit.type))]
    assert len(offered) >= len(EDITS) // 2
    assert sum("import" in kinds for kinds in required) >= 4


def test_ec2_boolean_values_print_as_flags():
    from guard.model import AwsCall
    from guard.remedy.plan import aws_cli

    call = AwsCall(
        "ec2", "modify_subnet_attribute", {"SubnetId": "subnet-1", "MapPublicIpOnLaunch": {"Value": False}}
    )
    assert (
        aws_cli(call) == "aws ec2 modify-subnet-attribute --subnet-id subnet-1 --no-map-public-ip-on-launch"
    )
    _check_cli_line(aws_cli(call))


def test_s3_calls_print_under_s3api():
    """`aws s3` is the high-level cp/sync command; S3's API operations are `aws s3api`."""
    from guard.model import AwsCall
    from guard.remedy.plan import aws_cli

    call = AwsCall("s3", "delete_bucket_policy", {"Bucket": "acme-prod-logs"})
    assert aws_cli(call) == "aws s3api delete-bucket-policy --bucket acme-prod-logs"
    _check_cli_line(aws_cli(call))
    elbv2 = AwsCall("elbv2", "delete_rule", {"RuleArn": "arn:aws:elasticloadbalancing:rule"}, "us-east-1")
    assert aws_cli(elbv2).startswith("aws elbv2 delete-rule --region us-east-1 ")


def _check_import_hcl(text: str) -> None:
    """python-hcl2 reads the block back: one import, one resource, and they name each other."""
    document = hcl2.loads(text)
    (imported,) = document["import"]
    (resource,) = document["resource"]
    ((type_label, named),) = resource.items()
    ((name_label, _),) = named.items()
    assert imported["to"] == f"${{{type_label.strip(chr(34))}.{name_label.strip(chr(34))}}}"


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
