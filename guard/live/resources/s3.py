"""S3: buckets and the six bucket settings Terraform declares as separate resources.

The bucket list is global (one ListBuckets per account). S3 has no batch call for
bucket settings, so each bucket costs these calls, run concurrently in a bounded pool
against the bucket's own region, and shared by all six types:
GetBucketLocation (only when ListBuckets does not say the region), GetBucketTagging,
GetPublicAccessBlock, GetBucketPolicy, GetBucketVersioning, GetBucketEncryption,
GetBucketOwnershipControls, and the settings guard/live/resources/s3_settings.py declares
(GetBucketLifecycleConfiguration, GetBucketLogging, GetBucketCors, GetBucketAcl,
GetBucketNotificationConfiguration, GetBucketReplication): 12 or 13 calls per bucket.

A "not configured" answer means the setting is absent, not that the read failed.
Real AWS encrypts every bucket with SSE-S3 (AES256) since January 2023 and a bucket
without an encryption configuration reads as that default, so a missing configuration
is compared as AES256 (moto leaves new buckets without one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from botocore.exceptions import ClientError

from guard.live.events import TypeEvents, named
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags, first_block, tags
from guard.live.types import REGISTRY, Attrs, KnownType, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

CALLS_PER_BUCKET = 13
_NOT_CONFIGURED = {
    "NoSuchBucketPolicy",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError",
    "NoSuchTagSet",
    "NoSuchTagSetError",
    "NoSuchLifecycleConfiguration",
    "NoSuchCORSConfiguration",
    "ReplicationConfigurationNotFoundError",
}
_LOCATION_REGIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}
AWS_DEFAULT_ENCRYPTION = {
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}],
    "AwsDefault": True,
}


def _optional(call: Callable[..., Any], **params: Any) -> Any:
    """The call's answer, or None when S3 says the setting is not configured."""
    try:
        return call(**params)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _NOT_CONFIGURED:
            return None
        raise


def bucket_region(clients: Any, region: str, bucket: dict[str, Any]) -> str:
    if bucket.get("BucketRegion"):
        return str(bucket["BucketRegion"])
    location = clients.client("s3", region).get_bucket_location(Bucket=bucket["Name"])
    constraint = location.get("LocationConstraint")
    return _LOCATION_REGIONS.get(constraint, constraint)


@reads(
    "get_bucket_location",
    "get_bucket_tagging",
    "get_public_access_block",
    "get_bucket_policy",
    "get_bucket_versioning",
    "get_bucket_encryption",
    "get_bucket_ownership_controls",
    "get_bucket_lifecycle_configuration",
    "get_bucket_logging",
    "get_bucket_cors",
    "get_bucket_acl",
    "get_bucket_notification_configuration",
    "get_bucket_replication",
)
def read_bucket(clients: Any, region: str, bucket: dict[str, Any]) -> dict[str, Any]:
    """Every setting of one bucket, read from the bucket's own region."""
    name = bucket["Name"]
    home = bucket_region(clients, region, bucket)
    s3 = clients.client("s3", home)
    tagging = _optional(s3.get_bucket_tagging, Bucket=name) or {}
    access = _optional(s3.get_public_access_block, Bucket=name)
    policy = _optional(s3.get_bucket_policy, Bucket=name)
    versioning = s3.get_bucket_versioning(Bucket=name)
    encryption = _optional(s3.get_bucket_encryption, Bucket=name)
    ownership = _optional(s3.get_bucket_ownership_controls, Bucket=name)
    lifecycle = _optional(s3.get_bucket_lifecycle_configuration, Bucket=name)
    logging = s3.get_bucket_logging(Bucket=name)
    cors = _optional(s3.get_bucket_cors, Bucket=name)
    acl = s3.get_bucket_acl(Bucket=name)
    notification = _without_metadata(s3.get_bucket_notification_configuration(Bucket=name))
    replication = _optional(s3.get_bucket_replication, Bucket=name)
    return {
        **bucket,
        "Region": home,
        "Tags": tagging.get("TagSet") or [],
        "PublicAccessBlock": (access or {}).get("PublicAccessBlockConfiguration"),
        "Policy": (policy or {}).get("Policy"),
        "Versioning": {"Status": versioning.get("Status"), "MFADelete": versioning.get("MFADelete")},
        "Encryption": (encryption or {}).get("ServerSideEncryptionConfiguration") or AWS_DEFAULT_ENCRYPTION,
        "Ownership": ((ownership or {}).get("OwnershipControls") or {}).get("Rules"),
        "Lifecycle": _without_metadata(lifecycle) if (lifecycle or {}).get("Rules") else None,
        "Logging": logging.get("LoggingEnabled"),
        "Cors": (cors or {}).get("CORSRules"),
        "Notification": notification,
        "Replication": (replication or {}).get("ReplicationConfiguration"),
        "Acl": {"Owner": acl.get("Owner") or {}, "Grants": acl.get("Grants") or []},
    }


