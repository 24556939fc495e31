"""IAM: roles, users, groups, their inline policies, managed policies and attachments.

Global: read once per account with one paginated GetAccountAuthorizationDetails (roles,
users, groups, inline and managed policies with their default versions), plus one
paginated ListRoles for what that call leaves out (a role's description and maximum
session). The number of calls grows with pages, never with the number of roles.
Service-linked roles (path /aws-service-role/), the roles IAM Identity Center makes for its
permission sets (path /aws-reserved/), the role Organizations puts in every account it
creates, and AWS-managed policies belong to AWS.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from guard.live.events import IdForms, TypeEvents, arn_id, edits, named
from guard.live.policy import normalise_policy
from guard.live.shape import declared_tags, tag_changes, tags
from guard.live.types import (
    LEFT_TO_OTHERS,
    REGISTRY,
    Attrs,
    DetailCall,
    Expansion,
    GraphHooks,
    GraphRole,
    Join,
    PerParent,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource

_DETAILS = "get_account_authorization_details"
_AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
# Made by AWS on its own: service-linked roles, and Identity Center's AWSReservedSSO_* roles.
_AWS_ROLE_PATHS = ("/aws-service-role/", "/aws-reserved/")
# Organizations' CreateAccount makes this role (its default RoleName) with an inline
# AdministratorAccess policy in every new account: in every member account, in no state.
ORGANIZATIONS_ROLE = "OrganizationAccountAccessRole"


def made_by_aws(path: object, role_name: object = "") -> bool:
    """A role (or what hangs on it) that AWS made: never unmanaged; compared when declared."""
    return str(path or "").startswith(_AWS_ROLE_PATHS) or role_name == ORGANIZATIONS_ROLE


def _iam(operation: str, **params: Any) -> AwsCall:
    return AwsCall("iam", operation, params)


def _common(name: str, **fields: Any) -> ResourceType:
    defaults: dict[str, Any] = {
        "service": "iam",
        "list_call": _DETAILS,
        # AWS-managed policies are never anyone's drift; leaving them out of the answer
        # saves over a thousand policy documents per scan.
        "list_params": {"Filter": ["Role", "User", "Group", "LocalManagedPolicy"]},
        "global_service": True,
    }
    return ResourceType(name=name, **{**defaults, **fields})


def _boundary(item: Mapping[str, Any]) -> str | None:
    return (item.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")


@writes("tag_role", "untag_role", "tag_user", "untag_user", "tag_policy", "untag_policy")
def _tag_calls(kind: str, name: str, resource: Resource, changes: tuple[Change, ...]) -> list[AwsCall]:
    restore, remove = tag_changes(changes)
    calls = []
    if restore:
        tag_list = [{"Key": k, "Value": v} for k, v in restore.items()]
        calls.append(_iam(f"tag_{kind}", **{f"{kind.capitalize()}Name": name, "Tags": tag_list}))
    if remove:
        calls.append(_iam(f"untag_{kind}", **{f"{kind.capitalize()}Name": name, "TagKeys": remove}))
    return calls


# aws_iam_role ------------------------------------------------------------------------


def _merge_role_list(items: list[Attrs], listed: list[Attrs]) -> None:
    by_name = {role["RoleName"]: role for role in listed}
    for item in items:
        extra = by_name.get(item["RoleName"], {})
        item["Description"] = extra.get("Description")
        item["MaxSessionDuration"] = extra.get("MaxSessionDuration")


def _role_attrs(item: Attrs) -> Attrs:
    return {
        "name": item["RoleName"],
        "path": item.get("Path"),
        "assume_role_policy": normalise_policy(item.get("AssumeRolePolicyDocument")),
        "description": item.get("Description") or None,
        "max_session_duration": item.get("MaxSessionDuration") or 3600,
        "permissions_boundary": _boundary(item),
        "tags": tags(item),
    }


def _role_desired(attrs: Attrs) -> Attrs:
    return {
        "name": attrs.get("name"),
        "path": attrs.get("path") or "/",
        "assume_role_policy": normalise_policy(attrs.get("assume_role_policy")),
        "description": attrs.get("description") or None,
        "max_session_duration": attrs.get("max_session_duration") or 3600,
        "permissions_boundary": attrs.get("permissions_boundary") or None,
        "tags": declared_tags(attrs),
    }


@writes(_tag_calls, "update_assume_role_policy", "update_role")
def _role_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    calls = []
    paths = {change.path for change in changes}
    if "assume_role_policy" in paths:
        calls.append(
            _iam(
                "update_assume_role_policy",
                RoleName=resource.id,
                PolicyDocument=resource.attrs.get("assume_role_policy") or "",
            )
        )
    if paths & {"description", "max_session_duration"}:
        calls.append(
            _iam(
                "update_role",
                RoleName=resource.id,
                Description=resource.attrs.get("description") or "",
                MaxSessionDuration=resource.attrs.get("max_session_duration") or 3600,
            )
        )
    return calls + _tag_calls("role", resource.id, resource, changes)


_ROLE_BY_PATH = {
    "assume_role_policy": ("UpdateAssumeRolePolicy",),
    "description": ("UpdateRole", "UpdateRoleDescription"),
    "max_session_duration": ("UpdateRole",),
    "permissions_boundary": ("PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary"),
    "tags": ("TagRole", "UntagRole"),
}
_ROLE_NAME = named("iam", "role/(?:.*/)?", what="a role name, or its role/ ARN")
_ROLE_EVENTS = TypeEvents(
    missing=("DeleteRole",),
    unmanaged=("CreateRole",),
    changed=edits(_ROLE_BY_PATH),
    by_path=_ROLE_BY_PATH,
    touched_by=dict.fromkeys(
        ("CreateRole", "DeleteRole", *edits(_ROLE_BY_PATH)), "requestParameters.roleName"
    ),
    ids=_ROLE_NAME,
)


REGISTRY.register(
    _common(
        "aws_iam_role",
        events=_ROLE_EVENTS,
        items_path="RoleDetailList",
        id_key="RoleName",
        companion_call=("list_roles", "Roles"),
        merge_companion=_merge_role_list,
        to_attrs=_role_attrs,
        normalise_desired=_role_desired,
        compared=(
            "name",
            "path",
            "assume_role_policy",
            "description",
            "max_session_duration",
            "permissions_boundary",
            "tags",
        ),
        ignored={
            "inline_policy": "compared policy by policy as aws_iam_role_policy",
            "managed_policy_arns": "compared one by one as aws_iam_role_policy_attachment",
            "force_detach_policies": "Terraform-only setting",
            "create_date": "computed",
            "unique_id": "computed",
        },
        aws_default=lambda item: made_by_aws(item.get("Path"), item.get("RoleName")),
        restore_calls=_role_restore,
        restorable=("assume_role_policy", "description", "max_session_duration", "tags"),
        describe=lambda resource: f"role {resource.attrs.get('name') or resource.id}",
    )
)


# inline policies: aws_iam_role_policy, aws_iam_user_policy -------------------------


def _inline_children(owner_key: str, list_key: str) -> Any:
    def children(item: Attrs) -> list[Attrs]:
        owner = item[owner_key]
        return [
            {
                "Id": f"{owner}:{policy['PolicyName']}",
                "Owner": owner,
                "OwnerPath": item.get("Path", "/"),
                "PolicyName": policy["PolicyName"],
                "PolicyDocument": policy.get("PolicyDocument"),
            }
            for policy in item.get(list_key) or []
        ]

    return children


def _inline_events(kind: str) -> TypeEvents:
    title = kind.capitalize()
    put, delete = f"Put{title}Policy", f"Delete{title}Policy"
    return TypeEvents(
        missing=(delete,),
        unmanaged=(put,),
        changed=(put,),
        by_path={"policy": (put,)},
        lookup_attr=kind,  # CloudTrail names an inline policy by its role or user
        # Terraform's id is OWNER:POLICY, both in the request.
        touched_by=dict.fromkeys(
            (put, delete), f"join(':', [requestParameters.{kind}Name, requestParameters.policyName])"
        ),
        ids=IdForms(((r"[^:]+:[^:]+", "{value}"),), f"{kind}:policy"),
    )


def _inline_declaration(
    name: str, kind: str, owner_attr: str, items_path: str, list_key: str, token: str = ""
) -> ResourceType:
    owner_name = f"{kind.capitalize()}Name"

    def put(resource: Resource) -> AwsCall:
        return _iam(
            f"put_{kind}_policy",
            **{
                owner_name: resource.attrs.get(owner_attr),
                "PolicyName": resource.attrs.get("name"),
                "PolicyDocument": resource.attrs.get("policy") or "",
            },
        )

    return _common(
        name,
        events=_inline_events(kind),
        items_path=items_path,
        id_key="Id",
        split_item=_inline_children(owner_name, list_key),
        to_attrs=lambda item: {
            owner_attr: item["Owner"],
            "name": item["PolicyName"],
            "policy": normalise_policy(item.get("PolicyDocument")),
        },
        normalise_desired=lambda attrs: {
            owner_attr: attrs.get(owner_attr),
            "name": attrs.get("name"),
            "policy": normalise_policy(attrs.get("policy")),
        },
        compared=(owner_attr, "name", "policy"),
        ignored={"name_prefix": "only shapes the name at creation"},
        aws_default=lambda item: made_by_aws(item.get("OwnerPath"), item["Owner"] if kind == "role" else ""),
        parent=(owner_attr, f"aws_iam_{kind}"),
        match_key=lambda resource: f"{resource.attrs.get(owner_attr)}:{resource.attrs.get('name')}",
        restore_calls=writes(f"put_{kind}_policy")(lambda resource, _, __: [put(resource)]),
        restorable=("policy",),
        recreate_calls=writes(f"put_{kind}_policy")(lambda resource: [put(resource)]),
        delete_calls=writes(f"delete_{kind}_policy")(
            lambda resource: [
                _iam(
                    f"delete_{kind}_policy",
                    **{owner_name: resource.attrs.get(owner_attr), "PolicyName": resource.attrs.get("name")},
                )
            ]
        ),
        describe=lambda resource: (
            f"inline policy {resource.attrs.get('name')} of {kind} {resource.attrs.get(owner_attr)}"
        ),
        pulumi_tokens=(token,) if token else (),
        # It belongs to its role, group or user: an edit of it reaches what uses them.
        graph=GraphHooks(forward=(owner_attr,)),
    )


REGISTRY.register(
    _inline_declaration("aws_iam_role_policy", "role", "role", "RoleDetailList", "RolePolicyList")
)
REGISTRY.register(
    _inline_declaration("aws_iam_user_policy", "user", "user", "UserDetailList", "UserPolicyList")
)
REGISTRY.register(
    _inline_declaration(
        "aws_iam_group_policy",
        "group",
        "group",
        "GroupDetailList",
        "GroupPolicyList",
        "aws:iam/groupPolicy:GroupPolicy",
    )
)


# managed policy attachments: aws_iam_role_policy_attachment, aws_iam_group_policy_attachment,
# aws_iam_user_policy_attachment ------------------------------------------------------


def _attachment_children(kind: str) -> Any:
    owner_key = f"{kind.capitalize()}Name"

    def children(item: Attrs) -> list[Attrs]:
        return [
            {
                "Id": f"{item[owner_key]}/{attached['PolicyArn']}",
                "Owner": item[owner_key],
                "OwnerPath": item.get("Path", "/"),
                "PolicyArn": attached["PolicyArn"],
            }
            for attached in item.get("AttachedManagedPolicies") or []
        ]

    return children


def _attachment_events(kind: str, ids: IdForms) -> TypeEvents:
    title = kind.capitalize()
    attach, detach = f"Attach{title}Policy", f"Detach{title}Policy"
    return TypeEvents(
        missing=(detach,),
        unmanaged=(attach,),
        changed=(attach, detach),
        lookup_attr=kind,  # CloudTrail names an attachment by its role, group or user
        # Terraform's id has a random suffix: the event names the owner, read with its attachments.
        touched_by=dict.fromkeys((attach, detach), f"requestParameters.{kind}Name"),
        ids=ids,
        names_parent=True,
    )


def _attachment_declaration(name: str, kind: str, items_path: str, ids: IdForms, token: str) -> ResourceType:
    owner_name = f"{kind.capitalize()}Name"

    def call(operation: str, resource: Resource) -> AwsCall:
        return _iam(
            operation, **{owner_name: resource.attrs.get(kind), "PolicyArn": resource.attrs.get("policy_arn")}
        )

    return _common(
        name,
        events=_attachment_events(kind, ids),
        items_path=items_path,
        id_key="Id",
        split_item=_attachment_children(kind),
        to_attrs=lambda item: {kind: item["Owner"], "policy_arn": item["PolicyArn"]},
        normalise_desired=lambda attrs: {kind: attrs.get(kind), "policy_arn": attrs.get("policy_arn")},
        compared=(kind, "policy_arn"),
        # What AWS attaches to the roles it made is never anyone's drift.
        aws_default=lambda item: made_by_aws(item.get("OwnerPath"), item["Owner"] if kind == "role" else ""),
        parent=(kind, f"aws_iam_{kind}"),
        # Terraform's id is "<owner>-<unique suffix>": match on what the attachment joins.
        match_key=lambda resource: f"{resource.attrs.get(kind)}|{resource.attrs.get('policy_arn')}",
        # A policy an exclusive aws_iam_policy_attachment declares: that declaration reports
        # every attachment of it, declared there or not, once.
        claimed_by=(
            (
                "aws_iam_policy_attachment",
                lambda declared: [str(declared.get("policy_arn") or "")],
                lambda live: str(live.get("policy_arn") or ""),
            ),
        ),
        recreate_calls=writes(f"attach_{kind}_policy")(
            lambda resource: [call(f"attach_{kind}_policy", resource)]
        ),
        delete_calls=writes(f"detach_{kind}_policy")(
            lambda resource: [call(f"detach_{kind}_policy", resource)]
        ),
        describe=lambda resource: (
            f"attachment of {resource.attrs.get('policy_arn')} to {kind} {resource.attrs.get(kind)}"
        ),
        pulumi_tokens=(token,),
        # The role, group or user uses the policy: an edit of the policy reaches them through it.
        graph=GraphHooks(
            role=GraphRole.ATTACHMENT, joins=Join(user=kind, used="policy_arn", relation="policy_attachment")
        ),
    )


_GROUP_NAME = named("iam", "group/(?:.*/)?", what="a group name, or its group/ ARN")
_USER_NAME = named("iam", "user/(?:.*/)?", what="a user name, or its user/ ARN")

REGISTRY.register(
    _attachment_declaration(
        "aws_iam_role_policy_attachment",
        "role",
        "RoleDetailList",
        _ROLE_NAME,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    )
)
REGISTRY.register(
    _attachment_declaration(
        "aws_iam_group_policy_attachment",
        "group",
        "GroupDetailList",
        _GROUP_NAME,
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    )
)
REGISTRY.register(
    _attachment_declaration(
        "aws_iam_user_policy_attachment",
        "user",
        "UserDetailList",
        _USER_NAME,
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    )
)


def _role_inline_shapes(role: Resource, _: Mapping[str, Resource]) -> list[Resource]:
    """A role's own `inline_policy` and `managed_policy_arns` declare policies too."""
    from dataclasses import replace

    name = str(role.attrs.get("name") or role.id)
    shapes = []
    for block in role.attrs.get("inline_policy") or []:
        if isinstance(block, dict) and block.get("name"):
            shapes.append(
                replace(
                    role,
                    type="aws_iam_role_policy",
                    id=f"{name}:{block['name']}",
                    attrs={"role": name, "name": block["name"], "policy": block.get("policy")},
                    declared_type=role.type,
                )
            )
    for arn in role.attrs.get("managed_policy_arns") or []:
        shapes.append(
            replace(
                role,
                type="aws_iam_role_policy_attachment",
                id=f"{name}/{arn}",
                attrs={"role": name, "policy_arn": arn},
                declared_type=role.type,
            )
        )
    return shapes


