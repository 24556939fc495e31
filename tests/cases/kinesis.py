"""Cases for Kinesis data streams, in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client

METRICS = ["IncomingBytes", "OutgoingBytes"]


def stream_attributes(summary: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    """What the provider writes after create: its read of DescribeStreamSummary."""
    mode = (summary.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
    metrics = [
        m for entry in summary.get("EnhancedMonitoring") or [] for m in entry.get("ShardLevelMetrics") or []
    ]
    return {
        "arn": summary["StreamARN"],
        "encryption_type": summary.get("EncryptionType") or "NONE",
        "enforce_consumer_deletion": False,
        "id": summary["StreamARN"],
        "kms_key_id": summary.get("KeyId") or "",
        "name": summary["StreamName"],
        "retention_period": summary["RetentionPeriodHours"],
        "shard_count": summary["OpenShardCount"] if mode == "PROVISIONED" else 0,
        "shard_level_metrics": sorted(metrics),
        "stream_mode_details": [{"stream_mode": mode}],
        "tags": tags,
        "tags_all": tags,
        "timeouts": None,
    }


def build_stream(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """As terraform apply makes it: CreateStream, then retention, monitoring and encryption."""
    kinesis, name = client(session, "kinesis"), "sweep-kinesis-orders"
    tags = {"team": "orders"}
    kinesis.create_stream(
        StreamName=name, ShardCount=2, StreamModeDetails={"StreamMode": "PROVISIONED"}, Tags=tags
    )
    # AWS tags the stream from CreateStream's Tags; moto drops them, so they are added as AWS has them.
    if not kinesis.list_tags_for_stream(StreamName=name)["Tags"]:
        kinesis.add_tags_to_stream(StreamName=name, Tags=tags)
    kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=72)
    kinesis.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=METRICS)
    kinesis.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    ctx["stream_arn"], ctx["stream_name"] = summary["StreamARN"], name
    state.add("aws_kinesis_stream", "orders", stream_attributes(summary, tags))


def _console_stream(session: boto3.Session, ctx: Context) -> str:
    kinesis = client(session, "kinesis")
    kinesis.create_stream(StreamName="console-sweep-kinesis-clicks", ShardCount=1)
    return str(
        kinesis.describe_stream_summary(StreamName="console-sweep-kinesis-clicks")[
            "StreamDescriptionSummary"
        ]["StreamARN"]
    )


CASES = [
    TypeCase(
        "aws_kinesis_stream",
        build=build_stream,
        # Retention cut to a day in the console: a consumer down for longer now loses records.
        drift=lambda s, c: client(s, "kinesis").decrease_stream_retention_period(
            StreamName=c["stream_name"], RetentionPeriodHours=24
        ),
        expected=Expected(
            "changed",
            "aws_kinesis_stream",
            "stream_arn",
            "aws_kinesis_stream.orders",
            paths=("retention_period",),
        ),
        unmanaged=_console_stream,
        unmanaged_type="aws_kinesis_stream",
    ),
]
