"""Cases for API Gateway v2: an HTTP API with CORS and one stage.

State attributes are the AWS provider 5.x shape. moto has no UpdateStage, so the stage's
case deletes it (re-created by CreateStage) instead of editing it.
"""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, client


def http_api_attributes(api: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    return {
        "api_endpoint": api["ApiEndpoint"],
        "api_key_selection_expression": api["ApiKeySelectionExpression"],
        "arn": f"arn:aws:apigateway:{REGION}::/apis/{api['ApiId']}",
        "body": None,
        "cors_configuration": [
            {
                "allow_credentials": False,
                "allow_headers": [],
                "allow_methods": ["GET", "POST"],
                "allow_origins": ["https://shop.example.com"],
                "expose_headers": [],
                "max_age": 0,
            }
        ],
        "credentials_arn": None,
        "description": api.get("Description", ""),
        "disable_execute_api_endpoint": False,
        "execution_arn": f"arn:aws:execute-api:{REGION}:123456789012:{api['ApiId']}",
        "fail_on_warnings": None,
        "id": api["ApiId"],
        "name": api["Name"],
        "protocol_type": "HTTP",
        "route_key": None,
        "route_selection_expression": api["RouteSelectionExpression"],
        "tags": dict(tags),
        "tags_all": dict(tags),
        "target": None,
        "version": "",
    }


def stage_attributes(api_id: str, stage: dict[str, Any]) -> dict[str, Any]:
    name = stage["StageName"]
    return {
        "access_log_settings": [],
        "api_id": api_id,
        "arn": f"arn:aws:apigateway:{REGION}::/apis/{api_id}/stages/{name}",
        "auto_deploy": True,
        "client_certificate_id": "",
        "default_route_settings": [
            {
                "data_trace_enabled": False,
                "detailed_metrics_enabled": False,
                "logging_level": "",
                "throttling_burst_limit": 0,
                "throttling_rate_limit": 0,
            }
        ],
        "deployment_id": "",
        "description": "",
        "execution_arn": f"arn:aws:execute-api:{REGION}:123456789012:{api_id}/{name}",
        "id": name,
        "invoke_url": f"https://{api_id}.execute-api.{REGION}.amazonaws.com/{name}",
        "name": name,
        "route_settings": [],
        "stage_variables": dict(stage.get("StageVariables") or {}),
        "tags": {},
        "tags_all": {},
    }


def build_http_api(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    api = client(session, "apigatewayv2").create_api(
        Name="shop",
        ProtocolType="HTTP",
        Description="Shop API",
        CorsConfiguration={"AllowOrigins": ["https://shop.example.com"], "AllowMethods": ["GET", "POST"]},
        Tags={"Team": "shop"},
    )
    ctx["http_api_id"] = api["ApiId"]
    state.add("aws_apigatewayv2_api", "shop", http_api_attributes(api, {"Team": "shop"}))


def build_http_stage(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_http_api(session, state, ctx)
    stage = client(session, "apigatewayv2").create_stage(
        ApiId=ctx["http_api_id"], StageName="live", AutoDeploy=True, StageVariables={"backend": "shop-v2"}
    )
    ctx["http_stage"] = "live"
    state.add("aws_apigatewayv2_stage", "live", stage_attributes(ctx["http_api_id"], stage))


CASES = [
    TypeCase(
        "aws_apigatewayv2_api",
        build=build_http_api,
        # CORS opened to every origin from the console.
        drift=lambda s, c: client(s, "apigatewayv2").update_api(
            ApiId=c["http_api_id"], CorsConfiguration={"AllowOrigins": ["*"], "AllowMethods": ["GET", "POST"]}
        ),
        expected=Expected(
            "changed",
            "aws_apigatewayv2_api",
            "http_api_id",
            "aws_apigatewayv2_api.shop",
            paths=("cors_configuration.allow_origins",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "apigatewayv2").create_api(Name="adhoc", ProtocolType="HTTP")["ApiId"]
        ),
        unmanaged_type="aws_apigatewayv2_api",
    ),
    TypeCase(
        "aws_apigatewayv2_stage",
        build=build_http_stage,
        drift=lambda s, c: client(s, "apigatewayv2").delete_stage(ApiId=c["http_api_id"], StageName="live"),
        expected=Expected("missing", "aws_apigatewayv2_stage", "http_stage", "aws_apigatewayv2_stage.live"),
        unmanaged=lambda s, c: str(
            client(s, "apigatewayv2").create_stage(ApiId=c["http_api_id"], StageName="canary")["StageName"]
        ),
        unmanaged_type="aws_apigatewayv2_stage",
    ),
]