REGISTRY.add_expansion(Expansion("aws_iam_role", precedence=50, expand=_role_inline_shapes))


# aws_iam_policy ----------------------------------------------------------------------


def _default_document(item: Attrs) -> Any:
    for version in item.get("PolicyVersionList") or []:
        if version.get("IsDefaultVersion"):
            return version.get("Document")
    return None


@writes("create_policy_version")
def _policy_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    if not any(change.path == "policy" for change in changes):
        return []
    return [
        _iam(
            "create_policy_version",
            PolicyArn=resource.id,
            PolicyDocument=resource.attrs.get("policy") or "",
            SetAsDefault=True,
        )
    ]


_POLICY_BY_PATH = {"policy": ("CreatePolicyVersion", "SetDefaultPolicyVersion")}
_POLICY_EVENTS = TypeEvents(
    missing=("DeletePolicy",),
    unmanaged=("CreatePolicy",),
    changed=edits(_POLICY_BY_PATH, "DeletePolicyVersion"),
    by_path=_POLICY_BY_PATH,
    touched_by={
        "CreatePolicy": "responseElements.policy.arn",
        **dict.fromkeys(("DeletePolicy", *_POLICY_BY_PATH["policy"]), "requestParameters.policyArn"),
    },
    ids=arn_id("iam", "policy/.+"),
)