def _without_metadata(answer: dict[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (answer or {}).items() if key != "ResponseMetadata"}


def when(key: str) -> Callable[[dict[str, Any]], list[Attrs]]:
    """A bucket holds a setting resource only when that setting is configured."""
    return lambda bucket: [bucket] if bucket.get(key) else []


def s3_call(operation: str, bucket: str, **params: Any) -> AwsCall:
    return AwsCall("s3", operation, {"Bucket": bucket, **params})


def bucket_of(resource: Resource) -> str:
    return str(resource.attrs.get("bucket") or resource.id)


def bucket_setting(name: str, **fields: Any) -> ResourceType:
    defaults: dict[str, Any] = {
        "service": "s3",
        "list_call": "list_buckets",
        "items_path": "Buckets",
        "id_key": "Name",
        "per_item": read_bucket,
        "global_service": True,
    }
    return ResourceType(name=name, **{**defaults, **fields})


# aws_s3_bucket ---------------------------------------------------------------


@writes("put_bucket_tagging", "delete_bucket_tagging")
def _bucket_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    if not any(change.path.startswith("tags.") for change in changes):
        return []
    wanted = resource.attrs.get("tags") or {}
    if not wanted:
        return [s3_call("delete_bucket_tagging", bucket_of(resource))]
    tag_set = [{"Key": key, "Value": value} for key, value in sorted(wanted.items())]
    return [s3_call("put_bucket_tagging", bucket_of(resource), Tagging={"TagSet": tag_set})]


# S3 calls name the bucket in requestParameters.bucketName (CloudTrail also lists its ARN).
_BUCKET = "requestParameters.bucketName"
_BUCKET_NAME = named("s3", "", r"[a-z0-9][a-z0-9.-]*[a-z0-9]", "a bucket name, or its ARN")


def setting_events(put: str, delete: str, paths: Iterable[str]) -> TypeEvents:
    """A bucket setting Terraform declares as its own resource, whose id is the bucket name."""
    edited = (put, delete) if delete else (put,)
    return TypeEvents(
        missing=(delete, "DeleteBucket") if delete else ("DeleteBucket",),
        unmanaged=(put,),
        changed=edited,
        by_path=dict.fromkeys(paths, edited),
        touched_by=dict.fromkeys(edited, _BUCKET),
        ids=_BUCKET_NAME,
    )


_BUCKET_EVENTS = TypeEvents(
    missing=("DeleteBucket",),
    unmanaged=("CreateBucket",),
    changed=("PutBucketTagging", "DeleteBucketTagging"),
    by_path={"tags": ("PutBucketTagging", "DeleteBucketTagging")},
    touched_by=dict.fromkeys(
        ("CreateBucket", "DeleteBucket", "PutBucketTagging", "DeleteBucketTagging"), _BUCKET
    ),
    ids=_BUCKET_NAME,
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket",
        events=_BUCKET_EVENTS,
        to_attrs=lambda item: {"bucket": item["Name"], "tags": tags(item)},
        normalise_desired=lambda attrs: {"bucket": attrs.get("bucket"), "tags": declared_tags(attrs)},
        compared=("bucket", "tags"),
        ignored={
            "region": "a bucket cannot move; its region only says where its settings are read",
            "versioning": "computed copy; compared as aws_s3_bucket_versioning",
            "server_side_encryption_configuration": (
                "computed copy; compared as aws_s3_bucket_server_side_encryption_configuration"
            ),
            "policy": "computed copy; compared as aws_s3_bucket_policy",
            "acl": "deprecated inline setting; the live ACL is compared as aws_s3_bucket_acl",
            "grant": "deprecated inline setting; the live ACL is compared as aws_s3_bucket_acl",
            "lifecycle_rule": (
                "deprecated inline setting; live rules compared as aws_s3_bucket_lifecycle_configuration"
            ),
            "logging": "deprecated inline setting; live logging is compared as aws_s3_bucket_logging",
            "website": "deprecated inline setting, not read (one call per bucket)",
            "cors_rule": "deprecated inline setting; live CORS compared as aws_s3_bucket_cors_configuration",
            "replication_configuration": (
                "deprecated inline; live replication compared as aws_s3_bucket_replication_configuration"
            ),
            "force_destroy": "Terraform-only setting",
        },
        restore_calls=_bucket_restore,
        restorable=("tags",),
        describe=lambda resource: f"bucket {resource.attrs.get('bucket') or resource.id}",
        protected="data a re-create does not bring back",
    )
)


