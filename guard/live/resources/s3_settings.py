"""S3 bucket settings Terraform declares as their own resources, beyond those in s3.py:
lifecycle, logging, CORS, ACL, notifications, replication.

Each is read by the bucket reader in s3.py (one Get* per bucket and setting: S3 has no
batch call), from ListBuckets once per account; its id is the bucket's name. A setting on
a bucket the state declares, with no declaration of that setting, is unmanaged; on an
undeclared bucket the bucket is the finding (the `parent` rule).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from guard.live.resources.s3 import bucket_of, bucket_setting, s3_call, setting_events, when
from guard.live.shape import first_block
from guard.live.types import REGISTRY, Attrs, GraphHooks, writes
from guard.model import AwsCall, Resource

_EXPECTED_OWNER = "a request guard, not a setting"


def _int(value: Any) -> int | None:
    """A number the provider writes 0 (SDKv2) or null (framework) when it is not set."""
    if value in (None, "", 0, "0"):
        return None
    return int(value)


def _day(value: Any) -> str | None:
    """A lifecycle date: state's RFC 3339 text, AWS's timestamp; both midnight UTC."""
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).date().isoformat()
    return str(value)[:10]


def _sorted(items: Iterable[Attrs]) -> list[Attrs]:
    return sorted(items, key=lambda item: sorted((k, str(v)) for k, v in item.items()))


# aws_s3_bucket_lifecycle_configuration ---------------------------------------
#
# One shape for both sides, keyed by rule id (the provider requires one; AWS keeps it):
# a filter is its prefix, tags and size bounds however it is written (Filter {}, Prefix "",
# the deprecated rule-level prefix, a single Tag or an And), transitions are a set.

_WHOLE_BUCKET: Attrs = {
    "prefix": "",
    "tags": {},
    "object_size_greater_than": None,
    "object_size_less_than": None,
}


def _filter(prefix: Any, tags: dict[str, str], greater: Any, less: Any) -> Attrs:
    return {
        "prefix": str(prefix or ""),
        "tags": dict(sorted(tags.items())),
        "object_size_greater_than": _int(greater),
        "object_size_less_than": _int(less),
    }


def _rule(
    status: Any,
    filter_: Attrs,
    expiration: Attrs,
    transitions: Iterable[Attrs],
    noncurrent_expiration: Attrs,
    noncurrent_transitions: Iterable[Attrs],
    abort_days: Any,
) -> Attrs:
    expires = {
        "date": _day(expiration.get("date")),
        "days": _int(expiration.get("days")),
        "expired_object_delete_marker": bool(expiration.get("expired_object_delete_marker")),
    }
    noncurrent = {
        "noncurrent_days": _int(noncurrent_expiration.get("noncurrent_days")),
        "newer_noncurrent_versions": _int(noncurrent_expiration.get("newer_noncurrent_versions")),
    }
    return {
        "status": str(status or ""),
        "filter": filter_,
        "expiration": expires if any(expires.values()) else None,
        # With a date the days mean nothing; without one, 0 days is "at once" (a real value).
        "transition": _sorted(
            {
                "date": _day(t.get("date")),
                "days": None if t.get("date") else int(t.get("days") or 0),
                "storage_class": t.get("storage_class"),
            }
            for t in transitions
        ),
        "noncurrent_version_expiration": noncurrent if any(noncurrent.values()) else None,
        "noncurrent_version_transition": _sorted(
            {
                "noncurrent_days": int(t.get("noncurrent_days") or 0),
                "newer_noncurrent_versions": _int(t.get("newer_noncurrent_versions")),
                "storage_class": t.get("storage_class"),
            }
            for t in noncurrent_transitions
        ),
        "abort_incomplete_multipart_upload_days": _int(abort_days),
    }


def _aws_rule(rule: Attrs) -> Attrs:
    given = rule.get("Filter")
    if given is None:  # the legacy form: a rule-level prefix
        filter_ = _filter(rule.get("Prefix"), {}, None, None)
    else:
        both = given.get("And") or {}
        tag_list = both.get("Tags") or ([given["Tag"]] if given.get("Tag") else [])
        filter_ = _filter(
            given.get("Prefix") or both.get("Prefix"),
            {tag["Key"]: tag["Value"] for tag in tag_list},
            given.get("ObjectSizeGreaterThan") or both.get("ObjectSizeGreaterThan"),
            given.get("ObjectSizeLessThan") or both.get("ObjectSizeLessThan"),
        )
    expiration = rule.get("Expiration") or {}
    noncurrent = rule.get("NoncurrentVersionExpiration") or {}
    return _rule(
        rule.get("Status"),
        filter_,
        {
            "date": expiration.get("Date"),
            "days": expiration.get("Days"),
            "expired_object_delete_marker": expiration.get("ExpiredObjectDeleteMarker"),
        },
        (
            {"date": t.get("Date"), "days": t.get("Days"), "storage_class": t.get("StorageClass")}
            for t in rule.get("Transitions") or []
        ),
        {
            "noncurrent_days": noncurrent.get("NoncurrentDays"),
            "newer_noncurrent_versions": noncurrent.get("NewerNoncurrentVersions"),
        },
        (
            {
                "noncurrent_days": t.get("NoncurrentDays"),
                "newer_noncurrent_versions": t.get("NewerNoncurrentVersions"),
                "storage_class": t.get("StorageClass"),
            }
            for t in rule.get("NoncurrentVersionTransitions") or []
        ),
        (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation"),
    )


def _declared_rule(rule: Attrs) -> Attrs:
    given = first_block(rule, "filter")
    both = first_block(given, "and")
    tag = first_block(given, "tag")
    tags = dict(both.get("tags") or {}) or (
        {str(tag["key"]): str(tag.get("value") or "")} if tag.get("key") else {}
    )
    filter_ = _filter(
        given.get("prefix") or both.get("prefix") or rule.get("prefix"),
        tags,
        given.get("object_size_greater_than") or both.get("object_size_greater_than"),
        given.get("object_size_less_than") or both.get("object_size_less_than"),
    )
    return _rule(
        rule.get("status"),
        filter_,
        first_block(rule, "expiration"),
        rule.get("transition") or [],
        first_block(rule, "noncurrent_version_expiration"),
        rule.get("noncurrent_version_transition") or [],
        first_block(rule, "abort_incomplete_multipart_upload").get("days_after_initiation"),
    )


# Since September 2024 S3 applies a 128 KB minimum object size to transitions of every
# configuration written without one; the provider stores what S3 answers.
_DEFAULT_MINIMUM_SIZE = "all_storage_classes_128K"


def _lifecycle_attrs(item: Attrs) -> Attrs:
    config = item.get("Lifecycle") or {}
    return {
        "bucket": item["Name"],
        "rule": {str(rule.get("ID") or ""): _aws_rule(rule) for rule in config.get("Rules") or []},
        "transition_default_minimum_object_size": config.get("TransitionDefaultMinimumObjectSize")
        or _DEFAULT_MINIMUM_SIZE,
    }


def _lifecycle_desired(attrs: Attrs) -> Attrs:
    return {
        "bucket": attrs.get("bucket"),
        "rule": {str(rule.get("id") or ""): _declared_rule(rule) for rule in attrs.get("rule") or []},
        "transition_default_minimum_object_size": attrs.get("transition_default_minimum_object_size") or None,
    }


def _api_filter(filter_: Attrs) -> Attrs:
    conditions: Attrs = {}
    if filter_.get("prefix"):
        conditions["Prefix"] = filter_["prefix"]
    if filter_.get("tags"):
        conditions["Tags"] = [{"Key": k, "Value": v} for k, v in filter_["tags"].items()]
    for name, key in (
        ("object_size_greater_than", "ObjectSizeGreaterThan"),
        ("object_size_less_than", "ObjectSizeLessThan"),
    ):
        if filter_.get(name) is not None:
            conditions[key] = filter_[name]
    if len(conditions) > 1 or ("Tags" in conditions and len(conditions["Tags"]) > 1):
        return {"And": conditions}
    if "Tags" in conditions:
        return {"Tag": conditions["Tags"][0]}
    return conditions or {"Prefix": ""}


def _api_rule(rule_id: str, rule: Attrs) -> Attrs:
    api: Attrs = {
        "ID": rule_id,
        "Status": rule["status"],
        "Filter": _api_filter(rule.get("filter") or _WHOLE_BUCKET),
    }
    expiration = rule.get("expiration") or {}
    if expiration:
        api["Expiration"] = {
            key: value
            for key, value in (
                ("Date", expiration.get("date")),
                ("Days", expiration.get("days")),
                ("ExpiredObjectDeleteMarker", expiration.get("expired_object_delete_marker") or None),
            )
            if value is not None
        }
    if rule.get("transition"):
        api["Transitions"] = [
            {"Date": t["date"], "StorageClass": t["storage_class"]}
            if t.get("date")
            else {"Days": t["days"], "StorageClass": t["storage_class"]}
            for t in rule["transition"]
        ]
    noncurrent = rule.get("noncurrent_version_expiration") or {}
    if noncurrent:
        api["NoncurrentVersionExpiration"] = {
            key: value
            for key, value in (
                ("NoncurrentDays", noncurrent.get("noncurrent_days")),
                ("NewerNoncurrentVersions", noncurrent.get("newer_noncurrent_versions")),
            )
            if value is not None
        }
    if rule.get("noncurrent_version_transition"):
        api["NoncurrentVersionTransitions"] = [
            {
                "NoncurrentDays": t["noncurrent_days"],
                "StorageClass": t["storage_class"],
                **(
                    {"NewerNoncurrentVersions": t["newer_noncurrent_versions"]}
                    if t.get("newer_noncurrent_versions")
                    else {}
                ),
            }
            for t in rule["noncurrent_version_transition"]
        ]
    if rule.get("abort_incomplete_multipart_upload_days"):
        api["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": rule["abort_incomplete_multipart_upload_days"]
        }
    return api


@writes("put_bucket_lifecycle_configuration")
def _lifecycle_put(resource: Resource) -> list[AwsCall]:
    rules = resource.attrs.get("rule") or {}
    params: Attrs = {"LifecycleConfiguration": {"Rules": [_api_rule(k, v) for k, v in sorted(rules.items())]}}
    if resource.attrs.get("transition_default_minimum_object_size"):
        params["TransitionDefaultMinimumObjectSize"] = resource.attrs[
            "transition_default_minimum_object_size"
        ]
    return [s3_call("put_bucket_lifecycle_configuration", bucket_of(resource), **params)]


def _hcl_filter(filter_: Attrs) -> list[Attrs]:
    api = _api_filter(filter_)
    if "And" in api:
        both = api["And"]
        return [
            {
                "and": [
                    {
                        "prefix": both.get("Prefix"),
                        "tags": {t["Key"]: t["Value"] for t in both.get("Tags") or []} or None,
                        "object_size_greater_than": both.get("ObjectSizeGreaterThan"),
                        "object_size_less_than": both.get("ObjectSizeLessThan"),
                    }
                ]
            }
        ]
    if "Tag" in api:
        return [{"tag": [{"key": api["Tag"]["Key"], "value": api["Tag"]["Value"]}]}]
    return [
        {
            "prefix": api.get("Prefix") or None,
            "object_size_greater_than": api.get("ObjectSizeGreaterThan"),
            "object_size_less_than": api.get("ObjectSizeLessThan"),
        }
    ]


def _lifecycle_hcl(resource: Resource) -> Attrs:
    """The provider's `rule` blocks, from the shape compared."""
    blocks = []
    for rule_id, rule in sorted((resource.attrs.get("rule") or {}).items()):
        abort = rule.get("abort_incomplete_multipart_upload_days")
        blocks.append(
            {
                "id": rule_id,
                "status": rule.get("status"),
                "filter": _hcl_filter(rule.get("filter") or _WHOLE_BUCKET),
                "expiration": [rule["expiration"]] if rule.get("expiration") else None,
                "transition": rule.get("transition") or None,
                "noncurrent_version_expiration": [rule["noncurrent_version_expiration"]]
                if rule.get("noncurrent_version_expiration")
                else None,
                "noncurrent_version_transition": rule.get("noncurrent_version_transition") or None,
                "abort_incomplete_multipart_upload": [{"days_after_initiation": abort}] if abort else None,
            }
        )
    return {"bucket": resource.attrs.get("bucket"), "rule": blocks}


