"""Cases for the IAM types. Policy documents in state are written as the configuration's
`jsonencode` would (other key order, a one-element list), and must still compare equal."""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.support.services import (
    iam_group_attributes,
    iam_inline_policy_attributes,
    iam_policy_attributes,
    iam_role_attributes,
    iam_role_policy_attachment_attributes,
    iam_user_attributes,
)

REGION = "us-east-1"
ASSUME_EC2 = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
# The same document as a configuration may write it: lists of one, keys in another order.
ASSUME_EC2_DECLARED = {
    "Statement": [
        {
            "Action": ["sts:AssumeRole"],
            "Principal": {"Service": ["ec2.amazonaws.com"]},
            "Effect": "Allow",
            "Sid": "",
        }
    ],
    "Version": "2012-10-17",
}
READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["logs:GetLogEvents", "logs:DescribeLogStreams"], "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:DeleteLogGroup", "Resource": "*"},
    ],
}
READ_LOGS_DECLARED = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Deny", "Action": ["logs:DeleteLogGroup"], "Resource": ["*"]},
        {"Effect": "Allow", "Action": ["logs:DescribeLogStreams", "logs:GetLogEvents"], "Resource": "*"},
    ],
}
WIDE_OPEN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _iam(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("iam", region_name=REGION)


def build_role(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    iam = _iam(session)
    role = iam.create_role(
        RoleName="app-server",
        AssumeRolePolicyDocument=json.dumps(ASSUME_EC2),
        Description="App servers",
        Tags=[{"Key": "Team", "Value": "web"}],
    )["Role"]
    ctx["role"] = "app-server"
    state.add("aws_iam_role", "app", iam_role_attributes(role, ASSUME_EC2_DECLARED))


def build_role_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_role(session, state, ctx)
    _iam(session).put_role_policy(
        RoleName="app-server", PolicyName="read-logs", PolicyDocument=json.dumps(READ_LOGS)
    )
    ctx["role_policy_id"] = "app-server:read-logs"
    state.add(
        "aws_iam_role_policy",
        "read_logs",
        iam_inline_policy_attributes("role", "app-server", "read-logs", READ_LOGS_DECLARED),
    )


def build_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    policy = _iam(session).create_policy(
        PolicyName="read-logs", PolicyDocument=json.dumps(READ_LOGS), Description="Read logs"
    )["Policy"]
    ctx["policy_arn"] = policy["Arn"]
    state.add("aws_iam_policy", "read_logs", iam_policy_attributes(policy, READ_LOGS_DECLARED, "Read logs"))


def build_attachment(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_role(session, state, ctx)
    build_policy(session, state, ctx)
    _iam(session).attach_role_policy(RoleName="app-server", PolicyArn=ctx["policy_arn"])
    spare = _iam(session).create_policy(PolicyName="spare", PolicyDocument=json.dumps(WIDE_OPEN))["Policy"]
    ctx["spare_arn"] = spare["Arn"]
    state.add("aws_iam_policy", "spare", iam_policy_attributes(spare, WIDE_OPEN))
    attrs = iam_role_policy_attachment_attributes("app-server", ctx["policy_arn"])
    ctx["attachment_id"] = attrs["id"]
    state.add("aws_iam_role_policy_attachment", "read_logs", attrs)


def build_user(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    user = _iam(session).create_user(UserName="ci-deployer", Tags=[{"Key": "Team", "Value": "platform"}])[
        "User"
    ]
    ctx["user"] = "ci-deployer"
    state.add("aws_iam_user", "ci", iam_user_attributes(user))


def build_user_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_user(session, state, ctx)
    _iam(session).put_user_policy(
        UserName="ci-deployer", PolicyName="deploy", PolicyDocument=json.dumps(READ_LOGS)
    )
    ctx["user_policy_id"] = "ci-deployer:deploy"
    state.add(
        "aws_iam_user_policy",
        "deploy",
        iam_inline_policy_attributes("user", "ci-deployer", "deploy", READ_LOGS_DECLARED),
    )


def build_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    group = _iam(session).create_group(GroupName="developers", Path="/people/")["Group"]
    ctx["group"] = "developers"
    state.add("aws_iam_group", "developers", iam_group_attributes(group))


def _move_group(session: boto3.Session, ctx: Context) -> None:
    """Moved to another path (moto applies NewPath only together with a new name)."""
    iam = _iam(session)
    iam.update_group(GroupName="developers", NewGroupName="developers-moving", NewPath="/moved/")
    iam.update_group(GroupName="developers-moving", NewGroupName="developers")


def _add_statement(session: boto3.Session, ctx: Context) -> None:
    wider = {
        "Version": "2012-10-17",
        "Statement": [
            *ASSUME_EC2["Statement"],
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "sts:AssumeRole",
            },
        ],
    }
    _iam(session).update_assume_role_policy(RoleName="app-server", PolicyDocument=json.dumps(wider))


def _unmanaged_policy(session: boto3.Session, ctx: Context) -> str:
    return str(
        _iam(session).create_policy(PolicyName="adhoc", PolicyDocument=json.dumps(WIDE_OPEN))["Policy"]["Arn"]
    )


def _unmanaged_attachment(session: boto3.Session, ctx: Context) -> str:
    _iam(session).attach_role_policy(RoleName="app-server", PolicyArn=ctx["spare_arn"])
    return f"app-server/{ctx['spare_arn']}"


CASES = [
    TypeCase(
        "aws_iam_role",
        build=build_role,
        drift=_add_statement,
        expected=Expected(
            "changed", "aws_iam_role", "role", "aws_iam_role.app", paths=("assume_role_policy",)
        ),
        unmanaged=lambda s, c: str(
            _iam(s).create_role(RoleName="adhoc", AssumeRolePolicyDocument=json.dumps(ASSUME_EC2))["Role"][
                "RoleName"
            ]
        ),
        unmanaged_type="aws_iam_role",
    ),
    TypeCase(
        "aws_iam_role_policy",
        build=build_role_policy,
        drift=lambda s, c: _iam(s).put_role_policy(
            RoleName="app-server", PolicyName="read-logs", PolicyDocument=json.dumps(WIDE_OPEN)
        ),
        expected=Expected(
            "changed",
            "aws_iam_role_policy",
            "role_policy_id",
            "aws_iam_role_policy.read_logs",
            paths=("policy",),
        ),
        unmanaged=lambda s, c: (
            _iam(s).put_role_policy(
                RoleName="app-server", PolicyName="adhoc", PolicyDocument=json.dumps(WIDE_OPEN)
            ),
            "app-server:adhoc",
        )[1],
        unmanaged_type="aws_iam_role_policy",
    ),
    TypeCase(
        "aws_iam_role_policy_attachment",
        build=build_attachment,
        drift=lambda s, c: _iam(s).detach_role_policy(RoleName="app-server", PolicyArn=c["policy_arn"]),
        expected=Expected(
            "missing",
            "aws_iam_role_policy_attachment",
            "attachment_id",
            "aws_iam_role_policy_attachment.read_logs",
            title_has="was deleted",
        ),
        unmanaged=_unmanaged_attachment,
        unmanaged_type="aws_iam_role_policy_attachment",
    ),
    TypeCase(
        "aws_iam_policy",
        build=build_policy,
        drift=lambda s, c: _iam(s).create_policy_version(
            PolicyArn=c["policy_arn"], PolicyDocument=json.dumps(WIDE_OPEN), SetAsDefault=True
        ),
        expected=Expected(
            "changed", "aws_iam_policy", "policy_arn", "aws_iam_policy.read_logs", paths=("policy",)
        ),
        unmanaged=_unmanaged_policy,
        unmanaged_type="aws_iam_policy",
    ),
    TypeCase(
        "aws_iam_user",
        build=build_user,
        drift=lambda s, c: _iam(s).tag_user(
            UserName="ci-deployer", Tags=[{"Key": "Team", "Value": "someone"}]
        ),
        expected=Expected("changed", "aws_iam_user", "user", "aws_iam_user.ci", paths=("tags.Team",)),
        unmanaged=lambda s, c: str(_iam(s).create_user(UserName="bob")["User"]["UserName"]),
        unmanaged_type="aws_iam_user",
    ),
    TypeCase(
        "aws_iam_user_policy",
        build=build_user_policy,
        drift=lambda s, c: _iam(s).put_user_policy(
            UserName="ci-deployer", PolicyName="deploy", PolicyDocument=json.dumps(WIDE_OPEN)
        ),
        expected=Expected(
            "changed",
            "aws_iam_user_policy",
            "user_policy_id",
            "aws_iam_user_policy.deploy",
            paths=("policy",),
        ),
        unmanaged=lambda s, c: (
            _iam(s).put_user_policy(
                UserName="ci-deployer", PolicyName="adhoc", PolicyDocument=json.dumps(WIDE_OPEN)
            ),
            "ci-deployer:adhoc",
        )[1],
        unmanaged_type="aws_iam_user_policy",
    ),
    TypeCase(
        "aws_iam_group",
        build=build_group,
        drift=lambda s, c: _iam(s).delete_group(GroupName="developers"),
        expected=Expected("missing", "aws_iam_group", "group", "aws_iam_group.developers"),
        unmanaged=lambda s, c: str(_iam(s).create_group(GroupName="adhoc")["Group"]["GroupName"]),
        unmanaged_type="aws_iam_group",
    ),
    # The same resources again, for the other ways back a declaration offers.
    TypeCase(
        "aws_iam_role_policy",
        build=build_role_policy,
        drift=lambda s, c: _iam(s).delete_role_policy(RoleName="app-server", PolicyName="read-logs"),
        expected=Expected(
            "missing",
            "aws_iam_role_policy",
            "role_policy_id",
            "aws_iam_role_policy.read_logs",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_iam_user_policy",
        build=build_user_policy,
        drift=lambda s, c: _iam(s).delete_user_policy(UserName="ci-deployer", PolicyName="deploy"),
        expected=Expected(
            "missing",
            "aws_iam_user_policy",
            "user_policy_id",
            "aws_iam_user_policy.deploy",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_iam_group",
        build=build_group,
        drift=_move_group,
        expected=Expected("changed", "aws_iam_group", "group", "aws_iam_group.developers", paths=("path",)),
    ),
]
