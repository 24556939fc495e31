"""Cases for what is attached to a Lambda function: a permission in its resource policy, an
alias. Each builds its own function (and execution role), declared too, under names no other
case uses (benchmarks/scan.py builds every case into one estate)."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState
from tests.cases import Context, Expected, TypeCase
from tests.cases.services import client, function_zip, lambda_role
from tests.support.services import lambda_function_attributes, sqs_queue_attributes

SOURCE_BUCKET = "arn:aws:s3:::sweep-lambda-perm-uploads"


def _function(session: boto3.Session, state: TerraformState, name: str) -> dict[str, Any]:
    role = lambda_role(session, state, f"{name}-exec")
    function = client(session, "lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="handler.handle",
        Code={"ZipFile": function_zip()},
    )
    state.add("aws_lambda_function", name.replace("-", "_"), lambda_function_attributes(function))
    return dict(function)


def lambda_permission_attributes(
    statement_id: str, function_name: str, principal: str, **conditions: str
) -> dict[str, Any]:
    """The provider's state of aws_lambda_permission (schema 0); unset strings are ""/null."""
    return {
        "action": "lambda:InvokeFunction",
        "event_source_token": conditions.get("event_source_token"),
        "function_name": function_name,
        "function_url_auth_type": conditions.get("function_url_auth_type"),
        "id": statement_id,
        "principal": principal,
        "principal_org_id": conditions.get("principal_org_id"),
        "qualifier": conditions.get("qualifier", ""),
        "source_account": conditions.get("source_account"),
        "source_arn": conditions.get("source_arn"),
        "statement_id": statement_id,
        "statement_id_prefix": "",
    }


def lambda_alias_attributes(alias: dict[str, Any], function_name: str) -> dict[str, Any]:
    arn = alias["AliasArn"]
    region = arn.split(":")[3]
    weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights")
    return {
        "arn": arn,
        "description": alias.get("Description", ""),
        "function_name": function_name,
        "function_version": alias["FunctionVersion"],
        "id": arn,
        "invoke_arn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations",
        "name": alias["Name"],
        "routing_config": [{"additional_version_weights": weights}] if weights else [],
    }


# aws_lambda_permission: S3 may invoke the function, from one bucket of this account.

PERMISSION_FUNCTION = "sweep-lambda-perm-fn"


