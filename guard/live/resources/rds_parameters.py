"""RDS parameter groups, for DB instances and for Aurora clusters: one paginated
DescribeDBParameterGroups / DescribeDBClusterParameterGroups per region, then per group (AWS
has no batch call for either) its user-set parameters (DescribeDBParameters with
Source=user, paginated) and its tags (ListTagsForResource).

A parameter changed, reset or added out of band is the classic edit: the parameters the
state lists and every user-set one it does not are compared by name, values as AWS reports
them. AWS's own groups (`default.<family>`) are never unmanaged and cost no per-group read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from guard.live.events import TypeEvents, edits, named
from guard.live.resources.rds import _rds_tag_calls
from guard.live.shape import declared_tags, tags
from guard.live.types import REGISTRY, Attrs, GraphHooks, PerItemReader, ResourceType, reads, writes
from guard.model import AwsCall, Change, Resource

_PER_CALL = 20  # ModifyDBParameterGroup and ResetDBParameterGroup take 20 parameters a call


@dataclass(frozen=True)
class _Kind:
    """What differs between a DB parameter group and a DB cluster parameter group: names."""

    type: str
    what: str  # in words
    word: str  # in API names: DBParameterGroup | DBClusterParameterGroup
    arn_kind: str  # the ARN's resource type: pg | cluster-pg
    token: str

    @property
    def name_key(self) -> str:
        return f"{self.word}Name"

    def op(self, verb: str, noun: str = "") -> str:
        """The boto3 operation, e.g. modify_db_parameter_group, describe_db_cluster_parameters."""
        words = (noun or self.word).replace("DB", "Db")
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in words)
        return f"{verb}{snake}"

    def event(self, verb: str) -> str:
        return f"{verb}{self.word}"


_DB = _Kind("aws_db_parameter_group", "DB parameter group", "DBParameterGroup", "pg", "parameterGroup")
_CLUSTER = _Kind(
    "aws_rds_cluster_parameter_group",
    "DB cluster parameter group",
    "DBClusterParameterGroup",
    "cluster-pg",
    "clusterParameterGroup",
)


def _aws_owned(name: Any) -> bool:
    """AWS makes `default.<family>` groups itself; no one can create a name starting so."""
    return str(name or "").startswith("default.")


def _reader(kind: _Kind) -> PerItemReader:
    parameters_of = kind.op("describe", kind.word.replace("Group", "s"))  # describe_db_parameters

    @reads(parameters_of, "list_tags_for_resource")
    def read(clients: Any, region: str, item: dict[str, Any]) -> dict[str, Any]:
        if _aws_owned(item.get(kind.name_key)):
            return item  # never compared, never unmanaged: not worth two calls
        rds = clients.client("rds", region)
        try:
            pages = rds.get_paginator(parameters_of).paginate(
                **{kind.name_key: item[kind.name_key]}, Source="user"
            )
            parameters = [p for page in pages for p in page.get("Parameters") or []]
            listed = rds.list_tags_for_resource(ResourceName=item[f"{kind.word}Arn"])
        except ClientError as exc:
            if "NotFound" in str(exc.response.get("Error", {}).get("Code", "")):
                return {**item, "Gone": True}  # deleted between the list and this read
            raise
        return {**item, "Parameters": parameters, "Tags": listed.get("TagList") or []}

    return read


def _parameters(values: Any) -> dict[str, str]:
    """Name -> value. The provider writes names lower-cased (RDS matches them so); values
    are compared as AWS reports them."""
    if isinstance(values, Mapping):
        return {str(k): str(v) for k, v in values.items()}
    return {str(p.get("name") or "").lower(): str(p.get("value") or "") for p in values or []}


def _shape(values: Attrs) -> Attrs:
    return {
        "name": values.get("name"),
        "family": values.get("family"),
        "description": values.get("description") or None,
        "parameter": _parameters(values.get("parameter")),
    }


def _desired(attrs: Attrs) -> Attrs:
    methods = attrs.get("apply_methods")
    if methods is None:
        methods = {
            str(p.get("name") or "").lower(): p.get("apply_method") or "immediate"
            for p in attrs.get("parameter") or []
            if isinstance(p, Mapping)
        }
    # arn and apply_methods are carried for the way back, never compared.
    return {**_shape(attrs), "tags": declared_tags(attrs), "arn": attrs.get("arn"), "apply_methods": methods}


def _attrs_of(kind: _Kind) -> Any:
    def to_attrs(item: Attrs) -> Attrs:
        listed = item.get("Parameters") or []
        shaped = _shape(
            {
                "name": item.get(kind.name_key),
                "family": item.get("DBParameterGroupFamily"),
                "description": item.get("Description"),
                "parameter": {
                    str(p["ParameterName"]).lower(): str(p.get("ParameterValue") or "") for p in listed
                },
            }
        )
        # A static parameter is reset only by a reboot; ApplyType says which it is.
        static = sorted(str(p["ParameterName"]).lower() for p in listed if p.get("ApplyType") == "static")
        return {**shaped, "tags": tags(item), "arn": item.get(f"{kind.word}Arn"), "static_parameters": static}

    return to_attrs


def _restore_of(kind: _Kind) -> Any:
    modify, reset = kind.op("modify"), kind.op("reset")

    @writes(modify, reset, _rds_tag_calls)
    def restore(resource: Resource, live: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
        declared = _desired(resource.attrs)
        methods = declared["apply_methods"]
        static = set((live.attrs.get("static_parameters") if live else None) or [])
        put_back: list[dict[str, str]] = []
        take_away: list[dict[str, str]] = []
        for change in changes:
            if not change.path.startswith("parameter."):
                continue
            name = change.path[len("parameter.") :]
            value = declared["parameter"].get(name)
            if value is not None:
                method = methods.get(name) or "immediate"
                put_back.append({"ParameterName": name, "ParameterValue": value, "ApplyMethod": method})
            else:  # set out of band: back to the engine default
                method = "pending-reboot" if name in static else "immediate"
                take_away.append({"ParameterName": name, "ApplyMethod": method})
        group = {kind.name_key: declared["name"] or resource.id}
        calls = [
            AwsCall(
                "rds", operation, {**group, "Parameters": chunk[start : start + _PER_CALL]}, resource.region
            )
            for operation, chunk in ((modify, put_back), (reset, take_away))
            for start in range(0, len(chunk), _PER_CALL)
        ]
        return calls + _rds_tag_calls(resource, changes)

    return restore


def _hcl_of(resource: Resource) -> Attrs:
    """The skeleton's `parameter` blocks, one per user-set parameter."""
    shaped = _shape(resource.attrs)
    blocks = [{"name": name, "value": value} for name, value in sorted(shaped["parameter"].items())]
    return {
        **{k: v for k, v in shaped.items() if k != "parameter"},
        "parameter": blocks,
        "tags": resource.attrs.get("tags"),
    }


