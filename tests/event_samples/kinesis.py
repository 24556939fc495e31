"""Sample CloudTrail records for Kinesis data streams (eventSource kinesis.amazonaws.com).

The provider's calls name a stream by name (made into the state's ARN from the record's
region and account); the console and newer SDKs by ARN."""

from __future__ import annotations

from tests.event_samples import Sample

_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"

SAMPLES: list[Sample] = [
    (
        "kinesis",
        "CreateStream",
        {"streamName": "orders", "shardCount": 2, "streamModeDetails": {"streamMode": "PROVISIONED"}},
        None,
        None,
        [("aws_kinesis_stream", _ARN)],
    ),
    (
        "kinesis",
        "DeleteStream IncreaseStreamRetentionPeriod DecreaseStreamRetentionPeriod UpdateShardCount"
        " StartStreamEncryption StopStreamEncryption EnableEnhancedMonitoring DisableEnhancedMonitoring"
        " AddTagsToStream RemoveTagsFromStream",
        {"streamName": "orders"},
        None,
        None,
        [("aws_kinesis_stream", _ARN)],
    ),
    (
        "kinesis",
        "UpdateStreamMode DecreaseStreamRetentionPeriod StopStreamEncryption",
        {"streamARN": _ARN, "streamModeDetails": {"streamMode": "ON_DEMAND"}},
        None,
        None,
        [("aws_kinesis_stream", _ARN)],
    ),
    (
        "kinesis",
        "TagResource UntagResource",
        {"resourceARN": _ARN},
        None,
        None,
        [("aws_kinesis_stream", _ARN)],
    ),
]
