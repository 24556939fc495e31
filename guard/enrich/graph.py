"""What a finding breaks: a graph of resources from state references and live relationships.

An edge says "A uses B" (an instance uses its security group, a listener its load
balancer, a Route53 alias the load balancer's DNS name). The impact of a finding on B
is everything that uses B, followed outwards: "sg-1 is attached to the
internet-facing load balancer prod-web, which listens on HTTPS 443; api.example.com
points to it". Severity rises with impact.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from guard.live.resources.security_group_rules import EGRESS, INGRESS, describe_rule
from guard.model import Drift, DriftKind, FindingGroup, Resource, Severity

_RULE_TYPES = {INGRESS, EGRESS, "aws_security_group_rule"}
_LOAD_BALANCERS = {"aws_lb", "aws_alb", "aws_elb"}
_LISTENERS = {"aws_lb_listener", "aws_alb_listener"}
_ATTACHMENTS = {"aws_lb_target_group_attachment", "aws_alb_target_group_attachment"}
# Attributes that name another resource without depending on it for traffic: a rule
# that allows a group in, the VPC or subnet something sits in.
_NOT_IMPACT = {
    "ingress",
    "egress",
    "source_security_group_id",
    "referenced_security_group_id",
    "vpc_id",
    "subnet_id",
    "subnets",
    "subnet_ids",
    "subnet_mapping",
    "depends_on",
}
_NOT_REFERENCES = {"id", "arn", "owner_id", "tags", "tags_all", "arn_suffix", "dns_name", "zone_id", "name"}
# Relations followed from the user to the used: a listener breaks, so does its load balancer's path.
_FORWARD = {
    ("aws_lb_listener", "load_balancer_arn"),
    ("aws_alb_listener", "load_balancer_arn"),
    ("aws_lb_listener_rule", "listener_arn"),
    ("aws_lb_target_group_attachment", "target_group_arn"),
    ("aws_alb_target_group_attachment", "target_group_arn"),
}
MAX_DEPTH = 5
# Only names that cannot be mistaken for ordinary words make edges: ids, ARNs, DNS names.
_CLOUD_NAME = re.compile(r"^([a-z][a-z0-9]*-[0-9a-z]{6,}|arn:.+)$")


@dataclass(frozen=True)
class Node:
    key: str  # the address, or `type.id` for a resource in no state
    type: str
    id: str
    address: str
    name: str  # what people call it: the group's name, the record's FQDN
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    account: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Edge:
    source: str  # the user
    target: str  # the used
    relation: str  # the attribute path that names it, or depends_on


@dataclass
class ResourceGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    by_name: dict[str, str] = field(default_factory=dict)  # id, ARN, DNS name -> node key

    def users(self, key: str) -> list[Edge]:
        return self._index()[0].get(key, [])

    def uses(self, key: str) -> list[Edge]:
        return self._index()[1].get(key, [])

    def _index(self) -> tuple[dict[str, list[Edge]], dict[str, list[Edge]]]:
        """Edges by target and by source, rebuilt when edges were added since."""
        if getattr(self, "_indexed", None) != len(self.edges):
            by_target: dict[str, list[Edge]] = defaultdict(list)
            by_source: dict[str, list[Edge]] = defaultdict(list)
            for edge in self.edges:
                by_target[edge.target].append(edge)
                by_source[edge.source].append(edge)
            self._by = (dict(by_target), dict(by_source))
            self._indexed = len(self.edges)
        return self._by

    def find(self, name: str | None) -> Node | None:
        key = self.by_name.get(_dns(name)) if name else None
        return self.nodes.get(key) if key else None


def _dns(value: str) -> str:
    """`dualstack.prod-web-1.us-east-1.elb.amazonaws.com.` and the LB's dns_name are one name."""
    text = value.strip().lower().rstrip(".")
    return text[len("dualstack.") :] if text.startswith("dualstack.") else text


def _display_name(resource: Resource) -> str:
    attrs = resource.attrs
    if resource.type in _LISTENERS:
        return f"{attrs.get('protocol') or 'listener'} {attrs.get('port') or '?'}".strip()
    tags = attrs.get("tags") or {}
    for candidate in (
        attrs.get("name"),
        attrs.get("fqdn"),
        tags.get("Name") if isinstance(tags, dict) else None,
    ):
        if candidate:
            return str(candidate).rstrip(".")
    return resource.id or resource.address


