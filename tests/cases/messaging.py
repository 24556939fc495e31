"""Cases for SQS and SNS: a queue with a dead-letter queue, and a topic."""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.services import sns_topic_attributes, sqs_queue_attributes


def _queue(
    session: boto3.Session, state: TerraformState, name: str, resource_name: str, **attributes: str
) -> str:
    sqs = client(session, "sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes, tags={"Team": "orders"})["QueueUrl"]
    live = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    state.add("aws_sqs_queue", resource_name, sqs_queue_attributes(url, live, {"Team": "orders"}))
    return str(url)


def build_queue(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    dead = _queue(session, state, "orders-dlq", "dlq", MessageRetentionPeriod="1209600")
    dead_arn = client(session, "sqs").get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": 5})
    ctx["queue_url"] = _queue(
        session, state, "orders", "orders", VisibilityTimeout="120", RedrivePolicy=redrive
    )


def build_topic(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    sns = client(session, "sns")
    arn = sns.create_topic(
        Name="order-events", Attributes={"DisplayName": "Orders"}, Tags=[{"Key": "Team", "Value": "orders"}]
    )["TopicArn"]
    live = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    ctx["topic_arn"] = arn
    state.add("aws_sns_topic", "orders", sns_topic_attributes(arn, live, {"Team": "orders"}))


CASES = [
    TypeCase(
        "aws_sqs_queue",
        build=build_queue,
        drift=lambda s, c: client(s, "sqs").set_queue_attributes(
            QueueUrl=c["queue_url"], Attributes={"VisibilityTimeout": "5"}
        ),
        expected=Expected(
            "changed",
            "aws_sqs_queue",
            "queue_url",
            "aws_sqs_queue.orders",
            paths=("visibility_timeout_seconds",),
        ),
        unmanaged=lambda s, c: str(client(s, "sqs").create_queue(QueueName="adhoc")["QueueUrl"]),
        unmanaged_type="aws_sqs_queue",
    ),
    TypeCase(
        "aws_sns_topic",
        build=build_topic,
        drift=lambda s, c: client(s, "sns").set_topic_attributes(
            TopicArn=c["topic_arn"], AttributeName="DisplayName", AttributeValue="Someone's test"
        ),
        expected=Expected(
            "changed", "aws_sns_topic", "topic_arn", "aws_sns_topic.orders", paths=("display_name",)
        ),
        unmanaged=lambda s, c: str(client(s, "sns").create_topic(Name="adhoc")["TopicArn"]),
        unmanaged_type="aws_sns_topic",
    ),
]
