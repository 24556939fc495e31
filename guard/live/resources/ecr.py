"""ECR repositories and their lifecycle policies: one paginated DescribeRepositories per
region. ECR has no batch call for a repository's tags or lifecycle policy, so each
repository costs ListTagsForResource and GetLifecyclePolicy, run concurrently in a bounded
pool and shared by both types. LifecyclePolicyNotFoundException means the repository has
none, not that the read failed.

Repositories CloudFormation made (a CDK bootstrap's asset repository, tagged
`aws:cloudformation:*`) belong to their stack: compared when declared, never unmanaged.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import declared_tags, first_block, tag_changes, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource


@reads("list_tags_for_resource", "get_lifecycle_policy")
def read_repository(clients: Any, region: str, repository: dict[str, Any]) -> dict[str, Any]:
    """A repository with its tags and lifecycle policy text (None when it has none)."""
    ecr = clients.client("ecr", region)
    listed = ecr.list_tags_for_resource(resourceArn=repository["repositoryArn"])
    try:
        policy = ecr.get_lifecycle_policy(
            registryId=repository["registryId"], repositoryName=repository["repositoryName"]
        ).get("lifecyclePolicyText")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "LifecyclePolicyNotFoundException":
            raise
        policy = None
    return {**repository, "Tags": listed.get("tags") or [], "LifecyclePolicy": policy}


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _made_by_a_stack(item: Attrs) -> bool:
    return any(str(t.get("Key", "")).startswith("aws:cloudformation:") for t in item.get("Tags") or [])


# --- aws_ecr_repository ------------------------------------------------------------------


def _encryption(kind: Any, key: Any) -> Attrs:
    """AES256 unless KMS was chosen; a KMS repository's key is the key's ARN on both sides."""
    encryption_type = _text(kind) or "AES256"
    return {
        "encryption_type": encryption_type,
        "kms_key": _text(key) if encryption_type != "AES256" else None,
    }


def _repository_attrs(item: Attrs) -> Attrs:
    encryption = item.get("encryptionConfiguration") or {}
    return {
        "name": item.get("repositoryName"),
        "image_tag_mutability": item.get("imageTagMutability") or "MUTABLE",
        "image_scanning_configuration": {
            "scan_on_push": bool((item.get("imageScanningConfiguration") or {}).get("scanOnPush"))
        },
        "encryption_configuration": _encryption(encryption.get("encryptionType"), encryption.get("kmsKey")),
        "tags": tags(item),
    }


def _repository_desired(attrs: Attrs) -> Attrs:
    encryption = first_block(attrs, "encryption_configuration")
    return {
        "name": attrs.get("name"),
        "image_tag_mutability": attrs.get("image_tag_mutability") or "MUTABLE",
        "image_scanning_configuration": {
            "scan_on_push": bool(first_block(attrs, "image_scanning_configuration").get("scan_on_push"))
        },
        "encryption_configuration": _encryption(encryption.get("encryption_type"), encryption.get("kms_key")),
        "tags": declared_tags(attrs),
    }


def _arn(resource: Resource, live: Resource | None) -> str:
    return str((live.attrs.get("arn") if live else None) or resource.attrs.get("arn") or "")


@writes("put_image_tag_mutability", "put_image_scanning_configuration", "tag_resource", "untag_resource")
def _repository_restore(
    resource: Resource, live: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    declared = _repository_desired(resource.attrs)
    paths = {change.path.split(".", 1)[0] for change in changes}
    name = resource.id
    calls = []
    if "image_tag_mutability" in paths:
        request = {"repositoryName": name, "imageTagMutability": declared["image_tag_mutability"]}
        calls.append(AwsCall("ecr", "put_image_tag_mutability", request, resource.region))
    if "image_scanning_configuration" in paths:
        scanning = {"scanOnPush": declared["image_scanning_configuration"]["scan_on_push"]}
        request = {"repositoryName": name, "imageScanningConfiguration": scanning}
        calls.append(AwsCall("ecr", "put_image_scanning_configuration", request, resource.region))
    restore, remove = tag_changes(changes)
    arn = _arn(resource, live)
    if restore:
        request = {"resourceArn": arn, "tags": [{"Key": k, "Value": v} for k, v in restore.items()]}
        calls.append(AwsCall("ecr", "tag_resource", request, resource.region))
    if remove:
        calls.append(
            AwsCall("ecr", "untag_resource", {"resourceArn": arn, "tagKeys": remove}, resource.region)
        )
    return calls


# A repository name may hold slashes (team/api); in an ARN it follows `repository/`.
_REPOSITORY_NAME = r"[a-z0-9][a-z0-9._/-]*"
_REPOSITORY_IDS = named("ecr", "repository/", name=_REPOSITORY_NAME, what="a repository name or ARN")
_NAME = "requestParameters.repositoryName"
_REPOSITORY_BY_PATH = {
    "image_tag_mutability": ("PutImageTagMutability",),
    "image_scanning_configuration": ("PutImageScanningConfiguration",),
    "tags": ("TagResource", "UntagResource"),
}
_REPOSITORY_EVENTS = TypeEvents(
    missing=("DeleteRepository",),
    unmanaged=("CreateRepository",),
    changed=edits(_REPOSITORY_BY_PATH),
    by_path=_REPOSITORY_BY_PATH,
    touched_by={
        "CreateRepository": "responseElements.repository.repositoryName",
        **dict.fromkeys(
            ("DeleteRepository", "PutImageTagMutability", "PutImageScanningConfiguration"), _NAME
        ),
        **dict.fromkeys(_REPOSITORY_BY_PATH["tags"], "requestParameters.resourceArn"),
    },
    ids=_REPOSITORY_IDS,
)


def _common(name: str, **fields: Any) -> ResourceType:
    defaults: dict[str, Any] = {
        "service": "ecr",
        "list_call": "describe_repositories",
        "items_path": "repositories",
        "id_key": "repositoryName",
        "per_item": read_repository,
    }
    return ResourceType(name=name, **{**defaults, **fields})


REGISTRY.register(
    _common(
        "aws_ecr_repository",
        to_attrs=lambda item: {**_repository_attrs(item), "arn": item.get("repositoryArn")},
        normalise_desired=_repository_desired,
        compared=(
            "name",
            "image_tag_mutability",
            "image_scanning_configuration",
            "encryption_configuration",
            "tags",
        ),
        ignored={
            "arn": "computed from the name",
            "registry_id": "the account: computed",
            "repository_url": "computed from the account, region and name",
            "force_delete": "Terraform-only setting",
            "timeouts": "Terraform-only setting",
        },
        aws_default=_made_by_a_stack,
        restore_calls=_repository_restore,
        # Encryption is set at creation only: a different one means the repository was replaced.
        restorable=("image_tag_mutability", "image_scanning_configuration", "tags"),
        delete_calls=writes("delete_repository")(
            # Without force: a repository holding images refuses, and its images stay.
            lambda live: [AwsCall("ecr", "delete_repository", {"repositoryName": live.id}, live.region)]
        ),
        describe=lambda resource: f"ECR repository {resource.attrs.get('name') or resource.id}",
        events=_REPOSITORY_EVENTS,
        pulumi_tokens=("aws:ecr/repository:Repository",),
        protected="deleting a repository deletes its images, which a re-create does not bring back",
        graph=GraphHooks(name=lambda attrs: str(attrs.get("name") or "ECR repository")),
    )
)


# --- aws_ecr_lifecycle_policy --------------------------------------------------------------


def _sorted_rule(rule: Any) -> Any:
    """A rule with its tag lists in order (ECR applies them as sets)."""
    if not isinstance(rule, dict):
        return rule
    selection = dict(rule.get("selection") or {})
    for key in ("tagPrefixList", "tagPatternList"):
        if isinstance(selection.get(key), list):
            selection[key] = sorted(selection[key])
    return {**rule, "selection": selection} if selection else rule


def normalise_lifecycle_policy(text: Any) -> str | None:
    """A lifecycle policy as canonical JSON: key order, whitespace and rule order (ECR
    evaluates rules by rulePriority) do not count, as in the provider's own comparison."""
    if text in (None, ""):
        return None
    try:
        document = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return str(text)
    if isinstance(document, dict) and isinstance(document.get("rules"), list):
        rules = [_sorted_rule(rule) for rule in document["rules"]]
        document = {
            **document,
            "rules": sorted(rules, key=lambda r: r.get("rulePriority", 0) if isinstance(r, dict) else 0),
        }
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _policy_call(resource: Resource) -> AwsCall:
    request = {
        "repositoryName": str(resource.attrs.get("repository") or resource.id),
        "lifecyclePolicyText": str(resource.attrs.get("policy") or ""),
    }
    return AwsCall("ecr", "put_lifecycle_policy", request, resource.region)


