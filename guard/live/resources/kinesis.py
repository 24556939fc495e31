"""Kinesis data streams (aws_kinesis_stream): one paginated ListStreams per region (its
StreamSummaries carry each stream's ARN), then DescribeStreamSummary and ListTagsForStream
per stream: Kinesis has no batch call for either.

The provider's id is the stream's ARN; `terraform import` takes the stream's name.

Every setting an edit can change has its own Kinesis call, and each of them puts the stream in
UPDATING for a while, during which AWS refuses the next (ResourceInUseException). A rollback of
one edit is one call; one of several edits to the same stream can stop at the second call with
AWS's answer, and running `guard rollback` again once the stream is ACTIVE finishes it."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource

# What EnableEnhancedMonitoring's "ALL" stands for; AWS answers with these names.
_ALL_METRICS = (
    "IncomingBytes",
    "IncomingRecords",
    "IteratorAgeMilliseconds",
    "OutgoingBytes",
    "OutgoingRecords",
    "ReadProvisionedThroughputExceeded",
    "WriteProvisionedThroughputExceeded",
)
_NAME = r"[\w.-]+"  # a stream name: letters, digits, _ . -


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _merge_summary(item: Attrs, answer: Attrs) -> None:
    item.update(answer)


def _merge_tags(item: Attrs, answer: Attrs) -> None:
    item["Tags"] = answer.get("Tags") or []


def _metrics(values: Any) -> list[str]:
    found = {str(value) for value in values or []}
    if "ALL" in found:
        found = (found - {"ALL"}) | set(_ALL_METRICS)
    return sorted(found)


def _shape(
    name: Any, mode: Any, shards: Any, retention: Any, encryption: Any, key: Any, metrics: Any
) -> Attrs:
    """One shape for state and AWS. An on-demand stream's shards are AWS's to scale (state
    holds none); an unencrypted stream has no key."""
    stream_mode = str(mode or "PROVISIONED")
    encryption_type = str(encryption or "NONE").upper()
    return {
        "name": name,
        "stream_mode_details": {"stream_mode": stream_mode},
        "shard_count": int(shards or 0) if stream_mode == "PROVISIONED" else None,
        "retention_period": int(retention or 24),
        "encryption_type": encryption_type,
        "kms_key_id": _text(key) if encryption_type != "NONE" else None,
        "shard_level_metrics": _metrics(metrics),
    }


def _stream_attrs(item: Attrs) -> Attrs:
    entries = item.get("EnhancedMonitoring") or []
    monitoring = [metric for entry in entries for metric in entry.get("ShardLevelMetrics") or []]
    return {
        **_shape(
            item.get("StreamName"),
            (item.get("StreamModeDetails") or {}).get("StreamMode"),
            item.get("OpenShardCount"),
            item.get("RetentionPeriodHours"),
            item.get("EncryptionType"),
            item.get("KeyId"),
            monitoring,
        ),
        "tags": tags(item),
        # Not compared: what rollback scales from when the mode is put back to provisioned.
        "open_shard_count": int(item.get("OpenShardCount") or 0),
    }


def _stream_desired(attrs: Attrs) -> Attrs:
    details = attrs.get("stream_mode_details")
    if isinstance(details, list):
        details = details[0] if details else {}
    return {
        **_shape(
            attrs.get("name"),
            (details or {}).get("stream_mode"),
            attrs.get("shard_count"),
            attrs.get("retention_period"),
            attrs.get("encryption_type"),
            attrs.get("kms_key_id"),
            attrs.get("shard_level_metrics"),
        ),
        "tags": declared_tags(attrs),
    }


def _actual(changes: tuple[Change, ...], path: str) -> Any:
    return next((change.actual for change in changes if change.path.split(".", 1)[0] == path), None)


@writes(
    "add_tags_to_stream",
    "remove_tags_from_stream",
    "update_stream_mode",
    "update_shard_count",
    "increase_stream_retention_period",
    "decrease_stream_retention_period",
    "start_stream_encryption",
    "stop_stream_encryption",
    "enable_enhanced_monitoring",
    "disable_enhanced_monitoring",
)
def _stream_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """The calls that put each changed setting back, tags first (they do not make the stream
    UPDATING), then the mode before the shards it scales."""
    declared = _stream_desired(resource.attrs)
    now = dict(live.attrs) if live is not None else {}
    paths = {change.path.split(".", 1)[0] for change in changes}
    stream = {"StreamARN": resource.id}
    calls: list[AwsCall] = []

    def call(operation: str, **params: Any) -> None:
        calls.append(AwsCall("kinesis", operation, {**stream, **params}, resource.region))

    restore, remove = tag_changes(changes)
    if restore:
        call("add_tags_to_stream", Tags=restore)
    if remove:
        call("remove_tags_from_stream", TagKeys=remove)
    mode = declared["stream_mode_details"]["stream_mode"]
    if "stream_mode_details" in paths:
        call("update_stream_mode", StreamModeDetails={"StreamMode": mode})
    shards = declared["shard_count"]
    scaled = "shard_count" in paths or "stream_mode_details" in paths
    # Back to provisioned, AWS keeps the shards it had scaled to: only a different count is sent.
    if mode == "PROVISIONED" and shards and scaled and shards != now.get("open_shard_count"):
        call("update_shard_count", TargetShardCount=shards, ScalingType="UNIFORM_SCALING")
    if "retention_period" in paths:
        hours = declared["retention_period"]
        current = now.get("retention_period") or _actual(changes, "retention_period") or 24
        way = "increase" if hours > int(current) else "decrease"
        call(f"{way}_stream_retention_period", RetentionPeriodHours=hours)
    if paths & {"encryption_type", "kms_key_id"}:
        if declared["encryption_type"] == "KMS" and declared["kms_key_id"]:
            call("start_stream_encryption", EncryptionType="KMS", KeyId=declared["kms_key_id"])
        elif declared["encryption_type"] == "NONE":
            key = now.get("kms_key_id") or _actual(changes, "kms_key_id")
            if key:
                call("stop_stream_encryption", EncryptionType="KMS", KeyId=key)
    if "shard_level_metrics" in paths:
        wanted = set(declared["shard_level_metrics"])
        current_metrics = set(
            _metrics(now.get("shard_level_metrics") or _actual(changes, "shard_level_metrics"))
        )
        if current_metrics - wanted:
            call("disable_enhanced_monitoring", ShardLevelMetrics=sorted(current_metrics - wanted))
        if wanted - current_metrics:
            call("enable_enhanced_monitoring", ShardLevelMetrics=sorted(wanted - current_metrics))
    return calls


def _hcl(resource: Resource) -> Attrs:
    shaped = {key: resource.attrs.get(key) for key in REGISTRY.get("aws_kinesis_stream").compared}
    shaped["stream_mode_details"] = [shaped.get("stream_mode_details") or {"stream_mode": "PROVISIONED"}]
    if shaped.get("encryption_type") == "NONE":
        shaped["encryption_type"] = None  # the provider's default
    return shaped


def _stack_owned(item: Attrs) -> bool:
    """A stream a CloudFormation stack made (its aws:cloudformation: tags) is that stack's."""
    return any(str(tag.get("Key", "")).startswith("aws:cloudformation:") for tag in item.get("Tags") or [])


