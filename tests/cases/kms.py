"""Cases for KMS: a customer key with rotation, and an alias. moto creates no AWS-managed
keys or `alias/aws/*` aliases up front; on AWS they exist and are never unmanaged."""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, account, client
from tests.support.services import kms_alias_attributes, kms_key_attributes


def _key(session: boto3.Session, state: TerraformState, name: str, description: str) -> dict:
    kms = client(session, "kms")
    key = kms.create_key(Description=description, Tags=[{"TagKey": "Team", "TagValue": "security"}])[
        "KeyMetadata"
    ]
    kms.enable_key_rotation(KeyId=key["KeyId"])
    policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    state.add("aws_kms_key", name, kms_key_attributes(key, policy, True, {"Team": "security"}))
    return dict(key)


def build_key(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    key = _key(session, state, "data", "Data at rest")
    ctx["key_id"] = key["KeyId"]
    ctx["key"] = key


def build_alias(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_key(session, state, ctx)
    ctx["other_key"] = _key(session, state, "backup", "Backups")
    client(session, "kms").create_alias(AliasName="alias/data", TargetKeyId=ctx["key_id"])
    ctx["alias"] = "alias/data"
    state.add(
        "aws_kms_alias", "data", kms_alias_attributes("alias/data", ctx["key"], account(session), REGION)
    )


CASES = [
    TypeCase(
        "aws_kms_key",
        build=build_key,
        drift=lambda s, c: client(s, "kms").disable_key_rotation(KeyId=c["key_id"]),
        expected=Expected(
            "changed", "aws_kms_key", "key_id", "aws_kms_key.data", paths=("enable_key_rotation",)
        ),
        unmanaged=lambda s, c: str(client(s, "kms").create_key(Description="adhoc")["KeyMetadata"]["KeyId"]),
        unmanaged_type="aws_kms_key",
    ),
    TypeCase(
        "aws_kms_alias",
        build=build_alias,
        drift=lambda s, c: client(s, "kms").update_alias(
            AliasName="alias/data", TargetKeyId=c["other_key"]["KeyId"]
        ),
        expected=Expected(
            "changed", "aws_kms_alias", "alias", "aws_kms_alias.data", paths=("target_key_id",)
        ),
        unmanaged=lambda s, c: (
            client(s, "kms").create_alias(AliasName="alias/adhoc", TargetKeyId=c["key_id"]),
            "alias/adhoc",
        )[1],
        unmanaged_type="aws_kms_alias",
    ),
    TypeCase(
        "aws_kms_alias",
        build=build_alias,
        drift=lambda s, c: client(s, "kms").delete_alias(AliasName="alias/data"),
        expected=Expected("missing", "aws_kms_alias", "alias", "aws_kms_alias.data", title_has="was deleted"),
    ),
]