# CloudTrail records PutBucketLifecycleConfiguration as PutBucketLifecycle (a real, older
# operation of the same API), and DeleteBucketLifecycle as itself.
_LIFECYCLE_EVENTS = setting_events(
    "PutBucketLifecycle", "DeleteBucketLifecycle", ("rule", "transition_default_minimum_object_size")
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_lifecycle_configuration",
        events=_LIFECYCLE_EVENTS,
        split_item=when("Lifecycle"),
        to_attrs=_lifecycle_attrs,
        normalise_desired=_lifecycle_desired,
        compared=("bucket", "rule", "transition_default_minimum_object_size"),
        # Older provider versions stored "" here (S3 applied its default): compared when set.
        compared_if_declared=("transition_default_minimum_object_size",),
        ignored={"expected_bucket_owner": _EXPECTED_OWNER},
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes(_lifecycle_put)(lambda resource, _, __: _lifecycle_put(resource)),
        restorable=("*",),
        recreate_calls=_lifecycle_put,
        delete_calls=writes("delete_bucket_lifecycle")(
            lambda resource: [s3_call("delete_bucket_lifecycle", bucket_of(resource))]
        ),
        hcl_arguments=_lifecycle_hcl,
        describe=lambda resource: f"lifecycle rules of bucket {bucket_of(resource)}",
        pulumi_tokens=(
            "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        ),
        graph=GraphHooks(forward=("bucket",)),
    )
)
