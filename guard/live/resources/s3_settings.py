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
from dataclasses import replace
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


def _acl_held_by_bucket(bucket: Attrs) -> bool:
    """The bucket's deprecated `acl` or `grant` says more than the owner's own FULL_CONTROL
    (which provider 4.x and 5.x write into every bucket's `grant` on refresh)."""
    if str(bucket.get("acl") or "private") != "private":
        return True
    grants = bucket.get("grant") or []
    return (
        any(
            g.get("type") != "CanonicalUser" or list(g.get("permissions") or []) != ["FULL_CONTROL"]
            for g in grants
        )
        or len(grants) > 1
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
        # A bucket written the provider-3 way holds it inline (its state keeps it, refreshed).
        held_by_parent=lambda bucket: bool(bucket.get("lifecycle_rule")),
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


# aws_s3_bucket_logging ---------------------------------------------------------------
#
# S3 has no call that deletes logging: PutBucketLogging with no LoggingEnabled turns it off.

_GROUPS = "http://acs.amazonaws.com/groups/"
_GROUP_URIS = {
    "AllUsers": f"{_GROUPS}global/AllUsers",
    "AuthenticatedUsers": f"{_GROUPS}global/AuthenticatedUsers",
    "LogDelivery": f"{_GROUPS}s3/LogDelivery",
}


def _grantee(kind: Any, grantee_id: Any, uri: Any, email: Any, owner: Any = None) -> str:
    """A grantee in one word: `owner`, a canonical user id, an e-mail, or a group's name."""
    if kind == "Group" or uri:
        return f"Group:{str(uri).rsplit('/', 1)[-1]}"
    if kind == "AmazonCustomerByEmail" or email:
        return f"AmazonCustomerByEmail:{email}"
    return "CanonicalUser:owner" if owner and grantee_id == owner else f"CanonicalUser:{grantee_id}"


def _api_grantee(word: str, owner: str) -> Attrs:
    kind, _, who = word.partition(":")
    if kind == "Group":
        return {"Type": "Group", "URI": _GROUP_URIS.get(who, f"{_GROUPS}global/{who}")}
    if kind == "AmazonCustomerByEmail":
        return {"Type": kind, "EmailAddress": who}
    return {"Type": "CanonicalUser", "ID": owner if who == "owner" else who}


def _aws_grants(grants: Iterable[Attrs], owner: Any = None) -> list[str]:
    words = []
    for grant in grants:
        grantee = grant.get("Grantee") or {}
        who = _grantee(
            grantee.get("Type"), grantee.get("ID"), grantee.get("URI"), grantee.get("EmailAddress"), owner
        )
        words.append(f"{who}:{grant.get('Permission')}")
    return sorted(set(words))


def _declared_grants(grants: Iterable[Attrs], owner: Any = None) -> list[str]:
    words = []
    for grant in grants:
        grantee = first_block(grant, "grantee")
        who = _grantee(
            grantee.get("type"), grantee.get("id"), grantee.get("uri"), grantee.get("email_address"), owner
        )
        words.append(f"{who}:{grant.get('permission')}")
    return sorted(set(words))


def _key_format(value: Any) -> str:
    """Where logs go: simple (the default when none is set) or partitioned by a date."""
    if isinstance(value, dict):  # AWS
        partitioned = value.get("PartitionedPrefix")
        if partitioned is not None:
            return f"partitioned:{partitioned.get('PartitionDateSource') or 'EventTime'}"
        return "simple"
    partitioned = first_block({"p": value}, "p").get("partitioned_prefix") if value else None
    if partitioned:
        source = first_block({"p": partitioned}, "p").get("partition_date_source")
        return f"partitioned:{source or 'EventTime'}"
    return "simple"


def _logging_attrs(item: Attrs) -> Attrs:
    enabled = item.get("Logging") or {}
    return {
        "bucket": item["Name"],
        "target_bucket": enabled.get("TargetBucket"),
        "target_prefix": enabled.get("TargetPrefix") or "",
        "target_grant": _aws_grants(enabled.get("TargetGrants") or []),
        "target_object_key_format": _key_format(enabled.get("TargetObjectKeyFormat") or {}),
    }


def _logging_desired(attrs: Attrs) -> Attrs:
    return {
        "bucket": attrs.get("bucket"),
        "target_bucket": attrs.get("target_bucket"),
        "target_prefix": attrs.get("target_prefix") or "",
        "target_grant": _declared_grants(attrs.get("target_grant") or []),
        "target_object_key_format": _key_format(attrs.get("target_object_key_format")),
    }


@writes("put_bucket_logging")
def _logging_put(resource: Resource) -> list[AwsCall]:
    attrs = resource.attrs
    enabled: Attrs = {
        "TargetBucket": attrs.get("target_bucket"),
        "TargetPrefix": attrs.get("target_prefix") or "",
    }
    if attrs.get("target_grant"):
        enabled["TargetGrants"] = [
            {"Grantee": _api_grantee(word.rsplit(":", 1)[0], ""), "Permission": word.rsplit(":", 1)[1]}
            for word in attrs["target_grant"]
        ]
    key_format = str(attrs.get("target_object_key_format") or "simple")
    if key_format.startswith("partitioned:"):
        source = key_format.split(":", 1)[1]
        enabled["TargetObjectKeyFormat"] = {"PartitionedPrefix": {"PartitionDateSource": source}}
    return [
        s3_call("put_bucket_logging", bucket_of(resource), BucketLoggingStatus={"LoggingEnabled": enabled})
    ]


def _logging_hcl(resource: Resource) -> Attrs:
    key_format = str(resource.attrs.get("target_object_key_format") or "simple")
    partitioned = key_format.startswith("partitioned:")
    return {
        "bucket": resource.attrs.get("bucket"),
        "target_bucket": resource.attrs.get("target_bucket"),
        "target_prefix": resource.attrs.get("target_prefix"),
        "target_object_key_format": [
            {"partitioned_prefix": [{"partition_date_source": key_format.split(":", 1)[1]}]}
        ]
        if partitioned
        else None,
    }


_LOGGING_PATHS = ("target_bucket", "target_prefix", "target_grant", "target_object_key_format")
_LOGGING_EVENTS = replace(
    setting_events("PutBucketLogging", "", _LOGGING_PATHS), missing=("PutBucketLogging", "DeleteBucket")
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_logging",
        events=_LOGGING_EVENTS,
        split_item=when("Logging"),
        to_attrs=_logging_attrs,
        normalise_desired=_logging_desired,
        compared=("bucket", *_LOGGING_PATHS),
        ignored={"expected_bucket_owner": _EXPECTED_OWNER},
        parent=("bucket", "aws_s3_bucket"),
        # A bucket written the provider-3 way holds it inline (its state keeps it, refreshed).
        held_by_parent=lambda bucket: bool(bucket.get("logging")),
        restore_calls=writes(_logging_put)(lambda resource, _, __: _logging_put(resource)),
        restorable=("*",),
        recreate_calls=_logging_put,
        delete_calls=writes("put_bucket_logging")(
            lambda resource: [s3_call("put_bucket_logging", bucket_of(resource), BucketLoggingStatus={})]
        ),
        hcl_arguments=_logging_hcl,
        describe=lambda resource: f"access logging of bucket {bucket_of(resource)}",
        pulumi_tokens=("aws:s3/bucketLoggingV2:BucketLoggingV2", "aws:s3/bucketLogging:BucketLogging"),
        graph=GraphHooks(forward=("bucket", "target_bucket")),
    )
)


