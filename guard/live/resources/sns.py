"""SNS topics: one paginated ListTopics per region (ARNs only), then GetTopicAttributes and
ListTagsForResource per topic (2 calls per topic)."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags, tags
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_SETTABLE = {"display_name": "DisplayName", "policy": "Policy", "kms_master_key_id": "KmsMasterKeyId"}


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
        "policy": normalise_policy(attributes.get("Policy")),
        "kms_master_key_id": attributes.get("KmsMasterKeyId") or None,
        "fifo_topic": str(attributes.get("FifoTopic", "false")).lower() == "true",
        "tags": tags(item),
    }


def _topic_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "display_name": attrs.get("display_name") or None,
        "policy": normalise_policy(attrs.get("policy")),
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
        compared=("name", "display_name", "policy", "kms_master_key_id", "fifo_topic", "tags"),
        ignored={
            "delivery_policy": "AWS answers with its effective policy, not the declared one",
            "owner": "computed",
            "*_feedback_*": "delivery-status logging; not compared yet",
        },
        restore_calls=_topic_restore,
        restorable=tuple(_SETTABLE),
        describe=lambda resource: f"topic {resource.attrs.get('name') or resource.id}",
    )
)
