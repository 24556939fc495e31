"""API Gateway v2 (HTTP and WebSocket APIs) and their stages.

GetApis lists a region's APIs with their tags (paginated); stages can only be listed per
API (GetStages, paginated, once per API: PerParent). An API's settings are put back with
UpdateApi; a deleted stage is re-created with CreateStage.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents
from guard.live.shape import declared_tags, first_block
from guard.live.types import REGISTRY, Attrs, GraphHooks, PerParent, ResourceType, writes
from guard.model import AwsCall, Change, Resource


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _tags(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items() if not str(k).startswith("aws:")}


def _cors(values: Attrs) -> Attrs | None:
    if not values:
        return None
    return {
        "allow_credentials": bool(values.get("allow_credentials")),
        "allow_headers": sorted(h.lower() for h in values.get("allow_headers") or []),
        "allow_methods": sorted(m.upper() for m in values.get("allow_methods") or []),
        "allow_origins": sorted(values.get("allow_origins") or []),
        "expose_headers": sorted(h.lower() for h in values.get("expose_headers") or []),
        "max_age": int(values.get("max_age") or 0),
    }


def _api_attrs(item: Attrs) -> Attrs:
    cors = item.get("CorsConfiguration") or {}
    return {
        "name": item.get("Name"),
        "protocol_type": item.get("ProtocolType"),
        "description": _text(item.get("Description")),
        "version": _text(item.get("Version")),
        "disable_execute_api_endpoint": bool(item.get("DisableExecuteApiEndpoint")),
        "route_selection_expression": item.get("RouteSelectionExpression"),
        "api_key_selection_expression": item.get("ApiKeySelectionExpression"),
        "cors_configuration": _cors(
            {
                "allow_credentials": cors.get("AllowCredentials"),
                "allow_headers": cors.get("AllowHeaders"),
                "allow_methods": cors.get("AllowMethods"),
                "allow_origins": cors.get("AllowOrigins"),
                "expose_headers": cors.get("ExposeHeaders"),
                "max_age": cors.get("MaxAge"),
            }
            if cors
            else {}
        ),
        "api_endpoint": item.get("ApiEndpoint"),
        "tags": _tags(item.get("Tags")),
    }


def _api_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "protocol_type": attrs.get("protocol_type"),
        "description": _text(attrs.get("description")),
        "version": _text(attrs.get("version")),
        "disable_execute_api_endpoint": bool(attrs.get("disable_execute_api_endpoint")),
        "route_selection_expression": attrs.get("route_selection_expression")
        or "$request.method $request.path",
        "api_key_selection_expression": attrs.get("api_key_selection_expression")
        or "$request.header.x-api-key",
        "cors_configuration": _cors(first_block(attrs, "cors_configuration")),
        "api_endpoint": attrs.get("api_endpoint"),
        "tags": declared_tags(attrs),
    }


_API_SETTINGS = {
    "name": "Name",
    "description": "Description",
    "version": "Version",
    "disable_execute_api_endpoint": "DisableExecuteApiEndpoint",
    "route_selection_expression": "RouteSelectionExpression",
    "api_key_selection_expression": "ApiKeySelectionExpression",
}


@writes("update_api", "delete_cors_configuration")
def _api_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _api_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    params: dict[str, Any] = {
        key: declared[path] if declared[path] is not None else ""
        for path, key in _API_SETTINGS.items()
        if path in paths
    }
    calls = []
    cors = declared["cors_configuration"]
    if "cors_configuration" in paths and cors is None:
        calls.append(
            AwsCall("apigatewayv2", "delete_cors_configuration", {"ApiId": resource.id}, resource.region)
        )
    elif "cors_configuration" in paths:
        params["CorsConfiguration"] = {
            "AllowCredentials": cors["allow_credentials"],
            "AllowHeaders": cors["allow_headers"],
            "AllowMethods": cors["allow_methods"],
            "AllowOrigins": cors["allow_origins"],
            "ExposeHeaders": cors["expose_headers"],
            "MaxAge": cors["max_age"],
        }
    if params:
        calls.insert(
            0, AwsCall("apigatewayv2", "update_api", {"ApiId": resource.id, **params}, resource.region)
        )
    return calls


_API_ID = "requestParameters.apiId"

_API_EVENTS = TypeEvents(
    id_prefix="",  # API ids are random characters
    missing=("DeleteApi",),
    unmanaged=("CreateApi", "ImportApi"),
    changed=("UpdateApi", "ReimportApi", "DeleteCorsConfiguration", "TagResource", "UntagResource"),
    by_path={
        "cors_configuration": ("UpdateApi", "DeleteCorsConfiguration"),
        "tags": ("TagResource", "UntagResource"),
    },
    touched_by={
        "DeleteApi": _API_ID,
        "UpdateApi": _API_ID,
        "ReimportApi": _API_ID,
        "DeleteCorsConfiguration": _API_ID,
        "CreateApi": "responseElements.apiId",
        "ImportApi": "responseElements.apiId",
    },
)


REGISTRY.register(
    ResourceType(
        name="aws_apigatewayv2_api",
        service="apigatewayv2",
        list_call="get_apis",
        items_path="Items",
        id_key="ApiId",
        to_attrs=_api_attrs,
        normalise_desired=_api_desired,
        compared=(
            "name",
            "protocol_type",
            "description",
            "version",
            "disable_execute_api_endpoint",
            "route_selection_expression",
            "api_key_selection_expression",
            "cors_configuration",
            "tags",
        ),
        ignored={
            "body": "an OpenAPI document applied at create or reimport; its result is the routes",
            "credentials_arn": "quick-create only, applied once",
            "route_key": "quick-create only, applied once",
            "target": "quick-create only, applied once",
            "fail_on_warnings": "Terraform-only setting",
            "api_endpoint": "computed",
            "execution_arn": "computed",
            "arn": "computed",
        },
        restore_calls=_api_restore,
        restorable=(*_API_SETTINGS, "cors_configuration"),
        delete_calls=writes("delete_api")(
            lambda live: [AwsCall("apigatewayv2", "delete_api", {"ApiId": live.id}, live.region)]
        ),
        describe=lambda resource: f"API {resource.attrs.get('name') or resource.id}",
        events=_API_EVENTS,
        pulumi_tokens=("aws:apigatewayv2/api:Api",),
    )
)


# --- stages ----------------------------------------------------------------------------


def _log_settings(destination: Any, log_format: Any) -> Attrs | None:
    if not destination:
        return None
    return {"destination_arn": str(destination), "format": _text(log_format)}


def _route_defaults(values: Attrs) -> Attrs:
    return {
        "data_trace_enabled": bool(values.get("data_trace_enabled")),
        "detailed_metrics_enabled": bool(values.get("detailed_metrics_enabled")),
        "logging_level": _text(values.get("logging_level")),
        "throttling_burst_limit": int(values.get("throttling_burst_limit") or 0),
        "throttling_rate_limit": float(values.get("throttling_rate_limit") or 0),
    }


def _stage_attrs(item: Attrs) -> Attrs:
    logs = item.get("AccessLogSettings") or {}
    defaults = item.get("DefaultRouteSettings") or {}
    return {
        "api_id": item.get("ApiId"),
        "name": item.get("StageName"),
        "auto_deploy": bool(item.get("AutoDeploy")),
        # An auto-deployed stage moves to every new deployment by itself.
        "deployment_id": None if item.get("AutoDeploy") else _text(item.get("DeploymentId")),
        "description": _text(item.get("Description")),
        "client_certificate_id": _text(item.get("ClientCertificateId")),
        "stage_variables": dict(item.get("StageVariables") or {}),
        "access_log_settings": _log_settings(logs.get("DestinationArn"), logs.get("Format")),
        "default_route_settings": _route_defaults(
            {
                "data_trace_enabled": defaults.get("DataTraceEnabled"),
                "detailed_metrics_enabled": defaults.get("DetailedMetricsEnabled"),
                "logging_level": defaults.get("LoggingLevel"),
                "throttling_burst_limit": defaults.get("ThrottlingBurstLimit"),
                "throttling_rate_limit": defaults.get("ThrottlingRateLimit"),
            }
        ),
        "tags": _tags(item.get("Tags")),
    }


def _stage_desired(attrs: Attrs) -> Attrs:
    logs = first_block(attrs, "access_log_settings")
    auto = bool(attrs.get("auto_deploy"))
    return {
        "api_id": attrs.get("api_id"),
        "name": attrs.get("name"),
        "auto_deploy": auto,
        "deployment_id": None if auto else _text(attrs.get("deployment_id")),
        "description": _text(attrs.get("description")),
        "client_certificate_id": _text(attrs.get("client_certificate_id")),
        "stage_variables": dict(attrs.get("stage_variables") or {}),
        "access_log_settings": _log_settings(logs.get("destination_arn"), logs.get("format")),
        "default_route_settings": _route_defaults(first_block(attrs, "default_route_settings")),
        "tags": declared_tags(attrs),
    }


@writes("create_stage")
def _recreate_stage(resource: Resource) -> list[AwsCall]:
    declared = _stage_desired(resource.attrs)
    params: dict[str, Any] = {
        "ApiId": declared["api_id"],
        "StageName": declared["name"],
        "AutoDeploy": declared["auto_deploy"],
    }
    optional = {
        "DeploymentId": declared["deployment_id"],
        "Description": declared["description"],
        "ClientCertificateId": declared["client_certificate_id"],
        "StageVariables": declared["stage_variables"],
        "Tags": declared["tags"],
    }
    params.update({key: value for key, value in optional.items() if value})
    logs = declared["access_log_settings"]
    if logs:
        params["AccessLogSettings"] = {
            "DestinationArn": logs["destination_arn"],
            "Format": logs["format"] or "",
        }
    return [AwsCall("apigatewayv2", "create_stage", params, resource.region)]


_STAGE_EVENTS = TypeEvents(
    id_prefix="",  # a stage's id is its name
    missing=("DeleteStage",),
    unmanaged=("CreateStage",),
    changed=("UpdateStage", "CreateDeployment", "TagResource", "UntagResource"),
    by_path={"tags": ("TagResource", "UntagResource"), "deployment_id": ("UpdateStage", "CreateDeployment")},
    # CloudTrail names a stage by API and name (REST API stages share the event names, with
    # restApiId instead): the API is named and read with its stages.
    touched_by=dict.fromkeys(
        ("CreateStage", "UpdateStage", "DeleteStage", "CreateDeployment"), "requestParameters.apiId"
    ),
    names_parent=True,
)


REGISTRY.register(
    ResourceType(
        name="aws_apigatewayv2_stage",
        service="apigatewayv2",
        list_call="get_stages",
        items_path="Items",
        id_key="StageName",
        per_parent=PerParent("aws_apigatewayv2_api", "ApiId"),
        to_attrs=_stage_attrs,
        normalise_desired=_stage_desired,
        # Terraform's id is the stage name alone; `$default` and `prod` repeat across APIs.
        match_key=lambda resource: (
            f"{resource.attrs.get('api_id')}/{resource.attrs.get('name') or resource.id}"
        ),
        compared=(
            "name",
            "auto_deploy",
            "deployment_id",
            "description",
            "client_certificate_id",
            "stage_variables",
            "access_log_settings",
            "default_route_settings",
            "tags",
        ),
        ignored={
            "api_id": "the stage's parent; a stage cannot move",
            "route_settings": "not compared yet",
            "arn": "computed",
            "execution_arn": "computed",
            "invoke_url": "computed",
        },
        parent=("api_id", "aws_apigatewayv2_api"),
        recreate_calls=_recreate_stage,
        delete_calls=writes("delete_stage")(
            lambda live: [
                AwsCall(
                    "apigatewayv2",
                    "delete_stage",
                    {"ApiId": live.attrs.get("api_id"), "StageName": live.attrs.get("name")},
                    live.region,
                )
            ]
        ),
        describe=lambda resource: f"stage {resource.attrs.get('name')} of API {resource.attrs.get('api_id')}",
        events=_STAGE_EVENTS,
        pulumi_tokens=("aws:apigatewayv2/stage:Stage",),
        graph=GraphHooks(forward=("api_id",), name=lambda attrs: str(attrs.get("name") or "stage")),
    )
)