REGISTRY.register(
    _common(
        "aws_iam_policy",
        events=_POLICY_EVENTS,
        items_path="Policies",
        id_key="Arn",
        to_attrs=lambda item: {
            # AWS always names the policy; moto leaves PolicyName out, the ARN ends with it.
            "name": item.get("PolicyName") or str(item["Arn"]).rsplit("/", 1)[-1],
            "path": item.get("Path"),
            "description": item.get("Description") or None,
            "policy": normalise_policy(_default_document(item)),
        },
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "path": attrs.get("path") or "/",
            "description": attrs.get("description") or None,
            "policy": normalise_policy(attrs.get("policy")),
        },
        compared=("name", "path", "description", "policy"),
        ignored={
            "tags": "not in GetAccountAuthorizationDetails; would need one ListPolicyTags call per policy",
            "attachment_count": "computed",
            "policy_id": "computed",
        },
        aws_default=lambda item: str(item.get("Arn", "")).startswith(_AWS_POLICY_PREFIX),
        restore_calls=_policy_restore,
        restorable=("policy",),
        describe=lambda resource: f"policy {resource.attrs.get('name') or resource.id}",
    )
)


# aws_iam_user, aws_iam_group ---------------------------------------------------------

_USER_BY_PATH = {
    "name": ("UpdateUser",),
    "path": ("UpdateUser",),
    "permissions_boundary": ("PutUserPermissionsBoundary", "DeleteUserPermissionsBoundary"),
    "tags": ("TagUser", "UntagUser"),
}
_USER_EVENTS = TypeEvents(
    missing=("DeleteUser",),
    unmanaged=("CreateUser",),
    changed=edits(_USER_BY_PATH),
    by_path=_USER_BY_PATH,
    touched_by=dict.fromkeys(
        ("CreateUser", "DeleteUser", *edits(_USER_BY_PATH)), "requestParameters.userName"
    ),
    ids=_USER_NAME,
)


