"""Cases for Step Functions: a standard state machine with its execution role."""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client
from tests.support.services import iam_role_attributes

DEFINITION = {
    "Comment": "Charge the order, then confirm it",
    "StartAt": "Charge",
    "States": {"Charge": {"Type": "Pass", "Next": "Confirm"}, "Confirm": {"Type": "Succeed"}},
}


def _role(session: boto3.Session, state: TerraformState, name: str) -> str:
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = client(session, "iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(assume))[
        "Role"
    ]
    state.add("aws_iam_role", name.replace("-", "_"), iam_role_attributes(role, assume))
    return str(role["Arn"])


def state_machine_attributes(
    machine: dict[str, Any], definition: Any, machine_tags: dict[str, str]
) -> dict[str, Any]:
    """aws_sfn_state_machine as provider 5.x stores it after apply (the definition as
    jsonencode wrote it)."""
    return {
        "arn": machine["stateMachineArn"],
        "creation_date": machine["creationDate"].isoformat(),
        "definition": json.dumps(definition, separators=(",", ":")),
        "description": "",
        "encryption_configuration": [
            {"kms_data_key_reuse_period_seconds": 0, "kms_key_id": "", "type": "AWS_OWNED_KEY"}
        ],
        "id": machine["stateMachineArn"],
        "logging_configuration": [{"include_execution_data": False, "level": "OFF", "log_destination": ""}],
        "name": machine["name"],
        "name_prefix": "",
        "publish": False,
        "revision_id": "",
        "role_arn": machine["roleArn"],
        "state_machine_version_arn": "",
        "status": machine["status"],
        "tags": dict(machine_tags) or None,
        "tracing_configuration": [{"enabled": False}],
        "type": machine["type"],
        "version_description": "",
    }


def build_state_machine(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    role = _role(session, state, "sweep-sfn-orders-exec")
    sfn = client(session, "stepfunctions")
    arn = sfn.create_state_machine(
        name="sweep-sfn-orders",
        definition=json.dumps(DEFINITION),
        roleArn=role,
        type="STANDARD",
        tags=[{"key": "Team", "value": "orders"}],
    )["stateMachineArn"]
    machine = sfn.describe_state_machine(stateMachineArn=arn)
    state.add(
        "aws_sfn_state_machine", "orders", state_machine_attributes(machine, DEFINITION, {"Team": "orders"})
    )
    ctx.update(machine_arn=arn, role_arn=role)


def _unmanaged_machine(session: boto3.Session, ctx: Context) -> str:
    return str(
        client(session, "stepfunctions").create_state_machine(
            name="sweep-sfn-adhoc", definition=json.dumps(DEFINITION), roleArn=ctx["role_arn"]
        )["stateMachineArn"]
    )


CASES = [
    TypeCase(
        "aws_sfn_state_machine",
        build=build_state_machine,
        drift=lambda s, c: client(s, "stepfunctions").update_state_machine(
            stateMachineArn=c["machine_arn"], tracingConfiguration={"enabled": True}
        ),
        expected=Expected(
            "changed",
            "aws_sfn_state_machine",
            "machine_arn",
            "aws_sfn_state_machine.orders",
            paths=("tracing_configuration",),
        ),
        unmanaged=_unmanaged_machine,
        unmanaged_type="aws_sfn_state_machine",
    ),
]
