"""Terraform state attributes, as the AWS provider 5.x writes them after `apply`, for the
S3, IAM, RDS, KMS, Lambda, CloudTrail, Auto Scaling, DynamoDB, SQS and SNS types.

Each builder takes what the AWS API answered right after the resource was created and
returns the instance's full `attributes` object, computed attributes included. The type
cases in tests/cases/ use them; the Route53 builders the demo needs are in guard/demo/state.py.
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
        "grant": [{"id": owner_id, "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}],
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


# RDS ---------------------------------------------------------------------------------


def db_instance_attributes(db: Mapping[str, Any], password_set: bool = True) -> dict[str, Any]:
    """aws_db_instance: `id` is the DbiResourceId since provider 5.0, `identifier` the name."""
    endpoint = db.get("Endpoint") or {}
    return {
        "address": endpoint.get("Address", ""),
        "allocated_storage": db.get("AllocatedStorage"),
        "allow_major_version_upgrade": None,
        "apply_immediately": False,
        "arn": db["DBInstanceArn"],
        "auto_minor_version_upgrade": db.get("AutoMinorVersionUpgrade", True),
        "availability_zone": db.get("AvailabilityZone", ""),
        "backup_retention_period": db.get("BackupRetentionPeriod", 0),
        "backup_window": db.get("PreferredBackupWindow", ""),
        "ca_cert_identifier": db.get("CACertificateIdentifier", ""),
        "copy_tags_to_snapshot": db.get("CopyTagsToSnapshot", False),
        "db_name": db.get("DBName", ""),
        "db_subnet_group_name": (db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName", ""),
        "deletion_protection": db.get("DeletionProtection", False),
        "endpoint": f"{endpoint.get('Address', '')}:{endpoint.get('Port', '')}",
        "engine": db["Engine"],
        "engine_version": db.get("EngineVersion", ""),
        "engine_version_actual": db.get("EngineVersion", ""),
        "final_snapshot_identifier": None,
        "hosted_zone_id": endpoint.get("HostedZoneId", ""),
        "iam_database_authentication_enabled": db.get("IAMDatabaseAuthenticationEnabled", False),
        "id": db["DbiResourceId"],
        "identifier": db["DBInstanceIdentifier"],
        "identifier_prefix": "",
        "instance_class": db["DBInstanceClass"],
        "iops": db.get("Iops", 0),
        "kms_key_id": db.get("KmsKeyId", ""),
        "maintenance_window": db.get("PreferredMaintenanceWindow", ""),
        "max_allocated_storage": db.get("MaxAllocatedStorage", 0),
        "monitoring_interval": db.get("MonitoringInterval", 0),
        "multi_az": db.get("MultiAZ", False),
        "password": "correct-horse-battery" if password_set else None,
        "port": endpoint.get("Port", 0),
        "publicly_accessible": db.get("PubliclyAccessible", False),
        "resource_id": db["DbiResourceId"],
        "skip_final_snapshot": True,
        "status": db.get("DBInstanceStatus", "available"),
        "storage_encrypted": db.get("StorageEncrypted", False),
        "storage_type": db.get("StorageType", "gp2"),
        "tags": _tags(db.get("TagList")) or None,
        "timeouts": None,
        "username": db.get("MasterUsername", ""),
        "vpc_security_group_ids": sorted(g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups") or []),
    }


def db_subnet_group_attributes(
    group: Mapping[str, Any], tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    return {
        "arn": group["DBSubnetGroupArn"],
        "description": group.get("DBSubnetGroupDescription", ""),
        "id": group["DBSubnetGroupName"],
        "name": group["DBSubnetGroupName"],
        "name_prefix": "",
        "subnet_ids": sorted(s["SubnetIdentifier"] for s in group.get("Subnets") or []),
        "supported_network_types": group.get("SupportedNetworkTypes", ["IPV4"]),
        "tags": dict(tags or {}) or None,
        "vpc_id": group.get("VpcId", ""),
    }


# KMS ---------------------------------------------------------------------------------


def kms_key_attributes(
    key: Mapping[str, Any], policy: Any, rotation: bool, tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    return {
        "arn": key["Arn"],
        "bypass_policy_lockout_safety_check": False,
        "custom_key_store_id": "",
        "customer_master_key_spec": key.get("KeySpec", "SYMMETRIC_DEFAULT"),
        "deletion_window_in_days": 7,
        "description": key.get("Description", ""),
        "enable_key_rotation": rotation,
        "id": key["KeyId"],
        "is_enabled": key.get("Enabled", True),
        "key_id": key["KeyId"],
        "key_usage": key.get("KeyUsage", "ENCRYPT_DECRYPT"),
        "multi_region": key.get("MultiRegion", False),
        "policy": policy_json(policy),
        "rotation_period_in_days": 365 if rotation else 0,
        "tags": dict(tags or {}) or None,
        "timeouts": None,
        "xks_key_id": "",
    }


def kms_alias_attributes(
    alias_name: str, key: Mapping[str, Any], account: str, region: str
) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:kms:{region}:{account}:{alias_name}",
        "id": alias_name,
        "name": alias_name,
        "name_prefix": "",
        "target_key_arn": key["Arn"],
        "target_key_id": key["KeyId"],
    }


# Lambda ------------------------------------------------------------------------------


def lambda_function_attributes(
    function: Mapping[str, Any], tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    env = (function.get("Environment") or {}).get("Variables")
    vpc = function.get("VpcConfig") or {}
    return {
        "architectures": function.get("Architectures", ["x86_64"]),
        "arn": function["FunctionArn"],
        "code_signing_config_arn": "",
        "dead_letter_config": [],
        "description": function.get("Description", ""),
        "environment": [{"variables": dict(env)}] if env else [],
        "ephemeral_storage": [{"size": (function.get("EphemeralStorage") or {}).get("Size", 512)}],
        "file_system_config": [],
        "filename": "build/function.zip",
        "function_name": function["FunctionName"],
        "handler": function.get("Handler", ""),
        "id": function["FunctionName"],
        "image_config": [],
        "image_uri": "",
        "invoke_arn": f"arn:aws:apigateway:{function['FunctionArn'].split(':')[3]}:lambda:path/2015-03-31/"
        f"functions/{function['FunctionArn']}/invocations",
        "kms_key_arn": function.get("KMSKeyArn", ""),
        "last_modified": function.get("LastModified", ""),
        "layers": [layer["Arn"] for layer in function.get("Layers") or []],
        "logging_config": [],
        "memory_size": function.get("MemorySize", 128),
        "package_type": function.get("PackageType", "Zip"),
        "publish": False,
        "qualified_arn": f"{function['FunctionArn']}:$LATEST",
        "qualified_invoke_arn": "",
        "replace_security_groups_on_destroy": None,
        "replacement_security_group_ids": None,
        "reserved_concurrent_executions": -1,
        "role": function["Role"],
        "runtime": function.get("Runtime", ""),
        "s3_bucket": None,
        "s3_key": None,
        "s3_object_version": None,
        "signing_job_arn": "",
        "signing_profile_version_arn": "",
        "skip_destroy": False,
        "snap_start": [],
        "source_code_hash": function.get("CodeSha256", ""),
        "source_code_size": function.get("CodeSize", 0),
        "tags": dict(tags or {}) or None,
        "timeout": function.get("Timeout", 3),
        "timeouts": None,
        "tracing_config": [{"mode": (function.get("TracingConfig") or {}).get("Mode", "PassThrough")}],
        "version": function.get("Version", "$LATEST"),
        "vpc_config": [
            {
                "security_group_ids": sorted(vpc.get("SecurityGroupIds") or []),
                "subnet_ids": sorted(vpc.get("SubnetIds") or []),
                "vpc_id": vpc.get("VpcId", ""),
            }
        ]
        if vpc.get("SubnetIds")
        else [],
    }


# CloudTrail --------------------------------------------------------------------------


def cloudtrail_attributes(
    trail: Mapping[str, Any], logging: bool, tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """aws_cloudtrail: provider 5 keeps the trail ARN as `id`."""
    return {
        "advanced_event_selector": [],
        "arn": trail["TrailARN"],
        "cloud_watch_logs_group_arn": trail.get("CloudWatchLogsLogGroupArn", ""),
        "cloud_watch_logs_role_arn": trail.get("CloudWatchLogsRoleArn", ""),
        "enable_log_file_validation": trail.get("LogFileValidationEnabled", False),
        "enable_logging": logging,
        "event_selector": [],
        "home_region": trail.get("HomeRegion", ""),
        "id": trail["TrailARN"],
        "include_global_service_events": trail.get("IncludeGlobalServiceEvents", True),
        "insight_selector": [],
        "is_multi_region_trail": trail.get("IsMultiRegionTrail", False),
        "is_organization_trail": trail.get("IsOrganizationTrail", False),
        "kms_key_id": trail.get("KmsKeyId", ""),
        "name": trail["Name"],
        "s3_bucket_name": trail["S3BucketName"],
        "s3_key_prefix": trail.get("S3KeyPrefix", ""),
        "sns_topic_arn": trail.get("SnsTopicARN", ""),
        "sns_topic_name": trail.get("SnsTopicName", ""),
        "tags": dict(tags or {}) or None,
    }


# Auto Scaling ------------------------------------------------------------------------


def launch_configuration_attributes(configuration: Mapping[str, Any]) -> dict[str, Any]:
    """The provider's state (schema 0): user_data is the SHA-1 of the decoded script."""
    import base64
    import hashlib

    data = configuration.get("UserData") or ""
    metadata = configuration.get("MetadataOptions") or {}
    return {
        "arn": configuration["LaunchConfigurationARN"],
        "associate_public_ip_address": configuration.get("AssociatePublicIpAddress", False),
        "ebs_block_device": [],
        "ebs_optimized": configuration.get("EbsOptimized", False),
        "enable_monitoring": (configuration.get("InstanceMonitoring") or {}).get("Enabled", True),
        "ephemeral_block_device": [],
        "iam_instance_profile": configuration.get("IamInstanceProfile", ""),
        "id": configuration["LaunchConfigurationName"],
        "image_id": configuration["ImageId"],
        "instance_type": configuration["InstanceType"],
        "key_name": configuration.get("KeyName", ""),
        "metadata_options": [
            {
                "http_endpoint": metadata.get("HttpEndpoint", "enabled"),
                "http_put_response_hop_limit": metadata.get("HttpPutResponseHopLimit", 1),
                "http_tokens": metadata.get("HttpTokens", "optional"),
            }
        ]
        if metadata
        else [],
        "name": configuration["LaunchConfigurationName"],
        "name_prefix": "",
        "placement_tenancy": configuration.get("PlacementTenancy", ""),
        "root_block_device": [],
        "security_groups": sorted(configuration.get("SecurityGroups") or []),
        "spot_price": configuration.get("SpotPrice", ""),
        "user_data": hashlib.sha1(base64.b64decode(data)).hexdigest() if data else "",
        "user_data_base64": None,
    }


