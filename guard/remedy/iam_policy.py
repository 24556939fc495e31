"""Least-privilege IAM policies, generated from the resource-type declarations.

`python -m guard.remedy.iam_policy` prints the read-only policy for `scan`, `watch` and
`check-plan --live` (docs/iam-policy.json); `python -m guard.remedy.iam_policy --rollback` the
policy for `rollback --apply` (docs/iam-policy-rollback.json). Both are checked against
the code by tests/test_promise_read_only.py: a call the policy lacks, or an action no
code sends, fails the test.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore.session
from botocore import xform_name

from guard.live import REGISTRY, Registry
from guard.live.types import ResourceType, WriteCalls, reader_operations, write_operations_of

READ = re.compile(r"^(Describe|List|Get|Lookup|BatchGet)[A-Z]")

# Where S3's IAM action is not its operation's name (AWS Service Authorization Reference).
ACTION_NAMES = {
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "GetPublicAccessBlock"): "GetBucketPublicAccessBlock",
    ("s3", "PutPublicAccessBlock"): "PutBucketPublicAccessBlock",
    ("s3", "DeletePublicAccessBlock"): "PutBucketPublicAccessBlock",
    ("s3", "GetBucketEncryption"): "GetEncryptionConfiguration",
    ("s3", "PutBucketEncryption"): "PutEncryptionConfiguration",
    ("s3", "DeleteBucketEncryption"): "PutEncryptionConfiguration",
    ("s3", "DeleteBucketTagging"): "PutBucketTagging",
    ("s3", "DeleteBucketOwnershipControls"): "PutBucketOwnershipControls",
    ("s3", "GetBucketLifecycleConfiguration"): "GetLifecycleConfiguration",
    ("s3", "PutBucketLifecycleConfiguration"): "PutLifecycleConfiguration",
    ("s3", "DeleteBucketLifecycle"): "PutLifecycleConfiguration",
    ("s3", "GetBucketCors"): "GetBucketCORS",
    ("s3", "PutBucketCors"): "PutBucketCORS",
    ("s3", "DeleteBucketCors"): "PutBucketCORS",
    ("s3", "GetBucketNotificationConfiguration"): "GetBucketNotification",
    ("s3", "PutBucketNotificationConfiguration"): "PutBucketNotification",
    ("s3", "GetBucketReplication"): "GetReplicationConfiguration",
    ("s3", "PutBucketReplication"): "PutReplicationConfiguration",
    ("s3", "DeleteBucketReplication"): "PutReplicationConfiguration",
    # API Gateway's management API is authorised by HTTP verb (v1 and v2 alike).
    **{("apigateway", name): "GET" for name in ("GetRestApis", "GetStages")},
    **{("apigateway", name): "PATCH" for name in ("UpdateRestApi", "UpdateStage")},
    **{("apigateway", name): "DELETE" for name in ("DeleteRestApi", "DeleteStage")},
    **{("apigatewayv2", name): "GET" for name in ("GetApis", "GetStages")},
    ("apigatewayv2", "UpdateApi"): "PATCH",
    ("apigatewayv2", "CreateStage"): "POST",
    **{("apigatewayv2", name): "DELETE" for name in ("DeleteApi", "DeleteStage", "DeleteCorsConfiguration")},
}


@dataclass(frozen=True)
class Conditional:
    """Calls made only when a feature is used; granted in their own statement."""

    sid: str
    why: str
    operations: tuple[tuple[str, str], ...]  # (boto3 service, API operation name)


# Calls outside the resource-type declarations. sts:GetCallerIdentity needs no permission
# (AWS answers it for any principal) but is listed so the policy names every call.
ALWAYS = (("sts", "GetCallerIdentity"),)
CONDITIONAL = (
    Conditional(
        "GuardAllRegions", "--all-regions: the regions enabled for the account", (("ec2", "DescribeRegions"),)
    ),
    Conditional(
        "GuardAttribution",
        "--attribute: who made each change (CloudTrail LookupEvents, or an organisation trail's log files)",
        (("cloudtrail", "LookupEvents"), ("s3", "ListObjectsV2"), ("s3", "GetObject")),
    ),
    Conditional(
        "GuardOrganization",
        "[organization] in guard.toml: the accounts, their OUs and tags (management or delegated admin)",
        (
            ("organizations", "ListRoots"),
            ("organizations", "ListOrganizationalUnitsForParent"),
            ("organizations", "ListAccountsForParent"),
            ("organizations", "ListTagsForResource"),
        ),
    ),
    Conditional("GuardRemoteState", "--state s3://BUCKET/KEY and Pulumi S3 backends", (("s3", "GetObject"),)),
    Conditional(
        "GuardBucketRegion",
        "S3 answers ListBuckets without BucketRegion in some partitions: the bucket's region is asked",
        (("s3", "GetBucketLocation"),),
    ),
)


@cache
def _model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def api_name(service: str, operation: str) -> str:
    """The API operation name ("DescribeTags") of a boto3 method name ("describe_tags")."""
    names = {xform_name(name): name for name in _model(service).operation_names}
    if operation not in names:
        raise ValueError(f"{service} has no operation {operation}")
    return str(names[operation])


# Services whose IAM action prefix is not their signing name (CloudWatch signs as "monitoring").
ACTION_PREFIXES = {"cloudwatch": "cloudwatch"}


def action(service: str, operation: str) -> str:
    """IAM action for a boto3 service and API operation: the service's signing name
    (elbv2 -> elasticloadbalancing) and the operation, S3's few renamings applied."""
    prefix = ACTION_PREFIXES.get(service) or _model(service).signing_name or _model(service).endpoint_prefix
    return f"{prefix}:{ACTION_NAMES.get((service, operation), operation)}"


