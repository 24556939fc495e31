"""`guard on-event` against moto: one EventBridge event in, exactly the alerts it deserves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from guard.alerting.lambda_handler import event_handler
from guard.aws import Clients
from guard.demo import WebEstate, build_web_estate, delete_https_rule
from guard.demo.state import TerraformState
from guard.pipeline.on_event import check_events
from guard.rules.loader import load_rules
from tests.cases.cloudtrail import build_trail
from tests.cloudtrail_shapes import (
    describe_security_groups,
    eventbridge,
    iam_user_identity,
    modify_instance_type,
    record,
    revoke_ingress_by_permission,
    revoke_ingress_by_rule_id,
)

REGION = "us-east-1"


@pytest.fixture
def estate(aws: boto3.Session, tmp_path: Path) -> tuple[WebEstate, Path]:
    built = build_web_estate(aws, REGION)
    return built, built.state.write(tmp_path / "terraform.tfstate")


def _write(tmp_path: Path, event: dict[str, Any]) -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def _rule_id(session: boto3.Session, group_id: str, port: int) -> str:
    rules = session.client("ec2", region_name=REGION).describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}]
    )["SecurityGroupRules"]
    return next(r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"] and r.get("FromPort") == port)


def _counting_session(aws: boto3.Session) -> tuple[boto3.Session, list[str]]:
    calls: list[str] = []
    session = boto3.Session(region_name=REGION)
    session.events.register("before-send", lambda request, **_: calls.append(request.url))
    return session, calls


def test_console_revoke_of_the_443_rule_alerts_once_and_names_the_human(aws, estate, guard, tmp_path):
    built, state = estate
    rule_id = _rule_id(aws, built.lb_group_id, 443)
    delete_https_rule(aws, built.lb_group_id, REGION)
    event = eventbridge(
        revoke_ingress_by_rule_id(built.lb_group_id, rule_id, event_id="ev-console-1", console=True)
    )

    result = guard("on-event", "--state", state, "--event", _write(tmp_path, event), "--format", "json")

    assert result.code == 2, result.err
    [outcome] = result.json()["events"]
    assert outcome["status"] == "drift"
    assert outcome["event_name"] == "RevokeSecurityGroupIngress"
    assert outcome["resources"] == [built.lb_group_id]
    [finding] = outcome["report"]["findings"]
    assert finding["kind"] == "missing"
    assert finding["address"] == "module.edge.aws_security_group.lb"
    assert (
        finding["title"]
        == "module.edge.aws_security_group.lb: ingress tcp/443 from 0.0.0.0/0 was deleted outside Terraform"
    )
    actor = finding["actor"]
    assert actor["who"] == "alice@example.com"
    assert actor["via"] == "console"
    assert actor["source_ip"] == "203.0.113.7"
    assert actor["event_id"] == "ev-console-1"
    assert "aws ec2 authorize-security-group-ingress" in finding["rollback"][0]["cli"]


def test_console_output_names_the_change_and_who(aws, estate, guard, tmp_path):
    built, state = estate
    delete_https_rule(aws, built.lb_group_id, REGION)
    event = eventbridge(
        revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-cli-2")
    )

    result = guard("on-event", "--state", state, "--event", _write(tmp_path, event))

    assert result.code == 2, result.err
    text = " ".join(result.out.split())  # the console wraps long lines at the terminal's width
    assert "ingress tcp/443 from 0.0.0.0/0 was deleted" in text
    assert (
        "who: IAM user bob (access key AKIA…2345), with the AWS CLI 2.15.30 without MFA, from 203.0.113.7"
        in text
    )
    assert "1 finding (1 deleted)" in text


def test_cli_resize_alerts_for_that_instance_only(aws, estate, guard, tmp_path):
    built, state = estate
    ec2 = aws.client("ec2", region_name=REGION)
    first, second = built.instance_ids
    for instance in (first, second):  # both resized; the event is about the first
        ec2.modify_instance_attribute(InstanceId=instance, InstanceType={"Value": "t3.large"})
    event = eventbridge(modify_instance_type(first, "t3.large", event_id="ev-resize-3"))

    result = guard("on-event", "--state", state, "--event", _write(tmp_path, event), "--format", "json")

    assert result.code == 2, result.err
    [outcome] = result.json()["events"]
    assert outcome["resources"] == [first]
    [finding] = outcome["report"]["findings"]
    assert finding["kind"] == "changed"
    assert finding["address"] == 'module.app.aws_instance.web["a"]'
    assert finding["changes"] == [{"path": "instance_type", "expected": "t3.small", "actual": "t3.large"}]
    assert finding["actor"]["who"] == "bob"
    assert finding["actor"]["via"] == "cli"
    assert finding["actor"]["principal_arn"] == "arn:aws:iam::123456789012:user/bob"


def test_an_event_whose_change_was_put_back_is_clean(aws, estate, guard, tmp_path):
    built, state = estate
    event = eventbridge(modify_instance_type(built.instance_ids[0], "t3.small", event_id="ev-noop-4"))

    result = guard("on-event", "--state", state, "--event", _write(tmp_path, event))

    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    assert f"Checked ModifyInstanceAttribute on {built.instance_ids[0]}" in text
    assert "matches the state" in text


def test_a_describe_call_is_ignored_without_any_aws_call(aws, estate):
    built, state = estate
    session, calls = _counting_session(aws)
    event = eventbridge(describe_security_groups(built.lb_group_id, event_id="ev-read-5"))

    [outcome] = check_events(event, [str(state)], Clients(session))

    assert outcome.status == "ignored"
    assert outcome.reason == "a read-only call changes nothing"
    assert outcome.report is None
    assert calls == []


def test_an_event_on_a_resource_in_no_state_is_ignored_without_any_aws_call(aws, estate, guard, tmp_path):
    built, state = estate
    ec2 = aws.client("ec2", region_name=REGION)
    stray = ec2.create_security_group(
        GroupName="hand-made", Description="made in the console", VpcId=built.vpc_id
    )
    ec2.authorize_security_group_ingress(
        GroupId=stray["GroupId"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
        ],
    )
    event = eventbridge(
        revoke_ingress_by_permission(stray["GroupId"], 22, "10.0.0.0/8", event_id="ev-stray-6")
    )
    session, calls = _counting_session(aws)

    [outcome] = check_events(event, [str(state)], Clients(session))

    assert outcome.status == "ignored"
    assert outcome.reason == f"{stray['GroupId']} in us-east-1 is in no state given"
    assert calls == []
    cli = guard("on-event", "--state", state, "--event", _write(tmp_path, event))
    assert cli.code == 0, cli.err
    assert f"Ignored RevokeSecurityGroupIngress on {stray['GroupId']}" in " ".join(cli.out.split())


def test_event_from_standard_input_and_a_failed_call(aws, estate, guard, tmp_path, monkeypatch):
    built, state = estate
    failed = revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-denied-7")
    failed["errorCode"] = "Client.UnauthorizedOperation"
    failed["errorMessage"] = "You are not authorized to perform this operation."
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(json.dumps(eventbridge(failed))))

    result = guard("on-event", "--state", state)

    assert result.code == 0, result.err
    assert "the call failed (Client.UnauthorizedOperation)" in " ".join(result.out.split())


def test_event_lambda_handler_takes_the_same_event(aws, estate, monkeypatch, tmp_path):
    built, state = estate
    delete_https_rule(aws, built.lb_group_id, REGION)
    monkeypatch.setenv("GUARD_STATE", str(state))
    monkeypatch.setenv("GUARD_HISTORY", str(tmp_path / "history.sqlite3"))
    event = eventbridge(
        revoke_ingress_by_permission(built.lb_group_id, 443, "0.0.0.0/0", event_id="ev-lambda-8")
    )

    answer = event_handler(event, None)

    assert answer["alerts"] == 1
    assert answer["outcomes"][0]["report"]["findings"][0]["actor"]["who"] == "bob"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[1, 2", "is not valid JSON"),
        (
            '{"detail-type": "EC2 Instance State-change Notification", "detail": {"state": "stopped"}}',
            "not a CloudTrail API call",
        ),
        ('{"hello": 1}', "has no CloudTrail record"),
    ],
)
def test_bad_events_are_one_line_errors(guard, tmp_path, document, message):
    path = tmp_path / "event.json"
    path.write_text(document, encoding="utf-8")
    state = tmp_path / "empty.tfstate"
    state.write_text('{"version": 4, "resources": []}', encoding="utf-8")

    result = guard("on-event", "--state", state, "--event", path)

    assert result.code == 1
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_a_trail_stopped_is_read_through_its_own_narrow_read_and_judged_by_the_rules(aws, tmp_path):
    # describe_trails is not paginated and the logging flag comes from a per-item read
    # (get_trail_status): the old event reader could read neither.
    state, ctx = TerraformState(), {}
    build_trail(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    aws.client("cloudtrail", region_name=REGION).stop_logging(Name="org-audit")
    # The call names the trail as the caller did (here by name); Terraform's id is its ARN.
    stopped = record(
        "StopLogging",
        iam_user_identity(),
        {"name": "org-audit"},
        event_id="ev-trail-9",
        source="cloudtrail.amazonaws.com",
    )

    [outcome] = check_events(eventbridge(stopped), [str(path)], Clients(aws), rules=load_rules())

    assert outcome.status == "drift", outcome.reason
    assert outcome.report is not None
    [finding] = outcome.report.findings
    assert finding.address == "aws_cloudtrail.audit"
    assert [(c.path, c.expected, c.actual) for c in finding.changes] == [("enable_logging", True, False)]
    assert "GUARD-LOG-001" in finding.rule_ids
    assert [v.rule_id for v in outcome.report.violations] == ["GUARD-LOG-001"]
    assert finding.actor is not None and finding.actor.who == "bob"
