"""Cases for EFS file systems and their mount targets, in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, account, client

LIFECYCLE = [{"TransitionToIA": "AFTER_30_DAYS"}]


def file_system_attributes(fs: dict[str, Any], owner: str) -> dict[str, Any]:
    tags = {tag["Key"]: tag["Value"] for tag in fs.get("Tags") or []}
    return {
        "arn": f"arn:aws:elasticfilesystem:{REGION}:{owner}:file-system/{fs['FileSystemId']}",
        "availability_zone_id": "",
        "availability_zone_name": "",
        "creation_token": fs["CreationToken"],
        "dns_name": f"{fs['FileSystemId']}.efs.{REGION}.amazonaws.com",
        "encrypted": fs["Encrypted"],
        "id": fs["FileSystemId"],
        "kms_key_id": fs.get("KmsKeyId") or "",
        "lifecycle_policy": [
            {
                "transition_to_archive": "",
                "transition_to_ia": "AFTER_30_DAYS",
                "transition_to_primary_storage_class": "",
            }
        ],
        "name": tags.get("Name", ""),
        "number_of_mount_targets": 0,
        "owner_id": owner,
        "performance_mode": fs["PerformanceMode"],
        "protection": [{"replication_overwrite": "ENABLED"}],
        "provisioned_throughput_in_mibps": 0,
        "size_in_bytes": [
            {"value": 6144, "value_in_archive": 0, "value_in_ia": 0, "value_in_standard": 6144}
        ],
        "tags": tags,
        "tags_all": tags,
        "throughput_mode": fs["ThroughputMode"],
    }


def make_file_system(session: boto3.Session, token: str, name: str) -> dict[str, Any]:
    efs = client(session, "efs")
    fs = efs.create_file_system(
        CreationToken=token,
        PerformanceMode="generalPurpose",
        ThroughputMode="bursting",
        Encrypted=True,
        Tags=[{"Key": "Name", "Value": name}],
    )
    efs.put_lifecycle_configuration(FileSystemId=fs["FileSystemId"], LifecyclePolicies=LIFECYCLE)
    return dict(fs)


def build_file_system(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    fs = make_file_system(session, "terraform-sweep-efs-shared", "sweep-efs-shared")
    ctx["file_system_id"] = fs["FileSystemId"]
    state.add("aws_efs_file_system", "shared", file_system_attributes(fs, account(session)))


CASES = [
    TypeCase(
        "aws_efs_file_system",
        build=build_file_system,
        # The lifecycle policy removed in the console: cold files stay on Standard storage.
        drift=lambda s, c: client(s, "efs").put_lifecycle_configuration(
            FileSystemId=c["file_system_id"], LifecyclePolicies=[]
        ),
        expected=Expected(
            "changed",
            "aws_efs_file_system",
            "file_system_id",
            "aws_efs_file_system.shared",
            paths=("lifecycle_policy.transition_to_ia",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "efs").create_file_system(CreationToken="console-sweep-efs-scratch")["FileSystemId"]
        ),
        unmanaged_type="aws_efs_file_system",
    ),
]