# aws_s3_bucket_cors_configuration ----------------------------------------------------

_CORS_LISTS = (
    ("allowed_headers", "AllowedHeaders"),
    ("allowed_methods", "AllowedMethods"),
    ("allowed_origins", "AllowedOrigins"),
    ("expose_headers", "ExposeHeaders"),
)


def _cors_rule(rule_id: Any, lists: dict[str, Any], max_age: Any) -> Attrs:
    """A CORS rule; its lists are sets in the provider, and rules are a set too."""
    return {
        "id": str(rule_id or "") or None,
        **{name: sorted(lists.get(name) or []) for name, _ in _CORS_LISTS},
        "max_age_seconds": _int(max_age),
    }


def _cors_attrs(item: Attrs) -> Attrs:
    return {
        "bucket": item["Name"],
        "cors_rule": _sorted(
            _cors_rule(
                rule.get("ID"), {name: rule.get(key) for name, key in _CORS_LISTS}, rule.get("MaxAgeSeconds")
            )
            for rule in item.get("Cors") or []
        ),
    }


def _cors_desired(attrs: Attrs) -> Attrs:
    return {
        "bucket": attrs.get("bucket"),
        "cors_rule": _sorted(
            _cors_rule(rule.get("id"), rule, rule.get("max_age_seconds"))
            for rule in attrs.get("cors_rule") or []
        ),
    }


