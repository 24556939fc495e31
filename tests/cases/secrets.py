"""Cases for Secrets Manager: a secret (description edited, deleted and restored) and its
resource policy (widened, deleted, one put on a secret whose policy is not declared)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import account, client
from tests.support.secrets import secret_attributes, secret_policy_attributes


def _policy(session: boto3.Session, action: str = "secretsmanager:GetSecretValue") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AppReads",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account(session)}:role/sweep-secret-app"},
                "Action": action,
                "Resource": "*",
            }
        ],
    }


def _secret(session: boto3.Session, state: TerraformState, name: str, policy: Any = None) -> str:
    sm = client(session, "secretsmanager")
    arn = str(
        sm.create_secret(
            Name=name,
            Description="Orders database password",
            SecretString="correct-horse-battery",
            Tags=[{"Key": "Team", "Value": "orders"}],
        )["ARN"]
    )
    if policy is not None:
        sm.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps(policy))
    [listed] = [s for s in sm.list_secrets()["SecretList"] if s["ARN"] == arn]
    state.add("aws_secretsmanager_secret", name.replace("-", "_"), secret_attributes(listed, policy))
    return arn


def build_secret(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ctx["secret_arn"] = _secret(session, state, "sweep-secret-orders-db")


def build_secret_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    policy = _policy(session)
    arn = _secret(session, state, "sweep-secret-policy-orders", policy)
    state.add("aws_secretsmanager_secret_policy", "orders", secret_policy_attributes(arn, policy))
    ctx["secret_arn"] = arn
    # A second declared secret, whose policy is not declared: one put on it is unmanaged.
    ctx["bare_secret_arn"] = _secret(session, state, "sweep-secret-policy-bare")


def _sm(session: boto3.Session) -> Any:
    return client(session, "secretsmanager")


CASES = [
    TypeCase(
        "aws_secretsmanager_secret",
        build=build_secret,
        drift=lambda s, c: _sm(s).update_secret(SecretId=c["secret_arn"], Description="rotated by hand"),
        expected=Expected(
            "changed",
            "aws_secretsmanager_secret",
            "secret_arn",
            "aws_secretsmanager_secret.sweep_secret_orders_db",
            paths=("description",),
        ),
        unmanaged=lambda s, c: str(
            _sm(s).create_secret(Name="sweep-secret-adhoc", SecretString="temporary")["ARN"]
        ),
        unmanaged_type="aws_secretsmanager_secret",
    ),
    TypeCase(
        "aws_secretsmanager_secret",
        build=build_secret,
        # Deleted in the console: it waits out the recovery window, and RestoreSecret brings it back.
        drift=lambda s, c: _sm(s).delete_secret(SecretId=c["secret_arn"], RecoveryWindowInDays=7),
        expected=Expected(
            "missing",
            "aws_secretsmanager_secret",
            "secret_arn",
            "aws_secretsmanager_secret.sweep_secret_orders_db",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_secretsmanager_secret_policy",
        build=build_secret_policy,
        # Opened to every principal of the account's roles: anyone who can assume one reads it.
        drift=lambda s, c: _sm(s).put_resource_policy(
            SecretId=c["secret_arn"], ResourcePolicy=json.dumps(_policy(s, "secretsmanager:*"))
        ),
        expected=Expected(
            "changed",
            "aws_secretsmanager_secret_policy",
            "secret_arn",
            "aws_secretsmanager_secret_policy.orders",
            paths=("policy",),
        ),
        unmanaged=lambda s, c: (
            _sm(s).put_resource_policy(SecretId=c["bare_secret_arn"], ResourcePolicy=json.dumps(_policy(s))),
            str(c["bare_secret_arn"]),
        )[1],
        unmanaged_type="aws_secretsmanager_secret_policy",
    ),
    TypeCase(
        "aws_secretsmanager_secret_policy",
        build=build_secret_policy,
        drift=lambda s, c: _sm(s).delete_resource_policy(SecretId=c["secret_arn"]),
        expected=Expected(
            "missing",
            "aws_secretsmanager_secret_policy",
            "secret_arn",
            "aws_secretsmanager_secret_policy.orders",
            title_has="was deleted",
        ),
    ),
]