def autoscaling_group_attributes(group: Mapping[str, Any]) -> dict[str, Any]:
    template = group.get("LaunchTemplate") or {}
    return {
        "arn": group["AutoScalingGroupARN"],
        "availability_zones": sorted(group.get("AvailabilityZones") or []),
        "capacity_rebalance": group.get("CapacityRebalance", False),
        "context": "",
        "default_cooldown": group.get("DefaultCooldown", 300),
        "default_instance_warmup": 0,
        "desired_capacity": group.get("DesiredCapacity"),
        "desired_capacity_type": "",
        "enabled_metrics": [],
        "force_delete": False,
        "force_delete_warm_pool": False,
        "health_check_grace_period": group.get("HealthCheckGracePeriod", 300),
        "health_check_type": group.get("HealthCheckType", "EC2"),
        "id": group["AutoScalingGroupName"],
        "ignore_failed_scaling_activities": False,
        "initial_lifecycle_hook": [],
        "instance_maintenance_policy": [],
        "instance_refresh": [],
        "launch_configuration": group.get("LaunchConfigurationName", ""),
        "launch_template": [
            {
                "id": template.get("LaunchTemplateId", ""),
                "name": template.get("LaunchTemplateName", ""),
                "version": template.get("Version", ""),
            }
        ]
        if template
        else [],
        "load_balancers": sorted(group.get("LoadBalancerNames") or []),
        "max_instance_lifetime": 0,
        "max_size": group["MaxSize"],
        "metrics_granularity": "1Minute",
        "min_elb_capacity": None,
        "min_size": group["MinSize"],
        "mixed_instances_policy": [],
        "name": group["AutoScalingGroupName"],
        "name_prefix": "",
        "placement_group": "",
        "predicted_capacity": 0,
        "protect_from_scale_in": False,
        "service_linked_role_arn": group.get("ServiceLinkedRoleARN", ""),
        "suspended_processes": [],
        "tag": [
            {"key": t["Key"], "propagate_at_launch": t.get("PropagateAtLaunch", False), "value": t["Value"]}
            for t in group.get("Tags") or []
        ],
        "target_group_arns": sorted(group.get("TargetGroupARNs") or []),
        "termination_policies": [],
        "timeouts": None,
        "traffic_source": [],
        "vpc_zone_identifier": sorted(s for s in (group.get("VPCZoneIdentifier") or "").split(",") if s),
        "wait_for_capacity_timeout": "10m",
        "wait_for_elb_capacity": None,
        "warm_pool": [],
        "warm_pool_size": 0,
    }


