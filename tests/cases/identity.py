"""Cases for the identity types (guard/live/resources/iam.py): group inline policies,
group and user policy attachments. Every name starts `sweep-` and its type, so the
shared benchmark estate (benchmarks/scan.py) can build them beside the other cases."""

from __future__ import annotations

import json

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.iam import ASSUME_EC2, ASSUME_EC2_DECLARED, READ_LOGS, READ_LOGS_DECLARED, WIDE_OPEN
from tests.support.identity import (
    iam_access_key_attributes,
    iam_group_membership_attributes,
    iam_group_policy_attributes,
    iam_instance_profile_attributes,
    iam_openid_connect_provider_attributes,
    iam_owner_policy_attachment_attributes,
)
from tests.support.services import (
    iam_group_attributes,
    iam_policy_attributes,
    iam_role_attributes,
    iam_user_attributes,
)

REGION = "us-east-1"
GP_GROUP = "sweep-gp-auditors"
GPA_GROUP = "sweep-gpa-operators"
UPA_USER = "sweep-upa-release"
AK_USER = "sweep-ak-ci"
GM_GROUP = "sweep-gm-oncall"
GM_USERS = ("sweep-gm-alice", "sweep-gm-bob", "sweep-gm-carol")
OIDC_URL = "https://sweep-oidc.token.example.com"
# As a configuration may write them: upper case; IAM keeps what it was given.
OIDC_THUMBPRINT = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280"
IP_PROFILE = "sweep-ip-web"
IP_ROLE, IP_OTHER_ROLE = "sweep-ip-web", "sweep-ip-batch"


def _iam(session: boto3.Session):  # type: ignore[no-untyped-def]
    return session.client("iam", region_name=REGION)


def _group(session: boto3.Session, state: TerraformState, name: str) -> None:
    group = _iam(session).create_group(GroupName=name)["Group"]
    state.add("aws_iam_group", name.replace("-", "_"), iam_group_attributes(group))


def _user(session: boto3.Session, state: TerraformState, name: str) -> None:
    user = _iam(session).create_user(UserName=name)["User"]
    state.add("aws_iam_user", name.replace("-", "_"), iam_user_attributes(user))


def _policies(session: boto3.Session, state: TerraformState, ctx: Context, prefix: str) -> None:
    """The policy the case attaches, and a spare one (declared, attached to nothing)."""
    iam = _iam(session)
    policy = iam.create_policy(PolicyName=f"{prefix}-read-logs", PolicyDocument=json.dumps(READ_LOGS))[
        "Policy"
    ]
    spare = iam.create_policy(PolicyName=f"{prefix}-spare", PolicyDocument=json.dumps(WIDE_OPEN))["Policy"]
    ctx["policy_arn"], ctx["spare_arn"] = policy["Arn"], spare["Arn"]
    state.add("aws_iam_policy", "read_logs", iam_policy_attributes(policy, READ_LOGS_DECLARED))
    state.add("aws_iam_policy", "spare", iam_policy_attributes(spare, WIDE_OPEN))


# aws_iam_group_policy ------------------------------------------------------------------