def build_graph(declared: Iterable[Resource], live: Iterable[Resource] = ()) -> ResourceGraph:
    """Nodes from state (and live resources in no state that use them); edges from references."""
    graph = ResourceGraph()
    resources: list[Resource] = []
    for resource in declared:
        if not resource.address or resource.address in graph.nodes:
            continue
        _add_node(graph, resource, resource.address)
        resources.append(resource)
    for resource in live:
        if resource.type in _RULE_TYPES or not resource.id or resource.id in graph.by_name:
            continue
        _add_node(graph, resource, f"{resource.type}.{resource.id}")
        resources.append(resource)

    seen: set[tuple[str, str]] = set()
    for resource in resources:
        key = resource.address or f"{resource.type}.{resource.id}"
        for path, value in _strings(resource.attrs):
            target = graph.by_name.get(_dns(value))
            if target and target != key and (key, target) not in seen:
                seen.add((key, target))
                graph.edges.append(Edge(key, target, path))
        for dependency in resource.dependencies:
            if dependency in graph.nodes and (key, dependency) not in seen:
                seen.add((key, dependency))
                graph.edges.append(Edge(key, dependency, "depends_on"))
    _bridge_attachments(graph)
    return graph


def _add_node(graph: ResourceGraph, resource: Resource, key: str) -> None:
    graph.nodes[key] = Node(
        key=key,
        type=resource.type,
        id=resource.id,
        address=resource.address,
        name=_display_name(resource),
        attrs=resource.attrs,
        account=resource.account,
        region=resource.region,
    )
    for name in (resource.id, resource.attrs.get("arn"), resource.attrs.get("dns_name")):
        if isinstance(name, str) and (_CLOUD_NAME.match(name) or "." in name):
            graph.by_name.setdefault(_dns(name), key)


def _strings(value: Any, path: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in _NOT_REFERENCES:
                continue
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)
    elif isinstance(value, str) and value:
        yield path, value


def _bridge_attachments(graph: ResourceGraph) -> None:
    """An attachment joins a target group and its target: the target group uses the target."""
    for node in list(graph.nodes.values()):
        if node.type not in _ATTACHMENTS:
            continue
        group = graph.find(node.attrs.get("target_group_arn"))
        target = graph.find(node.attrs.get("target_id"))
        if group and target:
            graph.edges.append(Edge(group.key, target.key, "target_group_attachment"))


# --- impact ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reached:
    node: Node
    via: Node  # the node it was reached from
    relation: str
    forward: bool  # reached by following the user's own reference outwards


def _carries_impact(edge: Edge, graph: ResourceGraph) -> bool:
    root = edge.relation.split(".", 1)[0]
    source = graph.nodes[edge.source]
    # An attachment is a join: the target group it bridges to carries the impact instead.
    return root not in _NOT_IMPACT and source.type not in _RULE_TYPES | _ATTACHMENTS


def subject_node(drift: Drift, graph: ResourceGraph) -> Node | None:
    """The node a finding is about; a rule's finding is about its group."""
    subject = drift.expected or drift.actual
    if subject is not None and subject.type in _RULE_TYPES:
        group = subject.attrs.get("security_group_id")
        return graph.find(str(group)) if group else None
    if drift.address and drift.address in graph.nodes:
        return graph.nodes[drift.address]
    return graph.find(drift.id)


def reach(graph: ResourceGraph, start: Node) -> list[Reached]:
    """Everything that uses `start`, breadth first, with the hop that reached it."""
    found: list[Reached] = []
    seen = {start.key}
    queue: deque[tuple[Node, int]] = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if depth >= MAX_DEPTH:
            continue
        hops = [(edge.source, edge, False) for edge in graph.users(node.key) if _carries_impact(edge, graph)]
        hops += [
            (edge.target, edge, True)
            for edge in graph.uses(node.key)
            if (node.type, edge.relation) in _FORWARD
        ]
        for key, edge, forward in hops:
            if key in seen:
                continue
            seen.add(key)
            found.append(Reached(graph.nodes[key], node, edge.relation, forward))
            queue.append((graph.nodes[key], depth + 1))
    return found


def _label(node: Node) -> str:
    return node.address or f"{node.type} {node.id}"


def _words(node: Node) -> str:
    if node.type == "aws_security_group":
        return f"security group {node.name} ({node.id})" if node.name != node.id else f"group {node.id}"
    if node.type in _LOAD_BALANCERS:
        return f"load balancer {node.name}"
    if node.type in _LISTENERS:
        return f"listener {node.name}"
    if node.type == "aws_instance":
        return f"instance {node.name}"
    if node.type in ("aws_lb_target_group", "aws_alb_target_group"):
        return f"target group {node.name}"
    return node.name


def internet_facing(node: Node) -> bool:
    if node.type in _LOAD_BALANCERS:
        return node.attrs.get("internal") is not True
    return False


def _scheme(node: Node) -> str:
    return "internet-facing" if internet_facing(node) else "internal"


def sentence(hop: Reached) -> str:
    node, via = hop.node, hop.via
    where = f"({_label(node)})"
    if node.type in _LOAD_BALANCERS and hop.forward:
        return f"{_words(via)} belongs to the {_scheme(node)} load balancer {node.name} {where}"
    if node.type in _LOAD_BALANCERS:
        return f"{_words(via)} is attached to the {_scheme(node)} load balancer {node.name} {where}"
    if node.type in _LISTENERS and via.type in _LOAD_BALANCERS:
        return f"{via.name} listens on {node.name} {where}"
    if node.type in _LISTENERS:
        return f"listener {node.name} {where} forwards to {_words(via)}"
    if node.type == "aws_route53_record":
        return f"{node.name} points to {_words(via)} {where}"
    if node.type == "aws_instance" and via.type == "aws_security_group":
        return f"{_words(via)} is attached to instance {node.name} {where}"
    if hop.relation == "target_group_attachment":
        return f"{_words(via)} is a target of {_words(node)} {where}"
    return f"{_words(node)} {where} uses {_words(via)} ({hop.relation})"