# aws_s3_bucket_public_access_block ------------------------------------------

_ACCESS_KEYS = {
    "block_public_acls": "BlockPublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "ignore_public_acls": "IgnorePublicAcls",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


def _access_attrs(item: dict[str, Any]) -> Attrs:
    block = item.get("PublicAccessBlock") or {}
    return {"bucket": item["Name"], **{name: bool(block.get(key)) for name, key in _ACCESS_KEYS.items()}}


def _access_call(resource: Resource) -> AwsCall:
    config = {key: bool(resource.attrs.get(name)) for name, key in _ACCESS_KEYS.items()}
    return s3_call("put_public_access_block", bucket_of(resource), PublicAccessBlockConfiguration=config)


# CloudTrail records PutPublicAccessBlock as PutBucketPublicAccessBlock.
_ACCESS_BLOCK_EVENTS = setting_events(
    "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", _ACCESS_KEYS
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_public_access_block",
        events=_ACCESS_BLOCK_EVENTS,
        split_item=when("PublicAccessBlock"),
        to_attrs=_access_attrs,
        normalise_desired=lambda attrs: {
            "bucket": attrs.get("bucket"),
            **{name: bool(attrs.get(name)) for name in _ACCESS_KEYS},
        },
        compared=("bucket", *_ACCESS_KEYS),
        ignored={"expected_bucket_owner": "a request guard, not a setting"},
        # New buckets block all public access by default since April 2023: AWS's own setting.
        aws_default=lambda item: all(
            (item.get("PublicAccessBlock") or {}).get(k) for k in _ACCESS_KEYS.values()
        ),
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes("put_public_access_block")(lambda resource, _, __: [_access_call(resource)]),
        restorable=("*",),
        recreate_calls=writes("put_public_access_block")(lambda resource: [_access_call(resource)]),
        delete_calls=writes("delete_public_access_block")(
            lambda resource: [s3_call("delete_public_access_block", bucket_of(resource))]
        ),
        describe=lambda resource: f"public access block of bucket {bucket_of(resource)}",
    )
)


# aws_s3_bucket_policy --------------------------------------------------------


def _policy_call(resource: Resource) -> AwsCall:
    return s3_call("put_bucket_policy", bucket_of(resource), Policy=str(resource.attrs.get("policy") or ""))


