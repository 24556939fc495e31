"""A supported resource type is one declaration; one generic collector reads them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from guard.errors import InputError
from guard.live.events import TypeEvents
from guard.model import AwsCall, Change, Resource

Attrs = dict[str, Any]
PerItemReader = Callable[[Any, str, Any], Any]  # (guard.aws.Clients, region, listed item) -> item

LEFT_TO_OTHERS = "_left_to_others"  # see ResourceType.leaves_to_others

PER_ITEM_WORKERS = 8  # per-item reads in flight for one list call (AWS throttles per account)


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
    # Which live parents have children of this type to list (a KMS key's grants: only the
    # customer-managed keys'); by default every one.
    listed: Callable[[Resource], bool] = lambda parent: True
    # List only under parents the state declares, or that a declared child names (EFS
    # mount targets). Valid only with `parent` set, so that a child is never unmanaged under
    # an undeclared parent anyway: that parent is unmanaged itself, its children with it.
    declared_only: bool = False


@dataclass(frozen=True)
class AlsoList:
    """The type's list call made once more with other parameters, for what the first one
    does not list: WAFv2's CLOUDFRONT-scoped sets and ACLs (Scope=CLOUDFRONT, us-east-1 only).
    Its items are the type's like the first call's; a (type, region) is read in full only
    when every one of its list calls was."""

    params: Mapping[str, Any]  # merged over the type's list_params
    region: str = ""  # "" in every scanned region; else only there, and only when it is scanned


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
    params: Mapping[str, Any] = field(default_factory=dict)  # sent with every call (Route53's ResourceType)
    # An item key whose value is sent under the same name, a batch never mixing two: ECS
    # describes services per cluster (the `cluster` a per-parent list wrote into each item).
    by: str = ""
    # The item key whose value is sent when it is not the id: an EKS node group is described
    # by its name, its id being `cluster:name`.
    send: str = ""


class GraphRole(Enum):
    """What a resource is in the impact graph; guard/enrich/graph.py writes its sentences per role."""

    LOAD_BALANCER = "load balancer"
    LISTENER = "listener"
    LISTENER_RULE = "listener rule"  # sends some of a listener's requests to its own target groups
    TARGET_GROUP = "target group"
    INSTANCE = "instance"
    SECURITY_GROUP = "security group"
    DNS_RECORD = "record"  # points to what it names
    RULE = "rule"  # a security-group rule: no node of its own, its findings are about its group
    ATTACHMENT = "attachment"  # a join between two others, carrying no impact itself


@dataclass(frozen=True)
class Join:
    """An attachment joins two others: the resource named by `user` uses the one named by `used`."""

    user: str  # attribute naming the user, e.g. target_group_arn
    used: str  # attribute naming the used, e.g. target_id
    relation: str  # what the edge between them is called


@dataclass(frozen=True)
class GraphHooks:
    """How a type takes part in the impact graph and reads in its sentences."""

    role: GraphRole | None = None  # None: named by its name alone, joined by plain references
    # Attributes naming what it belongs to or sends traffic to; impact follows them outwards
    # (an edge found under one, e.g. action.target_group_arn under action, counts as it).
    forward: tuple[str, ...] = ()
    name: Callable[[Attrs], str] | None = None  # what people call it, when not its name, FQDN or Name tag
    internet_facing: Callable[[Attrs], bool] | None = None  # None: never a door from the internet
    joins: Join | None = None  # an attachment: the edge it makes between the two it joins
    group: str = ""  # a rule: the attribute naming the group its findings are about
    # An ingress rule: the ports it lets in, None when every port; it breaks only listeners on them.
    ports_let_in: Callable[[Attrs], tuple[int, int] | None] | None = None


NO_GRAPH = GraphHooks()
RuleFactsOf = Callable[[Resource, Mapping[str, list[Attrs]], bool], Attrs]
AddsFacts = Callable[[Resource], tuple[str, str, list[Attrs]] | None]
EventMatches = Callable[[Attrs, Mapping[str, Any]], list[int]]


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
    # Where botocore has no paginator for `list_call` (WAFv2's List* calls): the answer's
    # key holding the next page's marker, sent back under the same name until absent.
    marker: str = ""
    also_list: tuple[AlsoList, ...] = ()  # the list call again, with other parameters
    # A second list call whose pages fill in what the first leaves out (read once per
    # region and shared with the type that lists it anyway), and how to merge them.
    companion_call: tuple[str, str] | None = None  # (operation, JMESPath to its items)
    merge_companion: Callable[[list[Attrs], list[Attrs]], None] | None = None
    keep_item: Callable[[Attrs], bool] = lambda item: True  # e.g. drop terminated instances
    aws_default: Callable[[Attrs], bool] = _no  # AWS's own resources are never "unmanaged"
    # Only report an unmanaged resource when its parent is declared; an unmanaged parent
    # is reported itself, and its children with it.
    parent: tuple[str, str] | None = None  # (attribute holding the parent id, parent type)
    # Report an unmanaged one only under a parent whose children of this type the state
    # declares too (a target group's attachments): other parents' children are a service's
    # own (Auto Scaling, ECS and EKS register targets in groups Terraform declares).
    unmanaged_needs_sibling: bool = False
    # The declared parent already holds this setting in a deprecated inline attribute (an
    # aws_s3_bucket's lifecycle_rule, which provider 4.x and 5.x also refresh from AWS): the
    # live one is the bucket's as Terraform sees it, never unmanaged. Called with the parent's
    # declared attributes.
    held_by_parent: Callable[[Attrs], bool] = _no
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
    # The id `terraform import` takes, when it is not the state's id (a Kinesis stream is
    # imported by name; state holds its ARN).
    import_id: Callable[[Resource], str] | None = None
    # How the Pulumi bridge names it where the naming rule in guard/state/pulumi.py gets it
    # wrong; and its list blocks Pulumi names differently from the generic table there.
    pulumi_tokens: tuple[str, ...] = ()
    pulumi_blocks: Mapping[str, str] = field(default_factory=dict)
    protected: str = ""  # why deleting it is blocked by default in check-plan; "" when it is not
    graph: GraphHooks = NO_GRAPH
    # Facts rules see beside the attributes: (resource, facts others added to it, whether
    # others hold its facts) -> facts, e.g. a group's `_ingress` from all three rule forms.
    rule_facts: RuleFactsOf | None = None
    # Facts it adds to another resource: (that resource's id, fact name, values).
    adds_facts: AddsFacts | None = None
    # How closely a CloudTrail event's payload names this resource, one score per item it
    # describes (2 exact, 1 close, 0 another); for types changed through their holder.
    event_matches: EventMatches | None = None
    # Live resources that are revisions of one family (ECS task definitions): (family,
    # revision). A revision no state holds is not unmanaged while the state declares any
    # revision of its family; of a family no state declares, only the newest is reported.
    revision_of: Callable[[Resource], tuple[str, int]] | None = None
    # The items of all the list call's pages, regrouped into this type's items (a managed
    # policy's attachments, gathered from every user, group and role that names it).
    regroup: Callable[[list[Attrs]], list[Attrs]] | None = None
    # A declaration holding part of what AWS has (a non-exclusive membership names some of a
    # user's groups): (live attributes, declared attributes) -> the live ones compared with it.
    compare_live: Callable[[Attrs, Attrs], Attrs] | None = None
    # Several declarations compare against one live resource (two memberships of one user):
    # each is matched by match_key, none takes the live resource from the others.
    shares_live: bool = False
    # What another declaration compares already, left out of this one so that one edit is
    # reported once: (declared attributes, every declared shape) -> declared attributes. When
    # it leaves everything (each owner an exclusive attachment lists has its own), the result
    # carries LEFT_TO_OTHERS: gone from AWS, it is their findings, not one more missing.
    leaves_to_others: Callable[[Attrs, Sequence[Resource]], Attrs] | None = None
    # Live ones another declared type accounts for, never unmanaged as this type: (that type,
    # the keys a declared one of it claims, the key of a live one of this type).
    claimed_by: tuple[tuple[str, Callable[[Attrs], Iterable[str]], Callable[[Attrs], str]], ...] = ()
    # Why a changed finding is not the whole story when other declarations hold what it
    # reports (an exclusive attachment and a per-role one fight): (declared, live, every
    # declared shape) -> a sentence for its title, "" when none.
    conflicts: Callable[[Resource, Resource, Sequence[Resource]], str] | None = None
    # restore_calls operations that take something away (a detach): offered as delete
    # steps, run only with --delete-unmanaged.
    removing: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownType:
    """A type guard does not read live but still knows something about: its Pulumi token,
    whether deleting it is protected, its part in the impact graph, the facts rules see."""

    name: str
    pulumi_tokens: tuple[str, ...] = ()
    pulumi_blocks: Mapping[str, str] = field(default_factory=dict)
    protected: str = ""
    graph: GraphHooks = NO_GRAPH
    rule_facts: RuleFactsOf | None = None
    adds_facts: AddsFacts | None = None
    event_matches: EventMatches | None = None


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
        self.known: dict[str, KnownType] = {}
        self._tokens: dict[str, str] | None = None  # read once per Pulumi resource: built once

    def register(self, declaration: ResourceType) -> ResourceType:
        if declaration.name in self.types:
            raise ValueError(f"resource type {declaration.name} declared twice")
        self.types[declaration.name] = declaration
        self._tokens = None
        return declaration

    def know(self, known: KnownType) -> KnownType:
        """A type not read live, declared only for what the other stages need of it."""
        if known.name in self.known or known.name in self.types:
            raise ValueError(f"resource type {known.name} declared twice")
        self.known[known.name] = known
        self._tokens = None
        return known

    def about(self, type_name: str) -> ResourceType | KnownType | None:
        """Everything declared about a type, read live or not; None when nothing is."""
        canonical = self.canonical(type_name)
        return self.types.get(canonical) or self.known.get(canonical)

    def graph_of(self, type_name: str) -> GraphHooks:
        declaration = self.about(type_name)
        return declaration.graph if declaration else NO_GRAPH

    def declarations(self) -> list[ResourceType | KnownType]:
        return [*self.types.values(), *self.known.values()]

    def protected_types(self) -> tuple[str, ...]:
        """Types whose delete check-plan blocks by default: data a re-create does not bring back."""
        return tuple(sorted(d.name for d in self.declarations() if d.protected))

    def pulumi_tokens(self) -> dict[str, str]:
        """Pulumi tokens the bridge's naming rule gets wrong, to the types they name."""
        if self._tokens is None:
            self._tokens = {token: d.name for d in self.declarations() for token in d.pulumi_tokens}
        return self._tokens

    def pulumi_blocks(self, type_name: str) -> Mapping[str, str]:
        declaration = self.about(type_name)
        return declaration.pulumi_blocks if declaration else {}

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

    def services(self) -> list[str]:
        return sorted({declaration.service for declaration in self.types.values()})

    def of_services(self, services: Iterable[str]) -> Registry:
        """The types of these services only (`--service`). A type's parent, children and
        expansions are always of its own service, so the narrowed table is closed."""
        wanted = set(services)
        unknown = sorted(wanted - set(self.services()))
        if unknown:
            raise InputError(
                "--service",
                f"{', '.join(unknown)} is not a service guard reads",
                f"use one of: {', '.join(self.services())} (`guard types` lists them)",
            )
        narrowed = Registry()
        narrowed.types = {n: d for n, d in self.types.items() if d.service in wanted}
        # A state type that is only expanded (aws_security_group_rule) stays: its resources
        # reach the narrowed table only when they stand for a type it reads (compared_here).
        narrowed.expansions = {
            t: e for t, e in self.expansions.items() if t in narrowed.types or t not in self.types
        }
        narrowed.aliases = {a: c for a, c in self.aliases.items() if c in narrowed.types}
        narrowed.known = self.known
        return narrowed

    def compared_here(self, resource: Resource, by_id: Mapping[str, Resource], full: Registry) -> bool:
        """Whether this (narrowed) table compares the declared resource: its own type, or a
        type its state expands into (`full` is the table it was narrowed from)."""
        if self.canonical(resource.type) in self.types:
            return True
        expansions = full.expansions.get(resource.type, [])
        return any(shape.type in self.types for e in expansions for shape in e.expand(resource, by_id))


