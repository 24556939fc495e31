"""Shared helpers for the service cases: clients, the account, a role for Lambda."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.support.services import iam_role_attributes

REGION = "us-east-1"
CASES: list[Any] = []  # helpers only; the sweep collects CASES from every module


def client(session: boto3.Session, service: str) -> Any:
    return session.client(service, region_name=REGION)


def account(session: boto3.Session) -> str:
    return str(client(session, "sts").get_caller_identity()["Account"])


def lambda_role(session: boto3.Session, state: TerraformState, name: str = "lambda-exec") -> str:
    """The execution role a function needs, declared too (else it is an unmanaged role)."""
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = client(session, "iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(assume))[
        "Role"
    ]
    state.add("aws_iam_role", name.replace("-", "_"), iam_role_attributes(role, assume))
    return str(role["Arn"])


def function_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return {'ok': True}\n")
    return buffer.getvalue()
