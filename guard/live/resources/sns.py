"""SNS topics: one paginated ListTopics per region (ARNs only), then GetTopicAttributes and
ListTagsForResource per topic (2 calls per topic)."""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.policy import normalise_policy, parse_policy
from guard.live.shape import declared_tags, tags
from guard.live.types import REGISTRY, Attrs, Expansion, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

# The policy is aws_sns_topic_policy's (declared inline or on its own), compared and put back there.
_SETTABLE = {"display_name": "DisplayName", "kms_master_key_id": "KmsMasterKeyId"}


@reads("get_topic_attributes", "list_tags_for_resource")
def read_topic(clients: Any, region: str, topic: dict[str, Any]) -> dict[str, Any]:
    sns = clients.client("sns", region)
    attributes = sns.get_topic_attributes(TopicArn=topic["TopicArn"]).get("Attributes") or {}
    listed = sns.list_tags_for_resource(ResourceArn=topic["TopicArn"]).get("Tags") or []
    return {**topic, "Attributes": attributes, "Tags": listed}


def _topic_attrs(item: dict[str, Any]) -> Attrs:
    attributes = item.get("Attributes") or {}
    return {
        "name": item["TopicArn"].rsplit(":", 1)[-1],
        "display_name": attributes.get("DisplayName") or None,
        "kms_master_key_id": attributes.get("KmsMasterKeyId") or None,
        "fifo_topic": str(attributes.get("FifoTopic", "false")).lower() == "true",
        "tags": tags(item),
    }


def _topic_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "display_name": attrs.get("display_name") or None,
        "kms_master_key_id": attrs.get("kms_master_key_id") or None,
        "fifo_topic": bool(attrs.get("fifo_topic")),
        "tags": declared_tags(attrs),
    }


@writes("set_topic_attributes")
def _topic_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    return [
        AwsCall(
            "sns",
            "set_topic_attributes",
            {"TopicArn": resource.id, "AttributeName": _SETTABLE[c.path], "AttributeValue": c.expected or ""},
            resource.region,
        )
        for c in changes
        if c.path in _SETTABLE
    ]


