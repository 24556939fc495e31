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

from guard.live import REGISTRY, Registry
from guard.live.types import NO_GRAPH, GraphHooks, GraphRole, ResourceType
from guard.model import Drift, DriftKind, FindingGroup, GraphEdge, GraphNode, GraphView, Resource, Severity

# A resource's own part in the graph and its words come from its declaration's `graph`.
_NOT_NODES = {GraphRole.RULE}  # a rule's findings are about its group
_JOINS = {GraphRole.RULE, GraphRole.ATTACHMENT}  # they join others and carry no impact themselves
_CALLED_BY_ROLE = {
    GraphRole.LOAD_BALANCER,
    GraphRole.LISTENER,
    GraphRole.LISTENER_RULE,
    GraphRole.INSTANCE,
    GraphRole.TARGET_GROUP,
}
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
    graph: GraphHooks = field(default=NO_GRAPH, compare=False, repr=False)  # from its declaration


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


def _display_name(resource: Resource, hooks: GraphHooks) -> str:
    attrs = resource.attrs
    if hooks.name is not None:
        return hooks.name(attrs)
    tags = attrs.get("tags") or {}
    for candidate in (
        attrs.get("name"),
        attrs.get("fqdn"),
        tags.get("Name") if isinstance(tags, dict) else None,
    ):
        if candidate:
            return str(candidate).rstrip(".")
    return resource.id or resource.address


def build_graph(
    declared: Iterable[Resource], live: Iterable[Resource] = (), registry: Registry = REGISTRY
) -> ResourceGraph:
    """Nodes from state (and live resources in no state that use them); edges from references."""
    graph = ResourceGraph()
    resources: list[Resource] = []
    for resource in declared:
        if not resource.address or resource.address in graph.nodes:
            continue
        _add_node(graph, resource, resource.address, registry.graph_of(resource.type))
        resources.append(resource)
    for resource in live:
        hooks = registry.graph_of(resource.type)
        if hooks.role in _NOT_NODES or not resource.id or resource.id in graph.by_name:
            continue
        _add_node(graph, resource, f"{resource.type}.{resource.id}", hooks)
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


def _add_node(graph: ResourceGraph, resource: Resource, key: str, hooks: GraphHooks) -> None:
    graph.nodes[key] = Node(
        key=key,
        type=resource.type,
        id=resource.id,
        address=resource.address,
        name=_display_name(resource, hooks),
        attrs=resource.attrs,
        account=resource.account,
        region=resource.region,
        graph=hooks,
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
    """An attachment joins two others (a target group and its target): the one uses the other."""
    for node in list(graph.nodes.values()):
        join = node.graph.joins
        if join is None:
            continue
        user = graph.find(node.attrs.get(join.user))
        used = graph.find(node.attrs.get(join.used))
        if user and used:
            graph.edges.append(Edge(user.key, used.key, join.relation))


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
    return root not in _NOT_IMPACT and source.graph.role not in _JOINS


def subject_node(drift: Drift, graph: ResourceGraph, registry: Registry = REGISTRY) -> Node | None:
    """The node a finding is about; a rule's finding is about its group."""
    subject = drift.expected or drift.actual
    hooks = registry.graph_of(subject.type) if subject is not None else NO_GRAPH
    if subject is not None and hooks.role in _NOT_NODES:
        group = subject.attrs.get(hooks.group)
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
            if edge.relation.split(".", 1)[0] in node.graph.forward
        ]
        for key, edge, forward in hops:
            if key in seen:
                continue
            seen.add(key)
            found.append(Reached(graph.nodes[key], node, edge.relation, forward))
            queue.append((graph.nodes[key], depth + 1))
    return found


def _join_relations(registry: Registry) -> set[str]:
    """The relations attachments make; a hop along one reads as "is a target of"."""
    return {d.graph.joins.relation for d in registry.declarations() if d.graph.joins is not None}


def _label(node: Node) -> str:
    return node.address or f"{node.type} {node.id}"


def _words(node: Node) -> str:
    role = node.graph.role
    if role is GraphRole.SECURITY_GROUP:
        return f"security group {node.name} ({node.id})" if node.name != node.id else f"group {node.id}"
    if role in _CALLED_BY_ROLE:
        return f"{role.value} {node.name}"
    return node.name


def internet_facing(node: Node) -> bool:
    facing = node.graph.internet_facing
    return facing(node.attrs) if facing is not None else False


def _scheme(node: Node) -> str:
    return "internet-facing" if internet_facing(node) else "internal"


