"""The case for KMS grants: a customer key, the application role it lets decrypt, and the
grant, recorded in the AWS provider 5.x state shape (its token sensitive). Beside it, grants
AWS services make on the same key for themselves (to a service principal; to a service-linked
role, bound to an EBS volume's encryption context): never unmanaged."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import account, client
from tests.support.services import iam_role_attributes, kms_key_attributes

_OPERATIONS = ["Decrypt", "GenerateDataKey"]
_CONTEXT = {"app": "sweep-kms-grant"}


def kms_grant_attributes(key_id: str, grant: dict[str, Any], grantee: str) -> dict[str, Any]:
    return {
        "constraints": [{"encryption_context_equals": None, "encryption_context_subset": dict(_CONTEXT)}],
        "grant_creation_tokens": None,
        "grant_id": grant["GrantId"],
        "grant_token": grant["GrantToken"],
        "grantee_principal": grantee,
        "id": f"{key_id}:{grant['GrantId']}",
        "key_id": key_id,
        "name": "sweep-kms-grant-app",
        "operations": sorted(_OPERATIONS),
        "retire_on_delete": False,
        "retiring_principal": None,
    }


def _grant(session: boto3.Session, key: str, grantee: str, name: str, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = client(session, "kms").create_grant(
        KeyId=key, GranteePrincipal=grantee, Operations=_OPERATIONS, Name=name, **extra
    )
    return answer


def build_kms_grant(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    kms, acct = client(session, "kms"), account(session)
    key = kms.create_key(
        Description="sweep-kms-grant key", Tags=[{"TagKey": "Team", "TagValue": "security"}]
    )["KeyMetadata"]
    ctx["key_id"] = key["KeyId"]
    policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    state.add("aws_kms_key", "sweep_kms_grant", kms_key_attributes(key, policy, False, {"Team": "security"}))
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = client(session, "iam").create_role(
        RoleName="sweep-kms-grant-app", AssumeRolePolicyDocument=json.dumps(assume)
    )["Role"]
    state.add("aws_iam_role", "sweep_kms_grant_app", iam_role_attributes(role, assume))
    ctx["grantee"] = role["Arn"]
    grant = _grant(
        session,
        key["KeyId"],
        role["Arn"],
        "sweep-kms-grant-app",
        Constraints={"EncryptionContextSubset": dict(_CONTEXT)},
    )
    ctx["grant_id"] = grant["GrantId"]
    ctx["grant"] = f"{key['KeyId']}:{grant['GrantId']}"
    state.add(
        "aws_kms_grant",
        "app",
        kms_grant_attributes(key["KeyId"], grant, role["Arn"]),
        sensitive=("grant_token",),
    )
    # What services make on a customer key for themselves, which no state declares.
    kms.create_grant(
        KeyId=key["KeyId"],
        GranteePrincipal="rds.us-east-1.amazonaws.com",
        RetiringPrincipal="rds.us-east-1.amazonaws.com",
        Operations=["Decrypt", "GenerateDataKeyWithoutPlaintext", "CreateGrant"],
    )
    kms.create_grant(
        KeyId=key["KeyId"],
        GranteePrincipal=f"arn:aws:iam::{acct}:role/aws-service-role/autoscaling.amazonaws.com/"
        "AWSServiceRoleForAutoScaling",
        Operations=["Decrypt", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"],
        Constraints={"EncryptionContextSubset": {"aws:ebs:id": "vol-0a1b2c3d4e5f60718"}},
    )


def _adhoc_grant(session: boto3.Session, ctx: Context) -> str:
    """Someone lets a role decrypt with the key from the CLI: access no review saw."""
    grant = _grant(session, ctx["key_id"], ctx["grantee"], "sweep-kms-grant-adhoc")
    return f"{ctx['key_id']}:{grant['GrantId']}"


CASES = [
    TypeCase(
        "aws_kms_grant",
        build=build_kms_grant,
        # The grant revoked in the console: the application can no longer decrypt its data.
        drift=lambda s, c: client(s, "kms").revoke_grant(KeyId=c["key_id"], GrantId=c["grant_id"]),
        expected=Expected("missing", "aws_kms_grant", "grant", "aws_kms_grant.app"),
        unmanaged=_adhoc_grant,
        unmanaged_type="aws_kms_grant",
    ),
]