_TOPIC_BY_PATH = {
    **dict.fromkeys(("display_name", "policy", "kms_master_key_id"), ("SetTopicAttributes",)),
    "tags": ("TagResource", "UntagResource"),
}
_TOPIC_EVENTS = TypeEvents(
    missing=("DeleteTopic",),
    unmanaged=("CreateTopic",),
    changed=edits(_TOPIC_BY_PATH),
    by_path=_TOPIC_BY_PATH,
    touched_by={
        "CreateTopic": "responseElements.topicArn",
        "DeleteTopic": "requestParameters.topicArn",
        "SetTopicAttributes": "requestParameters.topicArn",
        **dict.fromkeys(_TOPIC_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    ids=arn_id("sns", r"[\w.-]+"),  # a topic, not a subscription (TOPIC:ID)
)


REGISTRY.register(
    ResourceType(
        name="aws_sns_topic",
        events=_TOPIC_EVENTS,
        service="sns",
        list_call="list_topics",
        items_path="Topics",
        id_key="TopicArn",
        per_item=read_topic,
        to_attrs=_topic_attrs,
        normalise_desired=_topic_desired,
        compared=("name", "display_name", "kms_master_key_id", "fifo_topic", "tags"),
        ignored={
            "policy": (
                "compared as aws_sns_topic_policy (the topic's own argument too), so one edit is one finding"
            ),
            "delivery_policy": "AWS answers with its effective policy, not the declared one",
            "owner": "computed",
            "*_feedback_*": "delivery-status logging; not compared yet",
        },
        restore_calls=_topic_restore,
        restorable=tuple(_SETTABLE),
        describe=lambda resource: f"topic {resource.attrs.get('name') or resource.id}",
    )
)


# aws_sns_topic_policy -------------------------------------------------------------
# The policy GetTopicAttributes answers with (read once for the topic, above). A topic's own
# `policy` argument and a separate aws_sns_topic_policy both declare it: the topic's is
# compared as this type (precedence below the separate resource's), so one edit is one finding.


def _is_default_topic_policy(item: Attrs) -> bool:
    """The policy SNS writes by itself on CreateTopic: only its __default_statement_ID."""
    parsed = parse_policy((item.get("Attributes") or {}).get("Policy"))
    if not isinstance(parsed, dict):
        return parsed is None
    statements = parsed.get("Statement")
    listed = statements if isinstance(statements, list) else [statements]
    return bool(listed) and all(
        isinstance(s, dict) and s.get("Sid") == "__default_statement_ID" for s in listed
    )


def _topic_policy_call(resource: Resource) -> AwsCall:
    request = {
        "TopicArn": str(resource.attrs.get("arn") or resource.id),
        "AttributeName": "Policy",
        "AttributeValue": str(resource.attrs.get("policy") or ""),
    }
    return AwsCall("sns", "set_topic_attributes", request, resource.region)


def _inline_topic_policy(topic: Resource, _: Mapping[str, Resource]) -> list[Resource]:
    """The topic's `policy` (Optional+Computed: after apply it holds the live policy, whichever
    resource set it) is the topic policy too."""
    if not topic.attrs.get("policy"):
        return []
    arn = str(topic.attrs.get("arn") or topic.id)
    return [
        replace(
            topic,
            type="aws_sns_topic_policy",
            id=arn,
            attrs={"arn": arn, "policy": topic.attrs.get("policy")},
            declared_type=topic.type,
        )
    ]


_POLICY_CALLS = ("SetTopicAttributes", "AddPermission", "RemovePermission")
_TOPIC_POLICY_EVENTS = TypeEvents(
    missing=("DeleteTopic",),
    unmanaged=_POLICY_CALLS,
    changed=_POLICY_CALLS,
    by_path={"policy": _POLICY_CALLS},
    touched_by={
        # Only a SetTopicAttributes that sets the policy (the display name is the topic's).
        "SetTopicAttributes": "[requestParameters][?attributeName == 'Policy'].topicArn",
        "AddPermission": "requestParameters.topicArn",
        "RemovePermission": "requestParameters.topicArn",
    },
    ids=arn_id("sns", r"[\w.-]+"),
)


REGISTRY.register(
    ResourceType(
        name="aws_sns_topic_policy",
        events=_TOPIC_POLICY_EVENTS,
        service="sns",
        list_call="list_topics",
        items_path="Topics",
        id_key="TopicArn",
        per_item=read_topic,  # the topic's own read: no call of its own
        to_attrs=lambda item: {
            "arn": item["TopicArn"],
            "policy": normalise_policy((item.get("Attributes") or {}).get("Policy")),
        },
        normalise_desired=lambda attrs: {
            "arn": attrs.get("arn"),
            "policy": normalise_policy(attrs.get("policy")),
        },
        compared=("arn", "policy"),
        ignored={"owner": "computed (the topic's account)"},
        # SNS's own policy on a topic nobody gave one is never an unmanaged policy.
        aws_default=_is_default_topic_policy,
        parent=("arn", "aws_sns_topic"),
        restore_calls=writes("set_topic_attributes")(lambda resource, _, __: [_topic_policy_call(resource)]),
        restorable=("*",),
        describe=lambda resource: (
            f"policy of topic {str(resource.attrs.get('arn') or resource.id).rsplit(':', 1)[-1]}"
        ),
        pulumi_tokens=("aws:sns/topicPolicy:TopicPolicy",),
        graph=GraphHooks(forward=("arn",)),
    )
)
REGISTRY.add_expansion(Expansion("aws_sns_topic", precedence=50, expand=_inline_topic_policy))


# aws_sns_topic_subscription ---------------------------------------------------------
# One paginated ListSubscriptions per region (topic, protocol, endpoint), then
# GetSubscriptionAttributes per subscription: SNS has no batch read of the settings.
# A subscription waiting for its endpoint to confirm is listed with "PendingConfirmation"
# where the ARN goes and cannot be read: it is matched by what it joins, and only that is
# compared. Subscriptions are matched by (topic, protocol, endpoint), which SNS keeps unique.

_PENDING = "PendingConfirmation"
_SUBSCRIPTION_SETTABLE = {
    "raw_message_delivery": "RawMessageDelivery",
    "filter_policy": "FilterPolicy",
    "filter_policy_scope": "FilterPolicyScope",
    "redrive_policy": "RedrivePolicy",
    "delivery_policy": "DeliveryPolicy",
    "replay_policy": "ReplayPolicy",
    "subscription_role_arn": "SubscriptionRoleArn",
}


def _confirmed(arn: Any) -> bool:
    # ListSubscriptions writes "PendingConfirmation" (or "Deleted") where the ARN goes.
    return isinstance(arn, str) and arn.startswith("arn:")


@reads("get_subscription_attributes")
def read_subscription(clients: Any, region: str, listed: dict[str, Any]) -> dict[str, Any]:
    arn = listed.get("SubscriptionArn")
    if not _confirmed(arn):
        key = "|".join(str(listed.get(k) or "") for k in ("TopicArn", "Protocol", "Endpoint"))
        return {**listed, "Id": f"{arn}:{_digest(key)}", "Pending": arn == _PENDING}
    try:
        answer = clients.client("sns", region).get_subscription_attributes(SubscriptionArn=arn)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "NotFound":  # unsubscribed since listed
            return {**listed, "Id": arn, "Gone": True}
        raise
    return {**listed, "Id": arn, "Attributes": answer.get("Attributes") or {}}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _endpoint(protocol: str, endpoint: Any) -> str | None:
    """An HTTP(S) endpoint's path and query often hold a key (PagerDuty, Opsgenie, chat
    webhooks): only its scheme and host are shown, with a digest of the whole URL, which
    still tells one endpoint from another. Other endpoints (ARNs, addresses) are shown."""
    text = str(endpoint or "") or None
    if text and protocol in ("http", "https"):
        parts = urllib.parse.urlsplit(text)
        if parts.path not in ("", "/") or parts.query:
            return f"{parts.scheme}://{parts.netloc}/… (sha256 {_digest(text)})"
    return text


def _subscription_shape(values: Attrs, pending: bool) -> Attrs:
    protocol = str(values.get("protocol") or "")
    shape: Attrs = {
        "topic_arn": values.get("topic_arn") or None,
        "protocol": protocol,
        "endpoint": _endpoint(protocol, values.get("endpoint")),
    }
    if pending:  # nothing but what it joins can be read until the endpoint confirms
        return shape
    filter_policy = normalise_policy(values.get("filter_policy"))
    return {
        **shape,
        "raw_message_delivery": str(values.get("raw_message_delivery")).lower() == "true",
        "filter_policy": filter_policy,
        # SNS applies a filter policy to message attributes unless told to use the body.
        "filter_policy_scope": (values.get("filter_policy_scope") or "MessageAttributes")
        if filter_policy
        else None,
        "redrive_policy": normalise_policy(values.get("redrive_policy")),
        "delivery_policy": normalise_policy(values.get("delivery_policy")),
        "replay_policy": normalise_policy(values.get("replay_policy")),
        "subscription_role_arn": values.get("subscription_role_arn") or None,
    }


def _subscription_attrs(item: Attrs) -> Attrs:
    attributes = item.get("Attributes") or {}
    values = {
        "topic_arn": item.get("TopicArn"),
        "protocol": item.get("Protocol"),
        "endpoint": item.get("Endpoint"),
        **{name: attributes.get(key) for name, key in _SUBSCRIPTION_SETTABLE.items()},
    }
    return _subscription_shape(values, pending=bool(item.get("Pending")))


def _subscription_desired(attrs: Attrs) -> Attrs:
    return _subscription_shape(attrs, pending=bool(attrs.get("pending_confirmation")))


def _subscription_key(resource: Resource) -> str:
    attrs = resource.attrs
    return "|".join(str(attrs.get(k) or "") for k in ("topic_arn", "protocol", "endpoint"))


def _service_subscription(item: Attrs) -> bool:
    """Another account's subscription to this topic is declared there; an HTTPS endpoint of
    an AWS service (AWS Chatbot) is the subscription that service made for itself."""
    topic_account = str(item.get("TopicArn") or "").split(":")[4:5]
    owner = str(item.get("Owner") or "")
    if owner and topic_account and owner != topic_account[0]:
        return True
    if item.get("Protocol") in ("http", "https"):
        host = urllib.parse.urlsplit(str(item.get("Endpoint") or "")).hostname or ""
        return host.endswith(".amazonaws.com")
    return False


@writes("set_subscription_attributes")
def _subscription_restore(
    resource: Resource, _: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    declared = resource.attrs
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    for path in sorted(paths & set(_SUBSCRIPTION_SETTABLE)):
        value = declared.get(path)
        if path == "raw_message_delivery":
            text = "true" if value else "false"
        else:
            text = "" if value is None else str(value)
        request = {
            "SubscriptionArn": resource.id,
            "AttributeName": _SUBSCRIPTION_SETTABLE[path],
            "AttributeValue": text,
        }
        calls.append(AwsCall("sns", "set_subscription_attributes", request, resource.region))
    return calls


def _describe_subscription(resource: Resource) -> str:
    attrs = resource.attrs
    topic = str(attrs.get("topic_arn") or "").rsplit(":", 1)[-1]
    return f"{attrs.get('protocol')} subscription of topic {topic} to {attrs.get('endpoint')}"


@writes("unsubscribe")
def _subscription_delete(live: Resource) -> list[AwsCall]:
    if not _confirmed(live.id):  # a pending one has no ARN to unsubscribe; it lapses in 3 days
        return []
    return [AwsCall("sns", "unsubscribe", {"SubscriptionArn": live.id}, live.region)]


_SUBSCRIPTION_ARN = arn_id("sns", r"[\w.-]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SUBSCRIPTION_EVENTS = TypeEvents(
    missing=("Unsubscribe",),
    unmanaged=("Subscribe", "ConfirmSubscription"),
    changed=("SetSubscriptionAttributes",),
    by_path=dict.fromkeys(_SUBSCRIPTION_SETTABLE, ("SetSubscriptionAttributes",)),
    touched_by={
        "Subscribe": "responseElements.subscriptionArn",
        "ConfirmSubscription": "responseElements.subscriptionArn",
        "Unsubscribe": "requestParameters.subscriptionArn",
        "SetSubscriptionAttributes": "requestParameters.subscriptionArn",
    },
    ids=_SUBSCRIPTION_ARN,
)


REGISTRY.register(
    ResourceType(
        name="aws_sns_topic_subscription",
        events=_SUBSCRIPTION_EVENTS,
        service="sns",
        list_call="list_subscriptions",
        items_path="Subscriptions",
        id_key="Id",
        per_item=read_subscription,
        # Gone: unsubscribed between the list and the read; "Deleted": being removed.
        keep_item=lambda item: (
            not item.get("Gone") and (_confirmed(item.get("SubscriptionArn")) or bool(item.get("Pending")))
        ),
        to_attrs=_subscription_attrs,
        normalise_desired=_subscription_desired,
        match_key=_subscription_key,
        compared=("topic_arn", "protocol", "endpoint", *_SUBSCRIPTION_SETTABLE),
        ignored={
            "arn": "computed (the id)",
            "owner_id": "computed",
            "pending_confirmation": "whether the endpoint has confirmed yet; confirming is not drift",
            "confirmation_was_authenticated": "computed",
            "confirmation_timeout_in_minutes": "Terraform-only setting (how long apply waits)",
            "endpoint_auto_confirms": "Terraform-only setting",
        },
        aws_default=_service_subscription,
        parent=("topic_arn", "aws_sns_topic"),
        restore_calls=_subscription_restore,
        restorable=tuple(_SUBSCRIPTION_SETTABLE),
        delete_calls=_subscription_delete,
        describe=_describe_subscription,
        pulumi_tokens=("aws:sns/topicSubscription:TopicSubscription",),
        graph=GraphHooks(forward=("topic_arn", "endpoint")),
    )
)