# DynamoDB ----------------------------------------------------------------------------


def dynamodb_table_attributes(
    table: Mapping[str, Any], point_in_time_recovery: bool, tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    schema = table.get("KeySchema") or []
    throughput = table.get("ProvisionedThroughput") or {}
    stream = table.get("StreamSpecification") or {}
    billing = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    return {
        "arn": table["TableArn"],
        "attribute": [
            {"name": a["AttributeName"], "type": a["AttributeType"]}
            for a in table.get("AttributeDefinitions") or []
        ],
        "billing_mode": billing,
        "deletion_protection_enabled": table.get("DeletionProtectionEnabled", False),
        "global_secondary_index": [],
        "hash_key": next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH"),
        "id": table["TableName"],
        "import_table": [],
        "local_secondary_index": [],
        "name": table["TableName"],
        "point_in_time_recovery": [{"enabled": point_in_time_recovery}],
        "range_key": next((k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"), None),
        "read_capacity": throughput.get("ReadCapacityUnits", 0),
        "replica": [],
        "restore_date_time": None,
        "restore_source_name": None,
        "restore_to_latest_time": None,
        "server_side_encryption": [],
        "stream_arn": table.get("LatestStreamArn", ""),
        "stream_enabled": bool(stream.get("StreamEnabled")),
        "stream_label": table.get("LatestStreamLabel", ""),
        "stream_view_type": stream.get("StreamViewType", ""),
        "table_class": "STANDARD",
        "tags": dict(tags or {}) or None,
        "timeouts": None,
        "ttl": [{"attribute_name": "", "enabled": False}],
        "write_capacity": throughput.get("WriteCapacityUnits", 0),
    }


# SQS and SNS -------------------------------------------------------------------------


def sqs_queue_attributes(
    url: str, attributes: Mapping[str, str], tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    def number(key: str, default: int) -> int:
        return int(attributes.get(key, default))

    def flag(key: str) -> bool:
        return str(attributes.get(key, "false")).lower() == "true"

    return {
        "arn": attributes.get("QueueArn", ""),
        "content_based_deduplication": flag("ContentBasedDeduplication"),
        "deduplication_scope": attributes.get("DeduplicationScope", ""),
        "delay_seconds": number("DelaySeconds", 0),
        "fifo_queue": flag("FifoQueue"),
        "fifo_throughput_limit": attributes.get("FifoThroughputLimit", ""),
        "id": url,
        "kms_data_key_reuse_period_seconds": number("KmsDataKeyReusePeriodSeconds", 300),
        "kms_master_key_id": attributes.get("KmsMasterKeyId", ""),
        "max_message_size": number("MaximumMessageSize", 262144),
        "message_retention_seconds": number("MessageRetentionPeriod", 345600),
        "name": url.rstrip("/").rsplit("/", 1)[-1],
        "name_prefix": "",
        "policy": attributes.get("Policy", ""),
        "receive_wait_time_seconds": number("ReceiveMessageWaitTimeSeconds", 0),
        "redrive_allow_policy": attributes.get("RedriveAllowPolicy", ""),
        "redrive_policy": attributes.get("RedrivePolicy", ""),
        "sqs_managed_sse_enabled": flag("SqsManagedSseEnabled"),
        "tags": dict(tags or {}) or None,
        "url": url,
        "visibility_timeout_seconds": number("VisibilityTimeout", 30),
    }


def sns_topic_attributes(
    arn: str, attributes: Mapping[str, str], tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    return {
        "application_failure_feedback_role_arn": "",
        "application_success_feedback_role_arn": "",
        "application_success_feedback_sample_rate": 0,
        "archive_policy": "",
        "arn": arn,
        "beginning_archive_time": "",
        "content_based_deduplication": False,
        "delivery_policy": "",
        "display_name": attributes.get("DisplayName", ""),
        "fifo_topic": str(attributes.get("FifoTopic", "false")).lower() == "true",
        "firehose_failure_feedback_role_arn": "",
        "firehose_success_feedback_role_arn": "",
        "firehose_success_feedback_sample_rate": 0,
        "http_failure_feedback_role_arn": "",
        "http_success_feedback_role_arn": "",
        "http_success_feedback_sample_rate": 0,
        "id": arn,
        "kms_master_key_id": attributes.get("KmsMasterKeyId", ""),
        "lambda_failure_feedback_role_arn": "",
        "lambda_success_feedback_role_arn": "",
        "lambda_success_feedback_sample_rate": 0,
        "name": arn.rsplit(":", 1)[-1],
        "name_prefix": "",
        "owner": attributes.get("Owner", ""),
        "policy": attributes.get("Policy", ""),
        "signature_version": 0,
        "sqs_failure_feedback_role_arn": "",
        "sqs_success_feedback_role_arn": "",
        "sqs_success_feedback_sample_rate": 0,
        "tags": dict(tags or {}) or None,
        "tracing_config": "",
    }