@writes("put_bucket_cors")
def _cors_put(resource: Resource) -> list[AwsCall]:
    rules = []
    for rule in resource.attrs.get("cors_rule") or []:
        api: Attrs = {key: list(rule.get(name) or []) for name, key in _CORS_LISTS if rule.get(name)}
        if rule.get("id"):
            api["ID"] = rule["id"]
        if rule.get("max_age_seconds") is not None:
            api["MaxAgeSeconds"] = rule["max_age_seconds"]
        rules.append(api)
    return [s3_call("put_bucket_cors", bucket_of(resource), CORSConfiguration={"CORSRules": rules})]


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_cors_configuration",
        events=setting_events("PutBucketCors", "DeleteBucketCors", ("cors_rule",)),
        split_item=when("Cors"),
        to_attrs=_cors_attrs,
        normalise_desired=_cors_desired,
        compared=("bucket", "cors_rule"),
        ignored={"expected_bucket_owner": _EXPECTED_OWNER},
        parent=("bucket", "aws_s3_bucket"),
        # A bucket written the provider-3 way holds it inline (its state keeps it, refreshed).
        held_by_parent=lambda bucket: bool(bucket.get("cors_rule")),
        restore_calls=writes(_cors_put)(lambda resource, _, __: _cors_put(resource)),
        restorable=("*",),
        recreate_calls=_cors_put,
        delete_calls=writes("delete_bucket_cors")(
            lambda resource: [s3_call("delete_bucket_cors", bucket_of(resource))]
        ),
        describe=lambda resource: f"CORS rules of bucket {bucket_of(resource)}",
        pulumi_tokens=(
            "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
            "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
        ),
        graph=GraphHooks(forward=("bucket",)),
    )
)


# aws_s3_bucket_acl -------------------------------------------------------------------
#
# Every bucket has an ACL; the one S3 gives it (and the only one BucketOwnerEnforced
# ownership allows) is the owner's FULL_CONTROL. Grants are compared as words
# (`Group:AllUsers:READ`), the owner's canonical id as `owner`.

_OWNER_ONLY = ["CanonicalUser:owner:FULL_CONTROL"]
# What each canned ACL grants on a bucket (S3 User Guide, "Canned ACL").
_CANNED = {
    "private": _OWNER_ONLY,
    "public-read": [*_OWNER_ONLY, "Group:AllUsers:READ"],
    "public-read-write": [*_OWNER_ONLY, "Group:AllUsers:READ", "Group:AllUsers:WRITE"],
    "authenticated-read": [*_OWNER_ONLY, "Group:AuthenticatedUsers:READ"],
    "log-delivery-write": [*_OWNER_ONLY, "Group:LogDelivery:READ_ACP", "Group:LogDelivery:WRITE"],
    # Object ACLs that S3 accepts on a bucket as its owner's alone.
    "bucket-owner-read": _OWNER_ONLY,
    "bucket-owner-full-control": _OWNER_ONLY,
}


def _acl_attrs(item: Attrs) -> Attrs:
    acl = item.get("Acl") or {}
    owner = (acl.get("Owner") or {}).get("ID")
    return {"bucket": item["Name"], "grant": _aws_grants(acl.get("Grants") or [], owner), "owner_id": owner}


def _acl_desired(attrs: Attrs) -> Attrs:
    canned = attrs.get("acl") or ""
    policy = first_block(attrs, "access_control_policy")
    owner = first_block(policy, "owner").get("id")
    if canned:
        grants = sorted(_CANNED.get(str(canned), _OWNER_ONLY))
    elif policy.get("grant"):
        grants = _declared_grants(policy["grant"], owner)
    else:
        grants = _OWNER_ONLY
    return {"bucket": attrs.get("bucket"), "grant": grants, "acl": canned or None, "owner_id": owner}


