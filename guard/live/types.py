"""A supported resource type is one declaration; one generic collector reads them all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guard.live.events import TypeEvents
from guard.model import AwsCall, Change, Resource

Attrs = dict[str, Any]
PerItemReader = Callable[[Any, str, Any], Any]  # (guard.aws.Clients, region, listed item) -> item


def _no(_: Attrs) -> bool:
    return False


def _no_calls(_: Resource, __: Resource | None, ___: tuple[Change, ...]) -> list[AwsCall]:
    return []


@dataclass(frozen=True)
class PerParent:
    """Where AWS has no batch call: the list call is made once per live resource of another
    type (ELBv2 listeners per load balancer), concurrently in a bounded pool. The parent's
    id is passed as `param` and written into each item under the same key."""

    type: str  # the parent type, e.g. aws_lb
    param: str  # the list call's parameter naming the parent, e.g. LoadBalancerArn


@dataclass(frozen=True)
class DetailCall:
    """A call that adds what the list leaves out (ELBv2 tags, attributes), merged per item.

    `batch` items go in one call (1 passes the id alone, more pass a list), so the calls
    grow with items / batch; they run concurrently in a bounded pool.
    """

    operation: str  # e.g. describe_tags
    param: str  # the request parameter naming the items, e.g. ResourceArns
    items_path: str  # JMESPath to the answers in a response; "@" when the response is the answer
    answer_key: str  # key in an answer holding the item's id; "" when one item per call
    merge: Callable[[Attrs, Attrs], None]  # (item, answer): fill the item in place
    batch: int = 1


@dataclass(frozen=True)
class ResourceType:
    """How to read one Terraform resource type from AWS and compare it with state.

    The live side is one paginated list/describe call per region (`list_call`,
    `items_path`); `to_attrs` turns an API item into Terraform-shaped attributes.
    """

    name: str  # Terraform type, e.g. aws_security_group
    service: str  # boto3 service name
    list_call: str  # paginated boto3 operation
    items_path: str  # JMESPath to the item list in each page, e.g. Reservations[].Instances[]
    id_key: str  # key of the item's id, the same value Terraform stores as `id`
    to_attrs: Callable[[Attrs], Attrs]
    compared: tuple[str, ...]  # attributes compared between state and AWS
    ignored: Mapping[str, str] = field(default_factory=dict)  # attribute -> why it is not compared
    list_params: Mapping[str, Any] = field(default_factory=dict)
    # A second list call whose pages fill in what the first leaves out (read once per
    # region and shared with the type that lists it anyway), and how to merge them.
    companion_call: tuple[str, str] | None = None  # (operation, JMESPath to its items)
    merge_companion: Callable[[list[Attrs], list[Attrs]], None] | None = None
    keep_item: Callable[[Attrs], bool] = lambda item: True  # e.g. drop terminated instances
    aws_default: Callable[[Attrs], bool] = _no  # AWS's own resources are never "unmanaged"
    # Only report an unmanaged resource when its parent is declared; an unmanaged parent
    # is reported itself, and its children with it.
    parent: tuple[str, str] | None = None  # (attribute holding the parent id, parent type)
    # Turns a desired resource's attributes into the shape compared (defaults, forms).
    normalise_desired: Callable[[Attrs], Attrs] = lambda attrs: attrs
    describe: Callable[[Resource], str] | None = None  # a resource in words, for titles
    # Direct AWS calls that put a changed resource back to its declared attributes.
    restore_calls: Callable[[Resource, Resource | None, tuple[Change, ...]], list[AwsCall]] = _no_calls
    restorable: tuple[str, ...] = ("tags",)  # attributes restore_calls can undo; "*" for all
    recreate_calls: Callable[[Resource], list[AwsCall]] | None = None  # for a deleted resource
    delete_calls: Callable[[Resource], list[AwsCall]] | None = None  # for an unmanaged resource
    global_service: bool = False  # read once per account, not per region
    # What matches a declared resource to a live one; the cloud id unless the id is not
    # in state (a security-group rule declared inline has none).
    match_key: Callable[[Resource], str] = lambda resource: resource.id
    # After matching, a declared and a live resource left over that agree on one of these
    # keys are the same thing edited in place (a rule whose port was changed in the console).
    pair_keys: tuple[Callable[[Resource], str | None], ...] = ()
    # One API item holds several resources of this type (a route table's routes, a role's
    # inline policies, a zone's records): return them, each carrying what it needs from
    # its holder.
    split_item: Callable[[Attrs], list[Attrs]] | None = None
    per_parent: PerParent | None = None
    details: tuple[DetailCall, ...] = ()
    # Optional+Computed attributes that another resource may set (aws_eip_association,
    # aws_network_acl_association): compared only when the state holds a value.
    compared_if_declared: tuple[str, ...] = ()
    # Reads for one listed item where AWS has no batch call (an S3 bucket's settings, a
    # Route53 zone's records): run concurrently in a bounded pool, and shared by every
    # type that names the same reader on the same list call. Takes (clients, region,
    # item) and returns the item to convert (the listed one, enriched).
    per_item: PerItemReader | None = None
    # List-call parameters that narrow `list_call` to this resource (and maybe its siblings),
    # for the narrow read of on-event and rollback; without them the whole list is read.
    read_params: Callable[[Resource], Mapping[str, Any]] | None = None
    # The CloudTrail events that change it (guard/live/events.py); None: any write event.
    events: TypeEvents | None = None
    # Terraform arguments for the HCL skeleton that adopts an unmanaged resource; by
    # default the compared attributes that are set.
    hcl_arguments: Callable[[Resource], Attrs] | None = None


@dataclass(frozen=True)
class Expansion:
    """Desired resources of one state type that stand for resources of a compared type.

    A security group's inline `ingress` blocks, an `aws_security_group_rule` with three
    CIDRs: AWS stores one rule per source, so state is expanded to that shape first.
    """

    state_type: str
    precedence: int  # when two declarations say the same thing, the most specific owns it
    expand: Callable[[Resource, Mapping[str, Resource]], list[Resource]]


class Registry:
    """Name-to-declaration table; `register` is used once per type in its service module."""

    def __init__(self) -> None:
        self.types: dict[str, ResourceType] = {}
        self.expansions: dict[str, list[Expansion]] = {}
        self.aliases: dict[str, str] = {}

    def register(self, declaration: ResourceType) -> ResourceType:
        if declaration.name in self.types:
            raise ValueError(f"resource type {declaration.name} declared twice")
        self.types[declaration.name] = declaration
        return declaration

    def add_expansion(self, expansion: Expansion) -> None:
        self.expansions.setdefault(expansion.state_type, []).append(expansion)

    def alias(self, alias: str, canonical: str) -> None:
        self.aliases[alias] = canonical

    def canonical(self, type_name: str) -> str:
        return self.aliases.get(type_name, type_name)

    def handles(self, state_type: str) -> bool:
        """True when a declared resource of this type is checked against AWS."""
        return self.canonical(state_type) in self.types or state_type in self.expansions

    def get(self, type_name: str) -> ResourceType:
        return self.types[self.canonical(type_name)]


REGISTRY = Registry()


def reads(*operations: str) -> Callable[[PerItemReader], PerItemReader]:
    """Declares the boto3 operations (snake_case, the declaration's service) a per-item
    reader calls, so that the least-privilege IAM policy (guard/remedy/iam_policy.py) grants them."""

    def mark(reader: PerItemReader) -> PerItemReader:
        reader.operations = operations  # type: ignore[attr-defined]
        return reader

    return mark


def reader_operations(reader: PerItemReader) -> tuple[str, ...]:
    """What `reads` declared on a per-item reader; a reader without a declaration claims nothing."""
    return tuple(getattr(reader, "operations", ()))