REGISTRY.register(
    _common(
        "aws_iam_user",
        events=_USER_EVENTS,
        items_path="UserDetailList",
        id_key="UserName",
        to_attrs=lambda item: {
            "name": item["UserName"],
            "path": item.get("Path"),
            "permissions_boundary": _boundary(item),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "path": attrs.get("path") or "/",
            "permissions_boundary": attrs.get("permissions_boundary") or None,
            "tags": declared_tags(attrs),
        },
        compared=("name", "path", "permissions_boundary", "tags"),
        ignored={"force_destroy": "Terraform-only setting", "unique_id": "computed"},
        restore_calls=writes(_tag_calls)(
            lambda resource, _, changes: _tag_calls("user", resource.id, resource, changes)
        ),
        restorable=("tags",),
        describe=lambda resource: f"user {resource.attrs.get('name') or resource.id}",
    )
)

_GROUP_EVENTS = TypeEvents(
    missing=("DeleteGroup",),
    unmanaged=("CreateGroup",),
    changed=("UpdateGroup",),
    by_path={"name": ("UpdateGroup",), "path": ("UpdateGroup",)},
    touched_by=dict.fromkeys(("CreateGroup", "DeleteGroup", "UpdateGroup"), "requestParameters.groupName"),
    ids=_GROUP_NAME,
)


REGISTRY.register(
    _common(
        "aws_iam_group",
        events=_GROUP_EVENTS,
        items_path="GroupDetailList",
        id_key="GroupName",
        to_attrs=lambda item: {"name": item["GroupName"], "path": item.get("Path")},
        normalise_desired=lambda attrs: {"name": attrs.get("name"), "path": attrs.get("path") or "/"},
        compared=("name", "path"),
        ignored={"unique_id": "computed"},
        # No direct way back for a moved group: UpdateGroup with only NewPath cannot be proven
        # on the emulator (moto applies a new path only with a new name); Terraform moves it.
        restorable=(),
        describe=lambda resource: f"group {resource.attrs.get('name') or resource.id}",
    )
)


# aws_iam_instance_profile ------------------------------------------------------------
# GetAccountAuthorizationDetails lists a profile only under its role, so one without a role
# would never be seen: ListInstanceProfiles lists them all. IAM's list calls leave tags out
# (ListInstanceProfileTags is one call per profile, as is GetInstanceProfile, which has them).

