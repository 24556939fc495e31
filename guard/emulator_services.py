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
