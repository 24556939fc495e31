"""ACM certificates: one paginated ListCertificates per region (every key algorithm: by
default AWS lists only RSA_2048), then DescribeCertificate and ListTagsForCertificate per
certificate, concurrently (ACM has no batch read of either)."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.shape import declared_tags, first_block, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_KEY_TYPES = (
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
    "EC_secp521r1",
)


@reads("describe_certificate", "list_tags_for_certificate")
def read_certificate(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
    acm = clients.client("acm", region)
    arn = item["CertificateArn"]
    described = acm.describe_certificate(CertificateArn=arn).get("Certificate") or {}
    listed = acm.list_tags_for_certificate(CertificateArn=arn).get("Tags") or []
    return {**item, **described, "Tags": listed}


def _alternative_names(domain: Any, names: Any) -> list[str]:
    """The provider stores the names besides domain_name; AWS lists domain_name among them."""
    return sorted({str(name) for name in names or []} - {str(domain)})


def _certificate_attrs(item: Attrs) -> Attrs:
    options = item.get("Options") or {}
    return {
        "domain_name": item.get("DomainName"),
        "subject_alternative_names": _alternative_names(
            item.get("DomainName"), item.get("SubjectAlternativeNames")
        ),
        "key_algorithm": item.get("KeyAlgorithm"),
        "certificate_transparency_logging_preference": options.get("CertificateTransparencyLoggingPreference")
        or "ENABLED",
        "type": item.get("Type"),
        "tags": tags(item),
    }


def _certificate_desired(attrs: Attrs) -> Attrs:
    options = first_block(attrs, "options")
    return {
        "domain_name": attrs.get("domain_name"),
        "subject_alternative_names": _alternative_names(
            attrs.get("domain_name"), attrs.get("subject_alternative_names")
        ),
        "key_algorithm": attrs.get("key_algorithm") or "RSA_2048",
        "certificate_transparency_logging_preference": options.get(
            "certificate_transparency_logging_preference"
        )
        or "ENABLED",
        "type": attrs.get("type"),
        "tags": declared_tags(attrs),
    }


@writes("add_tags_to_certificate", "remove_tags_from_certificate")
def _tag_calls(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    restore, remove = tag_changes(changes)
    calls = []
    if restore:
        calls.append(
            AwsCall(
                "acm",
                "add_tags_to_certificate",
                {"CertificateArn": resource.id, "Tags": [{"Key": k, "Value": v} for k, v in restore.items()]},
                resource.region,
            )
        )
    if remove:
        calls.append(
            AwsCall(
                "acm",
                "remove_tags_from_certificate",
                {"CertificateArn": resource.id, "Tags": [{"Key": k} for k in remove]},
                resource.region,
            )
        )
    return calls


_ARN = "requestParameters.certificateArn"

_CERTIFICATE_EVENTS = TypeEvents(
    id_prefix="arn:aws:acm:",
    missing=("DeleteCertificate",),
    unmanaged=("RequestCertificate", "ImportCertificate"),
    changed=(
        "UpdateCertificateOptions",
        "ImportCertificate",
        "AddTagsToCertificate",
        "RemoveTagsFromCertificate",
    ),
    by_path={
        "tags": ("AddTagsToCertificate", "RemoveTagsFromCertificate"),
        "certificate_transparency_logging_preference": ("UpdateCertificateOptions",),
        "key_algorithm": ("ImportCertificate",),
        "domain_name": ("ImportCertificate",),
        "subject_alternative_names": ("ImportCertificate",),
    },
    touched_by={
        "DeleteCertificate": _ARN,
        "UpdateCertificateOptions": _ARN,
        "AddTagsToCertificate": _ARN,
        "RemoveTagsFromCertificate": _ARN,
        "RequestCertificate": "responseElements.certificateArn",
        "ImportCertificate": "responseElements.certificateArn",
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_acm_certificate",
        service="acm",
        list_call="list_certificates",
        list_params={"Includes": {"keyTypes": list(_KEY_TYPES)}},
        items_path="CertificateSummaryList",
        id_key="CertificateArn",
        per_item=read_certificate,
        to_attrs=_certificate_attrs,
        normalise_desired=_certificate_desired,
        compared=(
            "domain_name",
            "subject_alternative_names",
            "key_algorithm",
            "certificate_transparency_logging_preference",
            "type",
            "tags",
        ),
        ignored={
            "options": "its certificate_transparency_logging_preference is compared",
            "arn": "the id",
            "status": "moves with validation, renewal and expiry, not with an edit",
            "not_after": "moves with renewal",
            "not_before": "moves with renewal",
            "pending_renewal": "computed",
            "renewal_eligibility": "computed",
            "renewal_summary": "computed",
            "domain_validation_options": "computed from the names",
            "validation_emails": "computed",
            "validation_method": "fixed at request",
            "validation_option": "applies at request only",
            "certificate_authority_arn": "fixed at request (private certificates)",
            "certificate_body": "an imported certificate's body; its names and key algorithm are compared",
            "certificate_chain": "an imported certificate's chain; not returned by DescribeCertificate",
            "private_key": "sensitive, never returned by AWS",
            "early_renewal_duration": "Terraform-only setting",
        },
        # CloudFront-managed certificates (ManagedBy) belong to the service that made them.
        aws_default=lambda item: bool(item.get("ManagedBy")),
        restore_calls=_tag_calls,
        restorable=("tags",),
        delete_calls=writes("delete_certificate")(
            lambda live: [AwsCall("acm", "delete_certificate", {"CertificateArn": live.id}, live.region)]
        ),
        describe=lambda resource: f"certificate {resource.attrs.get('domain_name') or resource.id}",
        events=_CERTIFICATE_EVENTS,
        pulumi_tokens=("aws:acm/certificate:Certificate",),
        # Listeners and distributions name it by ARN; plain references join them.
        graph=GraphHooks(name=lambda attrs: str(attrs.get("domain_name") or "certificate")),
    )
)
