"""Cases for EventBridge: a rule on the default bus, and a rule's target (an SNS topic)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.services import sns_topic_attributes

PATTERN = {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]}


def rule_attributes(rule: dict[str, Any], pattern: Any, rule_tags: dict[str, str]) -> dict[str, Any]:
    """aws_cloudwatch_event_rule as provider 5.x stores it after apply (the pattern as
    jsonencode wrote it: compact, where AWS answers with its own spacing)."""
    bus = rule.get("EventBusName") or "default"
    return {
        "arn": rule["Arn"],
        "description": rule.get("Description", ""),
        "event_bus_name": bus,
        "event_pattern": json.dumps(pattern, separators=(",", ":")) if pattern else None,
        "force_destroy": False,
        "id": rule["Name"] if bus == "default" else f"{bus}/{rule['Name']}",
        "is_enabled": rule["State"] == "ENABLED",
        "name": rule["Name"],
        "name_prefix": "",
        "role_arn": rule.get("RoleArn", ""),
        "schedule_expression": rule.get("ScheduleExpression", ""),
        "state": rule["State"],
        "tags": dict(rule_tags) or None,
    }


def _rule(session: boto3.Session, state: TerraformState, name: str, resource_name: str) -> dict[str, Any]:
    events = client(session, "events")
    events.put_rule(
        Name=name,
        EventPattern=json.dumps(PATTERN),
        Description="Instance state changes to the on-call topic",
        Tags=[{"Key": "Team", "Value": "platform"}],
    )
    rule = events.describe_rule(Name=name)
    state.add(
        "aws_cloudwatch_event_rule", resource_name, rule_attributes(rule, PATTERN, {"Team": "platform"})
    )
    return dict(rule)


def build_rule(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ctx["rule"] = _rule(session, state, "sweep-events-instance-changes", "instance_changes")["Name"]


def target_attributes(rule: str, target: dict[str, Any]) -> dict[str, Any]:
    """aws_cloudwatch_event_target as provider 5.x stores it after apply."""
    return {
        "appsync_target": [],
        "arn": target["Arn"],
        "batch_target": [],
        "dead_letter_config": [],
        "ecs_target": [],
        "event_bus_name": "default",
        "force_destroy": False,
        "http_target": [],
        "id": f"{rule}-{target['Id']}",
        "input": target.get("Input", ""),
        "input_path": target.get("InputPath", ""),
        "input_transformer": [],
        "kinesis_target": [],
        "redshift_target": [],
        "retry_policy": [],
        "role_arn": target.get("RoleArn", ""),
        "rule": rule,
        "run_command_targets": [],
        "sagemaker_pipeline_target": [],
        "sqs_target": [],
        "target_id": target["Id"],
    }


def build_target(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    rule = _rule(session, state, "sweep-events-target-rule", "paging")["Name"]
    sns = client(session, "sns")
    topic = str(sns.create_topic(Name="sweep-events-oncall")["TopicArn"])
    state.add(
        "aws_sns_topic",
        "oncall",
        sns_topic_attributes(topic, sns.get_topic_attributes(TopicArn=topic)["Attributes"]),
    )
    target = {"Id": "oncall", "Arn": topic, "Input": json.dumps({"severity": "page"})}
    client(session, "events").put_targets(Rule=rule, Targets=[target])
    state.add("aws_cloudwatch_event_target", "oncall", target_attributes(rule, target))
    ctx.update(rule=rule, topic=topic, target_id=f"{rule}-oncall")


def _target_input_edited(session: boto3.Session, ctx: Context) -> None:
    target = {"Id": "oncall", "Arn": ctx["topic"], "Input": json.dumps({"severity": "ignore"})}
    client(session, "events").put_targets(Rule=ctx["rule"], Targets=[target])


def _second_target_added(session: boto3.Session, ctx: Context) -> str:
    target = {"Id": "adhoc", "Arn": ctx["topic"]}
    client(session, "events").put_targets(Rule=ctx["rule"], Targets=[target])
    return f"{ctx['rule']}-adhoc"


def _unmanaged_rule(session: boto3.Session, _: Context) -> str:
    client(session, "events").put_rule(Name="sweep-events-adhoc", ScheduleExpression="rate(5 minutes)")
    return "sweep-events-adhoc"


CASES = [
    TypeCase(
        "aws_cloudwatch_event_rule",
        build=build_rule,
        drift=lambda s, c: client(s, "events").disable_rule(Name=c["rule"]),
        expected=Expected(
            "changed",
            "aws_cloudwatch_event_rule",
            "rule",
            "aws_cloudwatch_event_rule.instance_changes",
            paths=("state",),
        ),
        unmanaged=_unmanaged_rule,
        unmanaged_type="aws_cloudwatch_event_rule",
    ),
    TypeCase(
        "aws_cloudwatch_event_target",
        build=build_target,
        drift=_target_input_edited,
        expected=Expected(
            "changed",
            "aws_cloudwatch_event_target",
            "target_id",
            "aws_cloudwatch_event_target.oncall",
            paths=("input",),
        ),
        unmanaged=_second_target_added,
        unmanaged_type="aws_cloudwatch_event_target",
    ),
    TypeCase(
        "aws_cloudwatch_event_target",
        build=build_target,
        drift=lambda s, c: client(s, "events").remove_targets(Rule=c["rule"], Ids=["oncall"]),
        expected=Expected(
            "missing", "aws_cloudwatch_event_target", "target_id", "aws_cloudwatch_event_target.oncall"
        ),
    ),
]
