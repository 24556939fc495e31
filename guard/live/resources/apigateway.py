"""API Gateway: not read live; declared for the Pulumi reader, whose module name
(`apigateway`) is not Terraform's (`api_gateway`)."""

from __future__ import annotations

from guard.live.types import REGISTRY, KnownType

REGISTRY.know(KnownType("aws_api_gateway_rest_api", pulumi_tokens=("aws:apigateway/restApi:RestApi",)))
REGISTRY.know(KnownType("aws_api_gateway_stage", pulumi_tokens=("aws:apigateway/stage:Stage",)))
REGISTRY.know(
    KnownType("aws_api_gateway_deployment", pulumi_tokens=("aws:apigateway/deployment:Deployment",))
)
