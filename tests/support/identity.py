"""Terraform state attributes of the identity types, as the AWS provider 5.x writes them
after `apply` (computed attributes included), from what IAM answered at creation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.support.services import policy_json, unique_suffix


def iam_group_policy_attributes(group: str, name: str, policy: Any) -> dict[str, Any]:
    """aws_iam_group_policy: id GROUP:NAME."""
    return {
        "group": group,
        "id": f"{group}:{name}",
        "name": name,
        "name_prefix": "",
        "policy": policy_json(policy),
    }


def iam_owner_policy_attachment_attributes(kind: str, owner: str, policy_arn: str) -> dict[str, Any]:
    """aws_iam_group_policy_attachment (kind "group") or aws_iam_user_policy_attachment
    ("user"): the id is the owner's name, a dash and a unique suffix."""
    return {"id": f"{owner}-{unique_suffix()}", "policy_arn": policy_arn, kind: owner}


def iam_instance_profile_attributes(profile: Any, role: str) -> dict[str, Any]:
    """aws_iam_instance_profile: the id is its name; `role` the role's name."""
    tags = {t["Key"]: t["Value"] for t in profile.get("Tags") or []}
    return {
        "arn": profile["Arn"],
        "create_date": str(profile.get("CreateDate", "")),
        "id": profile["InstanceProfileName"],
        "name": profile["InstanceProfileName"],
        "name_prefix": "",
        "path": profile.get("Path", "/"),
        "role": role,
        "tags": tags or None,
        "tags_all": tags,
        "unique_id": profile.get("InstanceProfileId", ""),
    }


def iam_access_key_attributes(key: Any) -> dict[str, Any]:
    """aws_iam_access_key without a pgp_key: the secret and SMTP password are in state
    (marked sensitive there); the id is the access key id."""
    return {
        "create_date": str(key.get("CreateDate", "")),
        "encrypted_secret": None,
        "encrypted_ses_smtp_password_v4": None,
        "id": key["AccessKeyId"],
        "key_fingerprint": None,
        "pgp_key": None,
        "secret": key["SecretAccessKey"],
        "ses_smtp_password_v4": "BEXAMPLESMTPPASSWORDv4" + key["AccessKeyId"][-6:],
        "status": key.get("Status", "Active"),
        "user": key["UserName"],
    }


def iam_openid_connect_provider_attributes(
    arn: str, url: str, client_ids: list[str], thumbprints: list[str], tags: dict[str, str]
) -> dict[str, Any]:
    """aws_iam_openid_connect_provider: the id is its ARN; `url` as configured (https://...)."""
    return {
        "arn": arn,
        "client_id_list": sorted(client_ids),
        "id": arn,
        "tags": tags or None,
        "tags_all": tags,
        "thumbprint_list": thumbprints,
        "url": url,
    }


def iam_group_membership_attributes(name: str, group: str, users: list[str]) -> dict[str, Any]:
    """aws_iam_group_membership: the id is its `name`."""
    return {"group": group, "id": name, "name": name, "users": sorted(users)}


def iam_policy_attachment_attributes(
    name: str,
    policy_arn: str,
    users: Sequence[str] = (),
    roles: Sequence[str] = (),
    groups: Sequence[str] = (),
) -> dict[str, Any]:
    """aws_iam_policy_attachment (provider 5.x): the id is its `name`; users, roles and
    groups are sets of names, stored as lists (empty when not set)."""
    return {
        "groups": sorted(groups),
        "id": name,
        "name": name,
        "policy_arn": policy_arn,
        "roles": sorted(roles),
        "users": sorted(users),
    }


def iam_user_group_membership_attributes(user: str, groups: Sequence[str]) -> dict[str, Any]:
    """aws_iam_user_group_membership (provider 5.x): the id is random (resource.UniqueId(),
    "terraform-" and 26 digits); `groups` a set of names."""
    return {"groups": sorted(groups), "id": f"terraform-{unique_suffix()}", "user": user}
