"""Cases for SQS and SNS: a queue with a dead-letter queue, a topic, a subscription, a
topic policy and a queue policy (each declared as its own resource)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import account, client
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


# aws_sns_topic_subscription -----------------------------------------------------------


def subscription_attributes(arn: str, attributes: dict[str, str], owner: str) -> dict[str, Any]:
    """aws_sns_topic_subscription as provider 5.x stores it after apply."""
    return {
        "arn": arn,
        "confirmation_timeout_in_minutes": 1,
        "confirmation_was_authenticated": attributes.get("ConfirmationWasAuthenticated") == "true",
        "delivery_policy": attributes.get("DeliveryPolicy", ""),
        "endpoint": attributes["Endpoint"],
        "endpoint_auto_confirms": False,
        "filter_policy": attributes.get("FilterPolicy", ""),
        "filter_policy_scope": attributes.get("FilterPolicyScope", ""),
        "id": arn,
        "owner_id": owner,
        "pending_confirmation": attributes.get("PendingConfirmation") == "true",
        "protocol": attributes["Protocol"],
        "raw_message_delivery": attributes.get("RawMessageDelivery") == "true",
        "redrive_policy": attributes.get("RedrivePolicy", ""),
        "replay_policy": attributes.get("ReplayPolicy", ""),
        "subscription_role_arn": attributes.get("SubscriptionRoleArn", ""),
        "topic_arn": attributes["TopicArn"],
    }


def _declared_topic(session: boto3.Session, state: TerraformState, name: str, resource_name: str) -> str:
    sns = client(session, "sns")
    arn = str(sns.create_topic(Name=name)["TopicArn"])
    live = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    state.add("aws_sns_topic", resource_name, sns_topic_attributes(arn, live))
    return arn


def build_subscription(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    topic = _declared_topic(session, state, "sweep-snssub-orders", "orders")
    queue = _queue(session, state, "sweep-snssub-orders-worker", "worker")
    sqs, sns = client(session, "sqs"), client(session, "sns")
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    arn = sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true", "FilterPolicy": json.dumps({"type": ["order.placed"]})},
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    live = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    # The provider writes back the filter policy as configured (jsonencode: compact).
    live["FilterPolicy"] = json.dumps({"type": ["order.placed"]}, separators=(",", ":"))
    state.add("aws_sns_topic_subscription", "worker", subscription_attributes(arn, live, account(session)))
    ctx.update(topic_arn=topic, subscription_arn=arn)


def _subscribed_in_the_console(session: boto3.Session, ctx: Context) -> str:
    return str(
        client(session, "sns").subscribe(
            TopicArn=ctx["topic_arn"],
            Protocol="email",
            Endpoint="someone@example.com",
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
    )


# aws_sns_topic_policy / aws_sqs_queue_policy -------------------------------------------


def _publish_from(service: str, resource: str, action: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "FromService",
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": action,
                "Resource": resource,
            }
        ],
    }


def build_topic_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    sns = client(session, "sns")
    arn = str(sns.create_topic(Name="sweep-snspolicy-alerts")["TopicArn"])
    policy = json.dumps(_publish_from("events.amazonaws.com", arn, "sns:Publish"), separators=(",", ":"))
    sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=policy)
    # After apply the topic's Optional+Computed `policy` holds what aws_sns_topic_policy set.
    live = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    state.add("aws_sns_topic", "alerts", sns_topic_attributes(arn, live))
    state.add(
        "aws_sns_topic_policy", "alerts", {"arn": arn, "id": arn, "owner": live["Owner"], "policy": policy}
    )
    ctx["topic_arn"] = arn


def _topic_opened_to_cloudwatch(session: boto3.Session, ctx: Context) -> None:
    wider = _publish_from("events.amazonaws.com", ctx["topic_arn"], "sns:Publish")
    wider["Statement"][0]["Principal"] = {"Service": ["events.amazonaws.com", "cloudwatch.amazonaws.com"]}
    client(session, "sns").set_topic_attributes(
        TopicArn=ctx["topic_arn"], AttributeName="Policy", AttributeValue=json.dumps(wider)
    )


def build_queue_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    sqs = client(session, "sqs")
    jobs = str(sqs.create_queue(QueueName="sweep-sqspolicy-jobs", tags={"Team": "orders"})["QueueUrl"])
    arn = sqs.get_queue_attributes(QueueUrl=jobs, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps(_publish_from("sns.amazonaws.com", arn, "sqs:SendMessage"), separators=(",", ":"))
    sqs.set_queue_attributes(QueueUrl=jobs, Attributes={"Policy": policy})
    # The queue's Optional+Computed `policy` holds it after the refresh that follows apply.
    live = sqs.get_queue_attributes(QueueUrl=jobs, AttributeNames=["All"])["Attributes"]
    state.add("aws_sqs_queue", "jobs", sqs_queue_attributes(jobs, live, {"Team": "orders"}))
    state.add("aws_sqs_queue_policy", "jobs", {"id": jobs, "policy": policy, "queue_url": jobs})
    spare = _queue(session, state, "sweep-sqspolicy-spare", "spare")
    ctx.update(queue_url=jobs, queue_arn=arn, spare_url=spare)


def _queue_policy_set(policy: str) -> Any:
    def edit(session: boto3.Session, ctx: Context) -> None:
        client(session, "sqs").set_queue_attributes(QueueUrl=ctx["queue_url"], Attributes={"Policy": policy})

    return edit


def _queue_opened_to_s3(session: boto3.Session, ctx: Context) -> None:
    wider = _publish_from("sns.amazonaws.com", ctx["queue_arn"], "sqs:SendMessage")
    wider["Statement"][0]["Principal"] = {"Service": ["sns.amazonaws.com", "s3.amazonaws.com"]}
    _queue_policy_set(json.dumps(wider))(session, ctx)


def _policy_put_on_the_spare_queue(session: boto3.Session, ctx: Context) -> str:
    policy = _publish_from("sns.amazonaws.com", "*", "sqs:SendMessage")
    client(session, "sqs").set_queue_attributes(
        QueueUrl=ctx["spare_url"], Attributes={"Policy": json.dumps(policy)}
    )
    return str(ctx["spare_url"])


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
    TypeCase(
        "aws_sns_topic_subscription",
        build=build_subscription,
        drift=lambda s, c: client(s, "sns").set_subscription_attributes(
            SubscriptionArn=c["subscription_arn"], AttributeName="RawMessageDelivery", AttributeValue="false"
        ),
        expected=Expected(
            "changed",
            "aws_sns_topic_subscription",
            "subscription_arn",
            "aws_sns_topic_subscription.worker",
            paths=("raw_message_delivery",),
        ),
        unmanaged=_subscribed_in_the_console,
        unmanaged_type="aws_sns_topic_subscription",
    ),
    # No unmanaged case: a topic always has a policy, and a declared topic's state holds it
    # (Optional+Computed), so a policy edited outside Terraform is a change, never an addition.
    TypeCase(
        "aws_sns_topic_policy",
        build=build_topic_policy,
        drift=_topic_opened_to_cloudwatch,
        expected=Expected(
            "changed", "aws_sns_topic_policy", "topic_arn", "aws_sns_topic_policy.alerts", paths=("policy",)
        ),
    ),
    TypeCase(
        "aws_sqs_queue_policy",
        build=build_queue_policy,
        drift=_queue_opened_to_s3,
        expected=Expected(
            "changed", "aws_sqs_queue_policy", "queue_url", "aws_sqs_queue_policy.jobs", paths=("policy",)
        ),
        unmanaged=_policy_put_on_the_spare_queue,
        unmanaged_type="aws_sqs_queue_policy",
    ),
    TypeCase(
        "aws_sqs_queue_policy",
        build=build_queue_policy,
        drift=_queue_policy_set(""),  # what "remove the policy" in the console does
        expected=Expected("missing", "aws_sqs_queue_policy", "queue_url", "aws_sqs_queue_policy.jobs"),
    ),
]
