"""Cases for the edge: a CloudFront distribution in front of a load balancer, an ACM certificate.

State attributes are written in the AWS provider 5.x shape, the whole attribute set as
`terraform apply` records it. moto answers `Compress: true` for a default cache behaviour
that did not ask for it (AWS answers false), so the case asks for compression explicitly.
"""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState, acm_certificate_attributes
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # an AWS-managed cache policy


def _config(reference: str, comment: str, origin: str) -> dict[str, Any]:
    return {
        "CallerReference": reference,
        "Comment": comment,
        "Enabled": True,
        "Aliases": {"Quantity": 0},
        "DefaultRootObject": "index.html",
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "web-lb",
                    "DomainName": origin,
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "web-lb",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
            "Compress": True,
            "AllowedMethods": {
                "Quantity": 2,
                "Items": ["GET", "HEAD"],
                "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]},
            },
        },
        "PriceClass": "PriceClass_100",
        "HttpVersion": "http2",
        "IsIPV6Enabled": True,
    }


def cloudfront_distribution_attributes(live: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    """What the provider records for the distribution `_config` creates."""
    origin = live["Origins"]["Items"][0]
    return {
        "aliases": [],
        "arn": live["ARN"],
        "caller_reference": "terraform-20261202",
        "comment": live["Comment"],
        "continuous_deployment_policy_id": "",
        "custom_error_response": [],
        "default_cache_behavior": [
            {
                "allowed_methods": ["GET", "HEAD"],
                "cache_policy_id": CACHING_OPTIMIZED,
                "cached_methods": ["GET", "HEAD"],
                "compress": True,
                "default_ttl": 0,
                "field_level_encryption_id": "",
                "forwarded_values": [],
                "function_association": [],
                "lambda_function_association": [],
                "max_ttl": 0,
                "min_ttl": 0,
                "origin_request_policy_id": "",
                "realtime_log_config_arn": "",
                "response_headers_policy_id": "",
                "smooth_streaming": False,
                "target_origin_id": "web-lb",
                "trusted_key_groups": [],
                "trusted_signers": [],
                "viewer_protocol_policy": "redirect-to-https",
            }
        ],
        "default_root_object": "index.html",
        "domain_name": live["DomainName"],
        "enabled": True,
        "etag": "E2QWRUHAPOMQZL",
        "hosted_zone_id": "Z2FDTNDATAQYW2",
        "http_version": "http2",
        "id": live["Id"],
        "in_progress_validation_batches": 0,
        "is_ipv6_enabled": True,
        "last_modified_time": "2026-12-02 10:00:00.000 +0000 UTC",
        "logging_config": [],
        "ordered_cache_behavior": [],
        "origin": [
            {
                "connection_attempts": 3,
                "connection_timeout": 10,
                "custom_header": [],
                "custom_origin_config": [
                    {
                        "http_port": 80,
                        "https_port": 443,
                        "origin_keepalive_timeout": 5,
                        "origin_protocol_policy": "https-only",
                        "origin_read_timeout": 30,
                        "origin_ssl_protocols": ["TLSv1.2"],
                    }
                ],
                "domain_name": origin["DomainName"],
                "origin_access_control_id": "",
                "origin_id": "web-lb",
                "origin_path": "",
                "origin_shield": [],
                "s3_origin_config": [],
            }
        ],
        "origin_group": [],
        "price_class": "PriceClass_100",
        "restrictions": [{"geo_restriction": [{"locations": [], "restriction_type": "none"}]}],
        "retain_on_delete": False,
        "staging": False,
        "status": "Deployed",
        "tags": dict(tags),
        "tags_all": dict(tags),
        "trusted_key_groups": [{"enabled": False, "items": []}],
        "trusted_signers": [{"enabled": False, "items": []}],
        "viewer_certificate": [
            {
                "acm_certificate_arn": "",
                "cloudfront_default_certificate": True,
                "iam_certificate_id": "",
                "minimum_protocol_version": "TLSv1",
                "ssl_support_method": "",
            }
        ],
        "wait_for_deployment": True,
        "web_acl_id": "",
    }


def build_distribution(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    cloudfront = client(session, "cloudfront")
    created = cloudfront.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": _config("terraform-20261202", "web", "web-123.us-east-1.elb.amazonaws.com"),
            "Tags": {"Items": [{"Key": "Team", "Value": "edge"}]},
        }
    )["Distribution"]
    ctx["distribution_id"] = created["Id"]
    ctx["distribution_arn"] = created["ARN"]
    listed = cloudfront.list_distributions()["DistributionList"]["Items"]
    live = next(item for item in listed if item["Id"] == created["Id"])
    state.add(
        "aws_cloudfront_distribution", "web", cloudfront_distribution_attributes(live, {"Team": "edge"})
    )


def _disable_distribution(session: boto3.Session, ctx: Context) -> None:
    """The console's Disable: the distribution stops serving, nothing is deleted."""
    cloudfront = client(session, "cloudfront")
    answer = cloudfront.get_distribution_config(Id=ctx["distribution_id"])
    config = answer["DistributionConfig"]
    config["Enabled"] = False
    cloudfront.update_distribution(
        Id=ctx["distribution_id"], IfMatch=answer["ETag"], DistributionConfig=config
    )


def _new_distribution(session: boto3.Session, ctx: Context) -> str:
    created = client(session, "cloudfront").create_distribution(
        DistributionConfig=_config("console-1", "test", "test-bucket.s3.amazonaws.com")
    )
    return str(created["Distribution"]["Id"])


def build_certificate(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    acm = client(session, "acm")
    arn = acm.request_certificate(
        DomainName="www.example.com",
        ValidationMethod="DNS",
        SubjectAlternativeNames=["www.example.com", "api.example.com"],
        Tags=[{"Key": "Team", "Value": "edge"}],
    )["CertificateArn"]
    ctx["certificate_arn"] = arn
    live = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    state.add("aws_acm_certificate", "www", acm_certificate_attributes(live, {"Team": "edge"}))


CASES = [
    TypeCase(
        "aws_cloudfront_distribution",
        build=build_distribution,
        drift=_disable_distribution,
        expected=Expected(
            "changed",
            "aws_cloudfront_distribution",
            "distribution_id",
            "aws_cloudfront_distribution.web",
            paths=("enabled",),
        ),
        unmanaged=_new_distribution,
        unmanaged_type="aws_cloudfront_distribution",
    ),
    TypeCase(
        "aws_cloudfront_distribution",
        build=build_distribution,
        # A tag retagged in the console: put back by TagResource directly.
        drift=lambda s, c: client(s, "cloudfront").tag_resource(
            Resource=c["distribution_arn"], Tags={"Items": [{"Key": "Team", "Value": "someone"}]}
        ),
        expected=Expected(
            "changed",
            "aws_cloudfront_distribution",
            "distribution_id",
            "aws_cloudfront_distribution.web",
            paths=("tags.Team",),
        ),
    ),
    TypeCase(
        "aws_acm_certificate",
        build=build_certificate,
        drift=lambda s, c: client(s, "acm").add_tags_to_certificate(
            CertificateArn=c["certificate_arn"], Tags=[{"Key": "Owner", "Value": "console"}]
        ),
        expected=Expected(
            "changed",
            "aws_acm_certificate",
            "certificate_arn",
            "aws_acm_certificate.www",
            paths=("tags.Owner",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "acm").request_certificate(DomainName="test.example.org")["CertificateArn"]
        ),
        unmanaged_type="aws_acm_certificate",
    ),
]
