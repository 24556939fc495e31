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
