"""Cases for observability types: a CloudWatch Logs log group, a metric alarm,
a GuardDuty detector."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import account, client


def log_group_attributes(group: dict[str, Any], group_tags: dict[str, str]) -> dict[str, Any]:
    """aws_cloudwatch_log_group as provider 5.x stores it (arn without the trailing :*)."""
    return {
        "arn": str(group["arn"]).removesuffix(":*"),
        "id": group["logGroupName"],
        "kms_key_id": group.get("kmsKeyId", ""),
        "log_group_class": group.get("logGroupClass", "STANDARD"),
        "name": group["logGroupName"],
        "name_prefix": "",
        "retention_in_days": group.get("retentionInDays", 0),
        "skip_destroy": False,
        "tags": dict(group_tags),
        "tags_all": dict(group_tags),
    }


def build_log_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    logs = client(session, "logs")
    name = "/orders/api"
    logs.create_log_group(logGroupName=name, tags={"Team": "orders"})
    logs.put_retention_policy(logGroupName=name, retentionInDays=30)
    # What Lambda makes on its own on a function's first write: never unmanaged.
    logs.create_log_group(logGroupName="/aws/lambda/orders-worker")
    group = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]
    ctx["log_group"] = name
    state.add("aws_cloudwatch_log_group", "api", log_group_attributes(group, {"Team": "orders"}))


def alarm_attributes(alarm: dict[str, Any], alarm_tags: dict[str, str]) -> dict[str, Any]:
    """aws_cloudwatch_metric_alarm as provider 5.x stores it (a single-metric alarm)."""
    return {
        "actions_enabled": alarm["ActionsEnabled"],
        "alarm_actions": list(alarm.get("AlarmActions") or []),
        "alarm_description": alarm.get("AlarmDescription", ""),
        "alarm_name": alarm["AlarmName"],
        "arn": alarm["AlarmArn"],
        "comparison_operator": alarm["ComparisonOperator"],
        "datapoints_to_alarm": alarm.get("DatapointsToAlarm", 0),
        "dimensions": {d["Name"]: d["Value"] for d in alarm.get("Dimensions") or []},
        "evaluate_low_sample_count_percentiles": alarm.get("EvaluateLowSampleCountPercentile", ""),
        "evaluation_periods": alarm["EvaluationPeriods"],
        "extended_statistic": alarm.get("ExtendedStatistic", ""),
        "id": alarm["AlarmName"],
        "insufficient_data_actions": list(alarm.get("InsufficientDataActions") or []),
        "metric_name": alarm.get("MetricName", ""),
        "metric_query": [],
        "namespace": alarm.get("Namespace", ""),
        "ok_actions": list(alarm.get("OKActions") or []),
        "period": alarm.get("Period", 0),
        "statistic": alarm.get("Statistic", ""),
        "tags": dict(alarm_tags),
        "tags_all": dict(alarm_tags),
        "threshold": alarm.get("Threshold", 0),
        "threshold_metric_id": alarm.get("ThresholdMetricId", ""),
        "treat_missing_data": alarm.get("TreatMissingData", "missing"),
        "unit": alarm.get("Unit", ""),
    }


def build_alarm(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    topic = client(session, "sns").create_topic(Name="pager")["TopicArn"]
    cloudwatch = client(session, "cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName="orders-5xx",
        AlarmDescription="Orders API errors",
        ActionsEnabled=True,
        AlarmActions=[topic],
        OKActions=[topic],
        MetricName="HTTPCode_Target_5XX_Count",
        Namespace="AWS/ApplicationELB",
        Statistic="Sum",
        Dimensions=[{"Name": "LoadBalancer", "Value": "app/orders/50dc6c495c0c9188"}],
        Period=60,
        EvaluationPeriods=3,
        DatapointsToAlarm=2,
        Threshold=10.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
        Tags=[{"Key": "Team", "Value": "orders"}],
    )
    alarm = cloudwatch.describe_alarms(AlarmNames=["orders-5xx"])["MetricAlarms"][0]
    ctx["alarm"] = "orders-5xx"
    state.add("aws_sns_topic", "pager", _topic_state(session, topic))
    state.add("aws_cloudwatch_metric_alarm", "orders_5xx", alarm_attributes(alarm, {"Team": "orders"}))


def _topic_state(session: boto3.Session, arn: str) -> dict[str, Any]:
    from tests.support.services import sns_topic_attributes

    live = client(session, "sns").get_topic_attributes(TopicArn=arn)["Attributes"]
    return sns_topic_attributes(arn, live, {})


def _unmanaged_alarm(session: boto3.Session, _: Context) -> str:
    client(session, "cloudwatch").put_metric_alarm(
        AlarmName="adhoc-cpu",
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=1,
        Threshold=90.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    return "adhoc-cpu"


def detector_attributes(detector_id: str, detector: dict[str, Any], owner: str) -> dict[str, Any]:
    """aws_guardduty_detector as provider 5.x stores it (datasources as AWS answered)."""
    sources = detector.get("DataSources") or {}

    def status(block: dict[str, Any] | None) -> bool:
        return (block or {}).get("Status") == "ENABLED"

    return {
        "account_id": owner,
        "arn": f"arn:aws:guardduty:us-east-1:{owner}:detector/{detector_id}",
        "datasources": [
            {
                "kubernetes": [
                    {"audit_logs": [{"enable": status((sources.get("Kubernetes") or {}).get("AuditLogs"))}]}
                ],
                "malware_protection": [],
                "s3_logs": [{"enable": status(sources.get("S3Logs"))}],
            }
        ],
        "enable": detector["Status"] == "ENABLED",
        "finding_publishing_frequency": detector["FindingPublishingFrequency"],
        "id": detector_id,
        "tags": dict(detector.get("Tags") or {}),
        "tags_all": dict(detector.get("Tags") or {}),
    }


def build_detector(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    guardduty = client(session, "guardduty")
    detector_id = guardduty.create_detector(
        Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES", Tags={"Team": "security"}
    )["DetectorId"]
    ctx["detector_id"] = detector_id
    detector = guardduty.get_detector(DetectorId=detector_id)
    state.add("aws_guardduty_detector", "main", detector_attributes(detector_id, detector, account(session)))


def _detector_switched_on_outside_terraform(session: boto3.Session, ctx: Context) -> None:
    # AWS allows one detector a region: the unmanaged one is where the state declares none.
    ctx["detector_id"] = client(session, "guardduty").create_detector(Enable=True)["DetectorId"]


def _made(create: Any, name: str) -> str:
    create(logGroupName=name)
    return name


CASES = [
    TypeCase(
        "aws_cloudwatch_log_group",
        build=build_log_group,
        drift=lambda s, c: client(s, "logs").put_retention_policy(
            logGroupName=c["log_group"], retentionInDays=1
        ),
        expected=Expected(
            "changed",
            "aws_cloudwatch_log_group",
            "log_group",
            "aws_cloudwatch_log_group.api",
            paths=("retention_in_days",),
        ),
        unmanaged=lambda s, c: _made(client(s, "logs").create_log_group, "adhoc-debug"),
        unmanaged_type="aws_cloudwatch_log_group",
    ),
    TypeCase(
        "aws_cloudwatch_metric_alarm",
        build=build_alarm,
        drift=lambda s, c: client(s, "cloudwatch").disable_alarm_actions(AlarmNames=[c["alarm"]]),
        expected=Expected(
            "changed",
            "aws_cloudwatch_metric_alarm",
            "alarm",
            "aws_cloudwatch_metric_alarm.orders_5xx",
            paths=("actions_enabled",),
        ),
        unmanaged=_unmanaged_alarm,
        unmanaged_type="aws_cloudwatch_metric_alarm",
    ),
    TypeCase(
        "aws_guardduty_detector",
        build=build_detector,
        drift=lambda s, c: client(s, "guardduty").update_detector(DetectorId=c["detector_id"], Enable=False),
        expected=Expected(
            "changed",
            "aws_guardduty_detector",
            "detector_id",
            "aws_guardduty_detector.main",
            paths=("enable",),
        ),
    ),
    # One detector a region (AWS refuses a second): a state that declares none, and a
    # detector someone switched on in the console.
    TypeCase(
        "aws_guardduty_detector",
        build=lambda s, state, c: None,
        drift=_detector_switched_on_outside_terraform,
        expected=Expected("unmanaged", "aws_guardduty_detector", "detector_id"),
    ),
]
