"""API Gateway (REST): APIs and their stages.

GetRestApis lists a region's APIs with their tags and policy (paginated); stages can only
be listed per API (GetStages, one call each, concurrently: PerParent). Settings are put
back with UpdateRestApi / UpdateStage patch operations. The Pulumi module name
(`apigateway`) is not Terraform's (`api_gateway`): the tokens are declared.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags, first_block
from guard.live.types import REGISTRY, Attrs, GraphHooks, KnownType, PerParent, ResourceType, writes
from guard.model import AwsCall, Change, Resource


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _policy(value: Any) -> str | None:
    """GetRestApis answers the policy as JSON with its quotes escaped."""
    text = _text(value)
    return normalise_policy(text.replace('\\"', '"') if text else None)


def _compression(value: Any) -> int | None:
    """Provider 5.x stores minimum_compression_size as a string, "" when unset."""
    return None if value in (None, "", -1, "-1") else int(value)


def _api_tags(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items() if not str(k).startswith("aws:")}


def _rest_api_attrs(item: Attrs) -> Attrs:
    endpoint = item.get("endpointConfiguration") or {}
    return {
        "name": item.get("name"),
        "description": _text(item.get("description")),
        "api_key_source": item.get("apiKeySource") or "HEADER",
        "binary_media_types": sorted(item.get("binaryMediaTypes") or []),
        "minimum_compression_size": _compression(item.get("minimumCompressionSize")),
        "disable_execute_api_endpoint": bool(item.get("disableExecuteApiEndpoint")),
        "endpoint_configuration": {
            "types": sorted(endpoint.get("types") or ["EDGE"]),
            "vpc_endpoint_ids": sorted(endpoint.get("vpcEndpointIds") or []),
        },
        "policy": _policy(item.get("policy")),
        "tags": _api_tags(item.get("tags")),
    }


def _rest_api_desired(attrs: Attrs) -> Attrs:
    endpoint = first_block(attrs, "endpoint_configuration")
    return {
        "name": attrs.get("name"),
        "description": _text(attrs.get("description")),
        "api_key_source": attrs.get("api_key_source") or "HEADER",
        "binary_media_types": sorted(attrs.get("binary_media_types") or []),
        "minimum_compression_size": _compression(attrs.get("minimum_compression_size")),
        "disable_execute_api_endpoint": bool(attrs.get("disable_execute_api_endpoint")),
        "endpoint_configuration": {
            "types": sorted(endpoint.get("types") or ["EDGE"]),
            "vpc_endpoint_ids": sorted(endpoint.get("vpc_endpoint_ids") or []),
        },
        "policy": _policy(attrs.get("policy")),
        "tags": declared_tags(attrs),
    }


# Top-level settings UpdateRestApi replaces in place: attribute -> patch path.
_API_PATCHES = {
    "name": "/name",
    "description": "/description",
    "api_key_source": "/apiKeySource",
    "disable_execute_api_endpoint": "/disableExecuteApiEndpoint",
}


def _patch_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@writes("update_rest_api")
def _rest_api_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _rest_api_desired(resource.attrs)
    operations = [
        {"op": "replace", "path": _API_PATCHES[path], "value": _patch_value(declared[path])}
        for path in _API_PATCHES
        if any(change.path == path for change in changes)
    ]
    if not operations:
        return []
    params = {"restApiId": resource.id, "patchOperations": operations}
    return [AwsCall("apigateway", "update_rest_api", params, resource.region)]


_API_ID = "requestParameters.restApiId"

_REST_API_EVENTS = TypeEvents(
    id_prefix="",  # REST API ids are ten random characters
    missing=("DeleteRestApi",),
    unmanaged=("CreateRestApi", "ImportRestApi"),
    changed=("UpdateRestApi", "PutRestApi", "TagResource", "UntagResource"),
    by_path={"tags": ("TagResource", "UntagResource")},
    touched_by={
        "DeleteRestApi": _API_ID,
        "UpdateRestApi": _API_ID,
        "PutRestApi": _API_ID,
        "CreateRestApi": "responseElements.id",
        "ImportRestApi": "responseElements.id",
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_api_gateway_rest_api",
        service="apigateway",
        list_call="get_rest_apis",
        items_path="items",
        id_key="id",
        to_attrs=_rest_api_attrs,
        normalise_desired=_rest_api_desired,
        compared=(
            "name",
            "description",
            "api_key_source",
            "binary_media_types",
            "minimum_compression_size",
            "disable_execute_api_endpoint",
            "endpoint_configuration",
            "policy",
            "tags",
        ),
        ignored={
            "body": "an OpenAPI document applied at create or update; its result is the API's resources",
            "put_rest_api_mode": "Terraform-only setting",
            "fail_on_warnings": "Terraform-only setting",
            "parameters": "import parameters, applied once",
            "root_resource_id": "computed",
            "created_date": "computed",
            "execution_arn": "computed",
            "arn": "computed",
        },
        restore_calls=_rest_api_restore,
        restorable=tuple(_API_PATCHES),
        delete_calls=writes("delete_rest_api")(
            lambda live: [AwsCall("apigateway", "delete_rest_api", {"restApiId": live.id}, live.region)]
        ),
        describe=lambda resource: f"REST API {resource.attrs.get('name') or resource.id}",
        events=_REST_API_EVENTS,
        pulumi_tokens=("aws:apigateway/restApi:RestApi",),
    )
)


# --- stages ----------------------------------------------------------------------------


def _stage_id(item: Attrs) -> list[Attrs]:
    """Terraform's id for a stage: ags-<api id>-<stage name>."""
    return [{**item, "Id": f"ags-{item['restApiId']}-{item['stageName']}"}]