def _acl_put(resource: Resource, live: Resource | None) -> list[AwsCall]:
    """The declared grants, spelled out (a canned ACL too: the grants it stands for are what
    was compared, and sending them is exact where a canned name is S3's to expand)."""
    owner = str(resource.attrs.get("owner_id") or (live.attrs.get("owner_id") if live else "") or "")
    grants = [
        {"Grantee": _api_grantee(word.rsplit(":", 1)[0], owner), "Permission": word.rsplit(":", 1)[1]}
        for word in resource.attrs.get("grant") or _OWNER_ONLY
    ]
    return [
        s3_call(
            "put_bucket_acl",
            bucket_of(resource),
            AccessControlPolicy={"Owner": {"ID": owner}, "Grants": grants},
        )
    ]


def _acl_hcl(resource: Resource) -> Attrs:
    grants = list(resource.attrs.get("grant") or [])
    canned = next((name for name, given in _CANNED.items() if sorted(given) == grants), None)
    return {"bucket": resource.attrs.get("bucket"), "acl": canned or None}


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_acl",
        events=setting_events("PutBucketAcl", "", ("grant",)),
        split_item=lambda bucket: [bucket],
        to_attrs=_acl_attrs,
        normalise_desired=_acl_desired,
        compared=("bucket", "grant"),
        ignored={
            "acl": "compared as the grants this canned ACL makes (S3 answers grants, not a name)",
            "access_control_policy": "its grants are compared as `grant`; the owner is the bucket's own",
            "expected_bucket_owner": _EXPECTED_OWNER,
        },
        # The state's id is "bucket,acl" when a canned ACL is declared: matched by bucket.
        match_key=bucket_of,
        # The owner's FULL_CONTROL alone is what S3 gives every bucket: nobody set anything.
        aws_default=lambda item: _acl_attrs(item)["grant"] == _OWNER_ONLY,
        parent=("bucket", "aws_s3_bucket"),
        # A bucket written the provider-3 way holds it inline (its state keeps it, refreshed).
        held_by_parent=_acl_held_by_bucket,
        restore_calls=writes("put_bucket_acl")(lambda resource, live, _: _acl_put(resource, live)),
        restorable=("*",),
        # No recreate_calls: every bucket has an ACL, so this is never "missing" while the
        # bucket exists. An unmanaged grant is taken away by putting the private ACL back.
        delete_calls=writes("put_bucket_acl")(
            lambda resource: [s3_call("put_bucket_acl", bucket_of(resource), ACL="private")]
        ),
        hcl_arguments=_acl_hcl,
        describe=lambda resource: f"ACL of bucket {bucket_of(resource)}",
        pulumi_tokens=("aws:s3/bucketAclV2:BucketAclV2", "aws:s3/bucketAcl:BucketAcl"),
        graph=GraphHooks(forward=("bucket",)),
    )
)


# aws_s3_bucket_notification ----------------------------------------------------------
#
# An empty configuration is no notification; EventBridge turned on is one.

_DESTINATIONS = (
    ("topic", "TopicConfigurations", "topic_arn", "TopicArn"),
    ("queue", "QueueConfigurations", "queue_arn", "QueueArn"),
    ("lambda_function", "LambdaFunctionConfigurations", "lambda_function_arn", "LambdaFunctionArn"),
)


def _notifies(item: Attrs) -> bool:
    config = item.get("Notification") or {}
    return "EventBridgeConfiguration" in config or any(config.get(key) for _, key, _, _ in _DESTINATIONS)


def _destination(arn_name: str, config_id: Any, arn: Any, events: Any, prefix: Any, suffix: Any) -> Attrs:
    return {
        "id": str(config_id or "") or None,
        arn_name: arn,
        "events": sorted(events or []),
        "filter_prefix": str(prefix or ""),
        "filter_suffix": str(suffix or ""),
    }


def _key_rules(config: Attrs) -> dict[str, str]:
    """AWS answers the rule names as Prefix/Suffix, and accepts them in either case."""
    rules = ((config.get("Filter") or {}).get("Key") or {}).get("FilterRules") or []
    return {str(rule.get("Name", "")).lower(): str(rule.get("Value") or "") for rule in rules}


def _notification_attrs(item: Attrs) -> Attrs:
    config = item.get("Notification") or {}
    attrs: Attrs = {"bucket": item["Name"], "eventbridge": "EventBridgeConfiguration" in config}
    for name, key, arn_name, arn_key in _DESTINATIONS:
        attrs[name] = _sorted(
            _destination(
                arn_name,
                entry.get("Id"),
                entry.get(arn_key),
                entry.get("Events"),
                _key_rules(entry).get("prefix"),
                _key_rules(entry).get("suffix"),
            )
            for entry in config.get(key) or []
        )
    return attrs


