"""Sample CloudTrail records for EFS (eventSource elasticfilesystem.amazonaws.com)."""

from __future__ import annotations

from tests.event_samples import Sample

SAMPLES: list[Sample] = [
    # File systems: named by id in the request, the answer for CreateFileSystem ------------
    (
        "efs",
        "DeleteFileSystem UpdateFileSystem PutLifecycleConfiguration",
        {"fileSystemId": "fs-0123abcd"},
        None,
        None,
        [("aws_efs_file_system", "fs-0123abcd")],
    ),
    (
        "efs",
        "CreateFileSystem",
        {"creationToken": "terraform-20261203", "performanceMode": "generalPurpose", "encrypted": True},
        {"fileSystemId": "fs-0123abcd", "lifeCycleState": "creating", "creationToken": "terraform-20261203"},
        None,
        [("aws_efs_file_system", "fs-0123abcd")],
    ),
    (
        "efs",
        "TagResource UntagResource",
        {"resourceId": "fs-0123abcd"},
        None,
        None,
        [("aws_efs_file_system", "fs-0123abcd")],
    ),
]
SAMPLES += [
    # Mount targets: named by id in the request, the answer for CreateMountTarget ----------
    (
        "efs",
        "DeleteMountTarget ModifyMountTargetSecurityGroups",
        {"mountTargetId": "fsmt-0123abcd"},
        None,
        None,
        [("aws_efs_mount_target", "fsmt-0123abcd")],
    ),
    (
        "efs",
        "CreateMountTarget",
        {"fileSystemId": "fs-0123abcd", "subnetId": "subnet-0a1b2c3d", "securityGroups": ["sg-0a1b2c3d"]},
        {"mountTargetId": "fsmt-0123abcd", "fileSystemId": "fs-0123abcd", "lifeCycleState": "creating"},
        None,
        [("aws_efs_mount_target", "fsmt-0123abcd")],
    ),
]
