"""Route53 health checks (global, read once per account): one paginated ListHealthChecks,
their tags from ListTagsForResources (10 health checks a call). Health checks that another
service made for itself (Cloud Map: `LinkedService`) are that service's."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, DetailCall, GraphHooks, ResourceType, writes
from guard.model import AwsCall, Change, Resource


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _merge_tags(item: Attrs, answer: Attrs) -> None:
    item["Tags"] = answer.get("Tags") or []


def _shape(values: Attrs) -> Attrs:
    """One shape for state and AWS; HTTP settings mean nothing on a TCP or calculated check."""
    kind = str(values.get("type") or "")
    http = kind.startswith(("HTTP", "HTTPS"))
    return {
        "type": kind,
        "fqdn": _text(values.get("fqdn")),
        "ip_address": _text(values.get("ip_address")),
        "port": int(values["port"]) if values.get("port") else None,
        "resource_path": _text(values.get("resource_path")) if http else None,
        "search_string": _text(values.get("search_string")) if "STR_MATCH" in kind else None,
        "failure_threshold": int(values.get("failure_threshold") or 3) if kind != "CALCULATED" else None,
        "request_interval": int(values.get("request_interval") or 30) if kind != "CALCULATED" else None,
        "invert_healthcheck": bool(values.get("invert_healthcheck")),
        "disabled": bool(values.get("disabled")),
        "enable_sni": bool(values.get("enable_sni")) if kind.startswith("HTTPS") else None,
        "measure_latency": bool(values.get("measure_latency")),
        "regions": sorted(values.get("regions") or []),
        "child_healthchecks": sorted(values.get("child_healthchecks") or []),
        "child_health_threshold": int(values.get("child_health_threshold") or 0)
        if kind == "CALCULATED"
        else None,
    }


def _check_attrs(item: Attrs) -> Attrs:
    config = item.get("HealthCheckConfig") or {}
    shaped = _shape(
        {
            "type": config.get("Type"),
            "fqdn": config.get("FullyQualifiedDomainName"),
            "ip_address": config.get("IPAddress"),
            "port": config.get("Port"),
            "resource_path": config.get("ResourcePath"),
            "search_string": config.get("SearchString"),
            "failure_threshold": config.get("FailureThreshold"),
            "request_interval": config.get("RequestInterval"),
            "invert_healthcheck": config.get("Inverted"),
            "disabled": config.get("Disabled"),
            "enable_sni": config.get("EnableSNI"),
            "measure_latency": config.get("MeasureLatency"),
            "regions": config.get("Regions"),
            "child_healthchecks": config.get("ChildHealthChecks"),
            "child_health_threshold": config.get("HealthThreshold"),
        }
    )
    return {**shaped, "tags": tags(item)}


def _check_desired(attrs: Attrs) -> Attrs:
    return {**_shape(attrs), "tags": declared_tags(attrs)}


# Settings UpdateHealthCheck puts back in place: attribute -> request parameter.
_SETTABLE = {
    "fqdn": "FullyQualifiedDomainName",
    "ip_address": "IPAddress",
    "port": "Port",
    "resource_path": "ResourcePath",
    "search_string": "SearchString",
    "failure_threshold": "FailureThreshold",
    "invert_healthcheck": "Inverted",
    "disabled": "Disabled",
    "enable_sni": "EnableSNI",
    "regions": "Regions",
    "child_healthchecks": "ChildHealthChecks",
    "child_health_threshold": "HealthThreshold",
}
_RESETTABLE = {
    "fqdn": "FullyQualifiedDomainName",
    "regions": "Regions",
    "child_healthchecks": "ChildHealthChecks",
}


@writes("update_health_check", "change_tags_for_resource")
def _check_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _check_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    params: dict[str, Any] = {}
    reset: list[str] = []
    for path in sorted(paths & set(_SETTABLE)):
        value = declared[path]
        if value in (None, []):
            if path in _RESETTABLE:
                reset.append(_RESETTABLE[path])
        else:
            params[_SETTABLE[path]] = value
    calls = []
    if params or reset:
        request = {"HealthCheckId": resource.id, **params, **({"ResetElements": reset} if reset else {})}
        calls.append(AwsCall("route53", "update_health_check", request))
    restore, remove = tag_changes(changes)
    if restore or remove:
        request = {"ResourceType": "healthcheck", "ResourceId": resource.id}
        if restore:
            request["AddTags"] = [{"Key": k, "Value": v} for k, v in restore.items()]
        if remove:
            request["RemoveTagKeys"] = remove
        calls.append(AwsCall("route53", "change_tags_for_resource", request))
    return calls


_ID = "requestParameters.healthCheckId"

_CHECK_EVENTS = TypeEvents(
    id_prefix="",  # health check ids are UUIDs
    missing=("DeleteHealthCheck",),
    unmanaged=("CreateHealthCheck",),
    changed=("UpdateHealthCheck", "ChangeTagsForResource"),
    by_path={"tags": ("ChangeTagsForResource",)},
    touched_by={
        "DeleteHealthCheck": _ID,
        "UpdateHealthCheck": _ID,
        "CreateHealthCheck": "responseElements.healthCheck.id",
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_route53_health_check",
        service="route53",
        list_call="list_health_checks",
        items_path="HealthChecks",
        id_key="Id",
        global_service=True,
        details=(
            DetailCall(
                operation="list_tags_for_resources",
                param="ResourceIds",
                items_path="ResourceTagSets",
                answer_key="ResourceId",
                merge=_merge_tags,
                batch=10,  # the API's limit
                params={"ResourceType": "healthcheck"},
            ),
        ),
        to_attrs=_check_attrs,
        normalise_desired=_check_desired,
        compared=(
            "type",
            "fqdn",
            "ip_address",
            "port",
            "resource_path",
            "search_string",
            "failure_threshold",
            "request_interval",
            "invert_healthcheck",
            "disabled",
            "enable_sni",
            "measure_latency",
            "regions",
            "child_healthchecks",
            "child_health_threshold",
            "tags",
        ),
        ignored={
            "cloudwatch_alarm_name": "CLOUDWATCH_METRIC checks only; not compared yet",
            "cloudwatch_alarm_region": "CLOUDWATCH_METRIC checks only; not compared yet",
            "insufficient_data_health_status": "CLOUDWATCH_METRIC checks only; not compared yet",
            "routing_control_arn": "RECOVERY_CONTROL checks only; not compared yet",
            "reference_name": "part of the caller reference, applied at creation",
            "triggers": "Terraform-only setting",
            "arn": "computed",
        },
        aws_default=lambda item: bool(item.get("LinkedService")),
        restore_calls=_check_restore,
        restorable=(*_SETTABLE, "tags"),
        delete_calls=writes("delete_health_check")(
            lambda live: [AwsCall("route53", "delete_health_check", {"HealthCheckId": live.id})]
        ),
        describe=lambda resource: (
            f"health check {resource.attrs.get('fqdn') or resource.attrs.get('ip_address') or resource.id}"
        ),
        events=_CHECK_EVENTS,
        pulumi_tokens=("aws:route53/healthCheck:HealthCheck",),
        # Records name it by id (health_check_id); plain references join them.
        graph=GraphHooks(
            name=lambda attrs: str(attrs.get("fqdn") or attrs.get("ip_address") or "health check")
        ),
    )
)
