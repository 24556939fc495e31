"""CloudTrail trails: one DescribeTrails per region (not paginated; home-region trails only,
no shadow copies), plus GetTrailStatus and ListTags per trail (2 calls per trail): a trail
whose logging was stopped is the drift that matters most."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, arn_id, edits
from guard.live.shape import declared_tags, tags
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_FIELDS = {
    "s3_bucket_name": "S3BucketName",
    "s3_key_prefix": "S3KeyPrefix",
    "sns_topic_name": "SnsTopicName",
    "include_global_service_events": "IncludeGlobalServiceEvents",
    "is_multi_region_trail": "IsMultiRegionTrail",
    "is_organization_trail": "IsOrganizationTrail",
    "enable_log_file_validation": "LogFileValidationEnabled",
    "kms_key_id": "KmsKeyId",
    "cloud_watch_logs_group_arn": "CloudWatchLogsLogGroupArn",
    "cloud_watch_logs_role_arn": "CloudWatchLogsRoleArn",
}
_FLAGS = (
    "include_global_service_events",
    "is_multi_region_trail",
    "is_organization_trail",
    "enable_log_file_validation",
)


@reads("get_trail_status", "list_tags")
def read_trail(clients: Any, region: str, trail: dict[str, Any]) -> dict[str, Any]:
    cloudtrail = clients.client("cloudtrail", region)
    status = cloudtrail.get_trail_status(Name=trail["TrailARN"])
    listed = cloudtrail.list_tags(ResourceIdList=[trail["TrailARN"]]).get("ResourceTagList") or []
    return {
        **trail,
        "IsLogging": status.get("IsLogging"),
        "Tags": (listed[0] if listed else {}).get("TagsList"),
    }


def _value(name: str, value: Any) -> Any:
    return bool(value) if name in _FLAGS else (value or None)


def _trail_attrs(item: dict[str, Any]) -> Attrs:
    return {
        "arn": item["TrailARN"],
        "name": item.get("Name"),
        "enable_logging": bool(item.get("IsLogging")),
        **{name: _value(name, item.get(key)) for name, key in _FIELDS.items()},
        "tags": tags(item),
    }


def _trail_desired(attrs: Attrs) -> Attrs:
    return {
        "arn": attrs.get("arn"),
        "name": attrs.get("name"),
        "enable_logging": attrs.get("enable_logging", True) is not False,
        **{name: _value(name, attrs.get(name)) for name in _FIELDS},
        "tags": declared_tags(attrs),
    }


@writes("start_logging", "stop_logging", "update_trail")
def _trail_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = []
    name = resource.attrs.get("arn") or resource.id
    updates: dict[str, Any] = {}
    for change in changes:
        if change.path == "enable_logging":
            operation = "start_logging" if change.expected else "stop_logging"
            calls.append(AwsCall("cloudtrail", operation, {"Name": name}, resource.region))
        elif change.path in _FIELDS and change.path not in ("cloud_watch_logs_group_arn",):
            key = _FIELDS[change.path]
            updates[key] = (
                change.expected
                if change.expected is not None
                else ("" if change.path not in _FLAGS else False)
            )
    if updates:
        calls.append(AwsCall("cloudtrail", "update_trail", {"Name": name, **updates}, resource.region))
    return calls


_TRAIL_SETTINGS = (
    "s3_bucket_name",
    "s3_key_prefix",
    "sns_topic_name",
    "include_global_service_events",
    "is_multi_region_trail",
    "is_organization_trail",
    "enable_log_file_validation",
    "kms_key_id",
    "cloud_watch_logs_group_arn",
    "cloud_watch_logs_role_arn",
)
_TRAIL_BY_PATH = {
    "enable_logging": ("StopLogging", "StartLogging"),
    **dict.fromkeys(_TRAIL_SETTINGS, ("UpdateTrail",)),
    "tags": ("AddTags", "RemoveTags"),
}
_TRAIL_EVENTS = TypeEvents(
    missing=("DeleteTrail",),
    unmanaged=("CreateTrail",),
    # Event selectors are not compared, but they decide what the trail records at all.
    changed=edits(_TRAIL_BY_PATH, "PutEventSelectors"),
    by_path=_TRAIL_BY_PATH,
    touched_by={
        **dict.fromkeys(
            ("StopLogging", "StartLogging", "UpdateTrail", "DeleteTrail"), "requestParameters.name"
        ),
        "PutEventSelectors": "requestParameters.trailName",
        "CreateTrail": "responseElements.trailARN",
        "AddTags": "requestParameters.resourceId",
        "RemoveTags": "requestParameters.resourceId",
    },
    # Terraform's id is the ARN; the calls take the name or the ARN.
    ids=arn_id("cloudtrail", "trail/.+", build="arn:{partition}:cloudtrail:{region}:{account}:trail/{value}"),
)


REGISTRY.register(
    ResourceType(
        name="aws_cloudtrail",
        events=_TRAIL_EVENTS,
        service="cloudtrail",
        list_call="describe_trails",
        list_params={"includeShadowTrails": False},
        items_path="trailList",
        id_key="TrailARN",
        per_item=read_trail,
        to_attrs=_trail_attrs,
        normalise_desired=_trail_desired,
        compared=("name", "enable_logging", *_FIELDS, "tags"),
        ignored={
            "event_selector": "needs one GetEventSelectors call per trail; not compared yet",
            "advanced_event_selector": "needs one GetEventSelectors call per trail; not compared yet",
            "insight_selector": "needs one GetInsightSelectors call per trail; not compared yet",
            "home_region": "computed",
        },
        # Provider 5 stores the ARN as id; older states the name: match on the ARN attribute.
        match_key=lambda resource: str(resource.attrs.get("arn") or resource.id),
        restore_calls=_trail_restore,
        restorable=("enable_logging", *(f for f in _FIELDS if f != "cloud_watch_logs_group_arn")),
        describe=lambda resource: f"trail {resource.attrs.get('name') or resource.id}",
        pulumi_tokens=("aws:cloudtrail/trail:Trail",),
    )
)
