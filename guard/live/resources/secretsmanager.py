"""Secrets Manager: secrets and their resource policies.

One paginated ListSecrets per region gives each secret's description, KMS key and tags;
the resource policy has no batch call, so GetResourcePolicy runs once per secret (a
per-item read shared by both types, so the list is made once). The value is never read:
guard calls no GetSecretValue and compares no `secret_string`. Secrets another service
owns (`OwningService`: RDS-managed master passwords `rds!...`, AppFlow, ...) and replicas
of a secret whose primary is in another region are never unmanaged.

Rotation is not an attribute of `aws_secretsmanager_secret` since provider 5.0 (it moved
to `aws_secretsmanager_secret_rotation`), so it is not compared here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guard.live.events import IdForms, TypeEvents, edits
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

# The AWS-managed key Secrets Manager uses when none is named: the same as no key.
_DEFAULT_KEY = "alias/aws/secretsmanager"


@reads("get_resource_policy")
def read_secret(clients: Any, region: str, listed: dict[str, Any]) -> dict[str, Any]:
    """The listed secret with its resource policy (never its value)."""
    secret = dict(listed)
    answer = clients.client("secretsmanager", region).get_resource_policy(SecretId=secret["ARN"])
    secret["ResourcePolicy"] = answer.get("ResourcePolicy") or None
    return secret


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _key(value: Any) -> str | None:
    key = _text(value)
    return None if key == _DEFAULT_KEY else key


def _secret_name(arn: str) -> str:
    """The name in a secret's ARN (`...:secret:NAME-AbCdEf`: AWS adds six characters)."""
    name = arn.split(":secret:", 1)[-1]
    return name.rsplit("-", 1)[0] if "-" in name else name


def _owned_elsewhere(item: Attrs) -> bool:
    """Made by another service for itself, or a replica whose primary lives in another region."""
    if item.get("OwningService"):
        return True
    primary = item.get("PrimaryRegion")
    arn = str(item.get("ARN") or "")
    return bool(primary) and arn.count(":") > 3 and arn.split(":")[3] != primary


def _by_name(resource: Resource) -> Mapping[str, Any]:
    """ListSecrets narrowed to this secret (the name filter matches by prefix: maybe siblings)."""
    name = resource.attrs.get("name") or _secret_name(str(resource.attrs.get("secret_arn") or resource.id))
    return {"Filters": [{"Key": "name", "Values": [str(name)]}]}


# aws_secretsmanager_secret ---------------------------------------------------------


def _secret_attrs(item: Attrs) -> Attrs:
    return {
        "name": item.get("Name"),
        "description": _text(item.get("Description")),
        "kms_key_id": _key(item.get("KmsKeyId")),
        "tags": tags(item),
    }


def _secret_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "description": _text(attrs.get("description")),
        "kms_key_id": _key(attrs.get("kms_key_id")),
        "tags": declared_tags(attrs),
    }


@writes("update_secret", "tag_resource", "untag_resource")
def _secret_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    declared = _secret_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    update: dict[str, Any] = {}
    if "description" in paths:
        update["Description"] = declared["description"] or ""
    if "kms_key_id" in paths:
        # No key declared is AWS's default key for Secrets Manager; the value is re-encrypted.
        update["KmsKeyId"] = declared["kms_key_id"] or _DEFAULT_KEY
    secret = {"SecretId": resource.id}
    calls = []
    if update:
        calls.append(AwsCall("secretsmanager", "update_secret", {**secret, **update}, resource.region))
    restore, remove = tag_changes(changes)
    if restore:
        pairs = [{"Key": k, "Value": v} for k, v in restore.items()]
        calls.append(AwsCall("secretsmanager", "tag_resource", {**secret, "Tags": pairs}, resource.region))
    if remove:
        untag = {**secret, "TagKeys": remove}
        calls.append(AwsCall("secretsmanager", "untag_resource", untag, resource.region))
    return calls


# A call names the secret by name or ARN (`secretId`); its answer gives the ARN, the id
# Terraform holds. A name alone cannot be made into the ARN (AWS adds a random suffix).
_SECRET_ID = "[requestParameters.secretId, responseElements.arn, responseElements.aRN][]"
_SECRET_ARN = IdForms(
    ((r"arn:(?:aws|aws-cn|aws-us-gov):secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+", "{value}"),),
    "a secret's ARN (a name alone does not say which secret: AWS suffixes it)",
)
_SECRET_BY_PATH = {
    "description": ("UpdateSecret",),
    "kms_key_id": ("UpdateSecret",),
    "tags": ("TagResource", "UntagResource"),
}
_SECRET_EVENTS = TypeEvents(
    missing=("DeleteSecret",),
    unmanaged=("CreateSecret", "RestoreSecret"),
    changed=edits(_SECRET_BY_PATH),
    by_path=_SECRET_BY_PATH,
    touched_by={
        "CreateSecret": "[responseElements.arn, responseElements.aRN][]",
        **dict.fromkeys(("DeleteSecret", "RestoreSecret", *edits(_SECRET_BY_PATH)), _SECRET_ID),
    },
    ids=_SECRET_ARN,
)


