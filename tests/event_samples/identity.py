"""Sample CloudTrail records for the identity types (IAM: group policies, policy attachments)."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
POLICY = f"arn:aws:iam::{ACCOUNT}:policy/deploy"
OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"

SAMPLES: list[Sample] = [
    (
        "iam",
        "PutGroupPolicy DeleteGroupPolicy",
        {"groupName": "ops", "policyName": "s3-read"},
        None,
        None,
        [("aws_iam_group_policy", "ops:s3-read")],
    ),
    # An attachment's Terraform id has a random suffix: the event names its group or user,
    # which is read again with its attachments; and the policy, read again with its
    # exclusive aws_iam_policy_attachment.
    (
        "iam",
        "AttachGroupPolicy DetachGroupPolicy",
        {"groupName": "ops", "policyArn": POLICY},
        None,
        None,
        [("aws_iam_group", "ops"), ("aws_iam_policy", POLICY)],
    ),
    (
        "iam",
        "AttachUserPolicy DetachUserPolicy",
        {"userName": "bob", "policyArn": POLICY},
        None,
        None,
        [("aws_iam_user", "bob"), ("aws_iam_policy", POLICY)],
    ),
    (
        "iam",
        "CreateInstanceProfile DeleteInstanceProfile AddRoleToInstanceProfile "
        "RemoveRoleFromInstanceProfile TagInstanceProfile UntagInstanceProfile",
        {"instanceProfileName": "web", "roleName": "web"},
        None,
        None,
        [("aws_iam_instance_profile", "web")],
    ),
    # CloudTrail records the new key's id, never its secret.
    (
        "iam",
        "CreateAccessKey",
        {"userName": "bob"},
        {"accessKey": {"accessKeyId": "AKIAIOSFODNN7EXAMPLE", "status": "Active", "userName": "bob"}},
        None,
        [("aws_iam_access_key", "AKIAIOSFODNN7EXAMPLE")],
    ),
    (
        "iam",
        "DeleteAccessKey UpdateAccessKey",
        {"userName": "bob", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "status": "Inactive"},
        None,
        None,
        [("aws_iam_access_key", "AKIAIOSFODNN7EXAMPLE")],
    ),
    (
        "iam",
        "CreateOpenIDConnectProvider",
        {"url": "https://token.actions.githubusercontent.com", "clientIDList": ["sts.amazonaws.com"]},
        {"openIDConnectProviderArn": OIDC},
        None,
        [("aws_iam_openid_connect_provider", OIDC)],
    ),
    (
        "iam",
        "DeleteOpenIDConnectProvider UpdateOpenIDConnectProviderThumbprint "
        "AddClientIDToOpenIDConnectProvider RemoveClientIDFromOpenIDConnectProvider "
        "TagOpenIDConnectProvider UntagOpenIDConnectProvider",
        {"openIDConnectProviderArn": OIDC},
        None,
        None,
        [("aws_iam_openid_connect_provider", OIDC)],
    ),
    # A membership's Terraform id is its own name (aws_iam_group_membership) or random
    # (aws_iam_user_group_membership): the event names the group and the user, each read
    # again with its members or groups.
    (
        "iam",
        "AddUserToGroup RemoveUserFromGroup",
        {"groupName": "ops", "userName": "bob"},
        None,
        None,
        [("aws_iam_group", "ops"), ("aws_iam_user", "bob")],
    ),
]