def _log_settings(destination: Any, log_format: Any) -> Attrs | None:
    if not destination:
        return None
    return {"destination_arn": str(destination), "format": _text(log_format)}


def _stage_attrs(item: Attrs) -> Attrs:
    logs = item.get("accessLogSettings") or {}
    return {
        "rest_api_id": item.get("restApiId"),
        "stage_name": item.get("stageName"),
        "deployment_id": item.get("deploymentId"),
        "description": _text(item.get("description")),
        "cache_cluster_enabled": bool(item.get("cacheClusterEnabled")),
        "cache_cluster_size": _text(item.get("cacheClusterSize"))
        if item.get("cacheClusterEnabled")
        else None,
        "xray_tracing_enabled": bool(item.get("tracingEnabled")),
        "client_certificate_id": _text(item.get("clientCertificateId")),
        "documentation_version": _text(item.get("documentationVersion")),
        "variables": dict(item.get("variables") or {}),
        "access_log_settings": _log_settings(logs.get("destinationArn"), logs.get("format")),
        "tags": _api_tags(item.get("tags")),
    }


def _stage_desired(attrs: Attrs) -> Attrs:
    logs = first_block(attrs, "access_log_settings")
    enabled = bool(attrs.get("cache_cluster_enabled"))
    return {
        "rest_api_id": attrs.get("rest_api_id"),
        "stage_name": attrs.get("stage_name"),
        "deployment_id": attrs.get("deployment_id"),
        "description": _text(attrs.get("description")),
        "cache_cluster_enabled": enabled,
        "cache_cluster_size": _text(attrs.get("cache_cluster_size")) if enabled else None,
        "xray_tracing_enabled": bool(attrs.get("xray_tracing_enabled")),
        "client_certificate_id": _text(attrs.get("client_certificate_id")),
        "documentation_version": _text(attrs.get("documentation_version")),
        "variables": dict(attrs.get("variables") or {}),
        "access_log_settings": _log_settings(logs.get("destination_arn"), logs.get("format")),
        "tags": declared_tags(attrs),
    }