_PROFILE_NAME = named("iam", "instance-profile/(?:.*/)?", what="an instance profile name, or its ARN")
# EKS managed node groups make a profile per group for their nodes ("eks-" and a UUID).
_EKS_PROFILE = re.compile(r"eks-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def _profile_role(item: Attrs) -> str | None:
    roles = item.get("Roles") or []
    return str(roles[0]["RoleName"]) if roles else None  # AWS allows one role per profile


def _merge_profile(item: Attrs, answer: Attrs) -> None:
    item["Tags"] = answer.get("Tags") or []


def _profile_owned_elsewhere(item: Attrs) -> bool:
    roles = item.get("Roles") or []
    service_role = any(str(role.get("Path", "")).startswith("/aws-service-role/") for role in roles)
    return service_role or bool(_EKS_PROFILE.fullmatch(str(item.get("InstanceProfileName", ""))))


def _profile_tag_list(values: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in values.items()]


@writes(
    "remove_role_from_instance_profile",
    "add_role_to_instance_profile",
    "tag_instance_profile",
    "untag_instance_profile",
)
def _profile_restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    name = resource.id
    calls = []
    if any(change.path == "role" for change in changes):
        had = live.attrs.get("role") if live is not None else None
        want = resource.attrs.get("role")
        if had:
            calls.append(_iam("remove_role_from_instance_profile", InstanceProfileName=name, RoleName=had))
        if want:
            calls.append(_iam("add_role_to_instance_profile", InstanceProfileName=name, RoleName=want))
    restore, remove = tag_changes(changes)
    if restore:
        calls.append(_iam("tag_instance_profile", InstanceProfileName=name, Tags=_profile_tag_list(restore)))
    if remove:
        calls.append(_iam("untag_instance_profile", InstanceProfileName=name, TagKeys=remove))
    return calls


@writes("create_instance_profile", "add_role_to_instance_profile")
def _profile_recreate(resource: Resource) -> list[AwsCall]:
    name = resource.id
    request: dict[str, Any] = {"InstanceProfileName": name, "Path": resource.attrs.get("path") or "/"}
    declared = declared_tags(resource.attrs)
    if declared:
        request["Tags"] = _profile_tag_list(declared)
    calls = [_iam("create_instance_profile", **request)]
    if resource.attrs.get("role"):
        calls.append(
            _iam("add_role_to_instance_profile", InstanceProfileName=name, RoleName=resource.attrs["role"])
        )
    return calls


@writes("remove_role_from_instance_profile", "delete_instance_profile")
def _profile_delete(live: Resource) -> list[AwsCall]:
    calls = []
    if live.attrs.get("role"):
        calls.append(
            _iam(
                "remove_role_from_instance_profile", InstanceProfileName=live.id, RoleName=live.attrs["role"]
            )
        )
    return [*calls, _iam("delete_instance_profile", InstanceProfileName=live.id)]


_PROFILE_BY_PATH = {
    "role": ("AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"),
    "tags": ("TagInstanceProfile", "UntagInstanceProfile"),
}
_PROFILE_EVENTS = TypeEvents(
    missing=("DeleteInstanceProfile",),
    unmanaged=("CreateInstanceProfile",),
    changed=edits(_PROFILE_BY_PATH),
    by_path=_PROFILE_BY_PATH,
    touched_by=dict.fromkeys(
        ("CreateInstanceProfile", "DeleteInstanceProfile", *edits(_PROFILE_BY_PATH)),
        "requestParameters.instanceProfileName",
    ),
    ids=_PROFILE_NAME,
)


REGISTRY.register(
    ResourceType(
        name="aws_iam_instance_profile",
        service="iam",
        list_call="list_instance_profiles",
        items_path="InstanceProfiles",
        id_key="InstanceProfileName",
        global_service=True,
        details=(
            DetailCall(
                operation="get_instance_profile",
                param="InstanceProfileName",
                items_path="InstanceProfile",
                answer_key="",
                merge=_merge_profile,
            ),
        ),
        to_attrs=lambda item: {
            "name": item["InstanceProfileName"],
            "path": item.get("Path") or "/",
            "role": _profile_role(item),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            "name": attrs.get("name"),
            "path": attrs.get("path") or "/",
            "role": attrs.get("role") or None,
            "tags": declared_tags(attrs),
        },
        compared=("name", "path", "role", "tags"),
        ignored={
            "name_prefix": "only shapes the name at creation",
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "arn": "computed",
            "create_date": "computed",
            "unique_id": "computed",
        },
        aws_default=_profile_owned_elsewhere,
        restore_calls=_profile_restore,
        restorable=("role", "tags"),
        recreate_calls=_profile_recreate,
        delete_calls=_profile_delete,
        describe=lambda resource: f"instance profile {resource.attrs.get('name') or resource.id}",
        events=_PROFILE_EVENTS,
        pulumi_tokens=("aws:iam/instanceProfile:InstanceProfile",),
        # Instances name it; it names its role (plain references join them).
        graph=GraphHooks(name=lambda attrs: str(attrs.get("name") or "instance profile")),
    )
)


# aws_iam_access_key ------------------------------------------------------------------
# ListAccessKeys is per user (IAM has no batch read of keys): one call per live user. The
# secret and the SMTP password exist only at creation and in state; guard never reads them.

_SENSITIVE_KEY = "sensitive: only in state, never read and never printed"


@writes("update_access_key")
def _key_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    if not any(change.path == "status" for change in changes):
        return []
    return [
        _iam(
            "update_access_key",
            UserName=resource.attrs.get("user"),
            AccessKeyId=resource.id,
            Status=resource.attrs.get("status") or "Active",
        )
    ]


_KEY_ID = IdForms(((r"(?:AKIA|ASIA)[A-Z0-9]{12,}", "{value}"),), "an access key id (AKIA...)")
_KEY_EVENTS = TypeEvents(
    missing=("DeleteAccessKey",),
    unmanaged=("CreateAccessKey",),
    changed=("UpdateAccessKey",),
    by_path={"status": ("UpdateAccessKey",)},
    touched_by={
        "CreateAccessKey": "responseElements.accessKey.accessKeyId",
        "DeleteAccessKey": "requestParameters.accessKeyId",
        "UpdateAccessKey": "requestParameters.accessKeyId",
    },
    ids=_KEY_ID,
)


REGISTRY.register(
    ResourceType(
        name="aws_iam_access_key",
        service="iam",
        list_call="list_access_keys",
        items_path="AccessKeyMetadata",
        id_key="AccessKeyId",
        global_service=True,
        per_parent=PerParent(type="aws_iam_user", param="UserName"),
        to_attrs=lambda item: {"user": item["UserName"], "status": item.get("Status") or "Active"},
        normalise_desired=lambda attrs: {
            "user": attrs.get("user"),
            "status": attrs.get("status") or "Active",
        },
        compared=("user", "status"),
        ignored={
            "secret": _SENSITIVE_KEY,
            "ses_smtp_password_v4": _SENSITIVE_KEY,
            "encrypted_secret": "the secret encrypted with pgp_key: only in state, never read",
            "encrypted_ses_smtp_password_v4": "the SMTP password encrypted with pgp_key: only in state",
            "key_fingerprint": "fingerprint of the PGP key used at creation",
            "pgp_key": "Terraform-only setting, used at creation",
            "create_date": "computed",
        },
        # An inactive key nobody declared signs nothing: only an active one is a finding.
        aws_default=lambda item: item.get("Status") != "Active",
        parent=("user", "aws_iam_user"),
        restore_calls=_key_restore,
        restorable=("status",),
        # A deleted key cannot come back (its secret is gone): Terraform makes a new one.
        delete_calls=writes("delete_access_key")(
            lambda live: [_iam("delete_access_key", UserName=live.attrs.get("user"), AccessKeyId=live.id)]
        ),
        describe=lambda resource: f"access key {resource.id} of user {resource.attrs.get('user')}",
        events=_KEY_EVENTS,
        pulumi_tokens=("aws:iam/accessKey:AccessKey",),
        graph=GraphHooks(forward=("user",)),
    )
)


# aws_iam_openid_connect_provider -----------------------------------------------------
# ListOpenIDConnectProviders gives ARNs only, and IAM has no batch describe: one
# GetOpenIDConnectProvider per provider (client ids, thumbprints, tags).


def _merge_oidc(item: Attrs, answer: Attrs) -> None:
    for key in ("Url", "ClientIDList", "ThumbprintList", "Tags"):
        item[key] = answer.get(key)


def _oidc_url(value: Any) -> str | None:
    """State holds the URL as configured (https://...); IAM answers it without the scheme."""
    text = str(value or "").strip()
    return text.removeprefix("https://").rstrip("/") or None


def _oidc_shape(url: Any, client_ids: Any, thumbprints: Any) -> Attrs:
    return {
        "url": _oidc_url(url),
        "client_id_list": sorted(str(c) for c in client_ids or []),
        # A thumbprint is hex: IAM and configurations may differ in case, never in meaning.
        "thumbprint_list": sorted(str(t).lower() for t in thumbprints or []),
    }


@writes(
    "update_open_id_connect_provider_thumbprint",
    "tag_open_id_connect_provider",
    "untag_open_id_connect_provider",
)
def _oidc_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    arn = resource.id
    calls = []
    if any(change.path == "thumbprint_list" for change in changes):
        thumbprints = list(resource.attrs.get("thumbprint_list") or [])
        calls.append(
            _iam(
                "update_open_id_connect_provider_thumbprint",
                OpenIDConnectProviderArn=arn,
                ThumbprintList=thumbprints,
            )
        )
    restore, remove = tag_changes(changes)
    if restore:
        calls.append(
            _iam(
                "tag_open_id_connect_provider",
                OpenIDConnectProviderArn=arn,
                Tags=[{"Key": k, "Value": v} for k, v in restore.items()],
            )
        )
    if remove:
        calls.append(_iam("untag_open_id_connect_provider", OpenIDConnectProviderArn=arn, TagKeys=remove))
    return calls


@writes("create_open_id_connect_provider")
def _oidc_recreate(resource: Resource) -> list[AwsCall]:
    """Its ARN is made from its URL: the re-made provider has the declared id again."""
    shaped = _oidc_shape(
        resource.attrs.get("url"), resource.attrs.get("client_id_list"), resource.attrs.get("thumbprint_list")
    )
    request: dict[str, Any] = {"Url": f"https://{shaped['url']}", "ClientIDList": shaped["client_id_list"]}
    if shaped["thumbprint_list"]:
        request["ThumbprintList"] = list(resource.attrs.get("thumbprint_list") or [])
    declared = declared_tags(resource.attrs)
    if declared:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in declared.items()]
    return [_iam("create_open_id_connect_provider", **request)]