_POLICY_EVENTS = TypeEvents(
    missing=("DeleteLifecyclePolicy",),
    unmanaged=("PutLifecyclePolicy",),
    changed=("PutLifecyclePolicy",),
    by_path={"policy": ("PutLifecyclePolicy",)},
    touched_by=dict.fromkeys(("PutLifecyclePolicy", "DeleteLifecyclePolicy"), _NAME),
    ids=_REPOSITORY_IDS,
)


REGISTRY.register(
    _common(
        "aws_ecr_lifecycle_policy",
        split_item=lambda repository: [repository] if repository.get("LifecyclePolicy") else [],
        to_attrs=lambda item: {
            "repository": item.get("repositoryName"),
            "policy": normalise_lifecycle_policy(item.get("LifecyclePolicy")),
        },
        normalise_desired=lambda attrs: {
            "repository": attrs.get("repository"),
            "policy": normalise_lifecycle_policy(attrs.get("policy")),
        },
        compared=("repository", "policy"),
        ignored={"registry_id": "the account: computed"},
        parent=("repository", "aws_ecr_repository"),
        restore_calls=writes("put_lifecycle_policy")(lambda resource, _, __: [_policy_call(resource)]),
        restorable=("*",),
        recreate_calls=writes("put_lifecycle_policy")(lambda resource: [_policy_call(resource)]),
        delete_calls=writes("delete_lifecycle_policy")(
            lambda live: [AwsCall("ecr", "delete_lifecycle_policy", {"repositoryName": live.id}, live.region)]
        ),
        describe=lambda resource: f"lifecycle policy of ECR repository {resource.attrs.get('repository')}",
        events=_POLICY_EVENTS,
        pulumi_tokens=("aws:ecr/lifecyclePolicy:LifecyclePolicy",),
        graph=GraphHooks(
            forward=("repository",),
            name=lambda attrs: f"lifecycle policy of {attrs.get('repository') or 'an ECR repository'}",
        ),
    )
)
