"""Cases for AWS Config: the account's recorder, and whether it records."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, client
from tests.support.services import iam_role_attributes, s3_bucket_attributes

RECORDER = "sweep-config-recorder"
# The role the console picks: AWS Config's service-linked role.
SERVICE_ROLE = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def recorder_attributes(recorder: dict[str, Any]) -> dict[str, Any]:
    """aws_config_configuration_recorder as provider 5.x stores it after apply."""
    group = recorder["recordingGroup"]
    return {
        "id": recorder["name"],
        "name": recorder["name"],
        "recording_group": [
            {
                "all_supported": group["allSupported"],
                "exclusion_by_resource_types": [],
                "include_global_resource_types": group["includeGlobalResourceTypes"],
                "recording_strategy": [{"use_only": "ALL_SUPPORTED_RESOURCE_TYPES"}],
                "resource_types": [],
            }
        ],
        "recording_mode": [{"recording_frequency": "CONTINUOUS", "recording_mode_override": []}],
        "role_arn": recorder["roleARN"],
    }


def _recorder(session: boto3.Session, state: TerraformState, name: str) -> dict[str, Any]:
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    iam = client(session, "iam")
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(assume))["Role"]
    state.add("aws_iam_role", "config", iam_role_attributes(role, assume))
    config = client(session, "config")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": name,
            "roleARN": role["Arn"],
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    recorder = config.describe_configuration_recorders(ConfigurationRecorderNames=[name])[
        "ConfigurationRecorders"
    ][0]
    state.add("aws_config_configuration_recorder", "main", recorder_attributes(recorder))
    return dict(recorder)


def build_recorder(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ctx["recorder"] = _recorder(session, state, RECORDER)["name"]


def _global_types_left_out(session: boto3.Session, ctx: Context) -> None:
    config = client(session, "config")
    recorder = config.describe_configuration_recorders()["ConfigurationRecorders"][0]
    recorder["recordingGroup"] = {"allSupported": True, "includeGlobalResourceTypes": False}
    config.put_configuration_recorder(ConfigurationRecorder=recorder)


def build_recording(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """The recorder (the region's one: an estate that has it already starts that one), its
    delivery channel's bucket, and the recorder started."""
    config = client(session, "config")
    existing = config.describe_configuration_recorders()["ConfigurationRecorders"]
    name = existing[0]["name"] if existing else _recorder(session, state, RECORDER)["name"]
    if not config.describe_delivery_channels()["DeliveryChannels"]:
        bucket = "sweep-config-status-snapshots"
        client(session, "s3").create_bucket(Bucket=bucket)
        state.add("aws_s3_bucket", "config_snapshots", s3_bucket_attributes(bucket, REGION))
        config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
    config.start_configuration_recorder(ConfigurationRecorderName=name)
    state.add(
        "aws_config_configuration_recorder_status", "main", {"id": name, "is_enabled": True, "name": name}
    )
    ctx["recorder"] = name


def _recorder_made_in_the_console(session: boto3.Session, ctx: Context) -> None:
    # One recorder a region (AWS refuses a second): a state that declares none.
    client(session, "config").put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": SERVICE_ROLE,
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False},
        }
    )
    ctx["recorder"] = "default"


CASES = [
    TypeCase(
        "aws_config_configuration_recorder",
        build=build_recorder,
        drift=_global_types_left_out,
        expected=Expected(
            "changed",
            "aws_config_configuration_recorder",
            "recorder",
            "aws_config_configuration_recorder.main",
            paths=("recording_group.include_global_resource_types",),
        ),
    ),
    TypeCase(
        "aws_config_configuration_recorder",
        build=lambda s, state, c: None,
        drift=_recorder_made_in_the_console,
        expected=Expected("unmanaged", "aws_config_configuration_recorder", "recorder"),
    ),
    TypeCase(
        "aws_config_configuration_recorder_status",
        build=build_recording,
        drift=lambda s, c: client(s, "config").stop_configuration_recorder(
            ConfigurationRecorderName=c["recorder"]
        ),
        expected=Expected(
            "changed",
            "aws_config_configuration_recorder_status",
            "recorder",
            "aws_config_configuration_recorder_status.main",
            paths=("is_enabled",),
        ),
    ),
]
