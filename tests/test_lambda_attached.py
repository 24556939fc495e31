"""What is attached to a Lambda function, followed through CloudTrail: `guard on-event` reads the
function named by the event with its policies, and finds the permission a console removed, even
when state names the function by its ARN (as function_name = aws_lambda_function.x.arn does)."""

from __future__ import annotations

import json

from guard.demo.state import TerraformState
from tests.cases.lambda_attached import PERMISSION_FUNCTION, build_permission
from tests.cases.services import client
from tests.cloudtrail_shapes import eventbridge, iam_user_identity, record


def test_a_permission_removed_in_the_console_is_found_through_on_event(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_permission(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    client(aws, "lambda").remove_permission(FunctionName=PERMISSION_FUNCTION, StatementId="AllowS3Invoke")
    removed = record(
        "RemovePermission20150331v2",
        iam_user_identity(),
        {"functionName": PERMISSION_FUNCTION, "statementId": "AllowS3Invoke"},
        event_id="ev-remove-permission",
        source="lambda.amazonaws.com",
    )
    event = tmp_path / "event.json"
    event.write_text(json.dumps(eventbridge(removed)), encoding="utf-8")

    result = guard("on-event", "--state", path, "--event", event, "--format", "json")

    assert result.code == 2, result.err
    [outcome] = result.json()["events"]
    assert outcome["resources"] == [PERMISSION_FUNCTION]
    found = [(f["kind"], f["type"], f["id"], f["address"]) for f in outcome["report"]["findings"]]
    assert found == [("missing", "aws_lambda_permission", "AllowS3Invoke", "aws_lambda_permission.allow_s3")]
