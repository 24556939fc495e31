"""Sample CloudTrail records for Secrets Manager, SSM Parameter Store, KMS grants, Kinesis
and EFS (the secrets helper's family)."""

from __future__ import annotations

from tests.event_samples import Sample

ARN = "us-east-1:123456789012"
SECRET = f"arn:aws:secretsmanager:{ARN}:secret:orders/db-a1B2c3"

SAMPLES: list[Sample] = [
    # Secrets Manager: a call names the secret by name or ARN; the answer gives the ARN ------
    (
        "secretsmanager",
        "CreateSecret",
        {"name": "orders/db", "description": "Orders database password"},
        {"arn": SECRET, "name": "orders/db", "versionId": "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1"},
        None,
        [("aws_secretsmanager_secret", SECRET)],
    ),
    (
        "secretsmanager",
        "UpdateSecret DeleteSecret RestoreSecret",
        {"secretId": "orders/db"},  # by name: the answer's ARN says which secret
        {"arn": SECRET, "name": "orders/db"},
        None,
        [("aws_secretsmanager_secret", SECRET)],
    ),
    (
        "secretsmanager",
        "TagResource UntagResource",
        {"secretId": SECRET, "tags": [{"key": "Team", "value": "orders"}]},
        None,
        None,
        [("aws_secretsmanager_secret", SECRET)],
    ),
    (
        "secretsmanager",
        "PutResourcePolicy DeleteResourcePolicy",
        {"secretId": SECRET},
        {"arn": SECRET, "name": "orders/db"},
        None,
        [("aws_secretsmanager_secret_policy", SECRET)],
    ),
]
SAMPLES += [
    # SSM parameters: named by name; the tag calls say which kind of resource ---------------
    (
        "ssm",
        "PutParameter DeleteParameter",
        {"name": "/orders/db-url", "type": "SecureString", "overwrite": True},
        {"version": 2, "tier": "Standard"},
        None,
        [("aws_ssm_parameter", "/orders/db-url")],
    ),
    (
        "ssm",
        "DeleteParameters",
        {"names": ["/orders/db-url", "/orders/flag"]},
        {"deletedParameters": ["/orders/db-url", "/orders/flag"], "invalidParameters": []},
        None,
        [("aws_ssm_parameter", "/orders/db-url"), ("aws_ssm_parameter", "/orders/flag")],
    ),
    (
        "ssm",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceType": "Parameter", "resourceId": "/orders/db-url"},
        None,
        None,
        [("aws_ssm_parameter", "/orders/db-url")],
    ),
    (
        "ssm",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceType": "ManagedInstance", "resourceId": "mi-0123456789abcdef0"},
        None,
        None,
        [],
    ),
]