def _notification_desired(attrs: Attrs) -> Attrs:
    desired: Attrs = {"bucket": attrs.get("bucket"), "eventbridge": bool(attrs.get("eventbridge"))}
    for name, _, arn_name, _ in _DESTINATIONS:
        desired[name] = _sorted(
            _destination(
                arn_name,
                entry.get("id"),
                entry.get(arn_name),
                entry.get("events"),
                entry.get("filter_prefix"),
                entry.get("filter_suffix"),
            )
            for entry in attrs.get(name) or []
        )
    return desired


@writes("put_bucket_notification_configuration")
def _notification_put(resource: Resource) -> list[AwsCall]:
    config: Attrs = {}
    for name, key, arn_name, arn_key in _DESTINATIONS:
        entries = []
        for entry in resource.attrs.get(name) or []:
            api: Attrs = {arn_key: entry.get(arn_name), "Events": list(entry.get("events") or [])}
            if entry.get("id"):
                api["Id"] = entry["id"]
            rules = [
                {"Name": rule, "Value": entry[f"filter_{rule}"]}
                for rule in ("prefix", "suffix")
                if entry.get(f"filter_{rule}")
            ]
            if rules:
                api["Filter"] = {"Key": {"FilterRules": rules}}
            entries.append(api)
        if entries:
            config[key] = entries
    if resource.attrs.get("eventbridge"):
        config["EventBridgeConfiguration"] = {}
    return [
        s3_call(
            "put_bucket_notification_configuration", bucket_of(resource), NotificationConfiguration=config
        )
    ]


_NOTIFICATION_PATHS = ("eventbridge", "topic", "queue", "lambda_function")
# CloudTrail records PutBucketNotificationConfiguration as PutBucketNotification (a real,
# older operation); an empty configuration is how notifications are removed.
_NOTIFICATION_EVENTS = replace(
    setting_events("PutBucketNotification", "", _NOTIFICATION_PATHS),
    missing=("PutBucketNotification", "DeleteBucket"),
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_notification",
        events=_NOTIFICATION_EVENTS,
        split_item=lambda bucket: [bucket] if _notifies(bucket) else [],
        to_attrs=_notification_attrs,
        normalise_desired=_notification_desired,
        compared=("bucket", *_NOTIFICATION_PATHS),
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes(_notification_put)(lambda resource, _, __: _notification_put(resource)),
        restorable=("*",),
        recreate_calls=_notification_put,
        delete_calls=writes("put_bucket_notification_configuration")(
            lambda resource: [
                s3_call(
                    "put_bucket_notification_configuration", bucket_of(resource), NotificationConfiguration={}
                )
            ]
        ),
        describe=lambda resource: f"event notifications of bucket {bucket_of(resource)}",
        pulumi_tokens=("aws:s3/bucketNotification:BucketNotification",),
        graph=GraphHooks(forward=("bucket", "topic", "queue", "lambda_function")),
    )
)


# aws_s3_bucket_replication_configuration ---------------------------------------------
#
# Rules keyed by id, one shape for both sides. What AWS leaves out means its default:
# no DeleteMarkerReplication or ExistingObjectReplication is Disabled, no storage class
# keeps the source's, Priority 0 is the priority of a rule written without one.


def _status(value: Any) -> str:
    return str(value or "Disabled")


def _timed(status: Any, minutes: Any) -> str | None:
    """Replication time control and metrics: their minutes, only when turned on."""
    if status != "Enabled":
        return None
    return f"Enabled:{int(minutes)}" if minutes else "Enabled"


def _replication_rule(
    priority: Any,
    status: Any,
    filter_: Attrs,
    delete_markers: Any,
    existing_objects: Any,
    destination: Attrs,
    replica_modifications: Any,
    sse_kms_objects: Any,
) -> Attrs:
    return {
        "priority": int(priority or 0),
        "status": str(status or ""),
        "filter": filter_,
        "delete_marker_replication": _status(delete_markers),
        "existing_object_replication": _status(existing_objects),
        "destination": destination,
        "replica_modifications": _status(replica_modifications),
        "sse_kms_encrypted_objects": _status(sse_kms_objects),
    }


