"""Cases for the S3 bucket settings in guard/live/resources/s3_settings.py.

Every case makes two declared buckets of its own (names no other case uses, for the shared
benchmark estate): the one the setting is on, and a neighbour the unmanaged check puts
the same setting on by hand.
"""

from __future__ import annotations

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.support.s3_settings import lifecycle_attributes, lifecycle_filter, lifecycle_rule
from tests.support.services import s3_bucket_attributes

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
