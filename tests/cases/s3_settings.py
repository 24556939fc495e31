"""Cases for the S3 bucket settings in guard/live/resources/s3_settings.py.

Every case makes two declared buckets of its own (names no other case uses, for the shared
benchmark estate): the one the setting is on, and a neighbour the unmanaged check puts
the same setting on by hand.
"""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.support.s3_settings import (
    acl_attributes,
    cors_attributes,
    cors_rule,
    lifecycle_attributes,
    lifecycle_filter,
    lifecycle_rule,
    logging_attributes,
    notification_attributes,
    notification_queue,
    replication_attributes,
    replication_rule,
)
from tests.support.services import (
    s3_bucket_attributes,
    s3_bucket_policy_attributes,
    s3_ownership_controls_attributes,
    s3_versioning_attributes,
    sqs_queue_attributes,
)

REGION = "us-east-1"


def _s3(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("s3", region_name=REGION)


def _buckets(session: boto3.Session, state: TerraformState, ctx: Context, kind: str) -> tuple[str, str]:
    """The case's bucket and its neighbour, both declared with nothing else set."""
    names = (f"sweep-s3-{kind}-assets", f"sweep-s3-{kind}-other")
    for name, resource_name in zip(names, ("assets", "other"), strict=True):
        _s3(session).create_bucket(Bucket=name)
        state.add(
            "aws_s3_bucket", f"{kind.replace('-', '_')}_{resource_name}", s3_bucket_attributes(name, REGION)
        )
    ctx["bucket"], ctx["other"] = names
    return names


# aws_s3_bucket_lifecycle_configuration ---------------------------------------------

LIFECYCLE_RULES = [
    {
        "ID": "expire-logs",
        "Status": "Enabled",
        "Filter": {"Prefix": "logs/"},
        "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
        "Expiration": {"Days": 365},
        "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
    },
    # `filter {}` in the configuration: the whole bucket.
    {
        "ID": "clean-markers",
        "Status": "Enabled",
        "Filter": {},
        "Expiration": {"ExpiredObjectDeleteMarker": True},
    },
    {
        "ID": "tmp-tagged",
        "Status": "Disabled",
        "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "scratch", "Value": "yes"}]}},
        "Expiration": {"Days": 3},
    },
]


def build_lifecycle(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    bucket, _ = _buckets(session, state, ctx, "lifecycle")
    # As the provider sends it: no minimum object size given, S3 applies its default.
    _s3(session).put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": LIFECYCLE_RULES}
    )
    rules = [
        lifecycle_rule(
            "expire-logs",
            # Transitions are a set: declared in another order than AWS keeps them.
            lifecycle_filter(prefix="logs/"),
            expiration_days=365,
            transitions=[(90, "GLACIER"), (30, "STANDARD_IA")],
            noncurrent_days=90,
            abort_days=7,
        ),
        lifecycle_rule("clean-markers", lifecycle_filter(), expired_object_delete_marker=True),
        lifecycle_rule(
            "tmp-tagged",
            lifecycle_filter(prefix="tmp/", tags={"scratch": "yes"}),
            status="Disabled",
            expiration_days=3,
        ),
    ]
    state.add(
        "aws_s3_bucket_lifecycle_configuration",
        "assets",
        lifecycle_attributes(bucket, rules, "all_storage_classes_128K"),
    )


def _shorten_log_expiry(session: boto3.Session, ctx: Context) -> None:
    rules = [dict(rule) for rule in LIFECYCLE_RULES]
    rules[0]["Expiration"] = {"Days": 7}
    _s3(session).put_bucket_lifecycle_configuration(
        Bucket=ctx["bucket"], LifecycleConfiguration={"Rules": rules}
    )


def _lifecycle_on_other_bucket(session: boto3.Session, ctx: Context) -> str:
    _s3(session).put_bucket_lifecycle_configuration(
        Bucket=ctx["other"],
        LifecycleConfiguration={
            "Rules": [
                {"ID": "expire-all", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}
            ]
        },
    )
    return str(ctx["other"])


CASES = [
    TypeCase(
        "aws_s3_bucket_lifecycle_configuration",
        build=build_lifecycle,
        drift=_shorten_log_expiry,
        expected=Expected(
            "changed",
            "aws_s3_bucket_lifecycle_configuration",
            "bucket",
            "aws_s3_bucket_lifecycle_configuration.assets",
            paths=("rule.expire-logs",),
        ),
        # An expire-everything rule put by hand on a declared bucket that declares none.
        unmanaged=_lifecycle_on_other_bucket,
        unmanaged_type="aws_s3_bucket_lifecycle_configuration",
    ),
    TypeCase(
        "aws_s3_bucket_lifecycle_configuration",
        build=build_lifecycle,
        drift=lambda s, c: _s3(s).delete_bucket_lifecycle(Bucket=c["bucket"]),
        expected=Expected(
            "missing",
            "aws_s3_bucket_lifecycle_configuration",
            "bucket",
            "aws_s3_bucket_lifecycle_configuration.assets",
            title_has="was deleted",
        ),
    ),
]


# aws_s3_bucket_logging -------------------------------------------------------------

LOG_TARGET = "sweep-s3-logging-target"


def _log_delivery_policy(target: str) -> dict:
    """What S3 needs on a target bucket (ACLs disabled): the logging service may put objects."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ServerAccessLogs",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": ["s3:PutObject"],
                "Resource": f"arn:aws:s3:::{target}/*",
            }
        ],
    }


def build_logging(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    bucket, _ = _buckets(session, state, ctx, "logging")
    s3 = _s3(session)
    s3.create_bucket(Bucket=LOG_TARGET)
    state.add("aws_s3_bucket", "logging_target", s3_bucket_attributes(LOG_TARGET, REGION))
    policy = _log_delivery_policy(LOG_TARGET)
    s3.put_bucket_policy(Bucket=LOG_TARGET, Policy=json.dumps(policy))
    state.add("aws_s3_bucket_policy", "logging_target", s3_bucket_policy_attributes(LOG_TARGET, policy))
    s3.put_bucket_logging(
        Bucket=bucket,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": LOG_TARGET, "TargetPrefix": "assets/"}},
    )
    state.add("aws_s3_bucket_logging", "assets", logging_attributes(bucket, LOG_TARGET, "assets/"))


def _log_to(session: boto3.Session, bucket: str, prefix: str) -> None:
    _s3(session).put_bucket_logging(
        Bucket=bucket,
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": LOG_TARGET, "TargetPrefix": prefix}},
    )


def _logging_on_other_bucket(session: boto3.Session, ctx: Context) -> str:
    _log_to(session, ctx["other"], "other/")
    return str(ctx["other"])


# aws_s3_bucket_cors_configuration --------------------------------------------------

CORS_RULES = [
    {
        "ID": "app",
        "AllowedHeaders": ["Authorization", "Content-Type"],
        "AllowedMethods": ["PUT", "GET"],
        "AllowedOrigins": ["https://app.example.com"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 3000,
    },
    {"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]},
]


def build_cors(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    bucket, _ = _buckets(session, state, ctx, "cors")
    _s3(session).put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": CORS_RULES})
    rules = [
        # A set in the provider: declared in another order, its lists too.
        cors_rule(["GET"], ["*"]),
        cors_rule(
            ["GET", "PUT"],
            ["https://app.example.com"],
            headers=["Content-Type", "Authorization"],
            expose=["ETag"],
            max_age=3000,
            rule_id="app",
        ),
    ]
    state.add("aws_s3_bucket_cors_configuration", "assets", cors_attributes(bucket, rules))


def _open_cors(session: boto3.Session, ctx: Context) -> None:
    rules = [dict(CORS_RULES[0], AllowedOrigins=["*"]), CORS_RULES[1]]
    _s3(session).put_bucket_cors(Bucket=ctx["bucket"], CORSConfiguration={"CORSRules": rules})


def _cors_on_other_bucket(session: boto3.Session, ctx: Context) -> str:
    _s3(session).put_bucket_cors(
        Bucket=ctx["other"],
        CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]},
    )
    return str(ctx["other"])


# aws_s3_bucket_acl -----------------------------------------------------------------


def _log_delivery_grants(owner: dict) -> list[dict]:
    return [
        {"Grantee": {"ID": owner["ID"], "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"},
        {
            "Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"},
            "Permission": "WRITE",
        },
        {
            "Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"},
            "Permission": "READ_ACP",
        },
    ]


def build_acl(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An access-log bucket with ACLs on (ObjectWriter): the log delivery group may write."""
    bucket, other = _buckets(session, state, ctx, "acl")
    s3 = _s3(session)
    for name, resource_name in ((bucket, "acl_assets"), (other, "acl_other")):
        s3.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
        )
        state.add(
            "aws_s3_bucket_ownership_controls",
            resource_name,
            s3_ownership_controls_attributes(name, "ObjectWriter"),
        )
    owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]
    grants = _log_delivery_grants(owner)
    s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy={"Owner": owner, "Grants": grants})
    # Declared as the canned ACL; the provider stores the grants S3 answers beside it.
    state.add("aws_s3_bucket_acl", "assets", acl_attributes(bucket, owner, grants, acl="log-delivery-write"))
    # The neighbour declares the private ACL explicitly, as grants.
    state.add("aws_s3_bucket_acl", "other", acl_attributes(other, owner, grants[:1]))