def _destination_shape(
    bucket: Any,
    account: Any,
    storage_class: Any,
    owner: Any,
    key: Any,
    time_: str | None,
    metrics: str | None,
) -> Attrs:
    return {
        "bucket": bucket,
        "account": str(account or "") or None,
        "storage_class": str(storage_class or "") or None,
        "access_control_translation_owner": str(owner or "") or None,
        "replica_kms_key_id": str(key or "") or None,
        "replication_time": time_,
        "metrics": metrics,
    }


def _aws_replication_rule(rule: Attrs) -> Attrs:
    given = rule.get("Filter")
    if given is None:
        filter_ = _filter(rule.get("Prefix"), {}, None, None)
    else:
        both = given.get("And") or {}
        tag_list = both.get("Tags") or ([given["Tag"]] if given.get("Tag") else [])
        filter_ = _filter(
            given.get("Prefix") or both.get("Prefix"), {t["Key"]: t["Value"] for t in tag_list}, None, None
        )
    dest = rule.get("Destination") or {}
    time_ = dest.get("ReplicationTime") or {}
    metrics = dest.get("Metrics") or {}
    criteria = rule.get("SourceSelectionCriteria") or {}
    return _replication_rule(
        rule.get("Priority"),
        rule.get("Status"),
        filter_,
        (rule.get("DeleteMarkerReplication") or {}).get("Status"),
        (rule.get("ExistingObjectReplication") or {}).get("Status"),
        _destination_shape(
            dest.get("Bucket"),
            dest.get("Account"),
            dest.get("StorageClass"),
            (dest.get("AccessControlTranslation") or {}).get("Owner"),
            (dest.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID"),
            _timed(time_.get("Status"), (time_.get("Time") or {}).get("Minutes")),
            _timed(metrics.get("Status"), (metrics.get("EventThreshold") or {}).get("Minutes")),
        ),
        (criteria.get("ReplicaModifications") or {}).get("Status"),
        (criteria.get("SseKmsEncryptedObjects") or {}).get("Status"),
    )


def _declared_replication_rule(rule: Attrs) -> Attrs:
    given = first_block(rule, "filter")
    both = first_block(given, "and")
    tag = first_block(given, "tag")
    tags = dict(both.get("tags") or {}) or (
        {str(tag["key"]): str(tag.get("value") or "")} if tag.get("key") else {}
    )
    dest = first_block(rule, "destination")
    time_ = first_block(dest, "replication_time")
    metrics = first_block(dest, "metrics")
    criteria = first_block(rule, "source_selection_criteria")
    return _replication_rule(
        rule.get("priority"),
        rule.get("status"),
        _filter(given.get("prefix") or both.get("prefix") or rule.get("prefix"), tags, None, None),
        first_block(rule, "delete_marker_replication").get("status"),
        first_block(rule, "existing_object_replication").get("status"),
        _destination_shape(
            dest.get("bucket"),
            dest.get("account"),
            dest.get("storage_class"),
            first_block(dest, "access_control_translation").get("owner"),
            first_block(dest, "encryption_configuration").get("replica_kms_key_id"),
            _timed(time_.get("status"), first_block(time_, "time").get("minutes")),
            _timed(metrics.get("status"), first_block(metrics, "event_threshold").get("minutes")),
        ),
        first_block(criteria, "replica_modifications").get("status"),
        first_block(criteria, "sse_kms_encrypted_objects").get("status"),
    )


def _replication_attrs(item: Attrs) -> Attrs:
    config = item.get("Replication") or {}
    return {
        "bucket": item["Name"],
        "role": config.get("Role"),
        "rule": {
            str(rule.get("ID") or ""): _aws_replication_rule(rule) for rule in config.get("Rules") or []
        },
    }


def _replication_desired(attrs: Attrs) -> Attrs:
    return {
        "bucket": attrs.get("bucket"),
        "role": attrs.get("role"),
        "rule": {
            str(rule.get("id") or ""): _declared_replication_rule(rule) for rule in attrs.get("rule") or []
        },
    }


def _api_timed(value: Any, inner: str) -> Attrs | None:
    if not value:
        return None
    status, _, minutes = str(value).partition(":")
    api: Attrs = {"Status": status}
    if minutes:
        api[inner] = {"Minutes": int(minutes)}
    return api


def _api_replication_rule(rule_id: str, rule: Attrs) -> Attrs:
    filter_ = rule.get("filter") or _WHOLE_BUCKET
    api_filter = _api_filter({"prefix": filter_.get("prefix"), "tags": filter_.get("tags")})
    dest = rule.get("destination") or {}
    destination: Attrs = {"Bucket": dest.get("bucket")}
    for key, value in (
        ("Account", dest.get("account")),
        ("StorageClass", dest.get("storage_class")),
        (
            "AccessControlTranslation",
            {"Owner": dest["access_control_translation_owner"]}
            if dest.get("access_control_translation_owner")
            else None,
        ),
        (
            "EncryptionConfiguration",
            {"ReplicaKmsKeyID": dest["replica_kms_key_id"]} if dest.get("replica_kms_key_id") else None,
        ),
        ("ReplicationTime", _api_timed(dest.get("replication_time"), "Time")),
        ("Metrics", _api_timed(dest.get("metrics"), "EventThreshold")),
    ):
        if value:
            destination[key] = value
    api: Attrs = {
        "ID": rule_id,
        "Priority": rule.get("priority") or 0,
        "Status": rule.get("status"),
        "Filter": api_filter,
        "DeleteMarkerReplication": {"Status": rule.get("delete_marker_replication") or "Disabled"},
        "Destination": destination,
    }
    if rule.get("existing_object_replication") == "Enabled":
        api["ExistingObjectReplication"] = {"Status": "Enabled"}
    criteria = {
        key: {"Status": "Enabled"}
        for key, name in (
            ("ReplicaModifications", "replica_modifications"),
            ("SseKmsEncryptedObjects", "sse_kms_encrypted_objects"),
        )
        if rule.get(name) == "Enabled"
    }
    if criteria:
        api["SourceSelectionCriteria"] = criteria
    return api


@writes("put_bucket_replication")
def _replication_put(resource: Resource) -> list[AwsCall]:
    rules = resource.attrs.get("rule") or {}
    config = {
        "Role": resource.attrs.get("role"),
        "Rules": [_api_replication_rule(k, v) for k, v in sorted(rules.items())],
    }
    return [s3_call("put_bucket_replication", bucket_of(resource), ReplicationConfiguration=config)]


def _replication_hcl(resource: Resource) -> Attrs:
    """The provider's `rule` blocks (filter, destination, delete markers) from the shape compared."""
    blocks = []
    for rule_id, rule in sorted((resource.attrs.get("rule") or {}).items()):
        dest = rule.get("destination") or {}
        blocks.append(
            {
                "id": rule_id,
                "priority": rule.get("priority"),
                "status": rule.get("status"),
                "filter": _hcl_filter(rule.get("filter") or _WHOLE_BUCKET),
                "delete_marker_replication": [{"status": rule.get("delete_marker_replication")}],
                "destination": [
                    {
                        "bucket": dest.get("bucket"),
                        "account": dest.get("account"),
                        "storage_class": dest.get("storage_class"),
                    }
                ],
            }
        )
    return {"bucket": resource.attrs.get("bucket"), "role": resource.attrs.get("role"), "rule": blocks}


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_replication_configuration",
        events=setting_events("PutBucketReplication", "DeleteBucketReplication", ("role", "rule")),
        split_item=when("Replication"),
        to_attrs=_replication_attrs,
        normalise_desired=_replication_desired,
        compared=("bucket", "role", "rule"),
        ignored={"token": "a secret (Object Lock buckets), never read back by S3"},
        parent=("bucket", "aws_s3_bucket"),
        # A bucket written the provider-3 way holds it inline (its state keeps it, refreshed).
        held_by_parent=lambda bucket: bool(bucket.get("replication_configuration")),
        restore_calls=writes(_replication_put)(lambda resource, _, __: _replication_put(resource)),
        restorable=("*",),
        recreate_calls=_replication_put,
        delete_calls=writes("delete_bucket_replication")(
            lambda resource: [s3_call("delete_bucket_replication", bucket_of(resource))]
        ),
        hcl_arguments=_replication_hcl,
        describe=lambda resource: f"replication of bucket {bucket_of(resource)}",
        pulumi_tokens=("aws:s3/bucketReplicationConfig:BucketReplicationConfig",),
        graph=GraphHooks(forward=("bucket", "role", "rule")),
    )
)