def sentence(hop: Reached, registry: Registry = REGISTRY) -> str:
    node, via = hop.node, hop.via
    role, via_role = node.graph.role, via.graph.role
    where = f"({_label(node)})"
    if role is GraphRole.LOAD_BALANCER and hop.forward:
        return f"{_words(via)} belongs to the {_scheme(node)} load balancer {node.name} {where}"
    if role is GraphRole.LOAD_BALANCER:
        return f"{_words(via)} is attached to the {_scheme(node)} load balancer {node.name} {where}"
    if role is GraphRole.LISTENER and via_role is GraphRole.LOAD_BALANCER:
        return f"{via.name} listens on {node.name} {where}"
    if role is GraphRole.LISTENER and via_role is GraphRole.LISTENER_RULE and hop.forward:
        return f"{_words(via)} is a rule of listener {node.name} {where}"
    if role is GraphRole.TARGET_GROUP and via_role is GraphRole.LISTENER_RULE and hop.forward:
        return f"{_words(via)} forwards to target group {node.name} {where}"
    if role is GraphRole.LISTENER_RULE and via_role is GraphRole.LISTENER:
        return f"{_words(node)} {where} is a rule of listener {via.name}"
    if role is GraphRole.LISTENER_RULE and via_role is GraphRole.TARGET_GROUP:
        return f"{_words(node)} {where} forwards to {_words(via)}"
    if role is GraphRole.LISTENER:
        return f"listener {node.name} {where} forwards to {_words(via)}"
    if role is GraphRole.DNS_RECORD:
        return f"{node.name} points to {_words(via)} {where}"
    if role is GraphRole.INSTANCE and via_role is GraphRole.SECURITY_GROUP:
        return f"{_words(via)} is attached to instance {node.name} {where}"
    if hop.relation in _join_relations(registry):
        return f"{_words(via)} is a target of {_words(node)} {where}"
    return f"{_words(node)} {where} uses {_words(via)} ({hop.relation})"


def _ports_let_in(drift: Drift, registry: Registry) -> tuple[int, int] | None:
    """The ports the finding's ingress rule lets in; None when it is no such rule, or lets all."""
    subject = drift.expected or drift.actual
    if subject is None:
        return None
    let_in = registry.graph_of(subject.type).ports_let_in
    return let_in(subject.attrs) if let_in is not None else None


def _ports_hit(drift: Drift, reached: Sequence[Reached], registry: Registry = REGISTRY) -> bool:
    """A missing or changed ingress rule breaks a listener only when it covered its port."""
    listeners = [hop.node for hop in reached if hop.node.graph.role is GraphRole.LISTENER]
    let_in = _ports_let_in(drift, registry) if listeners else None
    if let_in is None:
        return True
    low, high = let_in
    ports = [hop.attrs.get("port") for hop in listeners]
    return any(isinstance(port, int) and low <= port <= high for port in ports)


def raised_severity(drift: Drift, reached: Sequence[Reached], registry: Registry = REGISTRY) -> Severity:
    """An internet-facing path broken is critical; anything used by others counts more."""
    if not reached:
        return drift.severity
    exposed = any(internet_facing(hop.node) for hop in reached)
    if (
        exposed
        and drift.kind in (DriftKind.MISSING, DriftKind.CHANGED)
        and _ports_hit(drift, reached, registry)
    ):
        wanted = Severity.CRITICAL
    elif exposed:
        wanted = Severity.HIGH
    else:
        wanted = list(Severity)[min(drift.severity.rank + 1, Severity.HIGH.rank)]
    return wanted if wanted.rank > drift.severity.rank else drift.severity


def _listeners_on_other_ports(drift: Drift, reached: Sequence[Reached], registry: Registry) -> set[int]:
    """Listeners an ingress rule never covered: a deleted 443 rule does not break port 80."""
    let_in = _ports_let_in(drift, registry)
    if let_in is None:
        return set()
    low, high = let_in
    return {
        index
        for index, hop in enumerate(reached)
        if hop.node.graph.role is GraphRole.LISTENER
        and isinstance(hop.node.attrs.get("port"), int)
        and not low <= hop.node.attrs["port"] <= high
    }


def _relevant(drift: Drift, graph: ResourceGraph, registry: Registry) -> tuple[Node, list[Reached]] | None:
    """The finding's node and what it breaks (not the listeners on ports its rule never covered)."""
    start = subject_node(drift, graph, registry)
    if start is None:
        return None
    reached = reach(graph, start)
    unaffected = _listeners_on_other_ports(drift, reached, registry)
    return start, [hop for index, hop in enumerate(reached) if index not in unaffected]


def impact_of(
    drift: Drift, graph: ResourceGraph, registry: Registry = REGISTRY
) -> tuple[tuple[str, ...], Severity]:
    found = _relevant(drift, graph, registry)
    if found is None:
        return (), drift.severity
    start, relevant = found
    reached = reach(graph, start)
    return tuple(sentence(hop, registry) for hop in relevant), raised_severity(drift, reached, registry)


