"""Case for a Route53 health check (HTTPS, with SNI), in the AWS provider 5.x state shape."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client

CONFIG = {
    "Type": "HTTPS",
    "FullyQualifiedDomainName": "www.example.com",
    "Port": 443,
    "ResourcePath": "/health",
    "RequestInterval": 30,
    "FailureThreshold": 3,
    "EnableSNI": True,
}


def health_check_attributes(check: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    config = check["HealthCheckConfig"]
    return {
        "arn": f"arn:aws:route53:::healthcheck/{check['Id']}",
        "child_health_threshold": 0,
        "child_healthchecks": [],
        "cloudwatch_alarm_name": None,
        "cloudwatch_alarm_region": None,
        "disabled": False,
        "enable_sni": True,
        "failure_threshold": config["FailureThreshold"],
        "fqdn": config["FullyQualifiedDomainName"],
        "id": check["Id"],
        "insufficient_data_health_status": "",
        "invert_healthcheck": False,
        "ip_address": "",
        "measure_latency": False,
        "port": config["Port"],
        "reference_name": None,
        "regions": [],
        "request_interval": config["RequestInterval"],
        "resource_path": config["ResourcePath"],
        "routing_control_arn": "",
        "search_string": "",
        "tags": dict(tags),
        "tags_all": dict(tags),
        "triggers": {},
        "type": "HTTPS",
    }


def build_health_check(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    route53 = client(session, "route53")
    check = route53.create_health_check(CallerReference="terraform-hc-1", HealthCheckConfig=CONFIG)[
        "HealthCheck"
    ]
    route53.change_tags_for_resource(
        ResourceType="healthcheck", ResourceId=check["Id"], AddTags=[{"Key": "Name", "Value": "www"}]
    )
    ctx["health_check_id"] = check["Id"]
    state.add("aws_route53_health_check", "www", health_check_attributes(check, {"Name": "www"}))


CASES = [
    TypeCase(
        "aws_route53_health_check",
        build=build_health_check,
        # Disabled in the console: Route53 then reports it healthy, and failover never happens.
        drift=lambda s, c: client(s, "route53").update_health_check(
            HealthCheckId=c["health_check_id"], Disabled=True
        ),
        expected=Expected(
            "changed",
            "aws_route53_health_check",
            "health_check_id",
            "aws_route53_health_check.www",
            paths=("disabled",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "route53").create_health_check(
                CallerReference="console-hc",
                HealthCheckConfig={**CONFIG, "FullyQualifiedDomainName": "test.example.com"},
            )["HealthCheck"]["Id"]
        ),
        unmanaged_type="aws_route53_health_check",
    ),
]
