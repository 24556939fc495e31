"""Small converters shared by declarations: AWS API shapes to Terraform attribute shapes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from guard.live.types import Attrs, writes
from guard.model import AwsCall, Change, Resource


def tags(item: dict[str, Any], key: str = "Tags") -> dict[str, str]:
    """AWS tag list to Terraform's map; `aws:` tags belong to AWS and Terraform never sees them."""
    return {
        tag["Key"]: tag.get("Value", "") for tag in item.get(key) or [] if not tag["Key"].startswith("aws:")
    }


def declared_tags(attrs: dict[str, Any]) -> dict[str, str]:
    """What AWS should hold: `tags_all` adds the provider's default_tags to `tags`."""
    value = attrs.get("tags_all")
    if value is None:
        value = attrs.get("tags")
    return dict(value or {})


def first_block(attrs: dict[str, Any], name: str) -> dict[str, Any]:
    """A block limited to one item is a list of one object in Terraform state."""
    value = attrs.get(name)
    if isinstance(value, list):
        return dict(value[0]) if value else {}
    return dict(value or {})


def first_set(attrs: Attrs, names: Iterable[str], default: str) -> str:
    """The value of the first of `names` that is set: a route's destination, a rule's source."""
    return next((str(attrs[name]) for name in names if attrs.get(name)), default)


def changed_settings(declared: Attrs, changes: tuple[Change, ...], params: dict[str, str]) -> dict[str, Any]:
    """The request parameters (attribute -> parameter name in `params`) of the attributes an
    edit changed, with their declared values: what a Modify call sends to put them back."""
    paths = {change.path.split(".", 1)[0] for change in changes} & set(params)
    return {params[path]: declared[path] for path in sorted(paths) if declared[path] is not None}


def tag_changes(changes: tuple[Change, ...]) -> tuple[dict[str, str], list[str]]:
    """The tags to put back (changed or deleted: key -> declared value) and to remove (added)."""
    restore: dict[str, str] = {}
    remove: list[str] = []
    for change in changes:
        if change.path.startswith("tags."):
            key = change.path[len("tags.") :]
            if change.expected is None:
                remove.append(key)
            else:
                restore[key] = change.expected
    return restore, remove


@writes("create_tags", "delete_tags")
def ec2_tag_calls(resource: Resource, changes: tuple[Change, ...]) -> list[AwsCall]:
    """Put EC2 tags back: re-create changed or deleted tags, delete added ones."""
    restore, remove = tag_changes(changes)
    calls = []
    if restore:
        calls.append(
            AwsCall(
                "ec2",
                "create_tags",
                {
                    "Resources": [resource.id],
                    "Tags": [{"Key": k, "Value": v} for k, v in restore.items()],
                },
                resource.region,
            )
        )
    if remove:
        calls.append(
            AwsCall(
                "ec2",
                "delete_tags",
                {"Resources": [resource.id], "Tags": [{"Key": k} for k in remove]},
                resource.region,
            )
        )
    return calls


# CreateTags and DeleteTags name their resources in a list; the id prefix says which type.
EC2_TAG_EVENTS = ("CreateTags", "DeleteTags")
EC2_TAGGED_IDS = "requestParameters.resourcesSet.items[].resourceId"


def with_declared_tags(attrs: Attrs, names: tuple[str, ...]) -> Attrs:
    """The compared attributes the state holds (one it lacks is not compared), and tags."""
    shaped = {name: attrs[name] for name in names if name in attrs}
    shaped["tags"] = declared_tags(attrs)
    return shaped


@writes(ec2_tag_calls)
def ec2_tags_only(resource: Resource, _: Resource | None, changes: tuple[Change, ...]) -> list[AwsCall]:
    """The restore of an EC2 resource whose only restorable attribute is its tags."""
    return ec2_tag_calls(resource, changes)
