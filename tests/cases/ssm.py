"""Cases for an SSM parameter (a SecureString): its value overwritten in the console (found
by version, never read), a tag removed, and one made outside Terraform."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.secrets import ssm_parameter_attributes

NAME = "/sweep-ssm/orders/db-url"
TAGS = {"Team": "orders", "Env": "prod"}


def build_parameter(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ssm = client(session, "ssm")
    ssm.put_parameter(
        Name=NAME,
        Value="postgres://orders:correct-horse@db.internal/orders",
        Type="SecureString",
        Description="Orders database URL",
        Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()],
    )
    [parameter] = ssm.describe_parameters(
        ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [NAME]}]
    )["Parameters"]
    state.add(
        "aws_ssm_parameter", "orders_db_url", ssm_parameter_attributes(parameter, TAGS), sensitive=("value",)
    )
    ctx["parameter"] = NAME


def _ssm(session: boto3.Session) -> Any:
    return client(session, "ssm")


CASES = [
    TypeCase(
        "aws_ssm_parameter",
        build=build_parameter,
        # Pointed at another database by hand: the finding says the value changed, never what it is.
        drift=lambda s, c: _ssm(s).put_parameter(
            Name=NAME,
            Value="postgres://orders:hunter2@db-old.internal/orders",
            Type="SecureString",
            Overwrite=True,
        ),
        expected=Expected(
            "changed", "aws_ssm_parameter", "parameter", "aws_ssm_parameter.orders_db_url", paths=("value",)
        ),
        unmanaged=lambda s, c: (
            _ssm(s).put_parameter(Name="/sweep-ssm/adhoc/flag", Value="on", Type="String"),
            "/sweep-ssm/adhoc/flag",
        )[1],
        unmanaged_type="aws_ssm_parameter",
    ),
    TypeCase(
        "aws_ssm_parameter",
        build=build_parameter,
        drift=lambda s, c: _ssm(s).remove_tags_from_resource(
            ResourceType="Parameter", ResourceId=NAME, TagKeys=["Env"]
        ),
        expected=Expected(
            "changed",
            "aws_ssm_parameter",
            "parameter",
            "aws_ssm_parameter.orders_db_url",
            paths=("tags.Env",),
        ),
    ),
]
