"""A bucket written the provider-3 way keeps its lifecycle, CORS, logging, ACL grants and
replication inline in aws_s3_bucket (provider 4.x and 5.x still refresh those deprecated
attributes from AWS). Its live settings are the bucket's as Terraform sees them, never an
unmanaged aws_s3_bucket_*_configuration; on a bucket whose state holds none, they are."""

from __future__ import annotations

from guard.demo.state import TerraformState
from tests.support.services import s3_bucket_attributes

REGION = "us-east-1"
LIFECYCLE = {
    "Rules": [
        {"ID": "expire-logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 30}}
    ]
}
CORS = {"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["https://example.com"]}]}
INLINE_LIFECYCLE = [
    {
        "abort_incomplete_multipart_upload_days": 0,
        "enabled": True,
        "expiration": [{"date": "", "days": 30, "expired_object_delete_marker": False}],
        "id": "expire-logs",
        "noncurrent_version_expiration": [],
        "noncurrent_version_transition": [],
        "prefix": "logs/",
        "tags": {},
        "transition": [],
    }
]
INLINE_CORS = [
    {
        "allowed_headers": [],
        "allowed_methods": ["GET"],
        "allowed_origins": ["https://example.com"],
        "expose_headers": [],
        "max_age_seconds": 0,
    }
]


def _unmanaged_settings(guard, aws, tmp_path, inline: bool) -> set[str]:
    s3 = aws.client("s3", region_name=REGION)
    name = "inline-settings-" + ("old" if inline else "new")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=LIFECYCLE)
    s3.put_bucket_cors(Bucket=name, CORSConfiguration=CORS)
    owner = s3.get_bucket_acl(Bucket=name)["Owner"]["ID"]
    attrs = s3_bucket_attributes(name, REGION, owner_id=owner)
    if inline:
        attrs = {**attrs, "lifecycle_rule": INLINE_LIFECYCLE, "cors_rule": INLINE_CORS}
    state = TerraformState()
    state.add("aws_s3_bucket", "logs", attrs)
    path = state.write(tmp_path / f"{name}.tfstate")
    result = guard("scan", "--state", path, "--region", REGION, "--format", "json")
    return {
        f["type"]
        for f in result.json()["findings"]
        if f["kind"] == "unmanaged" and f["type"].startswith("aws_s3_bucket_") and name in f["id"]
    }


def test_settings_the_bucket_holds_inline_are_never_unmanaged(guard, aws, tmp_path):
    assert _unmanaged_settings(guard, aws, tmp_path, inline=True) == set()


def test_the_same_settings_on_a_bucket_that_holds_none_are_unmanaged(guard, aws, tmp_path):
    assert _unmanaged_settings(guard, aws, tmp_path, inline=False) == {
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_cors_configuration",
    }
