"""KMS: keys and aliases.

ListKeys returns only ids, so each key costs DescribeKey and, for customer-managed keys,
GetKeyRotationStatus, ListResourceTags and GetKeyPolicy (4 calls per customer key, 1 per
AWS-managed key), run concurrently in a bounded pool. Aliases come from one paginated
ListAliases. AWS-managed keys and `alias/aws/*` are AWS's own.
"""

from __future__ import annotations

import re
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits, named
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, PerParent, ResourceType, reads, writes
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


# --- grants -------------------------------------------------------------------------------
#
# ListGrants (paginated) once per customer-managed key the scan keeps (PerParent; KMS has no
# account-wide grant list): AWS-managed keys' grants are AWS's. Every key state the key type
# keeps is listed, a disabled key too: ListGrants is a management call that works on it, and
# skipping it would report its declared grants missing. The provider's id is
# `key_id:grant_id`, key_id as written (an id or a key ARN): matched by the key's id.
# A grant cannot be edited, only created and revoked.

_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?")


def _key_uuid(value: Any) -> str:
    """A key id from an id or a key ARN (arn:...:key/ID)."""
    text = str(value or "")
    return text.rsplit("key/", 1)[1] if text.startswith("arn:") and "key/" in text else text


def _a_service(principal: Any) -> bool:
    """A service principal (rds.us-east-1.amazonaws.com), a service-linked role, or AWS's own
    infrastructure role (EBS attaches volumes as assumed-role/aws:ec2-infrastructure/...)."""
    text = str(principal or "")
    return (
        bool(_SERVICE_PRINCIPAL.fullmatch(text))
        or "/aws-service-role/" in text
        or ":assumed-role/aws:" in text
    )


def _made_by_a_service(item: Attrs) -> bool:
    """Grants AWS services create on a customer key for themselves: to a service principal
    (also the newer GranteeServicePrincipal field), retirable by one, to a service-linked or
    AWS infrastructure role, or bound to a service's own encryption context (aws:ebs:id,
    aws:rds:db-id, aws:lambda:FunctionArn, aws:dynamodb:tableName: the aws: prefix is AWS's)."""
    if item.get("GranteeServicePrincipal") or any(
        _a_service(item.get(key)) for key in ("GranteePrincipal", "RetiringPrincipal")
    ):
        return True
    constraints = item.get("Constraints") or {}
    context = {
        **(constraints.get("EncryptionContextSubset") or {}),
        **(constraints.get("EncryptionContextEquals") or {}),
    }
    return any(str(key).startswith("aws:") for key in context)


def _constraints(equals: Any, subset: Any) -> Attrs | None:
    """A set of at most one block in state; a context not set is null or {}."""
    shaped = {
        "encryption_context_equals": dict(equals or {}),
        "encryption_context_subset": dict(subset or {}),
    }
    return shaped if any(shaped.values()) else None


def _grant_id(item: Attrs) -> list[Attrs]:
    key = _key_uuid(item.get("KeyId"))
    return [{**item, "KeyUuid": key, "Id": f"{key}:{item['GrantId']}"}]


def _grant_attrs(item: Attrs) -> Attrs:
    constraints = item.get("Constraints") or {}
    return {
        "key_id": item.get("KeyUuid"),
        "grant_id": item.get("GrantId"),
        "grantee_principal": item.get("GranteePrincipal") or item.get("GranteeServicePrincipal"),
        "retiring_principal": item.get("RetiringPrincipal") or None,
        "operations": sorted(item.get("Operations") or []),
        "constraints": _constraints(
            constraints.get("EncryptionContextEquals"), constraints.get("EncryptionContextSubset")
        ),
        "name": item.get("Name") or None,
    }


def _grant_desired(attrs: Attrs) -> Attrs:
    blocks = attrs.get("constraints") or []
    block = blocks[0] if isinstance(blocks, list) and blocks else (blocks if isinstance(blocks, dict) else {})
    grant_id = attrs.get("grant_id") or str(attrs.get("id") or "").rsplit(":", 1)[-1]
    return {
        "key_id": _key_uuid(attrs.get("key_id")),
        "grant_id": grant_id,
        "grantee_principal": attrs.get("grantee_principal"),
        "retiring_principal": attrs.get("retiring_principal") or None,
        "operations": sorted(attrs.get("operations") or []),
        "constraints": _constraints(
            block.get("encryption_context_equals"), block.get("encryption_context_subset")
        ),
        "name": attrs.get("name") or None,
    }


