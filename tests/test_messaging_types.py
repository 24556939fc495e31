"""The messaging declarations' real-AWS shapes that moto does not produce: subscriptions
waiting for confirmation, HTTPS endpoints holding keys, SNS's default topic policy, rules
named on a bus by ARN."""

from __future__ import annotations

import json

from guard.live import REGISTRY
from guard.model import Resource

TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
DEFAULT_POLICY = {
    "Version": "2008-10-17",
    "Id": "__default_policy_ID",
    "Statement": [
        {
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["SNS:Publish", "SNS:Subscribe"],
            "Resource": TOPIC,
            "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}},
        }
    ],
}


def _resource(type_: str, attrs: dict) -> Resource:
    return Resource(type=type_, id=str(attrs.get("id") or ""), attrs=attrs)


def test_a_subscription_waiting_for_confirmation_matches_its_declaration_on_what_it_joins():
    declaration = REGISTRY.get("aws_sns_topic_subscription")
    listed = {
        "SubscriptionArn": "PendingConfirmation",
        "Owner": "123456789012",
        "Protocol": "email",
        "Endpoint": "oncall@example.com",
        "TopicArn": TOPIC,
        "Pending": True,
    }
    assert declaration.keep_item(listed)
    assert not declaration.keep_item({**listed, "SubscriptionArn": "Deleted", "Pending": False})
    live = declaration.to_attrs(listed)
    assert live == {"topic_arn": TOPIC, "protocol": "email", "endpoint": "oncall@example.com"}
    state = {
        "id": f"{TOPIC}:7f3a3c1e-0b1e-4b8a-9d1c-2f3e4a5b6c7d",
        "topic_arn": TOPIC,
        "protocol": "email",
        "endpoint": "oncall@example.com",
        "pending_confirmation": True,
        "raw_message_delivery": False,
    }
    desired = declaration.normalise_desired(state)
    assert desired == live  # only what it joins is compared until it is confirmed
    assert declaration.match_key(_resource("x", desired)) == declaration.match_key(_resource("x", live))
    # It has no ARN to unsubscribe: no delete call is offered for it.
    assert declaration.delete_calls is not None
    assert declaration.delete_calls(Resource(type="x", id="PendingConfirmation:ab12", attrs=live)) == []


def test_an_https_endpoint_is_shown_without_its_path_but_still_told_apart():
    declaration = REGISTRY.get("aws_sns_topic_subscription")
    key = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"
    shaped = declaration.normalise_desired({"topic_arn": TOPIC, "protocol": "https", "endpoint": key})
    assert "0123456789abcdef" not in shaped["endpoint"]
    assert shaped["endpoint"].startswith("https://events.pagerduty.com/")
    other = declaration.normalise_desired({"topic_arn": TOPIC, "protocol": "https", "endpoint": key + "2"})
    assert other["endpoint"] != shaped["endpoint"]


def test_an_aws_service_subscription_and_another_accounts_are_never_unmanaged():
    declaration = REGISTRY.get("aws_sns_topic_subscription")
    mine = {"TopicArn": TOPIC, "Owner": "123456789012", "Protocol": "sqs", "Endpoint": "arn:aws:sqs:::q"}
    assert not declaration.aws_default(mine)
    assert declaration.aws_default({**mine, "Owner": "210987654321"})
    chatbot = {**mine, "Protocol": "https", "Endpoint": "https://global.sns-api.chatbot.amazonaws.com"}
    assert declaration.aws_default(chatbot)


def test_the_policy_sns_writes_by_itself_is_never_an_unmanaged_policy():
    declaration = REGISTRY.get("aws_sns_topic_policy")
    item = {"TopicArn": TOPIC, "Attributes": {"Policy": json.dumps(DEFAULT_POLICY)}}
    assert declaration.aws_default(item)
    opened = json.loads(json.dumps(DEFAULT_POLICY))
    opened["Statement"].append(
        {"Sid": "anyone", "Effect": "Allow", "Principal": "*", "Action": "SNS:Publish"}
    )
    assert not declaration.aws_default({**item, "Attributes": {"Policy": json.dumps(opened)}})


def test_a_rule_declared_on_a_bus_by_arn_is_the_rule_on_that_bus():
    rule, target = REGISTRY.get("aws_cloudwatch_event_rule"), REGISTRY.get("aws_cloudwatch_event_target")
    bus_arn = "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    desired = rule.normalise_desired({"name": "placed", "event_bus_name": bus_arn, "state": "ENABLED"})
    assert desired["event_bus_name"] == "orders"
    declared = target.normalise_desired(
        {"rule": "placed", "event_bus_name": bus_arn, "target_id": "queue", "arn": "arn:aws:sqs:::q"}
    )
    listed = {
        "Id": "queue",
        "Arn": "arn:aws:sqs:::q",
        "Rule": "placed",
        "EventBusName": "orders",
    }
    live = target.to_attrs(listed)
    assert live["rule_id"] == declared["rule_id"] == "orders/placed"
    assert target.match_key(_resource("x", declared)) == target.match_key(_resource("x", live))
