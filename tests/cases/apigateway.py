"""Cases for API Gateway (REST): an API with one deployed stage.

State attributes are the AWS provider 5.x shape. moto drops binaryMediaTypes on
CreateRestApi and answers TagResource with 404, so the cases declare no binary media
types and edit settings other than tags.
"""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import REGION, client


def rest_api_attributes(api: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    return {
        "api_key_source": api.get("apiKeySource", "HEADER"),
        "arn": f"arn:aws:apigateway:{REGION}::/restapis/{api['id']}",
        "binary_media_types": [],
        "body": None,
        "created_date": "2026-12-02T10:00:00Z",
        "description": api.get("description", ""),
        "disable_execute_api_endpoint": False,
        "endpoint_configuration": [{"types": ["REGIONAL"], "vpc_endpoint_ids": []}],
        "execution_arn": f"arn:aws:execute-api:{REGION}:123456789012:{api['id']}",
        "fail_on_warnings": None,
        "id": api["id"],
        "minimum_compression_size": "",
        "name": api["name"],
        "parameters": None,
        "policy": "",
        "put_rest_api_mode": None,
        "root_resource_id": api["rootResourceId"],
        "tags": dict(tags),
        "tags_all": dict(tags),
    }


def stage_attributes(api_id: str, stage: dict[str, Any]) -> dict[str, Any]:
    name = stage["stageName"]
    return {
        "access_log_settings": [],
        "arn": f"arn:aws:apigateway:{REGION}::/restapis/{api_id}/stages/{name}",
        "cache_cluster_enabled": False,
        "cache_cluster_size": "",
        "canary_settings": [],
        "client_certificate_id": "",
        "deployment_id": stage["deploymentId"],
        "description": stage.get("description", ""),
        "documentation_version": "",
        "execution_arn": f"arn:aws:execute-api:{REGION}:123456789012:{api_id}/{name}",
        "id": f"ags-{api_id}-{name}",
        "invoke_url": f"https://{api_id}.execute-api.{REGION}.amazonaws.com/{name}",
        "rest_api_id": api_id,
        "stage_name": name,
        "tags": {},
        "tags_all": {},
        "variables": dict(stage.get("variables") or {}),
        "web_acl_arn": "",
        "xray_tracing_enabled": False,
    }


def build_api(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    gateway = client(session, "apigateway")
    api = gateway.create_rest_api(
        name="orders",
        description="Orders API",
        endpointConfiguration={"types": ["REGIONAL"]},
        tags={"Team": "orders"},
    )
    ctx["api_id"] = api["id"]
    state.add("aws_api_gateway_rest_api", "orders", rest_api_attributes(api, {"Team": "orders"}))
    gateway.put_method(
        restApiId=api["id"], resourceId=api["rootResourceId"], httpMethod="GET", authorizationType="NONE"
    )
    gateway.put_integration(
        restApiId=api["id"], resourceId=api["rootResourceId"], httpMethod="GET", type="MOCK"
    )
    deployment = gateway.create_deployment(restApiId=api["id"])
    ctx["deployment_id"] = deployment["id"]


def build_stage(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_api(session, state, ctx)
    stage = client(session, "apigateway").create_stage(
        restApiId=ctx["api_id"],
        stageName="prod",
        deploymentId=ctx["deployment_id"],
        description="production",
        variables={"backend": "orders-v1"},
    )
    ctx["stage_id"] = f"ags-{ctx['api_id']}-prod"
    state.add("aws_api_gateway_stage", "prod", stage_attributes(ctx["api_id"], stage))


def _new_stage(session: boto3.Session, ctx: Context) -> str:
    client(session, "apigateway").create_stage(
        restApiId=ctx["api_id"], stageName="test", deploymentId=ctx["deployment_id"]
    )
    return f"ags-{ctx['api_id']}-test"


CASES = [
    TypeCase(
        "aws_api_gateway_rest_api",
        build=build_api,
        drift=lambda s, c: client(s, "apigateway").update_rest_api(
            restApiId=c["api_id"], patchOperations=[{"op": "replace", "path": "/description", "value": "tmp"}]
        ),
        expected=Expected(
            "changed",
            "aws_api_gateway_rest_api",
            "api_id",
            "aws_api_gateway_rest_api.orders",
            paths=("description",),
        ),
        unmanaged=lambda s, c: str(client(s, "apigateway").create_rest_api(name="adhoc")["id"]),
        unmanaged_type="aws_api_gateway_rest_api",
    ),
    TypeCase(
        "aws_api_gateway_stage",
        build=build_stage,
        # The stage pointed at a test backend through its stage variable.
        drift=lambda s, c: client(s, "apigateway").update_stage(
            restApiId=c["api_id"],
            stageName="prod",
            patchOperations=[{"op": "replace", "path": "/variables/backend", "value": "orders-test"}],
        ),
        expected=Expected(
            "changed",
            "aws_api_gateway_stage",
            "stage_id",
            "aws_api_gateway_stage.prod",
            paths=("variables.backend",),
        ),
        unmanaged=_new_stage,
        unmanaged_type="aws_api_gateway_stage",
    ),
]
