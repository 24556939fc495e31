"""CloudWatch Logs log groups: one paginated DescribeLogGroups per region (retention, KMS key
and class come with it), their tags from ListTagsLogGroup per group (Logs has no batch
tag read). Log groups under /aws/ are the ones AWS services make for themselves on first
write (/aws/lambda/<function>, /aws/codebuild/..., /aws/rds/...): never unmanaged."""

from __future__ import annotations

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.shape import declared_tags, tag_changes
from guard.live.types import REGISTRY, Attrs, DetailCall, ResourceType, writes
from guard.model import AwsCall, Change, Resource


def _merge_tags(item: Attrs, answer: Attrs) -> None:
    item["tags"] = answer.get("tags") or {}


def _group_attrs(item: Attrs) -> Attrs:
    return {
        "name": item["logGroupName"],
        # No retention policy: events never expire, which Terraform stores as 0.
        "retention_in_days": int(item.get("retentionInDays") or 0),
        "kms_key_id": item.get("kmsKeyId") or None,
        "log_group_class": item.get("logGroupClass") or "STANDARD",
        "tags": {k: v for k, v in (item.get("tags") or {}).items() if not k.startswith("aws:")},
    }


def _group_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "retention_in_days": int(attrs.get("retention_in_days") or 0),
        "kms_key_id": attrs.get("kms_key_id") or None,
        "log_group_class": attrs.get("log_group_class") or "STANDARD",
        "tags": declared_tags(attrs),
    }


@writes(
    "put_retention_policy",
    "delete_retention_policy",
    "associate_kms_key",
    "disassociate_kms_key",
    "tag_log_group",
    "untag_log_group",
)
def _group_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _group_desired(resource.attrs)
    name = {"logGroupName": resource.id}
    paths = {change.path.split(".", 1)[0] for change in changes}
    calls = []
    if "retention_in_days" in paths:
        days = declared["retention_in_days"]
        calls.append(
            AwsCall("logs", "put_retention_policy", {**name, "retentionInDays": days}, resource.region)
            if days
            else AwsCall("logs", "delete_retention_policy", name, resource.region)
        )
    if "kms_key_id" in paths:
        key = declared["kms_key_id"]
        calls.append(
            AwsCall("logs", "associate_kms_key", {**name, "kmsKeyId": key}, resource.region)
            if key
            else AwsCall("logs", "disassociate_kms_key", name, resource.region)
        )
    restore, remove = tag_changes(changes)
    if restore:
        calls.append(AwsCall("logs", "tag_log_group", {**name, "tags": restore}, resource.region))
    if remove:
        calls.append(AwsCall("logs", "untag_log_group", {**name, "tags": remove}, resource.region))
    return calls


_GROUP_BY_PATH = {
    "retention_in_days": ("PutRetentionPolicy", "DeleteRetentionPolicy"),
    "kms_key_id": ("AssociateKmsKey", "DisassociateKmsKey"),
    "tags": ("TagLogGroup", "UntagLogGroup", "TagResource", "UntagResource"),
}
_NAME = "requestParameters.logGroupName"
_GROUP_EVENTS = TypeEvents(
    missing=("DeleteLogGroup",),
    unmanaged=("CreateLogGroup",),
    changed=edits(_GROUP_BY_PATH),
    by_path=_GROUP_BY_PATH,
    touched_by={
        **dict.fromkeys(
            (
                "CreateLogGroup",
                "DeleteLogGroup",
                "PutRetentionPolicy",
                "DeleteRetentionPolicy",
                "AssociateKmsKey",
                "DisassociateKmsKey",
                "TagLogGroup",
                "UntagLogGroup",
            ),
            _NAME,
        ),
        # The newer tag calls name the group by ARN (no trailing :*).
        "TagResource": "requestParameters.resourceArn",
        "UntagResource": "requestParameters.resourceArn",
    },
    # Terraform's id is the name; a record gives the name, or the group's ARN.
    ids=IdForms(
        (
            (r"arn:[\w-]+:logs:[\w-]+:\d{12}:log-group:(?P<name>[^:]+)(:\*)?", "{name}"),
            (r"[\w#/.-]+", "{value}"),
        ),
        "a log group name, or its ARN",
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_cloudwatch_log_group",
        service="logs",
        list_call="describe_log_groups",
        items_path="logGroups",
        id_key="logGroupName",
        details=(
            DetailCall(
                operation="list_tags_log_group",
                param="logGroupName",
                items_path="@",
                answer_key="",
                merge=_merge_tags,
            ),
        ),
        to_attrs=_group_attrs,
        normalise_desired=_group_desired,
        compared=("name", "retention_in_days", "kms_key_id", "log_group_class", "tags"),
        ignored={
            "name_prefix": "Terraform-only: the name it made is compared",
            "skip_destroy": "Terraform-only setting",
            "arn": "computed",
        },
        aws_default=lambda item: str(item.get("logGroupName", "")).startswith("/aws/"),
        restore_calls=_group_restore,
        restorable=("retention_in_days", "kms_key_id", "tags"),
        delete_calls=writes("delete_log_group")(
            lambda live: [AwsCall("logs", "delete_log_group", {"logGroupName": live.id}, live.region)]
        ),
        describe=lambda resource: f"log group {resource.attrs.get('name') or resource.id}",
        read_params=lambda resource: {"logGroupNamePrefix": resource.id},
        events=_GROUP_EVENTS,
        pulumi_tokens=("aws:cloudwatch/logGroup:LogGroup",),
    )
)
