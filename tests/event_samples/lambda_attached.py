"""Sample CloudTrail records for what is attached to a Lambda function (permissions, aliases,
event source mappings). Lambda's event names carry the API version they were made against."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:sweep-lambda-perm-fn"
ALIAS = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:sweep-lambda-alias-fn:live"
MAPPING = "a1b2c3d4-5678-90ab-cdef-111112222333"

SAMPLES: list[Sample] = [
    # A permission is named by its function (by name or ARN): the function is read with its policies.
    (
        "lambda",
        "AddPermission20150331v2",
        {
            "functionName": "sweep-lambda-perm-fn",
            "statementId": "AllowS3Invoke",
            "action": "lambda:InvokeFunction",
            "principal": "s3.amazonaws.com",
            "sourceArn": "arn:aws:s3:::sweep-lambda-perm-uploads",
        },
        {"statement": '{"Sid":"AllowS3Invoke","Effect":"Allow"}'},
        None,
        [("aws_lambda_function", "sweep-lambda-perm-fn")],
    ),
    (
        "lambda",
        "RemovePermission20150331v2",
        {"functionName": FUNCTION, "statementId": "AllowS3Invoke"},
        None,
        None,
        [("aws_lambda_function", "sweep-lambda-perm-fn")],
    ),
    (
        "lambda",
        "CreateAlias20150331",
        {"functionName": "sweep-lambda-alias-fn", "name": "live", "functionVersion": "1"},
        {"aliasArn": ALIAS, "name": "live", "functionVersion": "1"},
        None,
        [("aws_lambda_alias", ALIAS)],
    ),
    # Named by function name or ARN, and the alias's name.
    (
        "lambda",
        "UpdateAlias20150331 DeleteAlias20150331",
        {"functionName": "sweep-lambda-alias-fn", "name": "live"},
        None,
        None,
        [("aws_lambda_alias", ALIAS)],
    ),
    (
        "lambda",
        "UpdateAlias20150331 DeleteAlias20150331",
        {"functionName": ALIAS.rsplit(":", 1)[0], "name": "live"},
        None,
        None,
        [("aws_lambda_alias", ALIAS)],
    ),
    # CloudTrail writes the UUID parameter as `uUID`.
    (
        "lambda",
        "CreateEventSourceMapping20150331",
        {
            "eventSourceArn": "arn:aws:sqs:us-east-1:123456789012:sweep-lambda-esm-jobs",
            "functionName": "sweep-lambda-esm-fn",
            "batchSize": 5,
        },
        {"uUID": MAPPING, "state": "Creating", "batchSize": 5},
        None,
        [("aws_lambda_event_source_mapping", MAPPING)],
    ),
    (
        "lambda",
        "UpdateEventSourceMapping20150331 DeleteEventSourceMapping20150331",
        {"uUID": MAPPING, "enabled": False},
        None,
        None,
        [("aws_lambda_event_source_mapping", MAPPING)],
    ),
]
