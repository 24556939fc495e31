"""Cases for the S3 types: a bucket and its six separately declared settings.

moto differs from AWS here: new moto buckets have no default encryption (AWS applies
SSE-S3, AES256, to every bucket), no public access block and no ownership controls
(AWS turns both on for buckets made since April 2023). guard reads a bucket without an
encryption configuration as AWS does: AES256.
"""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.support.services import (
    kms_key_attributes,
    s3_bucket_attributes,
    s3_bucket_policy_attributes,
    s3_encryption_attributes,
    s3_ownership_controls_attributes,
    s3_public_access_block_attributes,
    s3_versioning_attributes,
)

REGION = "us-east-1"
BUCKET = "acme-prod-assets"
ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def _s3(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("s3", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


OTHER = "acme-prod-logs"


def build_bucket(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Two declared buckets: the one the case is about, and a neighbour with nothing set."""
    s3 = _s3(session)
    for name, resource_name in ((BUCKET, "assets"), (OTHER, "logs")):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "Team", "Value": "web"}]})
        state.add("aws_s3_bucket", resource_name, s3_bucket_attributes(name, REGION, {"Team": "web"}))
    ctx["bucket"] = BUCKET


def _access_block_on_other_bucket(session: boto3.Session) -> str:
    _s3(session).put_public_access_block(
        Bucket=OTHER, PublicAccessBlockConfiguration={**ALL_BLOCKED, "BlockPublicPolicy": False}
    )
    return OTHER


def _policy_on_other_bucket(session: boto3.Session) -> str:
    policy = read_only_policy(_account(session), OTHER)
    _s3(session).put_bucket_policy(Bucket=OTHER, Policy=json.dumps(policy))
    return OTHER


def _ownership_on_other_bucket(session: boto3.Session) -> str:
    _s3(session).put_bucket_ownership_controls(
        Bucket=OTHER, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    return OTHER


def read_only_policy(account: str, bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadOnly",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }


def build_access_block(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_bucket(session, state, ctx)
    _s3(session).put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration=ALL_BLOCKED)
    state.add(
        "aws_s3_bucket_public_access_block", "assets", s3_public_access_block_attributes(BUCKET, ALL_BLOCKED)
    )


def build_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_bucket(session, state, ctx)
    policy = read_only_policy(_account(session), BUCKET)
    _s3(session).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    # The configuration's JSON: other key order, a single action as a string.
    declared = {"Version": "2012-10-17", "Statement": [dict(policy["Statement"][0])]}
    declared["Statement"][0]["Action"] = ["s3:ListBucket", "s3:GetObject"]
    state.add("aws_s3_bucket_policy", "assets", s3_bucket_policy_attributes(BUCKET, declared))


def build_versioning(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_bucket(session, state, ctx)
    _s3(session).put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    state.add("aws_s3_bucket_versioning", "assets", s3_versioning_attributes(BUCKET, "Enabled"))


def build_encryption(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_bucket(session, state, ctx)
    kms = session.client("kms", region_name=REGION)
    key = kms.create_key(Description="assets")["KeyMetadata"]
    ctx["key_arn"] = key["Arn"]
    policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    state.add("aws_kms_key", "assets", kms_key_attributes(key, policy, False))
    _s3(session).put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key["Arn"],
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    state.add(
        "aws_s3_bucket_server_side_encryption_configuration",
        "assets",
        s3_encryption_attributes(BUCKET, "aws:kms", key["Arn"], bucket_key_enabled=True),
    )


def build_default_encryption(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """AES256 declared; moto keeps no configuration, AWS would answer AES256: no drift."""
    build_bucket(session, state, ctx)
    state.add(
        "aws_s3_bucket_server_side_encryption_configuration",
        "assets",
        s3_encryption_attributes(BUCKET, "AES256"),
    )


def build_ownership(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_bucket(session, state, ctx)
    _s3(session).put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    state.add(
        "aws_s3_bucket_ownership_controls",
        "assets",
        s3_ownership_controls_attributes(BUCKET, "BucketOwnerEnforced"),
    )


def _open_policy(session: boto3.Session, ctx: Context) -> None:
    public = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    _s3(session).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public))


def _unmanaged_bucket(session: boto3.Session, ctx: Context) -> str:
    _s3(session).create_bucket(Bucket="someones-scratch-bucket")
    return "someones-scratch-bucket"


CASES = [
    TypeCase(
        "aws_s3_bucket",
        build=build_bucket,
        drift=lambda s, c: _s3(s).put_bucket_tagging(
            Bucket=BUCKET, Tagging={"TagSet": [{"Key": "Team", "Value": "data"}]}
        ),
        expected=Expected("changed", "aws_s3_bucket", "bucket", "aws_s3_bucket.assets", paths=("tags.Team",)),
        unmanaged=_unmanaged_bucket,
        unmanaged_type="aws_s3_bucket",
    ),
    TypeCase(
        "aws_s3_bucket_public_access_block",
        build=build_access_block,
        drift=lambda s, c: _s3(s).put_public_access_block(
            Bucket=BUCKET, PublicAccessBlockConfiguration={**ALL_BLOCKED, "BlockPublicPolicy": False}
        ),
        expected=Expected(
            "changed",
            "aws_s3_bucket_public_access_block",
            "bucket",
            "aws_s3_bucket_public_access_block.assets",
            paths=("block_public_policy",),
        ),
        # Turned off by hand on a declared bucket that declares no block (AWS's default: all on).
        unmanaged=lambda s, c: _access_block_on_other_bucket(s),
        unmanaged_type="aws_s3_bucket_public_access_block",
    ),
    TypeCase(
        "aws_s3_bucket_policy",
        build=build_policy,
        drift=_open_policy,
        expected=Expected(
            "changed", "aws_s3_bucket_policy", "bucket", "aws_s3_bucket_policy.assets", paths=("policy",)
        ),
        unmanaged=lambda s, c: _policy_on_other_bucket(s),
        unmanaged_type="aws_s3_bucket_policy",
    ),
    TypeCase(
        "aws_s3_bucket_versioning",
        build=build_versioning,
        drift=lambda s, c: _s3(s).put_bucket_versioning(
            Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"}
        ),
        expected=Expected(
            "changed",
            "aws_s3_bucket_versioning",
            "bucket",
            "aws_s3_bucket_versioning.assets",
            paths=("status",),
        ),
    ),
    TypeCase(
        "aws_s3_bucket_server_side_encryption_configuration",
        build=build_encryption,
        # On AWS, deleting the configuration falls back to SSE-S3; moto keeps none, read as AES256.
        drift=lambda s, c: _s3(s).delete_bucket_encryption(Bucket=BUCKET),
        expected=Expected(
            "changed",
            "aws_s3_bucket_server_side_encryption_configuration",
            "bucket",
            "aws_s3_bucket_server_side_encryption_configuration.assets",
            paths=("sse_algorithm", "kms_master_key_id", "bucket_key_enabled"),
        ),
    ),
    TypeCase(
        "aws_s3_bucket_server_side_encryption_configuration",
        build=build_default_encryption,
        drift=lambda s, c: _s3(s).put_bucket_encryption(
            Bucket=BUCKET,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
            },
        ),
        expected=Expected(
            "changed",
            "aws_s3_bucket_server_side_encryption_configuration",
            "bucket",
            "aws_s3_bucket_server_side_encryption_configuration.assets",
            paths=("sse_algorithm",),
        ),
    ),
    TypeCase(
        "aws_s3_bucket_ownership_controls",
        build=build_ownership,
        drift=lambda s, c: _s3(s).put_bucket_ownership_controls(
            Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
        ),
        expected=Expected(
            "changed",
            "aws_s3_bucket_ownership_controls",
            "bucket",
            "aws_s3_bucket_ownership_controls.assets",
            paths=("object_ownership",),
        ),
    ),
    # The same settings again, removed, for the other ways back a declaration offers.
    TypeCase(
        "aws_s3_bucket_public_access_block",
        build=build_access_block,
        drift=lambda s, c: _s3(s).delete_public_access_block(Bucket=BUCKET),
        expected=Expected(
            "missing",
            "aws_s3_bucket_public_access_block",
            "bucket",
            "aws_s3_bucket_public_access_block.assets",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_s3_bucket_policy",
        build=build_policy,
        drift=lambda s, c: _s3(s).delete_bucket_policy(Bucket=BUCKET),
        expected=Expected(
            "missing",
            "aws_s3_bucket_policy",
            "bucket",
            "aws_s3_bucket_policy.assets",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_s3_bucket_ownership_controls",
        build=build_ownership,
        drift=lambda s, c: _s3(s).delete_bucket_ownership_controls(Bucket=BUCKET),
        expected=Expected(
            "missing",
            "aws_s3_bucket_ownership_controls",
            "bucket",
            "aws_s3_bucket_ownership_controls.assets",
            title_has="was deleted",
        ),
        # ACLs turned back on by hand for a declared bucket that declares no ownership controls.
        unmanaged=lambda s, c: _ownership_on_other_bucket(s),
        unmanaged_type="aws_s3_bucket_ownership_controls",
    ),
]