_STAGE_PATCHES = {
    "deployment_id": "/deploymentId",
    "description": "/description",
    "cache_cluster_enabled": "/cacheClusterEnabled",
    "xray_tracing_enabled": "/tracingEnabled",
    "client_certificate_id": "/clientCertificateId",
    "documentation_version": "/documentationVersion",
}


@writes("update_stage")
def _stage_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _stage_desired(resource.attrs)
    operations: list[dict[str, str]] = []
    for change in changes:
        if change.path in _STAGE_PATCHES:
            value = _patch_value(declared[change.path])
            operations.append({"op": "replace", "path": _STAGE_PATCHES[change.path], "value": value})
        elif change.path.startswith("variables."):
            name = change.path[len("variables.") :]
            if change.expected is None:
                operations.append({"op": "remove", "path": f"/variables/{name}"})
            else:
                operations.append(
                    {"op": "replace", "path": f"/variables/{name}", "value": str(change.expected)}
                )
    if not operations:
        return []
    params = {
        "restApiId": declared["rest_api_id"],
        "stageName": declared["stage_name"],
        "patchOperations": operations,
    }
    return [AwsCall("apigateway", "update_stage", params, resource.region)]


_STAGE_EVENTS = TypeEvents(
    id_prefix="",  # the events name the stage's API: on-event reads the API with its stages
    missing=("DeleteStage",),
    unmanaged=("CreateStage",),
    changed=("UpdateStage", "CreateDeployment", "TagResource", "UntagResource"),
    by_path={
        "deployment_id": ("UpdateStage", "CreateDeployment"),
        "tags": ("TagResource", "UntagResource"),
    },
    # CloudTrail names a stage by its API and name; no field carries Terraform's ags- id, so
    # the API is named and read with its stages.
    touched_by=dict.fromkeys(
        ("CreateStage", "UpdateStage", "DeleteStage", "CreateDeployment"), "requestParameters.restApiId"
    ),
    names_parent=True,
)


REGISTRY.register(
    ResourceType(
        name="aws_api_gateway_stage",
        service="apigateway",
        list_call="get_stages",
        items_path="item",
        id_key="Id",
        per_parent=PerParent("aws_api_gateway_rest_api", "restApiId"),
        split_item=_stage_id,
        to_attrs=_stage_attrs,
        normalise_desired=_stage_desired,
        compared=(
            "stage_name",
            "deployment_id",
            "description",
            "cache_cluster_enabled",
            "cache_cluster_size",
            "xray_tracing_enabled",
            "client_certificate_id",
            "documentation_version",
            "variables",
            "access_log_settings",
            "tags",
        ),
        ignored={
            "rest_api_id": "the stage's parent; a stage cannot move",
            "canary_settings": "not compared yet",
            "web_acl_arn": "set by aws_wafv2_web_acl_association",
            "invoke_url": "computed",
            "execution_arn": "computed",
            "arn": "computed",
        },
        parent=("rest_api_id", "aws_api_gateway_rest_api"),
        restore_calls=_stage_restore,
        restorable=(*_STAGE_PATCHES, "variables"),
        delete_calls=writes("delete_stage")(
            lambda live: [
                AwsCall(
                    "apigateway",
                    "delete_stage",
                    {"restApiId": live.attrs.get("rest_api_id"), "stageName": live.attrs.get("stage_name")},
                    live.region,
                )
            ]
        ),
        describe=lambda resource: (
            f"stage {resource.attrs.get('stage_name')} of REST API {resource.attrs.get('rest_api_id')}"
        ),
        events=_STAGE_EVENTS,
        pulumi_tokens=("aws:apigateway/stage:Stage",),
        graph=GraphHooks(
            forward=("rest_api_id",), name=lambda attrs: str(attrs.get("stage_name") or "stage")
        ),
    )
)

REGISTRY.know(
    KnownType("aws_api_gateway_deployment", pulumi_tokens=("aws:apigateway/deployment:Deployment",))
)