def build_group_policy(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _group(session, state, GP_GROUP)
    _iam(session).put_group_policy(
        GroupName=GP_GROUP, PolicyName="read-logs", PolicyDocument=json.dumps(READ_LOGS)
    )
    ctx["group_policy_id"] = f"{GP_GROUP}:read-logs"
    state.add(
        "aws_iam_group_policy",
        "read_logs",
        iam_group_policy_attributes(GP_GROUP, "read-logs", READ_LOGS_DECLARED),
    )


def _adhoc_group_policy(session: boto3.Session, ctx: Context) -> str:
    _iam(session).put_group_policy(
        GroupName=GP_GROUP, PolicyName="adhoc", PolicyDocument=json.dumps(WIDE_OPEN)
    )
    return f"{GP_GROUP}:adhoc"


# aws_iam_group_policy_attachment, aws_iam_user_policy_attachment ------------------------


def build_group_attachment(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _group(session, state, GPA_GROUP)
    _policies(session, state, ctx, "sweep-gpa")
    _iam(session).attach_group_policy(GroupName=GPA_GROUP, PolicyArn=ctx["policy_arn"])
    attrs = iam_owner_policy_attachment_attributes("group", GPA_GROUP, ctx["policy_arn"])
    ctx["attachment_id"] = attrs["id"]
    state.add("aws_iam_group_policy_attachment", "read_logs", attrs)


def build_user_attachment(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _user(session, state, UPA_USER)
    _policies(session, state, ctx, "sweep-upa")
    _iam(session).attach_user_policy(UserName=UPA_USER, PolicyArn=ctx["policy_arn"])
    attrs = iam_owner_policy_attachment_attributes("user", UPA_USER, ctx["policy_arn"])
    ctx["attachment_id"] = attrs["id"]
    state.add("aws_iam_user_policy_attachment", "read_logs", attrs)


def _attach_spare_to_group(session: boto3.Session, ctx: Context) -> str:
    _iam(session).attach_group_policy(GroupName=GPA_GROUP, PolicyArn=ctx["spare_arn"])
    return f"{GPA_GROUP}/{ctx['spare_arn']}"


def _attach_spare_to_user(session: boto3.Session, ctx: Context) -> str:
    _iam(session).attach_user_policy(UserName=UPA_USER, PolicyArn=ctx["spare_arn"])
    return f"{UPA_USER}/{ctx['spare_arn']}"


# aws_iam_instance_profile ---------------------------------------------------------------


def _role(session: boto3.Session, state: TerraformState, name: str) -> None:
    role = _iam(session).create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(ASSUME_EC2))["Role"]
    state.add("aws_iam_role", name.replace("-", "_"), iam_role_attributes(role, ASSUME_EC2_DECLARED))


def build_instance_profile(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A profile for the web servers' role, and a second declared role it could hold."""
    _role(session, state, IP_ROLE)
    _role(session, state, IP_OTHER_ROLE)
    iam = _iam(session)
    profile = iam.create_instance_profile(
        InstanceProfileName=IP_PROFILE, Tags=[{"Key": "Team", "Value": "web"}]
    )["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName=IP_PROFILE, RoleName=IP_ROLE)
    ctx["profile"] = IP_PROFILE
    state.add("aws_iam_instance_profile", "web", iam_instance_profile_attributes(profile, IP_ROLE))


def _swap_profile_role(session: boto3.Session, ctx: Context) -> None:
    iam = _iam(session)
    iam.remove_role_from_instance_profile(InstanceProfileName=IP_PROFILE, RoleName=IP_ROLE)
    iam.add_role_to_instance_profile(InstanceProfileName=IP_PROFILE, RoleName=IP_OTHER_ROLE)


def _delete_profile(session: boto3.Session, ctx: Context) -> None:
    iam = _iam(session)
    iam.remove_role_from_instance_profile(InstanceProfileName=IP_PROFILE, RoleName=IP_ROLE)
    iam.delete_instance_profile(InstanceProfileName=IP_PROFILE)


def _adhoc_profile(session: boto3.Session, ctx: Context) -> str:
    """Made in the console for the batch role, as the EC2 role wizard does."""
    iam = _iam(session)
    iam.create_instance_profile(InstanceProfileName="sweep-ip-adhoc")
    iam.add_role_to_instance_profile(InstanceProfileName="sweep-ip-adhoc", RoleName=IP_OTHER_ROLE)
    return "sweep-ip-adhoc"


# aws_iam_access_key ----------------------------------------------------------------------


def build_access_key(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _user(session, state, AK_USER)
    key = _iam(session).create_access_key(UserName=AK_USER)["AccessKey"]
    ctx["access_key_id"], ctx["secret"] = key["AccessKeyId"], key["SecretAccessKey"]
    state.add(
        "aws_iam_access_key",
        "ci",
        iam_access_key_attributes(key),
        sensitive=("secret", "ses_smtp_password_v4"),
    )


def _second_key(session: boto3.Session, ctx: Context) -> str:
    return str(_iam(session).create_access_key(UserName=AK_USER)["AccessKey"]["AccessKeyId"])


# aws_iam_openid_connect_provider ---------------------------------------------------------


def build_oidc_provider(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    client_ids = ["sts.amazonaws.com", "sweep-oidc-app"]
    arn = _iam(session).create_open_id_connect_provider(
        Url=OIDC_URL,
        ClientIDList=client_ids,
        ThumbprintList=[OIDC_THUMBPRINT.lower()],
        Tags=[{"Key": "Team", "Value": "platform"}],
    )["OpenIDConnectProviderArn"]
    ctx["oidc_arn"] = arn
    state.add(
        "aws_iam_openid_connect_provider",
        "ci",
        iam_openid_connect_provider_attributes(
            arn, OIDC_URL, client_ids, [OIDC_THUMBPRINT], {"Team": "platform"}
        ),
    )


def _adhoc_oidc_provider(session: boto3.Session, ctx: Context) -> str:
    return str(
        _iam(session).create_open_id_connect_provider(
            Url="https://sweep-oidc-adhoc.example.com",
            ClientIDList=["sts.amazonaws.com"],
            ThumbprintList=["a" * 40],
        )["OpenIDConnectProviderArn"]
    )


# aws_iam_group_membership ------------------------------------------------------------------


def build_group_membership(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Alice and Bob on call; Carol declared too, in no group."""
    _group(session, state, GM_GROUP)
    for user in GM_USERS:
        _user(session, state, user)
    for user in GM_USERS[:2]:
        _iam(session).add_user_to_group(GroupName=GM_GROUP, UserName=user)
    ctx["membership_group"] = GM_GROUP
    state.add(
        "aws_iam_group_membership",
        "oncall",
        iam_group_membership_attributes("sweep-gm-oncall-members", GM_GROUP, list(GM_USERS[:2])),
    )


CASES = [
    TypeCase(
        "aws_iam_group_policy",
        build=build_group_policy,
        drift=lambda s, c: _iam(s).put_group_policy(
            GroupName=GP_GROUP, PolicyName="read-logs", PolicyDocument=json.dumps(WIDE_OPEN)
        ),
        expected=Expected(
            "changed",
            "aws_iam_group_policy",
            "group_policy_id",
            "aws_iam_group_policy.read_logs",
            paths=("policy",),
        ),
        unmanaged=_adhoc_group_policy,
        unmanaged_type="aws_iam_group_policy",
    ),
    TypeCase(
        "aws_iam_group_policy",
        build=build_group_policy,
        drift=lambda s, c: _iam(s).delete_group_policy(GroupName=GP_GROUP, PolicyName="read-logs"),
        expected=Expected(
            "missing",
            "aws_iam_group_policy",
            "group_policy_id",
            "aws_iam_group_policy.read_logs",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_iam_group_policy_attachment",
        build=build_group_attachment,
        drift=lambda s, c: _iam(s).detach_group_policy(GroupName=GPA_GROUP, PolicyArn=c["policy_arn"]),
        expected=Expected(
            "missing",
            "aws_iam_group_policy_attachment",
            "attachment_id",
            "aws_iam_group_policy_attachment.read_logs",
            title_has="was deleted",
        ),
        unmanaged=_attach_spare_to_group,
        unmanaged_type="aws_iam_group_policy_attachment",
    ),
    TypeCase(
        "aws_iam_user_policy_attachment",
        build=build_user_attachment,
        drift=lambda s, c: _iam(s).detach_user_policy(UserName=UPA_USER, PolicyArn=c["policy_arn"]),
        expected=Expected(
            "missing",
            "aws_iam_user_policy_attachment",
            "attachment_id",
            "aws_iam_user_policy_attachment.read_logs",
            title_has="was deleted",
        ),
        unmanaged=_attach_spare_to_user,
        unmanaged_type="aws_iam_user_policy_attachment",
    ),
    TypeCase(
        "aws_iam_instance_profile",
        build=build_instance_profile,
        drift=_swap_profile_role,
        expected=Expected(
            "changed", "aws_iam_instance_profile", "profile", "aws_iam_instance_profile.web", paths=("role",)
        ),
        unmanaged=_adhoc_profile,
        unmanaged_type="aws_iam_instance_profile",
    ),
    TypeCase(
        "aws_iam_instance_profile",
        build=build_instance_profile,
        drift=_delete_profile,
        expected=Expected(
            "missing",
            "aws_iam_instance_profile",
            "profile",
            "aws_iam_instance_profile.web",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_iam_instance_profile",
        build=build_instance_profile,
        drift=lambda s, c: _iam(s).untag_instance_profile(InstanceProfileName=IP_PROFILE, TagKeys=["Team"]),
        expected=Expected(
            "changed",
            "aws_iam_instance_profile",
            "profile",
            "aws_iam_instance_profile.web",
            paths=("tags.Team",),
        ),
    ),
    TypeCase(
        "aws_iam_access_key",
        build=build_access_key,
        drift=lambda s, c: _iam(s).update_access_key(
            UserName=AK_USER, AccessKeyId=c["access_key_id"], Status="Inactive"
        ),
        expected=Expected(
            "changed", "aws_iam_access_key", "access_key_id", "aws_iam_access_key.ci", paths=("status",)
        ),
        unmanaged=_second_key,
        unmanaged_type="aws_iam_access_key",
    ),
    TypeCase(
        "aws_iam_openid_connect_provider",
        build=build_oidc_provider,
        drift=lambda s, c: _iam(s).update_open_id_connect_provider_thumbprint(
            OpenIDConnectProviderArn=c["oidc_arn"], ThumbprintList=["b" * 40]
        ),
        expected=Expected(
            "changed",
            "aws_iam_openid_connect_provider",
            "oidc_arn",
            "aws_iam_openid_connect_provider.ci",
            paths=("thumbprint_list",),
        ),
        unmanaged=_adhoc_oidc_provider,
        unmanaged_type="aws_iam_openid_connect_provider",
    ),
    TypeCase(
        "aws_iam_openid_connect_provider",
        build=build_oidc_provider,
        drift=lambda s, c: _iam(s).delete_open_id_connect_provider(OpenIDConnectProviderArn=c["oidc_arn"]),
        expected=Expected(
            "missing",
            "aws_iam_openid_connect_provider",
            "oidc_arn",
            "aws_iam_openid_connect_provider.ci",
            title_has="was deleted",
        ),
    ),
    # Exclusive: a member added outside Terraform is drift on the membership.
    TypeCase(
        "aws_iam_group_membership",
        build=build_group_membership,
        drift=lambda s, c: _iam(s).add_user_to_group(GroupName=GM_GROUP, UserName=GM_USERS[2]),
        expected=Expected(
            "changed",
            "aws_iam_group_membership",
            "membership_group",
            "aws_iam_group_membership.oncall",
            paths=("users",),
        ),
    ),
]
