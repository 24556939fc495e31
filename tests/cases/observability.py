"""Cases for observability types: a CloudWatch Logs log group."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client


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
]