def build_permission(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    function = _function(session, state, PERMISSION_FUNCTION)
    account = function["FunctionArn"].split(":")[4]
    client(session, "lambda").add_permission(
        FunctionName=PERMISSION_FUNCTION,
        StatementId="AllowS3Invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=SOURCE_BUCKET,
        SourceAccount=account,
    )
    ctx["statement"] = "AllowS3Invoke"
    # Declared by the function's ARN (function_name = aws_lambda_function.x.arn), as often.
    attributes = lambda_permission_attributes(
        "AllowS3Invoke",
        function["FunctionArn"],
        "s3.amazonaws.com",
        source_arn=SOURCE_BUCKET,
        source_account=account,
    )
    state.add("aws_lambda_permission", "allow_s3", attributes)


def _permission_added(session: boto3.Session, ctx: Context) -> str:
    client(session, "lambda").add_permission(
        FunctionName=PERMISSION_FUNCTION,
        StatementId="AdhocEventsInvoke",
        Action="lambda:InvokeFunction",
        Principal="events.amazonaws.com",
    )
    return "AdhocEventsInvoke"


# aws_lambda_alias: `live` points at version 1; the console moves it to version 2.

ALIAS_FUNCTION = "sweep-lambda-alias-fn"


def build_alias(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _function(session, state, ALIAS_FUNCTION)
    lambda_client = client(session, "lambda")
    first = lambda_client.publish_version(FunctionName=ALIAS_FUNCTION)["Version"]
    lambda_client.update_function_configuration(FunctionName=ALIAS_FUNCTION, Description="second build")
    ctx["next_version"] = lambda_client.publish_version(FunctionName=ALIAS_FUNCTION)["Version"]
    lambda_client.update_function_configuration(FunctionName=ALIAS_FUNCTION, Description="")
    alias = lambda_client.create_alias(
        FunctionName=ALIAS_FUNCTION, Name="live", FunctionVersion=first, Description="what callers invoke"
    )
    ctx["alias"] = alias["AliasArn"]
    state.add("aws_lambda_alias", "live", lambda_alias_attributes(alias, ALIAS_FUNCTION))


def _alias_moved(session: boto3.Session, ctx: Context) -> None:
    client(session, "lambda").update_alias(
        FunctionName=ALIAS_FUNCTION, Name="live", FunctionVersion=ctx["next_version"]
    )


def _alias_added(session: boto3.Session, ctx: Context) -> str:
    alias = client(session, "lambda").create_alias(
        FunctionName=ALIAS_FUNCTION, Name="canary", FunctionVersion=ctx["next_version"]
    )
    return str(alias["AliasArn"])


# aws_lambda_event_source_mapping: the function reads a queue, 5 messages a batch, filtered;
# the console switches the trigger off (the classic silent outage).

MAPPING_FUNCTION = "sweep-lambda-esm-fn"
FILTER = '{"body": {"kind": ["order"]}}'


def _queue(session: boto3.Session, state: TerraformState, name: str) -> str:
    sqs = client(session, "sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    live = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    state.add("aws_sqs_queue", name.replace("-", "_"), sqs_queue_attributes(url, live))
    return str(live["QueueArn"])


def lambda_event_source_mapping_attributes(mapping: dict[str, Any]) -> dict[str, Any]:
    """The provider's state (schema 0): function_name is read back as the function's ARN."""
    filters = (mapping.get("FilterCriteria") or {}).get("Filters") or []
    return {
        "amazon_managed_kafka_event_source_config": [],
        "arn": mapping.get("EventSourceMappingArn", ""),
        "batch_size": mapping["BatchSize"],
        "bisect_batch_on_function_error": False,
        "destination_config": [],
        "document_db_event_source_config": [],
        "enabled": mapping["State"] in ("Enabled", "Enabling", "Creating"),
        "event_source_arn": mapping["EventSourceArn"],
        "filter_criteria": [{"filter": [{"pattern": f["Pattern"]} for f in filters]}] if filters else [],
        "function_arn": mapping["FunctionArn"],
        "function_name": mapping["FunctionArn"],
        "function_response_types": mapping.get("FunctionResponseTypes", []),
        "id": mapping["UUID"],
        "kms_key_arn": "",
        "last_modified": str(mapping.get("LastModified", "")),
        "last_processing_result": "",
        "maximum_batching_window_in_seconds": mapping.get("MaximumBatchingWindowInSeconds", 0),
        "maximum_record_age_in_seconds": 0,
        "maximum_retry_attempts": 0,
        "metrics_config": [],
        "parallelization_factor": 0,
        "provisioned_poller_config": [],
        "queues": [],
        "scaling_config": [],
        "self_managed_event_source": [],
        "self_managed_kafka_event_source_config": [],
        "source_access_configuration": [],
        "starting_position": "",
        "starting_position_timestamp": "",
        "state": mapping["State"],
        "state_transition_reason": mapping.get("StateTransitionReason", ""),
        "tags": {},
        "tags_all": {},
        "topics": [],
        "tumbling_window_in_seconds": 0,
        "uuid": mapping["UUID"],
    }


def build_mapping(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    _function(session, state, MAPPING_FUNCTION)
    jobs = _queue(session, state, "sweep-lambda-esm-jobs")
    ctx["spare_queue"] = _queue(session, state, "sweep-lambda-esm-spare")
    mapping = client(session, "lambda").create_event_source_mapping(
        EventSourceArn=jobs,
        FunctionName=MAPPING_FUNCTION,
        BatchSize=5,
        FilterCriteria={"Filters": [{"Pattern": FILTER}]},
    )
    ctx["mapping"] = mapping["UUID"]
    state.add("aws_lambda_event_source_mapping", "jobs", lambda_event_source_mapping_attributes(mapping))


def _mapping_added(session: boto3.Session, ctx: Context) -> str:
    mapping = client(session, "lambda").create_event_source_mapping(
        EventSourceArn=ctx["spare_queue"], FunctionName=MAPPING_FUNCTION
    )
    return str(mapping["UUID"])


CASES = [
    TypeCase(
        "aws_lambda_permission",
        build=build_permission,
        drift=lambda s, c: client(s, "lambda").remove_permission(
            FunctionName=PERMISSION_FUNCTION, StatementId="AllowS3Invoke"
        ),
        expected=Expected("missing", "aws_lambda_permission", "statement", "aws_lambda_permission.allow_s3"),
        unmanaged=_permission_added,
        unmanaged_type="aws_lambda_permission",
    ),
    TypeCase(
        "aws_lambda_alias",
        build=build_alias,
        drift=_alias_moved,
        expected=Expected(
            "changed", "aws_lambda_alias", "alias", "aws_lambda_alias.live", paths=("function_version",)
        ),
        unmanaged=_alias_added,
        unmanaged_type="aws_lambda_alias",
    ),
    TypeCase(
        "aws_lambda_event_source_mapping",
        build=build_mapping,
        drift=lambda s, c: client(s, "lambda").update_event_source_mapping(UUID=c["mapping"], Enabled=False),
        expected=Expected(
            "changed",
            "aws_lambda_event_source_mapping",
            "mapping",
            "aws_lambda_event_source_mapping.jobs",
            paths=("enabled",),
        ),
        unmanaged=_mapping_added,
        unmanaged_type="aws_lambda_event_source_mapping",
    ),
]
