"""Case for DynamoDB: an on-demand table with point-in-time recovery; someone turns it off."""

from __future__ import annotations

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.services import dynamodb_table_attributes


def _create(session: boto3.Session, name: str) -> dict:
    return dict(
        client(session, "dynamodb").create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            Tags=[{"Key": "Team", "Value": "orders"}],
        )["TableDescription"]
    )


def build_table(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _create(session, "orders")
    dynamodb = client(session, "dynamodb")
    dynamodb.update_continuous_backups(
        TableName="orders", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    table = dynamodb.describe_table(TableName="orders")["Table"]
    ctx["table"] = "orders"
    state.add("aws_dynamodb_table", "orders", dynamodb_table_attributes(table, True, {"Team": "orders"}))


CASES = [
    TypeCase(
        "aws_dynamodb_table",
        build=build_table,
        drift=lambda s, c: client(s, "dynamodb").update_continuous_backups(
            TableName="orders", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
        ),
        expected=Expected(
            "changed",
            "aws_dynamodb_table",
            "table",
            "aws_dynamodb_table.orders",
            paths=("point_in_time_recovery",),
        ),
        unmanaged=lambda s, c: str(_create(s, "adhoc")["TableName"]),
        unmanaged_type="aws_dynamodb_table",
    ),
]
