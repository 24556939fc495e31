"""Terraform state attributes, as the AWS provider 5.x writes them after `apply`, for the
S3, IAM, RDS, Route53, KMS, Lambda, CloudTrail, Auto Scaling, DynamoDB, SQS and SNS types.

Each builder takes what the AWS API answered right after the resource was created and
returns the instance's full `attributes` object, computed attributes included.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any


def _tags(items: Any, key: str = "Key", value: str = "Value") -> dict[str, str]:
    if isinstance(items, Mapping):
        return dict(items)
    return {t[key]: t[value] for t in items or [] if not str(t[key]).startswith("aws:")}


def policy_json(document: Any) -> str:
    """What `jsonencode(...)` or `aws_iam_policy_document` writes: compact JSON text."""
    return document if isinstance(document, str) else json.dumps(document, separators=(",", ":"))


# S3 ----------------------------------------------------------------------------------


def s3_bucket_attributes(
    name: str, region: str, tags: Mapping[str, str] | None = None, owner_id: str = ""
) -> dict[str, Any]:
    return {
        "acceleration_status": "",
        "acl": None,
        "arn": f"arn:aws:s3:::{name}",
        "bucket": name,
        "bucket_domain_name": f"{name}.s3.amazonaws.com",
        "bucket_prefix": "",
        "bucket_regional_domain_name": f"{name}.s3.{region}.amazonaws.com",
        "cors_rule": [],
        "force_destroy": False,
        "grant": [
            {"id": owner_id, "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}
        ],
        "hosted_zone_id": "Z3AQBSTGFYJSTF",
        "id": name,
        "lifecycle_rule": [],
        "logging": [],
        "object_lock_configuration": [],
        "object_lock_enabled": False,
        "policy": "",
        "region": region,
        "replication_configuration": [],
        "request_payer": "BucketOwner",
        "server_side_encryption_configuration": [
            {
                "rule": [
                    {
                        "apply_server_side_encryption_by_default": [
                            {"kms_master_key_id": "", "sse_algorithm": "AES256"}
                        ],
                        "bucket_key_enabled": False,
                    }
                ]
            }
        ],
        "tags": dict(tags or {}) or None,
        "timeouts": None,
        "versioning": [{"enabled": False, "mfa_delete": False}],
        "website": [],
        "website_domain": None,
        "website_endpoint": None,
    }


def s3_public_access_block_attributes(bucket: str, config: Mapping[str, bool]) -> dict[str, Any]:
    return {
        "block_public_acls": bool(config.get("BlockPublicAcls")),
        "block_public_policy": bool(config.get("BlockPublicPolicy")),
        "bucket": bucket,
        "id": bucket,
        "ignore_public_acls": bool(config.get("IgnorePublicAcls")),
        "restrict_public_buckets": bool(config.get("RestrictPublicBuckets")),
    }


def s3_bucket_policy_attributes(bucket: str, policy: Any) -> dict[str, Any]:
    return {"bucket": bucket, "id": bucket, "policy": policy_json(policy)}


def s3_versioning_attributes(bucket: str, status: str, mfa_delete: str = "") -> dict[str, Any]:
    return {
        "bucket": bucket,
        "expected_bucket_owner": "",
        "id": bucket,
        "mfa": None,
        "versioning_configuration": [{"mfa_delete": mfa_delete, "status": status}],
    }


def s3_encryption_attributes(
    bucket: str, sse_algorithm: str, kms_master_key_id: str = "", bucket_key_enabled: bool | None = None
) -> dict[str, Any]:
    return {
        "bucket": bucket,
        "expected_bucket_owner": "",
        "id": bucket,
        "rule": [
            {
                "apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": kms_master_key_id, "sse_algorithm": sse_algorithm}
                ],
                "bucket_key_enabled": bucket_key_enabled,
            }
        ],
    }


def s3_ownership_controls_attributes(bucket: str, object_ownership: str) -> dict[str, Any]:
    return {"bucket": bucket, "id": bucket, "rule": [{"object_ownership": object_ownership}]}


def unique_suffix() -> str:
    """Terraform's PrefixedUniqueId tail: a timestamp and a counter."""
    return f"2024061012000000000000{uuid.uuid4().int % 100:04d}"


# IAM ---------------------------------------------------------------------------------


def iam_role_attributes(
    role: Mapping[str, Any],
    assume_role_policy: Any,
    inline_policy: list[dict[str, Any]] | None = None,
    managed_policy_arns: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "arn": role["Arn"],
        "assume_role_policy": policy_json(assume_role_policy),
        "create_date": str(role.get("CreateDate", "")),
        "description": role.get("Description", ""),
        "force_detach_policies": False,
        "id": role["RoleName"],
        "inline_policy": inline_policy or [],
        "managed_policy_arns": sorted(managed_policy_arns or []),
        "max_session_duration": role.get("MaxSessionDuration", 3600),
        "name": role["RoleName"],
        "name_prefix": "",
        "path": role.get("Path", "/"),
        "permissions_boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn", ""),
        "tags": _tags(role.get("Tags")) or None,
        "unique_id": role.get("RoleId", ""),
    }


def iam_inline_policy_attributes(owner_kind: str, owner: str, name: str, policy: Any) -> dict[str, Any]:
    """aws_iam_role_policy (owner_kind "role") or aws_iam_user_policy ("user")."""
    return {
        "id": f"{owner}:{name}",
        "name": name,
        "name_prefix": "",
        "policy": policy_json(policy),
        owner_kind: owner,
    }


def iam_role_policy_attachment_attributes(role: str, policy_arn: str) -> dict[str, Any]:
    return {"id": f"{role}-{unique_suffix()}", "policy_arn": policy_arn, "role": role}


def iam_policy_attributes(policy: Mapping[str, Any], document: Any, description: str = "") -> dict[str, Any]:
    """CreatePolicy's answer leaves the description out (only GetPolicy has it): pass it."""
    return {
        "arn": policy["Arn"],
        "attachment_count": policy.get("AttachmentCount", 0),
        "description": description,
        "id": policy["Arn"],
        "name": policy["PolicyName"],
        "name_prefix": "",
        "path": policy.get("Path", "/"),
        "policy": policy_json(document),
        "policy_id": policy.get("PolicyId", ""),
        "tags": _tags(policy.get("Tags")) or None,
    }


def iam_user_attributes(user: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "arn": user["Arn"],
        "force_destroy": False,
        "id": user["UserName"],
        "name": user["UserName"],
        "path": user.get("Path", "/"),
        "permissions_boundary": "",
        "tags": _tags(user.get("Tags")) or None,
        "unique_id": user.get("UserId", ""),
    }


def iam_group_attributes(group: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "arn": group["Arn"],
        "id": group["GroupName"],
        "name": group["GroupName"],
        "path": group.get("Path", "/"),
        "unique_id": group.get("GroupId", ""),
    }