_POLICY_EVENTS = setting_events("PutBucketPolicy", "DeleteBucketPolicy", ("policy",))


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_policy",
        events=_POLICY_EVENTS,
        split_item=when("Policy"),
        to_attrs=lambda item: {"bucket": item["Name"], "policy": normalise_policy(item.get("Policy"))},
        normalise_desired=lambda attrs: {
            "bucket": attrs.get("bucket"),
            "policy": normalise_policy(attrs.get("policy")),
        },
        compared=("bucket", "policy"),
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes("put_bucket_policy")(lambda resource, _, __: [_policy_call(resource)]),
        restorable=("*",),
        recreate_calls=writes("put_bucket_policy")(lambda resource: [_policy_call(resource)]),
        delete_calls=writes("delete_bucket_policy")(
            lambda resource: [s3_call("delete_bucket_policy", bucket_of(resource))]
        ),
        describe=lambda resource: f"policy of bucket {bucket_of(resource)}",
    )
)


# aws_s3_bucket_versioning ----------------------------------------------------


def _versioning_attrs(item: dict[str, Any]) -> Attrs:
    versioning = item.get("Versioning") or {}
    return {
        "bucket": item["Name"],
        "status": versioning.get("Status") or "Disabled",
        "mfa_delete": versioning.get("MFADelete") or "Disabled",
    }


def _versioning_desired(attrs: Attrs) -> Attrs:
    block = first_block(attrs, "versioning_configuration")
    return {
        "bucket": attrs.get("bucket"),
        "status": block.get("status") or "Disabled",
        "mfa_delete": block.get("mfa_delete") or "Disabled",
    }


def _versioning_call(resource: Resource) -> list[AwsCall]:
    status = resource.attrs.get("status")
    if status not in ("Enabled", "Suspended"):
        return []  # "Disabled" cannot be set again once versioning was ever on
    return [s3_call("put_bucket_versioning", bucket_of(resource), VersioningConfiguration={"Status": status})]


# Versioning is never deleted, only suspended.
_VERSIONING_EVENTS = setting_events("PutBucketVersioning", "", ("status", "mfa_delete"))


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_versioning",
        events=_VERSIONING_EVENTS,
        split_item=lambda bucket: [bucket],
        to_attrs=_versioning_attrs,
        normalise_desired=_versioning_desired,
        compared=("bucket", "status", "mfa_delete"),
        ignored={"expected_bucket_owner": "a request guard, not a setting", "mfa": "a secret, never read"},
        # A bucket whose versioning was never turned on: nobody configured anything.
        aws_default=lambda item: not (item.get("Versioning") or {}).get("Status"),
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes("put_bucket_versioning")(lambda resource, _, __: _versioning_call(resource)),
        restorable=("status",),
        # No recreate_calls: every bucket has a versioning state, so this is never "missing"
        # while its bucket exists (and a deleted bucket is one finding, the bucket's).
        describe=lambda resource: f"versioning of bucket {bucket_of(resource)}",
    )
)


# aws_s3_bucket_server_side_encryption_configuration -------------------------


def _key_id(value: Any) -> str | None:
    """A KMS key named by id or by ARN is the same key."""
    if not value:
        return None
    text = str(value)
    return text.split(":key/", 1)[1] if ":key/" in text else text


def _encryption_attrs(item: dict[str, Any]) -> Attrs:
    rule = ((item.get("Encryption") or {}).get("Rules") or [{}])[0]
    default = rule.get("ApplyServerSideEncryptionByDefault") or {}
    return {
        "bucket": item["Name"],
        "sse_algorithm": default.get("SSEAlgorithm"),
        "kms_master_key_id": _key_id(default.get("KMSMasterKeyID")),
        "bucket_key_enabled": bool(rule.get("BucketKeyEnabled")),
    }


def _encryption_desired(attrs: Attrs) -> Attrs:
    rules = attrs.get("rule") or [{}]
    rule = rules[0] if isinstance(rules, list) and rules else {}
    default = first_block(rule, "apply_server_side_encryption_by_default")
    return {
        "bucket": attrs.get("bucket"),
        "sse_algorithm": default.get("sse_algorithm"),
        "kms_master_key_id": _key_id(default.get("kms_master_key_id")),
        "bucket_key_enabled": bool(rule.get("bucket_key_enabled")),
    }