def _ports_hit(drift: Drift, reached: Sequence[Reached]) -> bool:
    """A missing or changed ingress rule breaks a listener only when it covered its port."""
    subject = drift.expected or drift.actual
    if subject is None or subject.type != INGRESS:
        return True
    rule = subject.attrs
    listeners = [hop.node for hop in reached if hop.node.type in _LISTENERS]
    if not listeners or rule.get("ip_protocol") == "-1":
        return True
    low, high = rule.get("from_port"), rule.get("to_port")
    if low is None or high is None:
        return True
    ports = [hop.attrs.get("port") for hop in listeners]
    return any(isinstance(port, int) and low <= port <= high for port in ports)


def raised_severity(drift: Drift, reached: Sequence[Reached]) -> Severity:
    """An internet-facing path broken is critical; anything used by others counts more."""
    if not reached:
        return drift.severity
    exposed = any(internet_facing(hop.node) for hop in reached)
    if exposed and drift.kind in (DriftKind.MISSING, DriftKind.CHANGED) and _ports_hit(drift, reached):
        wanted = Severity.CRITICAL
    elif exposed:
        wanted = Severity.HIGH
    else:
        wanted = list(Severity)[min(drift.severity.rank + 1, Severity.HIGH.rank)]
    return wanted if wanted.rank > drift.severity.rank else drift.severity


def _listeners_on_other_ports(drift: Drift, reached: Sequence[Reached]) -> set[int]:
    """Listeners an ingress rule never covered: a deleted 443 rule does not break port 80."""
    subject = drift.expected or drift.actual
    if subject is None or subject.type != INGRESS:
        return set()
    low, high = subject.attrs.get("from_port"), subject.attrs.get("to_port")
    if subject.attrs.get("ip_protocol") == "-1" or low is None or high is None:
        return set()
    return {
        index
        for index, hop in enumerate(reached)
        if hop.node.type in _LISTENERS
        and isinstance(hop.node.attrs.get("port"), int)
        and not low <= hop.node.attrs["port"] <= high
    }


def impact_of(drift: Drift, graph: ResourceGraph) -> tuple[tuple[str, ...], Severity]:
    start = subject_node(drift, graph)
    if start is None:
        return (), drift.severity
    reached = reach(graph, start)
    unaffected = _listeners_on_other_ports(drift, reached)
    relevant = [hop for index, hop in enumerate(reached) if index not in unaffected]
    return tuple(sentence(hop) for hop in relevant), raised_severity(drift, reached)


def add_impact(findings: Iterable[Drift], graph: ResourceGraph) -> tuple[Drift, ...]:
    """The enrich step: each finding with what it breaks, and its severity raised to match."""
    out = []
    for drift in findings:
        impact, severity = impact_of(drift, graph)
        out.append(replace(drift, impact=drift.impact + impact, severity=severity) if impact else drift)
    return tuple(out)


# --- where else is this breaking ------------------------------------------------------


def finding_class(drift: Drift) -> str:
    """Findings of one class are the same mistake: the same rule, or the same change on one type."""
    if drift.rule_ids:
        return "rule " + ", ".join(sorted(drift.rule_ids))
    subject = drift.expected or drift.actual
    type_name = subject.type if subject else drift.type
    if subject is not None and subject.type in (INGRESS, EGRESS):
        return f"{drift.kind.value} {type_name}: {describe_rule(subject)}"
    paths = sorted({change.path.split(".", 1)[0] for change in drift.changes})
    return f"{drift.kind.value} {type_name}" + (f": {', '.join(paths)}" if paths else "")


def group_findings(findings: Iterable[Drift]) -> list[FindingGroup]:
    """Classes seen more than once, across states, regions and accounts, largest first."""
    classes: dict[str, list[Drift]] = defaultdict(list)
    for drift in findings:
        classes[finding_class(drift)].append(drift)
    groups = [FindingGroup(name, tuple(found)) for name, found in classes.items() if len(found) > 1]
    return sorted(groups, key=lambda g: (-len(g.findings), g.finding_class))


# --- export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphExport:
    """The graph as `guard graph` shows it, and which load balancers face the internet."""

    graph: ResourceGraph
    internet_facing: dict[str, bool | None]  # node key -> True/False for a load balancer, None otherwise


def export_graph(graph: ResourceGraph) -> GraphExport:
    return GraphExport(
        graph,
        {
            key: internet_facing(node) if node.type in _LOAD_BALANCERS else None
            for key, node in graph.nodes.items()
        },
    )
