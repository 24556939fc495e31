"""Case for Lambda: a function with environment variables and tags, and its declared role."""

from __future__ import annotations

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client, function_zip, lambda_role
from tests.support.services import lambda_function_attributes


def build_function(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    role = lambda_role(session, state)
    ctx["role_arn"] = role
    function = client(session, "lambda").create_function(
        FunctionName="thumbnailer",
        Runtime="python3.12",
        Role=role,
        Handler="handler.handle",
        Code={"ZipFile": function_zip()},
        Timeout=30,
        MemorySize=512,
        Environment={"Variables": {"BUCKET": "acme-thumbs"}},
        Tags={"Team": "media"},
    )
    ctx["function"] = "thumbnailer"
    state.add("aws_lambda_function", "thumbnailer", lambda_function_attributes(function, {"Team": "media"}))


CASES = [
    TypeCase(
        "aws_lambda_function",
        build=build_function,
        drift=lambda s, c: client(s, "lambda").update_function_configuration(
            FunctionName="thumbnailer", Timeout=900
        ),
        expected=Expected(
            "changed",
            "aws_lambda_function",
            "function",
            "aws_lambda_function.thumbnailer",
            paths=("timeout",),
        ),
        unmanaged=lambda s, c: str(
            client(s, "lambda").create_function(
                FunctionName="adhoc",
                Runtime="python3.12",
                Role=c["role_arn"],
                Handler="handler.handle",
                Code={"ZipFile": function_zip()},
            )["FunctionName"]
        ),
        unmanaged_type="aws_lambda_function",
    ),
]