_OIDC_BY_PATH = {
    "client_id_list": ("AddClientIDToOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider"),
    "thumbprint_list": ("UpdateOpenIDConnectProviderThumbprint",),
    "tags": ("TagOpenIDConnectProvider", "UntagOpenIDConnectProvider"),
}
_OIDC_ARN = "requestParameters.openIDConnectProviderArn"
_OIDC_EVENTS = TypeEvents(
    missing=("DeleteOpenIDConnectProvider",),
    unmanaged=("CreateOpenIDConnectProvider",),
    changed=edits(_OIDC_BY_PATH),
    by_path=_OIDC_BY_PATH,
    touched_by={
        "CreateOpenIDConnectProvider": "responseElements.openIDConnectProviderArn",
        **dict.fromkeys(("DeleteOpenIDConnectProvider", *edits(_OIDC_BY_PATH)), _OIDC_ARN),
    },
    ids=arn_id("iam", "oidc-provider/.+"),
)


REGISTRY.register(
    ResourceType(
        name="aws_iam_openid_connect_provider",
        service="iam",
        list_call="list_open_id_connect_providers",
        items_path="OpenIDConnectProviderList",
        id_key="Arn",
        global_service=True,
        details=(
            DetailCall(
                operation="get_open_id_connect_provider",
                param="OpenIDConnectProviderArn",
                items_path="@",
                answer_key="",
                merge=_merge_oidc,
            ),
        ),
        to_attrs=lambda item: {
            **_oidc_shape(item.get("Url"), item.get("ClientIDList"), item.get("ThumbprintList")),
            "tags": tags(item),
        },
        normalise_desired=lambda attrs: {
            **_oidc_shape(attrs.get("url"), attrs.get("client_id_list"), attrs.get("thumbprint_list")),
            "tags": declared_tags(attrs),
        },
        compared=("url", "client_id_list", "thumbprint_list", "tags"),
        ignored={
            "tags_all": "tags with the provider's default_tags, compared as tags",
            "arn": "computed (made from the URL; the id)",
        },
        restore_calls=_oidc_restore,
        # Client ids go back through Terraform: the emulator cannot prove Add/RemoveClientID.
        restorable=("thumbprint_list", "tags"),
        recreate_calls=_oidc_recreate,
        delete_calls=writes("delete_open_id_connect_provider")(
            lambda live: [_iam("delete_open_id_connect_provider", OpenIDConnectProviderArn=live.id)]
        ),
        describe=lambda resource: f"OIDC provider {resource.attrs.get('url') or resource.id}",
        events=_OIDC_EVENTS,
        pulumi_tokens=("aws:iam/openIdConnectProvider:OpenIdConnectProvider",),
        # Roles name it in their trust policies (plain references join them).
        graph=GraphHooks(name=lambda attrs: str(_oidc_url(attrs.get("url")) or "OIDC provider")),
    )
)


# aws_iam_group_membership ------------------------------------------------------------
# Exclusive: Terraform manages the group's whole member list, so a user added out of band
# is drift on it. IAM lists a user's groups, not a group's users: the members come from
# the users' part of the same GetAccountAuthorizationDetails answer (no extra call).


def _merge_members(groups: list[Attrs], users: list[Attrs]) -> None:
    members: dict[str, list[str]] = {}
    for user in users:
        for group in user.get("GroupList") or []:
            members.setdefault(str(group), []).append(str(user["UserName"]))
    for group in groups:
        group["Members"] = sorted(members.get(str(group["GroupName"]), []))


