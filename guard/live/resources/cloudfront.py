"""CloudFront distributions (global, read once per account).

One paginated ListDistributions: its summaries carry the settings a console edit changes
(enabled, origins, the default cache behaviour, certificate, WAF ACL, aliases). CloudFront
has no batch tag call, so ListTagsForResource runs once per distribution, concurrently.
UpdateDistribution needs the whole config and the current ETag: a changed setting is put
back by the IaC tool, tags directly.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.shape import declared_tags, first_block, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource


def _items(value: Any) -> list[Any]:
    """CloudFront's `{"Quantity": n, "Items": [...]}` lists."""
    return list((value or {}).get("Items") or [])


@reads("list_tags_for_resource")
def read_distribution(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
    listed = clients.client("cloudfront", region).list_tags_for_resource(Resource=item["ARN"])
    return {**item, "Tags": _items(listed.get("Tags"))}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _origin(origin_id: Any, domain: Any, path: Any) -> Attrs:
    return {"origin_id": str(origin_id), "domain_name": str(domain).lower(), "origin_path": _text(path)}


def _behaviour(values: Attrs) -> Attrs:
    return {
        "target_origin_id": values.get("target_origin_id"),
        "viewer_protocol_policy": values.get("viewer_protocol_policy"),
        "allowed_methods": sorted(values.get("allowed_methods") or []),
        "cached_methods": sorted(values.get("cached_methods") or []),
        "cache_policy_id": _text(values.get("cache_policy_id")),
        "origin_request_policy_id": _text(values.get("origin_request_policy_id")),
        "compress": bool(values.get("compress")),
    }


def _certificate(values: Attrs) -> Attrs:
    default = bool(values.get("cloudfront_default_certificate"))
    return {
        "acm_certificate_arn": _text(values.get("acm_certificate_arn")),
        "cloudfront_default_certificate": default,
        # With the default certificate AWS answers TLSv1 and sni-only whatever was asked.
        "minimum_protocol_version": None if default else _text(values.get("minimum_protocol_version")),
        "ssl_support_method": None if default else _text(values.get("ssl_support_method")),
    }


def _distribution_attrs(item: Attrs) -> Attrs:
    behaviour = item.get("DefaultCacheBehavior") or {}
    methods = behaviour.get("AllowedMethods") or {}
    certificate = item.get("ViewerCertificate") or {}
    geo = (item.get("Restrictions") or {}).get("GeoRestriction") or {}
    return {
        "enabled": bool(item.get("Enabled")),
        "comment": _text(item.get("Comment")),
        "aliases": sorted(_items(item.get("Aliases"))),
        "price_class": item.get("PriceClass") or "PriceClass_All",
        "http_version": item.get("HttpVersion") or "http2",
        "is_ipv6_enabled": bool(item.get("IsIPV6Enabled")),
        "web_acl_id": _text(item.get("WebACLId")),
        "origin": sorted(
            (
                _origin(o.get("Id"), o.get("DomainName"), o.get("OriginPath"))
                for o in _items(item.get("Origins"))
            ),
            key=lambda o: o["origin_id"],
        ),
        "default_cache_behavior": _behaviour(
            {
                "target_origin_id": behaviour.get("TargetOriginId"),
                "viewer_protocol_policy": behaviour.get("ViewerProtocolPolicy"),
                "allowed_methods": _items(methods),
                "cached_methods": _items(methods.get("CachedMethods")),
                "cache_policy_id": behaviour.get("CachePolicyId"),
                "origin_request_policy_id": behaviour.get("OriginRequestPolicyId"),
                "compress": behaviour.get("Compress"),
            }
        ),
        "viewer_certificate": _certificate(
            {
                "acm_certificate_arn": certificate.get("ACMCertificateArn"),
                "cloudfront_default_certificate": certificate.get("CloudFrontDefaultCertificate"),
                "minimum_protocol_version": certificate.get("MinimumProtocolVersion"),
                "ssl_support_method": certificate.get("SSLSupportMethod"),
            }
        ),
        "geo_restriction": {
            "restriction_type": geo.get("RestrictionType") or "none",
            "locations": sorted(_items(geo)),
        },
        "domain_name": item.get("DomainName"),
        "tags": tags(item),
    }


def _distribution_desired(attrs: Attrs) -> Attrs:
    behaviour = first_block(attrs, "default_cache_behavior")
    geo = first_block(first_block(attrs, "restrictions"), "geo_restriction")
    return {
        "enabled": bool(attrs.get("enabled")),
        "comment": _text(attrs.get("comment")),
        "aliases": sorted(attrs.get("aliases") or []),
        "price_class": attrs.get("price_class") or "PriceClass_All",
        "http_version": attrs.get("http_version") or "http2",
        "is_ipv6_enabled": bool(attrs.get("is_ipv6_enabled")),
        "web_acl_id": _text(attrs.get("web_acl_id")),
        "origin": sorted(
            (
                _origin(o.get("origin_id"), o.get("domain_name"), o.get("origin_path"))
                for o in attrs.get("origin") or []
            ),
            key=lambda o: o["origin_id"],
        ),
        "default_cache_behavior": _behaviour(behaviour),
        "viewer_certificate": _certificate(first_block(attrs, "viewer_certificate")),
        "geo_restriction": {
            "restriction_type": geo.get("restriction_type") or "none",
            "locations": sorted(geo.get("locations") or []),
        },
        "domain_name": attrs.get("domain_name"),
        "tags": declared_tags(attrs),
    }


@writes("tag_resource", "untag_resource")
def _tag_calls(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    restore, remove = tag_changes(changes)
    arn = resource.attrs.get("arn") or f"arn:aws:cloudfront::{resource.account}:distribution/{resource.id}"
    calls = []
    if restore:
        items = [{"Key": k, "Value": v} for k, v in restore.items()]
        calls.append(AwsCall("cloudfront", "tag_resource", {"Resource": arn, "Tags": {"Items": items}}))
    if remove:
        calls.append(AwsCall("cloudfront", "untag_resource", {"Resource": arn, "TagKeys": {"Items": remove}}))
    return calls


_DISTRIBUTION_EVENTS = TypeEvents(
    id_prefix="E",  # distribution ids look like E2QWRUHAPOMQZL
    missing=("DeleteDistribution",),
    unmanaged=("CreateDistribution", "CreateDistributionWithTags", "CopyDistribution"),
    changed=("UpdateDistribution", "TagResource", "UntagResource"),
    by_path={"tags": ("TagResource", "UntagResource")},
    touched_by={
        "DeleteDistribution": "requestParameters.id",
        "UpdateDistribution": "requestParameters.id",
        "CreateDistribution": "responseElements.distribution.id",
        "CreateDistributionWithTags": "responseElements.distribution.id",
        "CopyDistribution": "responseElements.distribution.id",
    },
)


def _distribution_name(attrs: Attrs) -> str:
    aliases = attrs.get("aliases") or []
    return str(aliases[0] if aliases else attrs.get("comment") or attrs.get("domain_name") or "distribution")


REGISTRY.register(
    ResourceType(
        name="aws_cloudfront_distribution",
        service="cloudfront",
        list_call="list_distributions",
        items_path="DistributionList.Items",
        id_key="Id",
        per_item=read_distribution,
        global_service=True,
        to_attrs=_distribution_attrs,
        normalise_desired=_distribution_desired,
        compared=(
            "enabled",
            "comment",
            "aliases",
            "price_class",
            "http_version",
            "is_ipv6_enabled",
            "web_acl_id",
            "origin",
            "default_cache_behavior",
            "viewer_certificate",
            "geo_restriction",
            "tags",
        ),
        ignored={
            "restrictions": "its geo_restriction is compared",
            "domain_name": "assigned by CloudFront",
            "default_root_object": "not in ListDistributions; needs a GetDistributionConfig each",
            "logging_config": "not in ListDistributions; needs a GetDistributionConfig each",
            "ordered_cache_behavior": "not compared yet",
            "custom_error_response": "not compared yet",
            "origin_group": "not compared yet",
            "continuous_deployment_policy_id": "not compared yet",
            "staging": "set at creation",
            "trusted_key_groups": "computed",
            "trusted_signers": "computed",
            "in_progress_validation_batches": "computed",
            "caller_reference": "computed",
            "etag": "computed, changes with every update",
            "hosted_zone_id": "always Z2FDTNDATAQYW2",
            "last_modified_time": "computed",
            "status": "computed (InProgress while deploying)",
            "arn": "computed",
            "retain_on_delete": "Terraform-only setting",
            "wait_for_deployment": "Terraform-only setting",
        },
        restore_calls=_tag_calls,
        restorable=("tags",),
        describe=lambda resource: f"CloudFront distribution {_distribution_name(resource.attrs)}",
        events=_DISTRIBUTION_EVENTS,
        pulumi_tokens=("aws:cloudfront/distribution:Distribution",),
        # Its origins name the load balancers and buckets behind it; plain references join them.
        graph=GraphHooks(name=_distribution_name),
    )
)
