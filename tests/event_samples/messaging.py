"""Sample CloudTrail records for the messaging and observability types (CloudWatch Logs,
CloudWatch alarms)."""

from __future__ import annotations

from tests.event_samples import Sample

_GROUP = "/orders/api"
_GROUP_ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{_GROUP}"

SAMPLES: list[Sample] = [
    (
        "logs",
        "CreateLogGroup DeleteLogGroup DeleteRetentionPolicy DisassociateKmsKey",
        {"logGroupName": _GROUP},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "PutRetentionPolicy",
        {"logGroupName": _GROUP, "retentionInDays": 1},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "AssociateKmsKey",
        {"logGroupName": _GROUP, "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "TagLogGroup UntagLogGroup",
        {"logGroupName": _GROUP, "tags": {"Team": "orders"}},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "TagResource UntagResource",
        {"resourceArn": _GROUP_ARN, "tags": {"Team": "orders"}},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "cloudwatch",
        "PutMetricAlarm",
        {"alarmName": "orders-5xx", "metricName": "HTTPCode_Target_5XX_Count", "threshold": 10.0},
        None,
        None,
        [("aws_cloudwatch_metric_alarm", "orders-5xx")],
    ),
    (
        "cloudwatch",
        "DeleteAlarms DisableAlarmActions EnableAlarmActions",
        {"alarmNames": ["orders-5xx", "orders-latency"]},
        None,
        None,
        [("aws_cloudwatch_metric_alarm", "orders-5xx"), ("aws_cloudwatch_metric_alarm", "orders-latency")],
    ),
    (
        "cloudwatch",
        "TagResource UntagResource",
        {"resourceARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-5xx", "tagKeys": ["Team"]},
        None,
        None,
        [("aws_cloudwatch_metric_alarm", "orders-5xx")],
    ),
]
