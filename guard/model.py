"""The canonical model: plain frozen data passed from stage to stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal


class DriftKind(str, Enum):
    CHANGED = "changed"  # declared and live, but an attribute differs
    MISSING = "missing"  # declared, gone from AWS
    UNMANAGED = "unmanaged"  # live, declared in no state


class Severity(str, Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Resource:
    """One resource in the Terraform attribute shape, from state (desired) or AWS (live)."""

    type: str
    id: str
    attrs: dict[str, Any]
    address: str = ""  # Terraform address or Pulumi URN; empty for live-only resources
    account: str | None = None
    region: str | None = None
    source: str = ""  # state file or stack it came from, or "aws" for live
    sensitive: frozenset[str] = frozenset()  # top-level attribute names never to print
    dependencies: tuple[str, ...] = ()
    declared_type: str = ""  # the state's type when it differs from `type` (an expanded rule)
    owned_elsewhere: bool = False  # AWS's own default, or launched by another service


@dataclass(frozen=True)
class Change:
    path: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class AwsCall:
    """One boto3 operation, executable and printable as an `aws` CLI line."""

    service: str
    operation: str  # boto3 method name, e.g. authorize_security_group_ingress
    params: dict[str, Any]
    region: str | None = None


# A way back: the direct AWS reversal, the IaC command (terraform/pulumi), an import block, a delete, by hand.
RollbackKind = Literal["aws", "iac", "import", "delete", "manual"]
# How a change was made, read from CloudTrail's user agent and identity.
ChangedVia = Literal[
    "console", "cli", "terraform", "opentofu", "pulumi", "cloudformation", "sdk", "aws-service", "unknown"
]


@dataclass(frozen=True)
class RollbackStep:
    kind: RollbackKind
    description: str
    cli: str | None = None
    iac: str | None = None
    call: AwsCall | None = None


@dataclass(frozen=True)
class NotChecked:
    """A type or region that could not be read: the run is incomplete."""

    type: str
    region: str
    reason: str


@dataclass(frozen=True)
class Actor:
    """Who made a change, as CloudTrail recorded it; a field nobody recorded is None."""

    who: str  # the human behind a role or SSO session when the event shows one, else the principal
    principal_arn: str | None = None
    identity_type: str | None = None  # CloudTrail userIdentity.type: AssumedRole, IAMUser, AWSService...
    via: ChangedVia = "unknown"
    source_ip: str | None = None
    user_agent: str | None = None
    when: str | None = None  # ISO 8601, UTC
    event_name: str | None = None
    event_id: str | None = None
    event_source: str | None = None  # e.g. ec2.amazonaws.com
    region: str | None = None
    described: str = ""  # the actor in one sentence, filled once by enrichment for every renderer
    # What a person recognises, resolved from userIdentity and userAgent (None: the record does not say).
    person: str | None = None  # the human: SSO user, IAM user, console or source-identity session
    email: str | None = None  # the person's e-mail address, when their name is one (Slack looks it up)
    role_name: str | None = None  # the assumed role (sessionContext.sessionIssuer.userName)
    session_name: str | None = None  # the role session's name (the last part of the assumed-role ARN)
    permission_set: str | None = None  # IAM Identity Center: AWSReservedSSO_<permission set>_<hash>
    access_key: str | None = None  # "AKIA…2345": the key's kind and last 4 characters, never the whole id
    mfa: bool | None = None  # userIdentity.sessionContext.attributes.mfaAuthenticated
    invoked_by: str | None = None  # the AWS service that made the call for the principal
    client: str | None = None  # the tool from the user agent, with its version: "Terraform 1.7.5"


@dataclass(frozen=True)
class Unreadable:
    """A state or an account that could not be read at all: the run is incomplete."""

    what: Literal["state", "account"]
    name: str  # the state's location, or the account's id and name
    reason: str


@dataclass(frozen=True)
class GraphNode:
    """A resource as a picture shows it: what people call it and its part in the graph."""

    key: str  # the address, or `type.id` for a resource in no state
    type: str
    id: str
    name: str
    address: str = ""
    role: str = ""  # its declaration's graph role (load balancer, listener, record...), or ""
    zone: str | None = None  # the availability zone of an instance
    internet_facing: bool = False
    account: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class GraphEdge:
    source: str  # the user
    target: str  # the used
    relation: str  # the attribute that names it
    broken: bool = False  # the finding breaks this dependency (its first hop)


@dataclass(frozen=True)
class GraphView:
    """Plain graph data for renderers: the estate, or one finding's blast radius."""

    nodes: tuple[GraphNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()
    subject: str = ""  # a blast radius: the key of the changed resource
    behind: frozenset[str] = frozenset()  # a blast radius: nodes traffic reaches through it (no impact line)


@dataclass(frozen=True)
class Drift:
    kind: DriftKind
    type: str
    id: str
    address: str
    account: str | None
    region: str | None
    title: str  # one sentence a person understands
    changes: tuple[Change, ...] = ()
    expected: Resource | None = None
    actual: Resource | None = None
    source: str = ""
    severity: Severity = Severity.MEDIUM
    rule_ids: tuple[str, ...] = ()
    impact: tuple[str, ...] = ()
    rollback: tuple[RollbackStep, ...] = ()
    actor: Actor | None = None  # from CloudTrail; None when attribution did not run
    # What the impact lines say, as a graph to draw (enrich.graph); None without impact.
    blast_radius: GraphView | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Violation:
    """A resource that breaks a rule: on live state, in a planned after-state, or in a plan's change."""

    rule_id: str
    severity: Severity
    title: str  # the rule's title
    message: str  # what is wrong with this resource, in one sentence
    type: str
    address: str
    id: str = ""
    account: str | None = None
    region: str | None = None
    source: str = ""
    remediation: str = ""


@dataclass(frozen=True)
class FindingGroup:
    """The same mistake in several places (one finding class seen more than once)."""

    finding_class: str
    findings: tuple[Drift, ...]

    @property
    def places(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for drift in self.findings:
            seen[" · ".join(p for p in (drift.account, drift.region, drift.source) if p) or "?"] = None
        return tuple(seen)


@dataclass(frozen=True)
class Report:
    account: str | None
    regions: tuple[str, ...]
    sources: tuple[str, ...]
    findings: tuple[Drift, ...]
    not_checked: tuple[NotChecked, ...] = ()
    checked_types: tuple[str, ...] = ()
    unsupported_types: dict[str, int] = field(default_factory=dict)
    managed_total: int = 0
    managed_checked: int = 0
    out_of_scope: int = 0  # declared resources in regions or accounts not scanned
    started_at: str = ""
    duration_seconds: float = 0.0
    api_calls: int = 0  # HTTP requests sent to AWS, retries included
    violations: tuple[Violation, ...] = ()  # rule violations on live state (`guard scan --rules`)
    notes: tuple[str, ...] = ()  # side facts that do not change the result (attribution skipped...)
    unreadable: tuple[Unreadable, ...] = ()  # states and accounts not read (multi-source runs)
    accounts: tuple[str, ...] = ()  # every account scanned, when more than one
    groups: tuple[FindingGroup, ...] = ()  # findings of one class, largest first (enrich.finish)
    estate: GraphView | None = field(default=None, compare=False, repr=False)  # the graph impact came from
    throttled_calls: int = 0  # AWS calls answered "slow down" (each retried or given up)

    @property
    def complete(self) -> bool:
        return not self.not_checked and not self.unreadable