# Kinesis calls name a stream by ARN or by name (the provider's calls use the name).
_STREAM = "requestParameters.streamARN || requestParameters.streamName"
_PATHS = {
    "stream_mode_details": ("UpdateStreamMode",),
    "shard_count": ("UpdateShardCount", "UpdateStreamMode"),
    "retention_period": ("IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod"),
    "encryption_type": ("StartStreamEncryption", "StopStreamEncryption"),
    "kms_key_id": ("StartStreamEncryption", "StopStreamEncryption"),
    "shard_level_metrics": ("EnableEnhancedMonitoring", "DisableEnhancedMonitoring"),
    "tags": ("AddTagsToStream", "RemoveTagsFromStream", "TagResource", "UntagResource"),
}
_EVENTS = TypeEvents(
    missing=("DeleteStream",),
    unmanaged=("CreateStream",),
    changed=edits(_PATHS),
    by_path=_PATHS,
    touched_by={
        "CreateStream": "requestParameters.streamName",
        **dict.fromkeys(("DeleteStream", *(n for n in edits(_PATHS) if not n.endswith("Resource"))), _STREAM),
        # The newer tag calls take any Kinesis resource's ARN; a consumer's is not a stream's.
        **dict.fromkeys(("TagResource", "UntagResource"), "requestParameters.resourceARN"),
    },
    ids=arn_id(
        "kinesis",
        rf"stream/{_NAME}",
        build="arn:{partition}:kinesis:{region}:{account}:stream/{value}",
        name=_NAME,
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_kinesis_stream",
        service="kinesis",
        list_call="list_streams",
        items_path="StreamSummaries",
        id_key="StreamARN",
        details=(
            DetailCall(
                operation="describe_stream_summary",
                param="StreamARN",
                items_path="StreamDescriptionSummary",
                answer_key="",
                merge=_merge_summary,
            ),
            # A stream holds at most 50 tags: one call with Limit 50 reads them all.
            DetailCall(
                operation="list_tags_for_stream",
                param="StreamARN",
                items_path="@",
                answer_key="",
                merge=_merge_tags,
                params={"Limit": 50},
            ),
        ),
        keep_item=lambda item: item.get("StreamStatus") != "DELETING",
        aws_default=_stack_owned,
        to_attrs=_stream_attrs,
        normalise_desired=_stream_desired,
        compared=(
            "name",
            "stream_mode_details",
            "shard_count",
            "retention_period",
            "encryption_type",
            "kms_key_id",
            "shard_level_metrics",
            "tags",
        ),
        ignored={
            "arn": "the stream's ARN: the id",
            "id": "the stream's ARN",
            "enforce_consumer_deletion": "a Terraform-only setting (whether destroy removes consumers)",
            "tags_all": "compared as tags (it adds the provider's default_tags)",
            "max_record_size_in_kib": "provider 6.x only; not compared yet",
            "timeouts": "Terraform-only setting",
        },
        restore_calls=_stream_restore,
        restorable=(
            "stream_mode_details",
            "shard_count",
            "retention_period",
            "encryption_type",
            "kms_key_id",
            "shard_level_metrics",
            "tags",
        ),
        # Consumers are not removed with it (EnforceConsumerDeletion unset): AWS refuses then.
        delete_calls=writes("delete_stream")(
            lambda live: [AwsCall("kinesis", "delete_stream", {"StreamARN": live.id}, live.region)]
        ),
        describe=lambda resource: f"Kinesis stream {resource.attrs.get('name') or resource.id}",
        events=_EVENTS,
        hcl_arguments=_hcl,
        import_id=lambda resource: str(resource.attrs.get("name") or resource.id.rsplit("/", 1)[-1]),
        pulumi_tokens=("aws:kinesis/stream:Stream",),
        protected="deleting a stream deletes the records it holds",
        graph=GraphHooks(forward=("kms_key_id",), name=lambda attrs: str(attrs.get("name") or "stream")),
    )
)
