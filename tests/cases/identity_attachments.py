"""Cases for the IAM types that hold several owners at once (guard/live/resources/iam.py):
the exclusive aws_iam_policy_attachment and the non-exclusive aws_iam_user_group_membership.
Every name starts `sweep-` and its type, so the shared benchmark estate (benchmarks/scan.py)
can build them beside the other cases."""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.iam import ASSUME_EC2, ASSUME_EC2_DECLARED, READ_LOGS, READ_LOGS_DECLARED
from tests.support.identity import iam_policy_attachment_attributes, iam_user_group_membership_attributes
from tests.support.services import (
    iam_group_attributes,
    iam_policy_attributes,
    iam_role_attributes,
    iam_user_attributes,
)

REGION = "us-east-1"
PA_POLICY = "sweep-pa-read-logs"
PA_USERS = ("sweep-pa-alice", "sweep-pa-bob")  # Bob is declared, the policy is not his
PA_ROLE = "sweep-pa-collector"
PA_GROUP = "sweep-pa-auditors"
UGM_USER = "sweep-ugm-dana"
UGM_GROUPS = ("sweep-ugm-developers", "sweep-ugm-deployers", "sweep-ugm-oncall")


def _iam(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("iam", region_name=REGION)


def build_exclusive_attachment(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """The log-reading policy attached to Alice, the collector role and the auditors, as
    `aws_iam_policy_attachment "read_logs"` does it; Bob declared beside them."""
    iam = _iam(session)
    policy = iam.create_policy(PolicyName=PA_POLICY, PolicyDocument=json.dumps(READ_LOGS))["Policy"]
    state.add("aws_iam_policy", "pa_read_logs", iam_policy_attributes(policy, READ_LOGS_DECLARED))
    for user in PA_USERS:
        made = iam.create_user(UserName=user)["User"]
        state.add("aws_iam_user", user.replace("-", "_"), iam_user_attributes(made))
    role = iam.create_role(RoleName=PA_ROLE, AssumeRolePolicyDocument=json.dumps(ASSUME_EC2))["Role"]
    state.add("aws_iam_role", PA_ROLE.replace("-", "_"), iam_role_attributes(role, ASSUME_EC2_DECLARED))
    group = iam.create_group(GroupName=PA_GROUP)["Group"]
    state.add("aws_iam_group", PA_GROUP.replace("-", "_"), iam_group_attributes(group))
    arn = policy["Arn"]
    iam.attach_user_policy(UserName=PA_USERS[0], PolicyArn=arn)
    iam.attach_role_policy(RoleName=PA_ROLE, PolicyArn=arn)
    iam.attach_group_policy(GroupName=PA_GROUP, PolicyArn=arn)
    ctx["policy_arn"], ctx["attachment_name"] = arn, "sweep-pa-read-logs"
    state.add(
        "aws_iam_policy_attachment",
        "read_logs",
        iam_policy_attachment_attributes(
            "sweep-pa-read-logs", arn, users=[PA_USERS[0]], roles=[PA_ROLE], groups=[PA_GROUP]
        ),
    )


def _detach_everywhere(session: boto3.Session, ctx: Context) -> None:
    iam = _iam(session)
    iam.detach_user_policy(UserName=PA_USERS[0], PolicyArn=ctx["policy_arn"])
    iam.detach_role_policy(RoleName=PA_ROLE, PolicyArn=ctx["policy_arn"])
    iam.detach_group_policy(GroupName=PA_GROUP, PolicyArn=ctx["policy_arn"])


def build_user_group_membership(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Dana in the developer and deployer groups by one membership, on call by a second
    (the provider's docs show two for one user): each sees the other's group as none of its
    business."""
    iam = _iam(session)
    user = iam.create_user(UserName=UGM_USER)["User"]
    state.add("aws_iam_user", UGM_USER.replace("-", "_"), iam_user_attributes(user))
    for name in UGM_GROUPS:
        group = iam.create_group(GroupName=name)["Group"]
        state.add("aws_iam_group", name.replace("-", "_"), iam_group_attributes(group))
    for name in UGM_GROUPS:
        iam.add_user_to_group(GroupName=name, UserName=UGM_USER)
    ctx["membership_user"] = UGM_USER
    state.add(
        "aws_iam_user_group_membership",
        "dana_engineering",
        iam_user_group_membership_attributes(UGM_USER, UGM_GROUPS[:2]),
    )
    state.add(
        "aws_iam_user_group_membership",
        "dana_oncall",
        iam_user_group_membership_attributes(UGM_USER, UGM_GROUPS[2:]),
    )


CASES = [
    # Exclusive: the policy attached to a user the state does not list is drift on the
    # attachment, and on it alone (Bob is declared: his attachment is not also unmanaged).
    TypeCase(
        "aws_iam_policy_attachment",
        build=build_exclusive_attachment,
        drift=lambda s, c: _iam(s).attach_user_policy(UserName=PA_USERS[1], PolicyArn=c["policy_arn"]),
        expected=Expected(
            "changed",
            "aws_iam_policy_attachment",
            "policy_arn",
            "aws_iam_policy_attachment.read_logs",
            paths=("users",),
        ),
    ),
    # Detached from everything it held: the attachment is gone, re-made by attaching again.
    TypeCase(
        "aws_iam_policy_attachment",
        build=build_exclusive_attachment,
        drift=_detach_everywhere,
        expected=Expected(
            "missing",
            "aws_iam_policy_attachment",
            "attachment_name",
            "aws_iam_policy_attachment.read_logs",
            title_has="was deleted",
        ),
    ),
    # Not exclusive: only a named group the user left is drift (the second membership's
    # group is not this one's).
    TypeCase(
        "aws_iam_user_group_membership",
        build=build_user_group_membership,
        drift=lambda s, c: _iam(s).remove_user_from_group(GroupName=UGM_GROUPS[1], UserName=UGM_USER),
        expected=Expected(
            "changed",
            "aws_iam_user_group_membership",
            "membership_user",
            "aws_iam_user_group_membership.dana_engineering",
            paths=("groups",),
        ),
    ),
]
