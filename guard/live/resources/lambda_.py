"""Lambda functions: one paginated ListFunctions per region (full configuration), plus one
ListTags per function, since ListFunctions carries no tags."""

from __future__ import annotations

from typing import Any

from guard.live.events import TypeEvents, edits, named
from guard.live.shape import declared_tags, first_block
from guard.live.types import REGISTRY, Attrs, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_CONFIG = {
    "handler": "Handler",
    "runtime": "Runtime",
    "role": "Role",
    "memory_size": "MemorySize",
    "timeout": "Timeout",
    "description": "Description",
}


@reads("list_tags")
def read_function_tags(clients: Any, region: str, function: dict[str, Any]) -> dict[str, Any]:
    answer = clients.client("lambda", region).list_tags(Resource=function["FunctionArn"])
    return {**function, "TagMap": answer.get("Tags") or {}}


def _function_attrs(item: dict[str, Any]) -> Attrs:
    vpc = item.get("VpcConfig") or {}
    return {
        **{name: item.get(key) or None for name, key in _CONFIG.items()},
        "architectures": item.get("Architectures") or ["x86_64"],
        "layers": sorted(layer["Arn"] for layer in item.get("Layers") or []),
        "environment": dict((item.get("Environment") or {}).get("Variables") or {}),
        "source_code_hash": item.get("CodeSha256"),
        "subnet_ids": sorted(vpc.get("SubnetIds") or []),
        "security_group_ids": sorted(vpc.get("SecurityGroupIds") or []),
        "tags": {k: v for k, v in (item.get("TagMap") or {}).items() if not k.startswith("aws:")},
    }


def _function_desired(attrs: Attrs) -> Attrs:
    vpc = first_block(attrs, "vpc_config")
    return {
        **{name: attrs.get(name) or None for name in _CONFIG},
        "architectures": attrs.get("architectures") or ["x86_64"],
        "layers": sorted(attrs.get("layers") or []),
        "environment": dict(first_block(attrs, "environment").get("variables") or {}),
        "source_code_hash": attrs.get("source_code_hash") or None,
        "subnet_ids": sorted(vpc.get("subnet_ids") or []),
        "security_group_ids": sorted(vpc.get("security_group_ids") or []),
        "tags": declared_tags(attrs),
    }


@writes("update_function_configuration")
def _function_restore(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    params: dict[str, Any] = {}
    for change in changes:
        if change.path in _CONFIG:
            params[_CONFIG[change.path]] = change.expected
        elif change.path.startswith("environment."):
            params["Environment"] = {"Variables": resource.attrs.get("environment") or {}}
    if not params:
        return []
    return [
        AwsCall(
            "lambda",
            "update_function_configuration",
            {"FunctionName": resource.id, **params},
            resource.region,
        )
    ]


# CloudTrail names Lambda calls with the API version they were made against.
_CONFIGURE = "UpdateFunctionConfiguration20150331v2"
_FUNCTION_BY_PATH = {
    **dict.fromkeys(
        (
            "handler",
            "runtime",
            "role",
            "memory_size",
            "timeout",
            "description",
            "layers",
            "environment",
            "subnet_ids",
            "security_group_ids",
        ),
        (_CONFIGURE,),
    ),
    "architectures": ("UpdateFunctionCode20150331v2",),
    "source_code_hash": ("UpdateFunctionCode20150331v2",),
    "tags": ("TagResource20170331v2", "UntagResource20170331v2"),
}
_FUNCTION_EVENTS = TypeEvents(
    missing=("DeleteFunction20150331",),
    unmanaged=("CreateFunction20150331",),
    changed=edits(_FUNCTION_BY_PATH),
    by_path=_FUNCTION_BY_PATH,
    touched_by={
        "CreateFunction20150331": "responseElements.functionName",
        **dict.fromkeys(
            ("DeleteFunction20150331", _CONFIGURE, "UpdateFunctionCode20150331v2"),
            "requestParameters.functionName",
        ),
        **dict.fromkeys(_FUNCTION_BY_PATH["tags"], "requestParameters.resource"),
    },
    ids=named("lambda", "function:", r"[\w-]+", "a function name, or its ARN (a qualifier is dropped)"),
)


REGISTRY.register(
    ResourceType(
        name="aws_lambda_function",
        events=_FUNCTION_EVENTS,
        service="lambda",
        list_call="list_functions",
        items_path="Functions",
        id_key="FunctionName",
        per_item=read_function_tags,
        to_attrs=_function_attrs,
        normalise_desired=_function_desired,
        compared=(
            *_CONFIG,
            "architectures",
            "layers",
            "environment",
            "source_code_hash",
            "subnet_ids",
            "security_group_ids",
            "tags",
        ),
        ignored={
            "reserved_concurrent_executions": "needs one GetFunctionConcurrency call per function",
            "filename": "a local path, not in AWS",
            "publish": "Terraform-only setting",
            "version": "computed",
            "last_modified": "computed",
            "qualified_arn": "computed",
        },
        restore_calls=_function_restore,
        restorable=(*_CONFIG, "environment"),
        describe=lambda resource: f"function {resource.id}",
    )
)