def _acl_public(session: boto3.Session, ctx: Context) -> None:
    s3 = _s3(session)
    owner = s3.get_bucket_acl(Bucket=ctx["bucket"])["Owner"]
    grants = [
        *_log_delivery_grants(owner),
        {
            "Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
            "Permission": "READ",
        },
    ]
    s3.put_bucket_acl(Bucket=ctx["bucket"], AccessControlPolicy={"Owner": owner, "Grants": grants})


def build_undeclared_acl(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Two buckets with ACLs on and no aws_s3_bucket_acl: the default ACL is nobody's finding."""
    bucket, other = _buckets(session, state, ctx, "acl-undeclared")
    for name, resource_name in ((bucket, "acl_undeclared_assets"), (other, "acl_undeclared_other")):
        _s3(session).put_bucket_ownership_controls(
            Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
        )
        state.add(
            "aws_s3_bucket_ownership_controls",
            resource_name,
            s3_ownership_controls_attributes(name, "BucketOwnerPreferred"),
        )
    s3 = _s3(session)
    owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]
    ctx["owner"] = owner


def _grant_on_undeclared(session: boto3.Session, ctx: Context) -> str:
    """A read grant to another account's canonical user, added by hand."""
    grants = [
        {"Grantee": {"ID": ctx["owner"]["ID"], "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"},
        {"Grantee": {"ID": "a" * 64, "Type": "CanonicalUser"}, "Permission": "READ"},
    ]
    _s3(session).put_bucket_acl(
        Bucket=ctx["other"], AccessControlPolicy={"Owner": ctx["owner"], "Grants": grants}
    )
    return str(ctx["other"])


CASES += [
    TypeCase(
        "aws_s3_bucket_logging",
        build=build_logging,
        drift=lambda s, c: _log_to(s, c["bucket"], "elsewhere/"),
        expected=Expected(
            "changed",
            "aws_s3_bucket_logging",
            "bucket",
            "aws_s3_bucket_logging.assets",
            paths=("target_prefix",),
        ),
        unmanaged=_logging_on_other_bucket,
        unmanaged_type="aws_s3_bucket_logging",
    ),
    TypeCase(
        "aws_s3_bucket_logging",
        build=build_logging,
        # Logging turned off: S3 has no delete, an empty status does it.
        drift=lambda s, c: _s3(s).put_bucket_logging(Bucket=c["bucket"], BucketLoggingStatus={}),
        expected=Expected(
            "missing",
            "aws_s3_bucket_logging",
            "bucket",
            "aws_s3_bucket_logging.assets",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_s3_bucket_cors_configuration",
        build=build_cors,
        drift=_open_cors,
        expected=Expected(
            "changed",
            "aws_s3_bucket_cors_configuration",
            "bucket",
            "aws_s3_bucket_cors_configuration.assets",
            paths=("cors_rule",),
        ),
        unmanaged=_cors_on_other_bucket,
        unmanaged_type="aws_s3_bucket_cors_configuration",
    ),
    TypeCase(
        "aws_s3_bucket_cors_configuration",
        build=build_cors,
        drift=lambda s, c: _s3(s).delete_bucket_cors(Bucket=c["bucket"]),
        expected=Expected(
            "missing",
            "aws_s3_bucket_cors_configuration",
            "bucket",
            "aws_s3_bucket_cors_configuration.assets",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_s3_bucket_acl",
        build=build_acl,
        drift=_acl_public,
        expected=Expected(
            "changed", "aws_s3_bucket_acl", "bucket", "aws_s3_bucket_acl.assets", paths=("grant",)
        ),
    ),
    TypeCase(
        "aws_s3_bucket_acl",
        build=build_undeclared_acl,
        drift=lambda s, c: _grant_on_undeclared(s, c),
        expected=Expected("unmanaged", "aws_s3_bucket_acl", "other"),
        unmanaged=_grant_on_undeclared,
        unmanaged_type="aws_s3_bucket_acl",
    ),
]


# aws_s3_bucket_notification --------------------------------------------------------
#
# moto keeps no EventBridgeConfiguration (AWS answers it as {} once turned on); guard reads
# it as AWS answers it, so the case notifies a queue.


def build_notification(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    bucket, _ = _buckets(session, state, ctx, "notification")
    sqs = session.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="sweep-s3-notification-uploads")["QueueUrl"]
    live = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    state.add("aws_sqs_queue", "notification_uploads", sqs_queue_attributes(url, live))
    ctx["queue_arn"] = live["QueueArn"]
    _notify(session, bucket, live["QueueArn"], ["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"])
    queue = notification_queue(
        "uploads", live["QueueArn"], ["s3:ObjectCreated:Post", "s3:ObjectCreated:Put"], "incoming/", ".csv"
    )
    state.add("aws_s3_bucket_notification", "assets", notification_attributes(bucket, [queue]))


def _notify(session: boto3.Session, bucket: str, queue_arn: str, events: list[str]) -> None:
    rules = [
        {"Name": "prefix", "Value": "incoming/"},
        {"Name": "suffix", "Value": ".csv"},
    ]  # as the provider sends them
    config = {
        "Id": "uploads",
        "QueueArn": queue_arn,
        "Events": events,
        "Filter": {"Key": {"FilterRules": rules}},
    }
    _s3(session).put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [config]}
    )


def _notification_on_other_bucket(session: boto3.Session, ctx: Context) -> str:
    _notify(session, ctx["other"], ctx["queue_arn"], ["s3:ObjectRemoved:*"])
    return str(ctx["other"])


CASES += [
    TypeCase(
        "aws_s3_bucket_notification",
        build=build_notification,
        # Someone narrowed it to one event: POST uploads no longer reach the queue.
        drift=lambda s, c: _notify(s, c["bucket"], c["queue_arn"], ["s3:ObjectCreated:Put"]),
        expected=Expected(
            "changed",
            "aws_s3_bucket_notification",
            "bucket",
            "aws_s3_bucket_notification.assets",
            paths=("queue",),
        ),
        unmanaged=_notification_on_other_bucket,
        unmanaged_type="aws_s3_bucket_notification",
    ),
    TypeCase(
        "aws_s3_bucket_notification",
        build=build_notification,
        # An empty configuration is how notifications are removed.
        drift=lambda s, c: _s3(s).put_bucket_notification_configuration(
            Bucket=c["bucket"], NotificationConfiguration={}
        ),
        expected=Expected(
            "missing",
            "aws_s3_bucket_notification",
            "bucket",
            "aws_s3_bucket_notification.assets",
            title_has="was deleted",
        ),
    ),
]


# aws_s3_bucket_replication_configuration -------------------------------------------
#
# moto keeps less than AWS: it answers every rule's filter as Prefix "" (the whole bucket)
# and drops SourceSelectionCriteria and an Enabled DeleteMarkerReplication; the case
# replicates the whole bucket (the usual setup) and edits what moto keeps: the storage class.

REPLICA = "sweep-s3-replication-replica"
REPLICATION_ROLE = "arn:aws:iam::123456789012:role/sweep-s3-replication"


def _replicate(session: boto3.Session, bucket: str, storage_class: str) -> None:
    rule = {
        "ID": "uploads",
        "Priority": 1,
        "Status": "Enabled",
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": f"arn:aws:s3:::{REPLICA}", "StorageClass": storage_class},
    }
    _s3(session).put_bucket_replication(
        Bucket=bucket, ReplicationConfiguration={"Role": REPLICATION_ROLE, "Rules": [rule]}
    )


def build_replication(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Replication needs versioning on both sides: all three buckets declare it."""
    bucket, other = _buckets(session, state, ctx, "replication")
    s3 = _s3(session)
    s3.create_bucket(Bucket=REPLICA)
    state.add("aws_s3_bucket", "replication_replica", s3_bucket_attributes(REPLICA, REGION))
    for name, resource_name in ((bucket, "assets"), (other, "other"), (REPLICA, "replica")):
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        state.add(
            "aws_s3_bucket_versioning",
            f"replication_{resource_name}",
            s3_versioning_attributes(name, "Enabled"),
        )
    _replicate(session, bucket, "STANDARD_IA")
    rule = replication_rule("uploads", 1, "", f"arn:aws:s3:::{REPLICA}", "STANDARD_IA")
    state.add(
        "aws_s3_bucket_replication_configuration",
        "assets",
        replication_attributes(bucket, REPLICATION_ROLE, [rule]),
    )


def _replication_on_other_bucket(session: boto3.Session, ctx: Context) -> str:
    _replicate(session, ctx["other"], "STANDARD")
    return str(ctx["other"])


CASES += [
    TypeCase(
        "aws_s3_bucket_replication_configuration",
        build=build_replication,
        drift=lambda s, c: _replicate(s, c["bucket"], "GLACIER"),
        expected=Expected(
            "changed",
            "aws_s3_bucket_replication_configuration",
            "bucket",
            "aws_s3_bucket_replication_configuration.assets",
            paths=("rule.uploads",),
        ),
        unmanaged=_replication_on_other_bucket,
        unmanaged_type="aws_s3_bucket_replication_configuration",
    ),
    TypeCase(
        "aws_s3_bucket_replication_configuration",
        build=build_replication,
        drift=lambda s, c: _s3(s).delete_bucket_replication(Bucket=c["bucket"]),
        expected=Expected(
            "missing",
            "aws_s3_bucket_replication_configuration",
            "bucket",
            "aws_s3_bucket_replication_configuration.assets",
            title_has="was deleted",
        ),
    ),
]