@writes("add_user_to_group", "remove_user_from_group")
def _membership_restore(
    resource: Resource, live: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    if not any(change.path == "users" for change in changes):
        return []
    group = resource.attrs.get("group")
    want = set(resource.attrs.get("users") or [])
    have = set(live.attrs.get("users") or []) if live is not None else set()
    return [_iam("add_user_to_group", GroupName=group, UserName=user) for user in sorted(want - have)] + [
        _iam("remove_user_from_group", GroupName=group, UserName=user) for user in sorted(have - want)
    ]


_MEMBERSHIP_EVENTS = TypeEvents(
    changed=("AddUserToGroup", "RemoveUserFromGroup"),
    by_path={"users": ("AddUserToGroup", "RemoveUserFromGroup")},
    lookup_attr="group",  # CloudTrail names the group; the membership is found by it
    # Terraform's id is the membership's own name: the group is read again with its members.
    touched_by=dict.fromkeys(("AddUserToGroup", "RemoveUserFromGroup"), "requestParameters.groupName"),
    ids=_GROUP_NAME,
    names_parent=True,
)


REGISTRY.register(
    _common(
        "aws_iam_group_membership",
        events=_MEMBERSHIP_EVENTS,
        items_path="GroupDetailList",
        id_key="GroupName",
        companion_call=(_DETAILS, "UserDetailList"),
        merge_companion=_merge_members,
        keep_item=lambda item: bool(item.get("Members", True)),  # a group nobody is in has no membership
        to_attrs=lambda item: {"group": item["GroupName"], "users": list(item.get("Members") or [])},
        normalise_desired=lambda attrs: {
            "group": attrs.get("group"),
            "users": sorted(str(user) for user in attrs.get("users") or []),
        },
        compared=("group", "users"),
        ignored={"name": "Terraform's own label for the membership (its id); AWS holds no such name"},
        # Never unmanaged: a group's members may be declared per user instead
        # (aws_iam_user_group_membership), so members no aws_iam_group_membership lists are
        # no evidence of drift on their own.
        aws_default=lambda item: True,
        parent=("group", "aws_iam_group"),
        match_key=lambda resource: str(resource.attrs.get("group") or ""),
        restore_calls=_membership_restore,
        restorable=("users",),
        describe=lambda resource: f"members of group {resource.attrs.get('group')}",
        pulumi_tokens=("aws:iam/groupMembership:GroupMembership",),
        graph=GraphHooks(forward=("group",)),
    )
)


# aws_iam_policy_attachment -----------------------------------------------------------
# Exclusive: Terraform holds every user, role and group one managed policy is attached to,
# and detaches the policy from any other on apply. IAM says which policies each user, group
# and role has (AttachedManagedPolicies) in the same GetAccountAuthorizationDetails answer
# the per-owner attachments read; gathered per policy there, it costs no call of its own
# (ListEntitiesForPolicy would be one call per declared policy).

_ENTITY_KINDS = ("user", "role", "group")
_ENTITIES = "[UserDetailList, RoleDetailList, GroupDetailList][]"


def _attachments_by_policy(entities: list[Attrs]) -> list[Attrs]:
    """One item per attached policy, naming every user, role and group it is attached to;
    the roles AWS made (service-linked, Identity Center's) apart, as nobody declares them."""
    found: dict[str, Attrs] = {}
    for entity in entities:
        kind = next((k for k in _ENTITY_KINDS if entity.get(f"{k.capitalize()}Name")), None)
        if kind is None:
            continue
        name = str(entity[f"{kind.capitalize()}Name"])
        aws_made = kind == "role" and made_by_aws(entity.get("Path"), name)
        for attached in entity.get("AttachedManagedPolicies") or []:
            arn = str(attached["PolicyArn"])
            item = found.setdefault(
                arn, {"PolicyArn": arn, "users": [], "roles": [], "groups": [], "aws_roles": []}
            )
            item["aws_roles" if aws_made else f"{kind}s"].append(name)
    return list(found.values())


def _exclusive_shape(policy_arn: Any, users: Any, roles: Any, groups: Any) -> Attrs:
    return {
        "policy_arn": policy_arn,
        "users": sorted(str(u) for u in users or []),
        "roles": sorted(str(r) for r in roles or []),
        "groups": sorted(str(g) for g in groups or []),
    }


def _exclusive_live(live: Attrs, declared: Attrs) -> Attrs:
    """A role AWS made counts only when the declaration names it (Terraform would try to
    detach the policy from any other, and IAM refuses to change a service-linked role); an
    owner a per-owner attachment declares too is compared there."""
    held = declared.get("_held_per_owner") or {}
    aws_roles = [role for role in live.get("_aws_roles") or [] if role in (declared.get("roles") or [])]
    shaped = {**live, "roles": sorted([*(live.get("roles") or []), *aws_roles])}
    for kind in _ENTITY_KINDS:
        key = f"{kind}s"
        shaped[key] = [name for name in shaped.get(key) or [] if name not in held.get(key, [])]
    return shaped


def _exclusive_left_to_owners(declared: Attrs, shapes: Any) -> Attrs:
    """An owner this attachment lists and an aws_iam_role_policy_attachment (or a role's
    managed_policy_arns, a group's or user's attachment) declares too is compared there
    alone: a detach of it is one finding, the per-owner one."""
    arn = declared.get("policy_arn")
    held: dict[str, list[str]] = {}
    kept = dict(declared)
    for kind in _ENTITY_KINDS:
        key = f"{kind}s"
        per_owner = {
            shape.attrs.get(kind)
            for shape in shapes
            if shape.type == f"aws_iam_{kind}_policy_attachment" and shape.attrs.get("policy_arn") == arn
        }
        held[key] = sorted(name for name in declared.get(key) or [] if name in per_owner)
        kept[key] = [name for name in declared.get(key) or [] if name not in per_owner]
    everything = any(held.values()) and not any(kept[f"{kind}s"] for kind in _ENTITY_KINDS)
    return {**kept, "_held_per_owner": held, **({LEFT_TO_OTHERS: True} if everything else {})}


def _entity_call(verb: str, kind: str, name: str, policy_arn: Any) -> AwsCall:
    return _iam(f"{verb}_{kind}_policy", **{f"{kind.capitalize()}Name": name, "PolicyArn": policy_arn})


@writes(
    "attach_user_policy",
    "attach_role_policy",
    "attach_group_policy",
    "detach_user_policy",
    "detach_role_policy",
    "detach_group_policy",
)
def _exclusive_restore(
    resource: Resource, live: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    paths = {change.path for change in changes}
    arn = resource.attrs.get("policy_arn")
    calls: list[AwsCall] = []
    for kind in _ENTITY_KINDS:
        if f"{kind}s" not in paths:
            continue
        want = set(resource.attrs.get(f"{kind}s") or [])
        have = set(live.attrs.get(f"{kind}s") or []) if live is not None else set()
        calls += [_entity_call("attach", kind, name, arn) for name in sorted(want - have)]
        calls += [_entity_call("detach", kind, name, arn) for name in sorted(have - want)]
    return calls


@writes("attach_user_policy", "attach_role_policy", "attach_group_policy")
def _exclusive_recreate(resource: Resource) -> list[AwsCall]:
    arn = resource.attrs.get("policy_arn")
    return [
        _entity_call("attach", kind, name, arn)
        for kind in _ENTITY_KINDS
        for name in resource.attrs.get(f"{kind}s") or []
    ]


def _exclusive_conflicts(want: Resource, have: Resource, shapes: Any) -> str:
    """An extra attachment another declaration holds (an aws_iam_role_policy_attachment, a
    role's managed_policy_arns): both are in Terraform, and they undo each other on apply."""
    arn = want.attrs.get("policy_arn")
    fights = []
    for kind in _ENTITY_KINDS:
        extra = set(have.attrs.get(f"{kind}s") or []) - set(want.attrs.get(f"{kind}s") or [])
        for shape in shapes:
            if (
                shape.type == f"aws_iam_{kind}_policy_attachment"
                and shape.attrs.get("policy_arn") == arn
                and shape.attrs.get(kind) in extra
            ):
                fights.append(f"{kind} {shape.attrs.get(kind)} ({shape.address})")
    rivals = sorted(
        shape.address
        for shape in shapes
        if shape.type == "aws_iam_policy_attachment"
        and shape.attrs.get("policy_arn") == arn
        and shape.address != want.address
    )
    notes = []
    if fights:
        notes.append(
            f"the attachment to {', '.join(sorted(fights))} is declared there too: this exclusive "
            "attachment detaches it on every apply and the other attaches it again; declare it in one place"
        )
    if rivals:
        notes.append(
            f"{', '.join(rivals)} is an exclusive attachment of the same policy: each detaches what "
            "the other attaches; Terraform allows one per policy"
        )
    return "; ".join(notes)


_POLICY_ARN = arn_id("iam", "policy/.+")
_EXCLUSIVE_BY_PATH = {
    "users": ("AttachUserPolicy", "DetachUserPolicy"),
    "roles": ("AttachRolePolicy", "DetachRolePolicy"),
    "groups": ("AttachGroupPolicy", "DetachGroupPolicy"),
}
_EXCLUSIVE_EVENTS = TypeEvents(
    missing=("DetachUserPolicy", "DetachRolePolicy", "DetachGroupPolicy"),
    changed=edits(_EXCLUSIVE_BY_PATH),
    by_path=_EXCLUSIVE_BY_PATH,
    lookup_attr="policy_arn",
    # The record names the policy: it is read again with every attachment of it.
    touched_by=dict.fromkeys(
        (name for names in _EXCLUSIVE_BY_PATH.values() for name in names), "requestParameters.policyArn"
    ),
    ids=_POLICY_ARN,
    names_parent=True,
)


REGISTRY.register(
    _common(
        "aws_iam_policy_attachment",
        events=_EXCLUSIVE_EVENTS,
        items_path=_ENTITIES,
        id_key="PolicyArn",
        regroup=_attachments_by_policy,
        to_attrs=lambda item: {
            **_exclusive_shape(item["PolicyArn"], item["users"], item["roles"], item["groups"]),
            "_aws_roles": sorted(item["aws_roles"]),
        },
        normalise_desired=lambda attrs: _exclusive_shape(
            attrs.get("policy_arn"), attrs.get("users"), attrs.get("roles"), attrs.get("groups")
        ),
        compare_live=_exclusive_live,
        # Two exclusive attachments of one policy are each compared (and each says so).
        shares_live=True,
        leaves_to_others=_exclusive_left_to_owners,
        compared=("policy_arn", "users", "roles", "groups"),
        ignored={"name": "Terraform's own label for the attachment (its id); AWS holds no such name"},
        # Never unmanaged: an attachment no state declares is reported by the per-owner
        # attachment types (aws_iam_role_policy_attachment, ...), once.
        aws_default=lambda item: True,
        parent=("policy_arn", "aws_iam_policy"),
        match_key=lambda resource: str(resource.attrs.get("policy_arn") or ""),
        restore_calls=_exclusive_restore,
        restorable=("users", "roles", "groups"),
        # Taking the policy away from a user, role or group is a delete: only when asked for.
        removing=("detach_user_policy", "detach_role_policy", "detach_group_policy"),
        recreate_calls=_exclusive_recreate,
        conflicts=_exclusive_conflicts,
        describe=lambda resource: f"exclusive attachment of {resource.attrs.get('policy_arn')}",
        pulumi_tokens=("aws:iam/policyAttachment:PolicyAttachment",),
        # The users, roles and groups use the policy; it belongs to the policy.
        graph=GraphHooks(forward=("policy_arn",)),
    )
)


# aws_iam_user_group_membership -------------------------------------------------------
# Not exclusive: it holds some of one user's groups, and other groups the user is in (by
# another membership, another state, the console) are not its drift. Several may name one
# user. The groups come from the user's GroupList in the same GetAccountAuthorizationDetails
# answer (no call of its own). Terraform's id is random (resource.UniqueId()); it is matched
# by its user.


def _declared_groups(live: Attrs, declared: Attrs) -> Attrs:
    """The user's groups this membership names: the others are not its business."""
    wanted = set(declared.get("groups") or [])
    return {**live, "groups": sorted(group for group in live.get("groups") or [] if group in wanted)}


def _groups_left_to_group_memberships(declared: Attrs, shapes: Any) -> Attrs:
    """A group whose aws_iam_group_membership lists this user is compared there (exclusive,
    it reports a user taken out of the group), not a second time here."""
    user = declared.get("user")
    held = {
        shape.attrs.get("group")
        for shape in shapes
        if shape.type == "aws_iam_group_membership" and user in (shape.attrs.get("users") or [])
    }
    return {**declared, "groups": [group for group in declared.get("groups") or [] if group not in held]}


@writes("add_user_to_group")
def _user_groups_restore(
    resource: Resource, live: Resource | None, changes: tuple[Change, ...]
) -> list[AwsCall]:
    if not any(change.path == "groups" for change in changes):
        return []
    user = resource.attrs.get("user")
    have = set(live.attrs.get("groups") or []) if live is not None else set()
    return [
        _iam("add_user_to_group", GroupName=group, UserName=user)
        for group in sorted(set(resource.attrs.get("groups") or []) - have)
    ]


_USER_GROUPS_EVENTS = TypeEvents(
    changed=("AddUserToGroup", "RemoveUserFromGroup"),
    by_path={"groups": ("AddUserToGroup", "RemoveUserFromGroup")},
    lookup_attr="user",  # CloudTrail names the user (and the group); the membership is found by it
    # Terraform's id is random: the user is read again with its groups.
    touched_by=dict.fromkeys(("AddUserToGroup", "RemoveUserFromGroup"), "requestParameters.userName"),
    ids=_USER_NAME,
    names_parent=True,
)


REGISTRY.register(
    _common(
        "aws_iam_user_group_membership",
        events=_USER_GROUPS_EVENTS,
        items_path="UserDetailList",
        id_key="UserName",
        to_attrs=lambda item: {
            "user": item["UserName"],
            "groups": sorted(str(group) for group in item.get("GroupList") or []),
        },
        normalise_desired=lambda attrs: {
            "user": attrs.get("user"),
            "groups": sorted(str(group) for group in attrs.get("groups") or []),
        },
        compare_live=_declared_groups,
        shares_live=True,
        leaves_to_others=_groups_left_to_group_memberships,
        compared=("user", "groups"),
        # Never unmanaged: it is not exclusive, so a group a user is in that no membership
        # names is no evidence of drift (aws_iam_group_membership reports what it holds).
        aws_default=lambda item: True,
        parent=("user", "aws_iam_user"),
        match_key=lambda resource: str(resource.attrs.get("user") or ""),
        restore_calls=_user_groups_restore,
        restorable=("groups",),
        # No recreate: it is missing only when its user is gone (the user's finding, and no
        # group can be given to a user that is not there); Terraform makes both again.
        describe=lambda resource: f"group membership of user {resource.attrs.get('user')}",
        pulumi_tokens=("aws:iam/userGroupMembership:UserGroupMembership",),
        graph=GraphHooks(forward=("user",)),
    )
)
