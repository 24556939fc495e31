"""KMS: keys and aliases.

ListKeys returns only ids, so each key costs DescribeKey and, for customer-managed keys,
GetKeyRotationStatus, ListResourceTags and GetKeyPolicy (4 calls per customer key, 1 per
AWS-managed key), run concurrently in a bounded pool. Aliases come from one paginated
ListAliases. AWS-managed keys and `alias/aws/*` are AWS's own.
"""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_GONE = ("PendingDeletion", "PendingReplicaDeletion")


@reads("describe_key", "get_key_rotation_status", "list_resource_tags", "get_key_policy")
def read_key(clients: Any, region: str, listed: dict[str, Any]) -> dict[str, Any]:
    kms = clients.client("kms", region)
    key = dict(kms.describe_key(KeyId=listed["KeyId"])["KeyMetadata"])
    if key.get("KeyManager") != "CUSTOMER" or key.get("KeyState") in _GONE:
        return key
    if key.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT":
        key["KeyRotationEnabled"] = kms.get_key_rotation_status(KeyId=key["KeyId"]).get("KeyRotationEnabled")
    key["Tags"] = kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags") or []  # up to 50: one page
    key["Policy"] = kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default").get("Policy")
    return key


def _key_attrs(item: dict[str, Any]) -> Attrs:
    return {
        "arn": item.get("Arn"),  # not compared: rules match what uses the key by its ARN
        "description": item.get("Description") or None,
        "is_enabled": bool(item.get("Enabled")),
        "enable_key_rotation": bool(item.get("KeyRotationEnabled")),
        # AWS always answers both; moto's DescribeKey can leave them out: the defaults.
        "key_usage": item.get("KeyUsage") or "ENCRYPT_DECRYPT",
        "customer_master_key_spec": item.get("KeySpec")
        or item.get("CustomerMasterKeySpec")
        or "SYMMETRIC_DEFAULT",
        "multi_region": bool(item.get("MultiRegion")),
        "policy": normalise_policy(item.get("Policy")),
        "tags": _kms_tags(item),
    }


def _kms_tags(item: dict[str, Any]) -> dict[str, str]:
    return {
        t["TagKey"]: t.get("TagValue", "")
        for t in item.get("Tags") or []
        if not t["TagKey"].startswith("aws:")
    }


def _key_desired(attrs: Attrs) -> Attrs:
    return {
        "description": attrs.get("description") or None,
        "is_enabled": attrs.get("is_enabled", True) is not False,
        "enable_key_rotation": bool(attrs.get("enable_key_rotation")),
        "key_usage": attrs.get("key_usage") or "ENCRYPT_DECRYPT",
        "customer_master_key_spec": attrs.get("customer_master_key_spec") or "SYMMETRIC_DEFAULT",
        "multi_region": bool(attrs.get("multi_region")),
        "policy": normalise_policy(attrs.get("policy")),
        "tags": declared_tags(attrs),
    }


@writes("enable_key_rotation", "disable_key_rotation", "enable_key", "disable_key", "update_key_description")
def _key_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = []
    for change in changes:
        if change.path == "enable_key_rotation":
            operation = "enable_key_rotation" if change.expected else "disable_key_rotation"
            calls.append(AwsCall("kms", operation, {"KeyId": resource.id}, resource.region))
        elif change.path == "is_enabled":
            operation = "enable_key" if change.expected else "disable_key"
            calls.append(AwsCall("kms", operation, {"KeyId": resource.id}, resource.region))
        elif change.path == "description":
            calls.append(
                AwsCall(
                    "kms",
                    "update_key_description",
                    {"KeyId": resource.id, "Description": change.expected or ""},
                    resource.region,
                )
            )
    return calls


def _mark_aws_managed(keys: list[Attrs], aliases: list[Attrs]) -> None:
    """A key behind an `alias/aws/...` alias is AWS-managed, whatever DescribeKey says
    (moto creates the EBS default key as a customer key; AWS reports KeyManager AWS)."""
    managed = {
        alias.get("TargetKeyId")
        for alias in aliases
        if str(alias.get("AliasName", "")).startswith("alias/aws/")
    }
    for key in keys:
        if key.get("KeyId") in managed:
            key["AwsManagedAlias"] = True


