"""Terraform v4 state attributes of the S3 bucket settings in guard/live/resources/s3_settings.py,
in the AWS provider 5.x (SDKv2) shape: unset numbers and strings as 0 or "", unset blocks as []."""

from __future__ import annotations

from typing import Any


def lifecycle_filter(
    prefix: str = "", tags: dict[str, str] | None = None, greater: str = "", less: str = ""
) -> list[dict[str, Any]]:
    """A `filter` block: with several conditions they sit in `and`, as the provider requires."""
    conditions = sum(bool(x) for x in (prefix, greater, less)) + len(tags or {})
    if conditions > 1:
        both = {
            "object_size_greater_than": int(greater or 0),
            "object_size_less_than": int(less or 0),
            "prefix": prefix,
            "tags": dict(tags or {}),
        }
        return [
            {
                "and": [both],
                "object_size_greater_than": "",
                "object_size_less_than": "",
                "prefix": "",
                "tag": [],
            }
        ]
    tag = [{"key": k, "value": v} for k, v in (tags or {}).items()]
    return [
        {
            "and": [],
            "object_size_greater_than": greater,
            "object_size_less_than": less,
            "prefix": prefix,
            "tag": tag,
        }
    ]


def lifecycle_rule(
    rule_id: str,
    filter_: list[dict[str, Any]],
    status: str = "Enabled",
    expiration_days: int = 0,
    expired_object_delete_marker: bool = False,
    transitions: list[tuple[int, str]] = (),  # type: ignore[assignment]
    noncurrent_days: int = 0,
    abort_days: int = 0,
) -> dict[str, Any]:
    expiration = (
        [{"date": "", "days": expiration_days, "expired_object_delete_marker": expired_object_delete_marker}]
        if expiration_days or expired_object_delete_marker
        else []
    )
    return {
        "abort_incomplete_multipart_upload": [{"days_after_initiation": abort_days}] if abort_days else [],
        "expiration": expiration,
        "filter": filter_,
        "id": rule_id,
        "noncurrent_version_expiration": [
            {"newer_noncurrent_versions": "", "noncurrent_days": noncurrent_days}
        ]
        if noncurrent_days
        else [],
        "noncurrent_version_transition": [],
        "prefix": "",
        "status": status,
        "transition": [{"date": "", "days": days, "storage_class": cls} for days, cls in transitions],
    }


def lifecycle_attributes(bucket: str, rules: list[dict[str, Any]], minimum_size: str = "") -> dict[str, Any]:
    return {
        "bucket": bucket,
        "expected_bucket_owner": "",
        "id": bucket,
        "rule": rules,
        "timeouts": None,
        "transition_default_minimum_object_size": minimum_size,
    }


def logging_attributes(bucket: str, target_bucket: str, target_prefix: str) -> dict[str, Any]:
    return {
        "bucket": bucket,
        "expected_bucket_owner": "",
        "id": bucket,
        "target_bucket": target_bucket,
        "target_grant": [],
        "target_object_key_format": [],
        "target_prefix": target_prefix,
    }


def cors_rule(
    methods: list[str],
    origins: list[str],
    headers: list[str] = (),  # type: ignore[assignment]
    expose: list[str] = (),  # type: ignore[assignment]
    max_age: int = 0,
    rule_id: str = "",
) -> dict[str, Any]:
    return {
        "allowed_headers": list(headers),
        "allowed_methods": methods,
        "allowed_origins": origins,
        "expose_headers": list(expose),
        "id": rule_id,
        "max_age_seconds": max_age,
    }


def cors_attributes(bucket: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bucket": bucket, "cors_rule": rules, "expected_bucket_owner": "", "id": bucket}


def acl_attributes(
    bucket: str, owner: dict[str, Any], grants: list[dict[str, Any]], acl: str = ""
) -> dict[str, Any]:
    """The provider stores the grants S3 answers (access_control_policy) even for a canned ACL;
    its id is "bucket,acl" when a canned ACL is declared."""
    return {
        "access_control_policy": [
            {
                "grant": [
                    {
                        "grantee": [
                            {
                                "display_name": grant["Grantee"].get("DisplayName", ""),
                                "email_address": grant["Grantee"].get("EmailAddress", ""),
                                "id": grant["Grantee"].get("ID", ""),
                                "type": grant["Grantee"]["Type"],
                                "uri": grant["Grantee"].get("URI", ""),
                            }
                        ],
                        "permission": grant["Permission"],
                    }
                    for grant in grants
                ],
                "owner": [{"display_name": owner.get("DisplayName", ""), "id": owner["ID"]}],
            }
        ],
        "acl": acl or None,
        "bucket": bucket,
        "expected_bucket_owner": "",
        "id": f"{bucket},{acl}" if acl else bucket,
    }


def notification_attributes(
    bucket: str,
    queue: list[dict[str, Any]] = (),
    eventbridge: bool = False,  # type: ignore[assignment]
) -> dict[str, Any]:
    return {
        "bucket": bucket,
        "eventbridge": eventbridge,
        "id": bucket,
        "lambda_function": [],
        "queue": list(queue),
        "topic": [],
    }


def notification_queue(
    config_id: str, queue_arn: str, events: list[str], prefix: str = "", suffix: str = ""
) -> dict[str, Any]:
    return {
        "events": events,
        "filter_prefix": prefix,
        "filter_suffix": suffix,
        "id": config_id,
        "queue_arn": queue_arn,
    }


def replication_attributes(bucket: str, role: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bucket": bucket, "id": bucket, "role": role, "rule": rules, "token": None}


def replication_rule(
    rule_id: str,
    priority: int,
    prefix: str,
    destination: str,
    storage_class: str = "",
    delete_markers: str = "Disabled",
) -> dict[str, Any]:
    """A rule in the provider's shape: a `filter` block (V2 rules), unset blocks as []."""
    return {
        "delete_marker_replication": [{"status": delete_markers}],
        "destination": [
            {
                "access_control_translation": [],
                "account": "",
                "bucket": destination,
                "encryption_configuration": [],
                "metrics": [],
                "replication_time": [],
                "storage_class": storage_class,
            }
        ],
        "existing_object_replication": [],
        "filter": [{"and": [], "prefix": prefix, "tag": []}],
        "id": rule_id,
        "prefix": "",
        "priority": priority,
        "source_selection_criteria": [],
        "status": "Enabled",
    }