def add_impact(
    findings: Iterable[Drift], graph: ResourceGraph, registry: Registry = REGISTRY
) -> tuple[Drift, ...]:
    """The enrich step: each finding with what it breaks, its severity raised to match, and the
    same as a graph to draw."""
    out = []
    for drift in findings:
        impact, severity = impact_of(drift, graph, registry)
        if not impact:
            out.append(drift)
            continue
        radius = blast_radius(drift, graph, registry)
        out.append(replace(drift, impact=drift.impact + impact, severity=severity, blast_radius=radius))
    return tuple(out)


# --- as pictures --------------------------------------------------------------------------


def _zone(node: Node, graph: ResourceGraph) -> str | None:
    """An instance's availability zone: its own, else its subnet's (a live read may not carry it)."""
    if node.graph.role is not GraphRole.INSTANCE:
        return None
    zones = [node.attrs.get("availability_zone")]
    zones += [graph.nodes[e.target].attrs.get("availability_zone") for e in graph.uses(node.key)]
    return next((str(zone) for zone in zones if isinstance(zone, str) and zone), None)


def view_node(node: Node, graph: ResourceGraph) -> GraphNode:
    zone = _zone(node, graph)
    return GraphNode(
        key=node.key,
        type=node.type,
        id=node.id,
        name=node.name,
        address=node.address,
        role=node.graph.role.value if node.graph.role is not None else "",
        zone=str(zone) if zone else None,
        internet_facing=internet_facing(node),
        account=node.account,
        region=node.region,
    )


def estate_view(graph: ResourceGraph) -> GraphView:
    """The whole graph as plain data, for a report to draw."""
    return GraphView(
        nodes=tuple(view_node(node, graph) for node in graph.nodes.values()),
        edges=tuple(GraphEdge(e.source, e.target, e.relation) for e in graph.edges),
    )


def blast_radius(drift: Drift, graph: ResourceGraph, registry: Registry = REGISTRY) -> GraphView | None:
    """The changed resource, everything its impact lines name, and what traffic reaches through
    them (a listener's target groups and their instances); the first hops are the broken edges."""
    found = _relevant(drift, graph, registry)
    if found is None or not found[1]:
        return None
    start, relevant = found
    nodes: dict[str, Node] = {start.key: start}
    edges: dict[tuple[str, str], GraphEdge] = {}
    for hop in relevant:
        nodes[hop.node.key] = hop.node
        user, used = (hop.via, hop.node) if hop.forward else (hop.node, hop.via)
        edges[(user.key, used.key)] = GraphEdge(user.key, used.key, hop.relation, broken=hop.via is start)
    behind: set[str] = set()
    doors = [n for n in list(nodes.values()) if n.graph.role in (GraphRole.LISTENER, GraphRole.TARGET_GROUP)]
    for door in doors:
        for edge in graph.uses(door.key):
            group = graph.nodes[edge.target]
            if group.graph.role is not GraphRole.TARGET_GROUP and door.graph.role is GraphRole.LISTENER:
                continue
            for step in [edge, *graph.uses(group.key)]:
                target = graph.nodes[step.target]
                if target.graph.role not in (GraphRole.TARGET_GROUP, GraphRole.INSTANCE):
                    continue
                if target.key not in nodes:
                    behind.add(target.key)
                    nodes[target.key] = target
                edges.setdefault(
                    (step.source, step.target), GraphEdge(step.source, step.target, step.relation)
                )
    return GraphView(
        nodes=tuple(view_node(node, graph) for node in nodes.values()),
        edges=tuple(edges.values()),
        subject=start.key,
        behind=frozenset(behind),
    )


# --- where else is this breaking ------------------------------------------------------


def finding_class(drift: Drift, registry: Registry = REGISTRY) -> str:
    """Findings of one class are the same mistake: the same rule, or the same change on one type."""
    if drift.rule_ids:
        return "rule " + ", ".join(sorted(drift.rule_ids))
    subject = drift.expected or drift.actual
    type_name = subject.type if subject else drift.type
    declaration = registry.about(subject.type) if subject is not None else None
    # A rule is named by what it allows: the same rule missing everywhere is one class.
    if (
        subject is not None
        and isinstance(declaration, ResourceType)
        and declaration.graph.role is GraphRole.RULE
        and declaration.describe is not None
    ):
        return f"{drift.kind.value} {type_name}: {declaration.describe(subject)}"
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
            key: internet_facing(node) if node.graph.internet_facing is not None else None
            for key, node in graph.nodes.items()
        },
    )


def merge_views(views: Sequence[tuple[str, GraphView]]) -> GraphView:
    """Several accounts' estates as one: each key prefixed by its account, so that one address
    declared in two accounts stays two nodes."""
    nodes: list[GraphNode] = []
    edges: list[GraphEdge] = []
    for account, view in views:
        nodes += [replace(node, key=f"{account}/{node.key}") for node in view.nodes]
        edges += [
            replace(e, source=f"{account}/{e.source}", target=f"{account}/{e.target}") for e in view.edges
        ]
    return GraphView(nodes=tuple(nodes), edges=tuple(edges))