def _events_of(kind: _Kind) -> TypeEvents:
    by_path = {
        "parameter": (kind.event("Modify"), kind.event("Reset")),
        "tags": ("AddTagsToResource", "RemoveTagsFromResource"),
    }
    creates = (kind.event("Create"), kind.event("Copy"))
    named_by = f"requestParameters.{kind.name_key[0].lower()}{kind.name_key[1:]}"
    return TypeEvents(
        missing=(kind.event("Delete"),),
        unmanaged=creates,
        changed=edits(by_path),
        by_path=by_path,
        touched_by={
            **dict.fromkeys(
                (kind.event("Create"), kind.event("Modify"), kind.event("Reset"), kind.event("Delete")),
                named_by,
            ),
            # A copy names its source by name or ARN, and the new group as the target.
            kind.event("Copy"): f"requestParameters.target{kind.word}Identifier",
            **dict.fromkeys(by_path["tags"], "requestParameters.resourceName"),
        },
        ids=named("rds", f"{kind.arn_kind}:", r"[\w.-]+", f"a {kind.what} name, or its {kind.arn_kind}: ARN"),
    )


_IGNORED = {
    "arn": "computed",
    "id": "the name, compared as name",
    "name_prefix": "Terraform-only, used to make name",
    "parameter.apply_method": (
        "how Terraform applies a value (immediate or at the next reboot), not a setting AWS keeps"
    ),
    "skip_destroy": "Terraform-only setting, applies when the group is destroyed",
    "tags_all": "tags with the provider's default_tags, compared as tags",
}


def _declare(kind: _Kind) -> ResourceType:
    @writes(kind.op("delete"))
    def delete(live: Resource) -> list[AwsCall]:
        return [AwsCall("rds", kind.op("delete"), {kind.name_key: live.id}, live.region)]

    return REGISTRY.register(
        ResourceType(
            name=kind.type,
            events=_events_of(kind),
            service="rds",
            list_call=kind.op("describe", f"{kind.word}s"),
            items_path=f"{kind.word}s",
            id_key=kind.name_key,
            per_item=_reader(kind),
            keep_item=lambda item: not item.get("Gone"),
            to_attrs=_attrs_of(kind),
            normalise_desired=_desired,
            compared=("name", "family", "description", "parameter", "tags"),
            ignored=_IGNORED,
            aws_default=lambda item: _aws_owned(item.get(kind.name_key)),
            read_params=lambda resource: {kind.name_key: resource.id},
            restore_calls=_restore_of(kind),
            restorable=("parameter", "tags"),
            delete_calls=delete,
            hcl_arguments=_hcl_of,
            describe=lambda resource: f"{kind.what} {resource.attrs.get('name') or resource.id}",
            pulumi_tokens=(f"aws:rds/{kind.token}:{kind.token[0].upper()}{kind.token[1:]}",),
            pulumi_blocks={"parameters": "parameter"},
            # Instances and clusters name it by name, its id: plain references join them.
            graph=GraphHooks(name=lambda attrs: str(attrs.get("name") or "parameter group")),
        )
    )


for _kind in (_DB, _CLUSTER):
    _declare(_kind)