REGISTRY = Registry()


def reads(*operations: str) -> Callable[[PerItemReader], PerItemReader]:
    """Declares the boto3 operations (snake_case, the declaration's service) a per-item
    reader calls, so that the least-privilege IAM policy (guard/remedy/iam_policy.py) grants them."""

    def mark(reader: PerItemReader) -> PerItemReader:
        reader.operations = operations  # type: ignore[attr-defined]
        return reader

    return mark


WriteCalls = Callable[..., Any]


def writes(*operations: str | WriteCalls) -> Callable[[WriteCalls], WriteCalls]:
    """Declares the boto3 operations (snake_case, the declaration's service) a restore,
    recreate or delete function can send, so that the rollback IAM policy grants them; a
    helper it calls (itself marked) stands for the helper's operations."""
    names: list[str] = []
    for operation in operations:
        names += [operation] if isinstance(operation, str) else list(write_operations_of(operation) or ())
    declared = tuple(dict.fromkeys(names))

    def mark(calls: WriteCalls) -> WriteCalls:
        calls.writes = declared  # type: ignore[attr-defined]
        return calls

    return mark


def write_operations_of(calls: WriteCalls) -> tuple[str, ...] | None:
    """What `writes` declared on a rollback function; None when it declares nothing."""
    declared = getattr(calls, "writes", None)
    return tuple(declared) if declared is not None else None


_no_calls.writes = ()  # type: ignore[attr-defined]  # sends nothing


def reader_operations(reader: PerItemReader) -> tuple[str, ...]:
    """What `reads` declared on a per-item reader; a reader without a declaration claims nothing."""
    return tuple(getattr(reader, "operations", ()))