_KEY_BY_PATH = {
    "description": ("UpdateKeyDescription",),
    "is_enabled": ("EnableKey", "DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion"),
    "enable_key_rotation": ("EnableKeyRotation", "DisableKeyRotation"),
    "policy": ("PutKeyPolicy",),
    "tags": ("TagResource", "UntagResource"),
}
# The calls take a key id, a key ARN or an alias; CloudTrail lists the key's ARN in `resources`.
_KEY_NAMED = "[requestParameters.keyId, resources[?type=='AWS::KMS::Key'].ARN][]"
_KEY_EVENTS = TypeEvents(
    missing=("ScheduleKeyDeletion",),
    unmanaged=("CreateKey",),
    changed=edits(_KEY_BY_PATH),
    by_path=_KEY_BY_PATH,
    touched_by={
        "CreateKey": "responseElements.keyMetadata.keyId",
        **dict.fromkeys(edits(_KEY_BY_PATH), _KEY_NAMED),
    },
    ids=named(
        "kms", "key/", r"(?:mrk-)?[0-9a-f-]{32,36}", "a key id, or its key/ ARN (an alias is not a key id)"
    ),
)


REGISTRY.register(
    ResourceType(
        name="aws_kms_key",
        events=_KEY_EVENTS,
        service="kms",
        list_call="list_keys",
        items_path="Keys",
        id_key="KeyId",
        per_item=read_key,
        # The provider treats a key scheduled for deletion as gone.
        keep_item=lambda item: item.get("KeyState") not in _GONE,
        to_attrs=_key_attrs,
        normalise_desired=_key_desired,
        compared=(
            "description",
            "is_enabled",
            "enable_key_rotation",
            "key_usage",
            "customer_master_key_spec",
            "multi_region",
            "policy",
            "tags",
        ),
        ignored={
            "deletion_window_in_days": "Terraform-only setting",
            "bypass_policy_lockout_safety_check": "Terraform-only setting",
            "rotation_period_in_days": "not compared yet",
            "arn": "computed",
        },
        companion_call=("list_aliases", "Aliases"),
        merge_companion=_mark_aws_managed,
        aws_default=lambda item: item.get("KeyManager") == "AWS" or bool(item.get("AwsManagedAlias")),
        restore_calls=_key_restore,
        restorable=("enable_key_rotation", "is_enabled", "description"),
        describe=lambda resource: f"KMS key {resource.attrs.get('description') or resource.id}",
        protected="data encrypted under a deleted key is lost with it",
    )
)

_ALIAS_EVENTS = TypeEvents(
    missing=("DeleteAlias",),
    unmanaged=("CreateAlias",),
    changed=("UpdateAlias",),
    by_path={"target_key_id": ("UpdateAlias",)},
    touched_by=dict.fromkeys(("CreateAlias", "DeleteAlias", "UpdateAlias"), "requestParameters.aliasName"),
    ids=named("kms", "", r"alias/[\w/-]+", "alias/NAME, or its ARN"),
)


REGISTRY.register(
    ResourceType(
        name="aws_kms_alias",
        events=_ALIAS_EVENTS,
        service="kms",
        list_call="list_aliases",
        items_path="Aliases",
        id_key="AliasName",
        to_attrs=lambda item: {"name": item["AliasName"], "target_key_id": item.get("TargetKeyId")},
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "target_key_id": attrs.get("target_key_id"),
        },
        compared=("name", "target_key_id"),
        ignored={"target_key_arn": "follows from target_key_id", "name_prefix": "only shapes the name"},
        aws_default=lambda item: str(item.get("AliasName", "")).startswith("alias/aws/"),
        restore_calls=writes("update_alias")(
            lambda resource, _, __: [
                AwsCall(
                    "kms",
                    "update_alias",
                    {"AliasName": resource.id, "TargetKeyId": resource.attrs.get("target_key_id")},
                    resource.region,
                )
            ]
        ),
        restorable=("target_key_id",),
        recreate_calls=writes("create_alias")(
            lambda resource: [
                AwsCall(
                    "kms",
                    "create_alias",
                    {"AliasName": resource.id, "TargetKeyId": resource.attrs.get("target_key_id")},
                    resource.region,
                )
            ]
        ),
        describe=lambda resource: f"KMS alias {resource.id}",
    )
)