def _grant_hcl(live: Resource) -> Attrs:
    attrs = live.attrs
    return {
        "key_id": attrs.get("key_id"),
        "grantee_principal": attrs.get("grantee_principal"),
        "operations": attrs.get("operations"),
        "name": attrs.get("name"),
        "retiring_principal": attrs.get("retiring_principal"),
        "constraints": [attrs["constraints"]] if attrs.get("constraints") else None,
    }


@writes("revoke_grant")
def _grant_delete(live: Resource) -> list[AwsCall]:
    params = {"KeyId": live.attrs.get("key_id"), "GrantId": live.attrs.get("grant_id")}
    return [AwsCall("kms", "revoke_grant", params, live.region)]


# CreateGrant's grant id is in the response, the key in the request (an id, ARN or alias) or,
# resolved, in the record's resources; the trailing [] drops a part the record lacks.
_KEY_ARN = "(resources[?type=='AWS::KMS::Key'].ARN | [0])"
_GRANT_EVENTS = TypeEvents(
    missing=("RevokeGrant", "RetireGrant"),
    unmanaged=("CreateGrant",),
    touched_by={
        "CreateGrant": f"join(':', [{_KEY_ARN} || requestParameters.keyId, responseElements.grantId][])",
        **dict.fromkeys(
            ("RevokeGrant", "RetireGrant"),
            f"join(':', [{_KEY_ARN} || requestParameters.keyId, requestParameters.grantId][])",
        ),
    },
    ids=IdForms(
        (
            (
                r"arn:(?:aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:\d+:key/(?P<key>(?:mrk-)?[0-9a-f-]{32,36}):(?P<grant>\w+)",
                "{key}:{grant}",
            ),
            (r"(?:mrk-)?[0-9a-f-]{32,36}:\w+", "{value}"),
        ),
        "key id:grant id (the key by id or key ARN; an alias is not a key id)",
    ),
)


def _customer_key(key: Resource) -> bool:
    return not key.owned_elsewhere


REGISTRY.register(
    ResourceType(
        name="aws_kms_grant",
        service="kms",
        list_call="list_grants",
        items_path="Grants",
        id_key="Id",
        per_parent=PerParent("aws_kms_key", "KeyId", listed=_customer_key),
        parent=("key_id", "aws_kms_key"),
        split_item=_grant_id,
        to_attrs=_grant_attrs,
        normalise_desired=_grant_desired,
        # The state's key_id may be the key's ARN: both sides are matched by key id and grant id.
        match_key=lambda resource: (
            f"{_key_uuid(resource.attrs.get('key_id'))}:{resource.attrs.get('grant_id')}"
        ),
        compared=("grantee_principal", "operations", "constraints", "retiring_principal", "name"),
        ignored={
            "id": "key_id:grant_id",
            "key_id": "part of the id (matched by the key's id, whether state holds an id or an ARN)",
            "grant_id": "part of the id",
            "grant_token": "a secret, never read back by AWS",
            "grant_creation_tokens": "sent once at creation; AWS does not keep them",
            "retire_on_delete": "Terraform-only setting",
        },
        aws_default=_made_by_a_service,
        # A grant cannot be edited: any change is a new grant (IaC). A revoked one is not put
        # back by CreateGrant either: the new grant has a new id, so the state would still
        # name one that is gone; `terraform apply` creates it and records the new id.
        delete_calls=_grant_delete,
        hcl_arguments=_grant_hcl,
        describe=lambda resource: (
            f"KMS grant {resource.attrs.get('name') or resource.attrs.get('grant_id') or resource.id}"
            f" on key {_key_uuid(resource.attrs.get('key_id'))}"
        ),
        events=_GRANT_EVENTS,
        pulumi_tokens=("aws:kms/grant:Grant",),
        graph=GraphHooks(
            forward=("key_id", "grantee_principal"),
            name=lambda attrs: str(attrs.get("name") or "KMS grant"),
        ),
    )
)