def _encryption_call(resource: Resource) -> AwsCall:
    default: dict[str, Any] = {"SSEAlgorithm": resource.attrs.get("sse_algorithm") or "AES256"}
    if resource.attrs.get("kms_master_key_id"):
        default["KMSMasterKeyID"] = resource.attrs["kms_master_key_id"]
    rule = {
        "ApplyServerSideEncryptionByDefault": default,
        "BucketKeyEnabled": bool(resource.attrs.get("bucket_key_enabled")),
    }
    return s3_call(
        "put_bucket_encryption",
        bucket_of(resource),
        ServerSideEncryptionConfiguration={"Rules": [rule]},
    )


_ENCRYPTION_EVENTS = setting_events(
    "PutBucketEncryption",
    "DeleteBucketEncryption",
    ("sse_algorithm", "kms_master_key_id", "bucket_key_enabled"),
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_server_side_encryption_configuration",
        events=_ENCRYPTION_EVENTS,
        split_item=lambda bucket: [bucket],
        to_attrs=_encryption_attrs,
        normalise_desired=_encryption_desired,
        compared=("bucket", "sse_algorithm", "kms_master_key_id", "bucket_key_enabled"),
        ignored={"expected_bucket_owner": "a request guard, not a setting"},
        # SSE-S3 with no bucket key is what AWS applies to every bucket nobody configured.
        aws_default=lambda item: (
            _encryption_attrs(item)["sse_algorithm"] == "AES256"
            and not _encryption_attrs(item)["bucket_key_enabled"]
        ),
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes("put_bucket_encryption")(lambda resource, _, __: [_encryption_call(resource)]),
        restorable=("*",),
        # No recreate_calls: every bucket is encrypted (AES256 when nobody chose), so this is
        # never "missing" while its bucket exists.
        describe=lambda resource: f"default encryption of bucket {bucket_of(resource)}",
    )
)


# aws_s3_bucket_ownership_controls -------------------------------------------


def _ownership_call(resource: Resource) -> AwsCall:
    rule = {"ObjectOwnership": resource.attrs.get("object_ownership")}
    return s3_call("put_bucket_ownership_controls", bucket_of(resource), OwnershipControls={"Rules": [rule]})


_OWNERSHIP_EVENTS = setting_events(
    "PutBucketOwnershipControls", "DeleteBucketOwnershipControls", ("object_ownership",)
)


REGISTRY.register(
    bucket_setting(
        "aws_s3_bucket_ownership_controls",
        events=_OWNERSHIP_EVENTS,
        split_item=when("Ownership"),
        to_attrs=lambda item: {
            "bucket": item["Name"],
            "object_ownership": (item.get("Ownership") or [{}])[0].get("ObjectOwnership"),
        },
        normalise_desired=lambda attrs: {
            "bucket": attrs.get("bucket"),
            "object_ownership": first_block(attrs, "rule").get("object_ownership"),
        },
        compared=("bucket", "object_ownership"),
        # BucketOwnerEnforced (ACLs disabled) is what AWS gives new buckets since April 2023.
        aws_default=lambda item: (
            (item.get("Ownership") or [{}])[0].get("ObjectOwnership") == "BucketOwnerEnforced"
        ),
        parent=("bucket", "aws_s3_bucket"),
        restore_calls=writes("put_bucket_ownership_controls")(
            lambda resource, _, __: [_ownership_call(resource)]
        ),
        restorable=("*",),
        recreate_calls=writes("put_bucket_ownership_controls")(lambda resource: [_ownership_call(resource)]),
        delete_calls=writes("delete_bucket_ownership_controls")(
            lambda resource: [s3_call("delete_bucket_ownership_controls", bucket_of(resource))]
        ),
        describe=lambda resource: f"object ownership of bucket {bucket_of(resource)}",
    )
)

# Not read live; the bridge names it after the provider's old aws_s3_bucket_object.
REGISTRY.know(KnownType("aws_s3_object", pulumi_tokens=("aws:s3/bucketObjectv2:BucketObjectv2",)))