def scan_operations(registry: Registry = REGISTRY) -> set[tuple[str, str]]:
    """(service, API operation) of every call the declarations make on a scan."""
    calls: set[tuple[str, str]] = set()
    for declaration in registry.types.values():
        service = declaration.service
        names = [declaration.list_call]
        if declaration.companion_call:
            names.append(declaration.companion_call[0])
        names += [detail.operation for detail in declaration.details]
        if declaration.per_item is not None:
            names += reader_operations(declaration.per_item)
        calls.update((service, api_name(service, name)) for name in names)
    return calls


def write_operations(registry: Registry = REGISTRY) -> set[tuple[str, str]]:
    """(service, API operation) of every write a rollback step can run: what each
    declaration's restore, recreate and delete functions declare with `@writes`."""
    calls: set[tuple[str, str]] = set()
    for declaration in registry.types.values():
        for write_calls in rollback_functions(declaration):
            names = write_operations_of(write_calls)
            if names is None:
                raise ValueError(f"{declaration.name}: a rollback function declares no @writes")
            calls.update((declaration.service, api_name(declaration.service, name)) for name in names)
    return calls


def rollback_functions(declaration: ResourceType) -> list[WriteCalls]:
    """The functions that build a declaration's rollback calls."""
    found = [declaration.restore_calls, declaration.recreate_calls, declaration.delete_calls]
    return [calls for calls in found if calls is not None]


def _statement(sid: str, actions: Iterable[str]) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(set(actions)), "Resource": "*"}


def read_policy(registry: Registry = REGISTRY) -> dict[str, Any]:
    """The policy for `scan`, `watch` and `check-plan --live` (and on-event's re-reads)."""
    reads = sorted(action(s, o) for s, o in scan_operations(registry) | set(ALWAYS))
    statements = [_statement("GuardReadOnly", reads)]
    for extra in CONDITIONAL:
        statements.append(_statement(extra.sid, (action(s, o) for s, o in extra.operations)))
    return {"Version": "2012-10-17", "Statement": statements}


def rollback_policy(registry: Registry = REGISTRY) -> dict[str, Any]:
    """The policy for `rollback --apply`: the reads above (it re-reads and re-scans) and the writes."""
    policy = read_policy(registry)
    writes = (action(s, o) for s, o in write_operations(registry))
    policy["Statement"].append(_statement("GuardRollbackWrites", writes))
    return policy


def render(policy: dict[str, Any]) -> str:
    return json.dumps(policy, indent=2) + "\n"


def main(argv: list[str]) -> int:
    if argv not in ([], ["--rollback"]):
        print("usage: python -m guard.remedy.iam_policy [--rollback]", file=sys.stderr)
        return 1
    sys.stdout.write(render(rollback_policy() if argv else read_policy()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
