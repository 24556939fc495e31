"""SQS queues: one paginated ListQueues per region, then GetQueueAttributes (All) and
ListQueueTags per queue (2 calls per queue): SQS has no batch describe."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags
from guard.live.types import REGISTRY, Attrs, Expansion, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_NUMBERS = {
    "delay_seconds": "DelaySeconds",
    "max_message_size": "MaximumMessageSize",
    "message_retention_seconds": "MessageRetentionPeriod",
    "receive_wait_time_seconds": "ReceiveMessageWaitTimeSeconds",
    "visibility_timeout_seconds": "VisibilityTimeout",
}
_FLAGS = {
    "fifo_queue": "FifoQueue",
    "content_based_deduplication": "ContentBasedDeduplication",
    "sqs_managed_sse_enabled": "SqsManagedSseEnabled",
}


@reads("get_queue_attributes", "list_queue_tags")
def read_queue(clients: Any, region: str, url: str) -> dict[str, Any]:
    sqs = clients.client("sqs", region)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes") or {}
    queue_tags = sqs.list_queue_tags(QueueUrl=url).get("Tags") or {}
    return {"QueueUrl": url, "Attributes": attributes, "TagMap": queue_tags}


def _flag(value: Any) -> bool:
    return str(value).lower() == "true"


def _queue_attrs(item: dict[str, Any]) -> Attrs:
    attributes = item.get("Attributes") or {}
    return {
        "name": item["QueueUrl"].rstrip("/").rsplit("/", 1)[-1],
        **{name: int(attributes[key]) if key in attributes else None for name, key in _NUMBERS.items()},
        **{name: _flag(attributes.get(key)) for name, key in _FLAGS.items()},
        "kms_master_key_id": attributes.get("KmsMasterKeyId") or None,
        "redrive_policy": normalise_policy(attributes.get("RedrivePolicy")),
        "tags": {k: v for k, v in (item.get("TagMap") or {}).items() if not k.startswith("aws:")},
    }


def _queue_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        **{name: attrs.get(name) for name in _NUMBERS},
        **{name: bool(attrs.get(name)) for name in _FLAGS},
        "kms_master_key_id": attrs.get("kms_master_key_id") or None,
        "redrive_policy": normalise_policy(attrs.get("redrive_policy")),
        "tags": declared_tags(attrs),
    }


@writes("set_queue_attributes")
def _queue_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    updates = {}
    for change in changes:
        if change.path in _NUMBERS and change.expected is not None:
            updates[_NUMBERS[change.path]] = str(change.expected)
        elif change.path == "redrive_policy":
            updates["RedrivePolicy"] = change.expected or ""
        elif change.path == "sqs_managed_sse_enabled":
            updates["SqsManagedSseEnabled"] = "true" if change.expected else "false"
    if not updates:
        return []
    return [
        AwsCall(
            "sqs", "set_queue_attributes", {"QueueUrl": resource.id, "Attributes": updates}, resource.region
        )
    ]


_QUEUE_BY_PATH = {
    **dict.fromkeys(
        (
            "delay_seconds",
            "max_message_size",
            "message_retention_seconds",
            "receive_wait_time_seconds",
            "visibility_timeout_seconds",
            "content_based_deduplication",
            "sqs_managed_sse_enabled",
            "kms_master_key_id",
            "policy",
            "redrive_policy",
        ),
        ("SetQueueAttributes",),
    ),
    "tags": ("TagQueue", "UntagQueue"),
}
_QUEUE_EVENTS = TypeEvents(
    missing=("DeleteQueue",),
    unmanaged=("CreateQueue",),
    changed=edits(_QUEUE_BY_PATH),
    by_path=_QUEUE_BY_PATH,
    touched_by={
        "CreateQueue": "responseElements.queueUrl",
        **dict.fromkeys(("DeleteQueue", *edits(_QUEUE_BY_PATH)), "requestParameters.queueUrl"),
    },
    # Terraform's id is the queue URL, which callers pass back as AWS gave it.
    ids=IdForms(((r"https?://[^/]+/\d{12}/[\w.-]+", "{value}"),), "a queue URL"),
)


REGISTRY.register(
    ResourceType(
        name="aws_sqs_queue",
        events=_QUEUE_EVENTS,
        service="sqs",
        list_call="list_queues",
        items_path="QueueUrls",
        id_key="QueueUrl",
        per_item=read_queue,
        to_attrs=_queue_attrs,
        normalise_desired=_queue_desired,
        compared=(
            "name",
            *_NUMBERS,
            *_FLAGS,
            "kms_master_key_id",
            "redrive_policy",
            "tags",
        ),
        ignored={
            "policy": (
                "compared as aws_sqs_queue_policy (the queue's own argument too), so one edit is one finding"
            ),
            "kms_data_key_reuse_period_seconds": "not compared yet",
            "deduplication_scope": "not compared yet",
            "fifo_throughput_limit": "not compared yet",
            "redrive_allow_policy": "not compared yet",
        },
        restore_calls=_queue_restore,
        restorable=(*_NUMBERS, "redrive_policy", "sqs_managed_sse_enabled"),
        describe=lambda resource: f"queue {resource.attrs.get('name') or resource.id}",
    )
)


# aws_sqs_queue_policy ---------------------------------------------------------------
# The policy GetQueueAttributes answers with (read once for the queue, above). A queue's own
# `policy` argument and a separate aws_sqs_queue_policy both declare it: the queue's is
# compared as this type (precedence below the separate resource's), so one edit is one
# finding. A queue has no policy until one is set: a policy put on a declared queue whose
# state holds none is the unmanaged one.


def _queue_policy_call(resource: Resource, policy: str) -> AwsCall:
    url = str(resource.attrs.get("queue_url") or resource.id)
    return AwsCall(
        "sqs", "set_queue_attributes", {"QueueUrl": url, "Attributes": {"Policy": policy}}, resource.region
    )


def _queue_name(resource: Resource) -> str:
    return str(resource.attrs.get("queue_url") or resource.id).rstrip("/").rsplit("/", 1)[-1]


def _declared_policy(resource: Resource) -> list[AwsCall]:
    return [_queue_policy_call(resource, str(resource.attrs.get("policy") or ""))]


def _inline_queue_policy(queue: Resource, _: Mapping[str, Resource]) -> list[Resource]:
    """The queue's `policy` (Optional+Computed: after apply it holds the live policy, whichever
    resource set it) is the queue policy too."""
    if not queue.attrs.get("policy"):
        return []
    url = str(queue.attrs.get("url") or queue.id)
    return [
        replace(
            queue,
            type="aws_sqs_queue_policy",
            id=url,
            attrs={"queue_url": url, "policy": queue.attrs.get("policy")},
            declared_type=queue.type,
        )
    ]


# SetQueueAttributes sets the policy only when its attributes name Policy ("" removes it).
_SETS_POLICY = "[requestParameters][?contains(keys(attributes || `{}`), 'Policy')].queueUrl"
_QUEUE_POLICY_CALLS = ("SetQueueAttributes", "AddPermission", "RemovePermission")
_QUEUE_POLICY_EVENTS = TypeEvents(
    missing=("SetQueueAttributes", "RemovePermission", "DeleteQueue"),
    unmanaged=("SetQueueAttributes", "AddPermission"),
    changed=_QUEUE_POLICY_CALLS,
    by_path={"policy": _QUEUE_POLICY_CALLS},
    touched_by={
        "SetQueueAttributes": _SETS_POLICY,
        "AddPermission": "requestParameters.queueUrl",
        "RemovePermission": "requestParameters.queueUrl",
    },
    ids=_QUEUE_EVENTS.ids,
)


REGISTRY.register(
    ResourceType(
        name="aws_sqs_queue_policy",
        events=_QUEUE_POLICY_EVENTS,
        service="sqs",
        list_call="list_queues",
        items_path="QueueUrls",
        id_key="QueueUrl",
        per_item=read_queue,  # the queue's own read: no call of its own
        keep_item=lambda item: bool(normalise_policy((item.get("Attributes") or {}).get("Policy"))),
        to_attrs=lambda item: {
            "queue_url": item["QueueUrl"],
            "policy": normalise_policy((item.get("Attributes") or {}).get("Policy")),
        },
        normalise_desired=lambda attrs: {
            "queue_url": attrs.get("queue_url"),
            "policy": normalise_policy(attrs.get("policy")),
        },
        compared=("queue_url", "policy"),
        parent=("queue_url", "aws_sqs_queue"),
        restore_calls=writes("set_queue_attributes")(lambda resource, _, __: _declared_policy(resource)),
        restorable=("*",),
        recreate_calls=writes("set_queue_attributes")(_declared_policy),
        # Taking a policy off a queue is setting it empty (SQS has no delete call for it).
        delete_calls=writes("set_queue_attributes")(lambda live: [_queue_policy_call(live, "")]),
        describe=lambda resource: f"policy of queue {_queue_name(resource)}",
        pulumi_tokens=("aws:sqs/queuePolicy:QueuePolicy",),
        graph=GraphHooks(forward=("queue_url",)),
    )
)
REGISTRY.add_expansion(Expansion("aws_sqs_queue", precedence=50, expand=_inline_queue_policy))