REGISTRY.register(
    ResourceType(
        name="aws_secretsmanager_secret",
        service="secretsmanager",
        list_call="list_secrets",
        items_path="SecretList",
        id_key="ARN",
        per_item=read_secret,
        to_attrs=_secret_attrs,
        normalise_desired=_secret_desired,
        compared=("name", "description", "kms_key_id", "tags"),
        ignored={
            "arn": "the id",
            "name_prefix": "only shapes the name",
            "policy": "compared as aws_secretsmanager_secret_policy (the same GetResourcePolicy): "
            "comparing it here too would report one edit twice",
            "recovery_window_in_days": "Terraform-only setting, used when it deletes the secret",
            "force_overwrite_replica_secret": "Terraform-only setting",
            "replica": "replicas are in DescribeSecret only (one call per secret); not compared yet",
        },
        aws_default=_owned_elsewhere,
        read_params=_by_name,
        restore_calls=_secret_restore,
        restorable=("description", "kms_key_id", "tags"),
        # A deleted secret waits out its recovery window (7 to 30 days): RestoreSecret brings
        # it back whole, value and versions included. After the window only Terraform can.
        recreate_calls=writes("restore_secret")(
            lambda resource: [
                AwsCall("secretsmanager", "restore_secret", {"SecretId": resource.id}, resource.region)
            ]
        ),
        # Scheduled for deletion with AWS's 30-day recovery window, never forced.
        delete_calls=writes("delete_secret")(
            lambda live: [AwsCall("secretsmanager", "delete_secret", {"SecretId": live.id}, live.region)]
        ),
        describe=lambda resource: f"secret {resource.attrs.get('name') or _secret_name(resource.id)}",
        events=_SECRET_EVENTS,
        pulumi_tokens=("aws:secretsmanager/secret:Secret",),
        graph=GraphHooks(forward=("kms_key_id",), name=lambda attrs: str(attrs.get("name") or "secret")),
    )
)


# aws_secretsmanager_secret_policy --------------------------------------------------


def _policy_attrs(item: Attrs) -> Attrs:
    return {"secret_arn": item["ARN"], "policy": normalise_policy(item.get("ResourcePolicy"))}


def _policy_call(resource: Resource) -> AwsCall:
    policy = str(resource.attrs.get("policy") or "")
    params: dict[str, Any] = {"SecretId": resource.id, "ResourcePolicy": policy}
    if resource.attrs.get("block_public_policy"):
        params["BlockPublicPolicy"] = True
    return AwsCall("secretsmanager", "put_resource_policy", params, resource.region)


_POLICY_EVENTS = TypeEvents(
    missing=("DeleteResourcePolicy",),
    unmanaged=("PutResourcePolicy",),
    changed=("PutResourcePolicy",),
    by_path={"policy": ("PutResourcePolicy",)},
    touched_by=dict.fromkeys(("PutResourcePolicy", "DeleteResourcePolicy"), _SECRET_ID),
    ids=_SECRET_ARN,
)


REGISTRY.register(
    ResourceType(
        name="aws_secretsmanager_secret_policy",
        service="secretsmanager",
        list_call="list_secrets",
        items_path="SecretList",
        id_key="ARN",  # Terraform's id is the secret's ARN
        per_item=read_secret,
        keep_item=lambda item: bool(item.get("ResourcePolicy")),
        to_attrs=_policy_attrs,
        normalise_desired=lambda attrs: {
            "secret_arn": attrs.get("secret_arn"),
            "policy": normalise_policy(attrs.get("policy")),
        },
        compared=("secret_arn", "policy"),
        ignored={
            "block_public_policy": "a PutResourcePolicy request option; AWS does not return it",
        },
        aws_default=_owned_elsewhere,
        parent=("secret_arn", "aws_secretsmanager_secret"),
        read_params=_by_name,
        restore_calls=writes("put_resource_policy")(lambda resource, _, __: [_policy_call(resource)]),
        restorable=("policy",),
        recreate_calls=writes("put_resource_policy")(lambda resource: [_policy_call(resource)]),
        delete_calls=writes("delete_resource_policy")(
            lambda live: [
                AwsCall("secretsmanager", "delete_resource_policy", {"SecretId": live.id}, live.region)
            ]
        ),
        describe=lambda resource: f"policy of secret {_secret_name(resource.id)}",
        events=_POLICY_EVENTS,
        pulumi_tokens=("aws:secretsmanager/secretPolicy:SecretPolicy",),
        graph=GraphHooks(forward=("secret_arn",)),
    )
)
