"""Case for CloudTrail: a logging trail into a declared bucket; someone stops the logging."""

from __future__ import annotations

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, client
from tests.support.services import cloudtrail_attributes, s3_bucket_attributes


def build_trail(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    client(session, "s3").create_bucket(Bucket="acme-audit-logs")
    state.add("aws_s3_bucket", "audit", s3_bucket_attributes("acme-audit-logs", REGION))
    cloudtrail = client(session, "cloudtrail")
    trail = cloudtrail.create_trail(
        Name="org-audit",
        S3BucketName="acme-audit-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        TagsList=[{"Key": "Team", "Value": "security"}],
    )
    cloudtrail.start_logging(Name="org-audit")
    described = cloudtrail.describe_trails(trailNameList=[trail["TrailARN"]])["trailList"][0]
    ctx["trail_arn"] = trail["TrailARN"]
    state.add("aws_cloudtrail", "audit", cloudtrail_attributes(described, True, {"Team": "security"}))


CASES = [
    TypeCase(
        "aws_cloudtrail",
        build=build_trail,
        drift=lambda s, c: client(s, "cloudtrail").stop_logging(Name="org-audit"),
        expected=Expected(
            "changed", "aws_cloudtrail", "trail_arn", "aws_cloudtrail.audit", paths=("enable_logging",)
        ),
        unmanaged=lambda s, c: str(
            client(s, "cloudtrail").create_trail(Name="adhoc", S3BucketName="acme-audit-logs")["TrailARN"]
        ),
        unmanaged_type="aws_cloudtrail",
    ),
]
