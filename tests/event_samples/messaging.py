"""Sample CloudTrail records for the messaging and observability types (CloudWatch Logs)."""

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
]
