"""Security-group rules, compared one rule at a time.

Terraform declares a rule in three places (inline `ingress`/`egress` on
`aws_security_group`, `aws_security_group_rule`, `aws_vpc_security_group_*_rule`);
AWS stores one rule per source. Every form is expanded to that shape, the attribute
shape of `aws_vpc_security_group_ingress_rule`, and matched on its rule key.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jmespath

from guard.live.events import Prefixed, TypeEvents
from guard.live.shape import first_set, tags
from guard.live.types import (
    REGISTRY,
    AddsFacts,
    Attrs,
    Expansion,
    GraphHooks,
    GraphRole,
    KnownType,
    ResourceType,
    writes,
)
from guard.model import AwsCall, Change, Resource

INGRESS = "aws_vpc_security_group_ingress_rule"
EGRESS = "aws_vpc_security_group_egress_rule"
_DIRECTION = {INGRESS: "ingress", EGRESS: "egress"}
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}
_PORTED = ("tcp", "udp", "icmp", "icmpv6")
SOURCES = ("cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id")


def protocol(value: Any) -> str:
    text = str(value if value is not None else "-1").lower()
    return _PROTOCOL_NAMES.get(text, text)


def _port(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _cidr(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        return value


def _group(value: str | None) -> str | None:
    """`123456789012/sg-1` (another account's group) and `sg-1` name the same group."""
    return value.rsplit("/", 1)[-1] if value else None


def rule_attrs(
    group_id: str,
    ip_protocol: Any,
    from_port: Any,
    to_port: Any,
    description: str | None = None,
    **source: str | None,
) -> Attrs:
    """The one shape every form of rule is compared in."""
    proto = protocol(ip_protocol)
    ported = proto in _PORTED
    return {
        "security_group_id": group_id,
        "ip_protocol": proto,
        "from_port": _port(from_port) if ported else None,
        "to_port": _port(to_port) if ported else None,
        "cidr_ipv4": _cidr(source.get("cidr_ipv4")),
        "cidr_ipv6": _cidr(source.get("cidr_ipv6")),
        "prefix_list_id": source.get("prefix_list_id") or None,
        "referenced_security_group_id": _group(source.get("referenced_security_group_id")),
        "description": description or None,
    }


def source_text(attrs: Attrs) -> str:
    return first_set(attrs, SOURCES, "nowhere")


def ports_text(attrs: Attrs) -> str:
    proto, low, high = attrs["ip_protocol"], attrs.get("from_port"), attrs.get("to_port")
    if proto == "-1":
        return "all traffic"
    if proto.startswith("icmp"):
        return f"{proto} type {low} code {high}"
    if low is None:
        return proto
    return f"{proto}/{low}" if low == high else f"{proto}/{low}-{high}"


def describe_rule(resource: Resource) -> str:
    """`ingress tcp/443 from 0.0.0.0/0`: how a person names a rule."""
    direction = _DIRECTION[resource.type]
    word = "from" if direction == "ingress" else "to"
    return f"{direction} {ports_text(resource.attrs)} {word} {source_text(resource.attrs)}"


def _key(resource: Resource) -> str:
    a = resource.attrs
    return "|".join(
        str(a.get(name)) for name in ("security_group_id", "ip_protocol", "from_port", "to_port", *SOURCES)
    )


def _live_rule(item: dict[str, Any]) -> Attrs:
    attrs = rule_attrs(
        item["GroupId"],
        item.get("IpProtocol"),
        item.get("FromPort"),
        item.get("ToPort"),
        item.get("Description"),
        cidr_ipv4=item.get("CidrIpv4"),
        cidr_ipv6=item.get("CidrIpv6"),
        prefix_list_id=item.get("PrefixListId"),
        referenced_security_group_id=(item.get("ReferencedGroupInfo") or {}).get("GroupId"),
    )
    attrs["tags"] = tags(item)
    return attrs


def _fill_descriptions(rules: list[Attrs], groups: list[Attrs]) -> None:
    """Take a rule's description from DescribeSecurityGroups when the rule list leaves it out.

    AWS returns it in both; moto's DescribeSecurityGroupRules drops it for rules that
    reference another group, and a missing description must not read as a deleted one.
    """
    described: dict[tuple[Any, ...], str] = {}
    for group in groups:
        for field_name, egress in (("IpPermissions", False), ("IpPermissionsEgress", True)):
            for permission in group.get(field_name) or []:
                for pair in permission.get("UserIdGroupPairs") or []:
                    if pair.get("Description"):
                        key = (
                            group["GroupId"],
                            egress,
                            protocol(permission.get("IpProtocol")),
                            permission.get("FromPort"),
                            pair.get("GroupId"),
                        )
                        described[key] = pair["Description"]
    for rule in rules:
        referenced = (rule.get("ReferencedGroupInfo") or {}).get("GroupId")
        if referenced and not rule.get("Description"):
            key = (
                rule["GroupId"],
                bool(rule.get("IsEgress")),
                protocol(rule.get("IpProtocol")),
                rule.get("FromPort"),
                referenced,
            )
            if key in described:
                rule["Description"] = described[key]


def _permission(attrs: Attrs) -> dict[str, Any]:
    """The IpPermissions entry that authorizes exactly this one rule."""
    permission: dict[str, Any] = {"IpProtocol": attrs["ip_protocol"]}
    if attrs.get("from_port") is not None:
        permission["FromPort"] = attrs["from_port"]
        permission["ToPort"] = attrs["to_port"]
    described = {"Description": attrs["description"]} if attrs.get("description") else {}
    if attrs.get("cidr_ipv4"):
        permission["IpRanges"] = [{"CidrIp": attrs["cidr_ipv4"], **described}]
    elif attrs.get("cidr_ipv6"):
        permission["Ipv6Ranges"] = [{"CidrIpv6": attrs["cidr_ipv6"], **described}]
    elif attrs.get("prefix_list_id"):
        permission["PrefixListIds"] = [{"PrefixListId": attrs["prefix_list_id"], **described}]
    elif attrs.get("referenced_security_group_id"):
        permission["UserIdGroupPairs"] = [{"GroupId": attrs["referenced_security_group_id"], **described}]
    return permission


def _rule_body(attrs: Attrs) -> dict[str, Any]:
    """The SecurityGroupRule request shape of ModifySecurityGroupRules."""
    body: dict[str, Any] = {"IpProtocol": attrs["ip_protocol"]}
    if attrs.get("from_port") is not None:
        body.update(FromPort=attrs["from_port"], ToPort=attrs["to_port"])
    else:
        body.update(FromPort=-1, ToPort=-1)
    for name, field in (
        ("cidr_ipv4", "CidrIpv4"),
        ("cidr_ipv6", "CidrIpv6"),
        ("prefix_list_id", "PrefixListId"),
        ("referenced_security_group_id", "ReferencedGroupId"),
    ):
        if attrs.get(name):
            body[field] = attrs[name]
    if attrs.get("description"):
        body["Description"] = attrs["description"]
    return body


def _operation(resource: Resource, verb: str) -> str:
    return f"{verb}_security_group_{_DIRECTION[resource.type]}"


@writes("authorize_security_group_ingress", "authorize_security_group_egress")
def _authorize(declared: Resource) -> list[AwsCall]:
    return [
        AwsCall(
            "ec2",
            _operation(declared, "authorize"),
            {
                "GroupId": declared.attrs["security_group_id"],
                "IpPermissions": [_permission(declared.attrs)],
            },
            declared.region,
        )
    ]


@writes("revoke_security_group_ingress", "revoke_security_group_egress")
def _revoke(live: Resource) -> list[AwsCall]:
    return [
        AwsCall(
            "ec2",
            _operation(live, "revoke"),
            {"GroupId": live.attrs["security_group_id"], "SecurityGroupRuleIds": [live.id]},
            live.region,
        )
    ]


@writes("modify_security_group_rules")
def _restore(declared: Resource, live: Resource | None, _: tuple[Change, ...]) -> list[AwsCall]:
    """Edit the live rule back in place; its id survives, so nothing else has to move."""
    if live is None:
        return []
    return [
        AwsCall(
            "ec2",
            "modify_security_group_rules",
            {
                "GroupId": live.attrs["security_group_id"],
                "SecurityGroupRules": [
                    {
                        "SecurityGroupRuleId": live.id,
                        "SecurityGroupRule": _rule_body(declared.attrs),
                    }
                ],
            },
            live.region,
        )
    ]


def _ports_let_in(attrs: Attrs) -> tuple[int, int] | None:
    """The ports an ingress rule lets in; None when it lets every port in."""
    low, high = attrs.get("from_port"), attrs.get("to_port")
    if attrs.get("ip_protocol") == "-1" or low is None or high is None:
        return None
    return low, high


# --- facts rules see: a group's effective rules from all three Terraform forms ---------


def _rule_sources(block: Mapping[str, Any], group_id: str) -> list[tuple[str, str]]:
    """A block's lists of sources, or the one source of an aws_vpc_security_group_*_rule."""
    sources = _block_sources(block, self_group=group_id)
    sources += [(name, block[name]) for name in SOURCES if block.get(name)]
    return sources


def rules_of_block(block: Mapping[str, Any], group_id: str) -> list[Attrs]:
    """One rule per source, in the shape every form is compared in."""
    proto = block.get("ip_protocol", block.get("protocol"))
    return [
        rule_attrs(
            group_id,
            proto,
            block.get("from_port"),
            block.get("to_port"),
            block.get("description"),
            **{kind: value},
        )
        for kind, value in _rule_sources(block, group_id)
    ]


def _unique(rules: Iterable[Attrs]) -> list[Attrs]:
    seen: dict[str, Attrs] = {}
    for rule in rules:
        key = json.dumps({k: v for k, v in rule.items() if k != "description"}, sort_keys=True)
        seen.setdefault(key, rule)
    return list(seen.values())


def _adds_to_group(direction: Callable[[Attrs], str]) -> AddsFacts:
    """A rule declared as its own resource adds to its group's `_ingress` or `_egress`."""

    def adds(rule: Resource) -> tuple[str, str, list[Attrs]] | None:
        group_id = rule.attrs.get("security_group_id")
        if not isinstance(group_id, str) or not group_id:
            return None
        return group_id, f"_{direction(rule.attrs)}", rules_of_block(rule.attrs, group_id)

    return adds


def group_rule_facts(group: Resource, added: Mapping[str, list[Attrs]], held_elsewhere: bool) -> Attrs:
    """`_ingress`/`_egress`: the rules standalone resources add, and the inline blocks;
    with standalone rules about, a group's inline list is only refreshed state."""
    facts: Attrs = {}
    for direction in ("ingress", "egress"):
        rules = list(added.get(f"_{direction}", []))
        if not held_elsewhere:
            for block in group.attrs.get(direction) or []:
                rules += rules_of_block(block, group.id)
        facts[f"_{direction}"] = _unique(rules)
    return facts


# --- attribution: which rule a CloudTrail event's payload names -------------------------

_RULES_IN_REQUEST = "ipPermissions.items[]"
_RULES_IN_RESPONSE = "[revokedSecurityGroupRuleSet.items, securityGroupRuleSet.items][][]"


def _rule_from_request(permission: dict[str, Any]) -> tuple[tuple[Any, ...], list[str]]:
    ports = (protocol(permission.get("ipProtocol")), permission.get("fromPort"), permission.get("toPort"))
    sources = jmespath.search(
        "[ipRanges.items[].cidrIp, ipv6Ranges.items[].cidrIpv6, "
        "groups.items[].groupId, prefixListIds.items[].prefixListId][]",
        permission,
    )
    return ports, [s for s in sources or [] if s]


def _rule_from_response(item: dict[str, Any]) -> tuple[tuple[Any, ...], list[str]]:
    ports = (protocol(item.get("ipProtocol")), item.get("fromPort"), item.get("toPort"))
    sources = [
        item.get("cidrIpv4"),
        item.get("cidrIpv6"),
        item.get("prefixListId"),
        (item.get("referencedGroupInfo") or {}).get("groupId"),
    ]
    return ports, [s for s in sources if s]


def _rule_match(rule: Attrs, ports: tuple[Any, ...], sources: list[str]) -> int:
    """2: same ports and source; 1: same ports; 0: another rule. All-traffic rules have no ports."""
    if ports[0] != rule.get("ip_protocol"):
        return 0
    if rule.get("ip_protocol") != "-1" and (ports[1], ports[2]) != (
        rule.get("from_port"),
        rule.get("to_port"),
    ):
        return 0
    wanted = {rule.get(name) for name in SOURCES} - {None}
    return 2 if wanted & set(sources) else 1


def event_matches(rule: Attrs, record: Mapping[str, Any]) -> list[int]:
    """How closely each rule an event authorizes, revokes or modifies matches this one."""
    parameters = record.get("requestParameters") or {}
    described = [_rule_from_request(p) for p in jmespath.search(_RULES_IN_REQUEST, parameters) or []]
    response = record.get("responseElements") or {}
    described += [_rule_from_response(r) for r in jmespath.search(_RULES_IN_RESPONSE, response) or []]
    return [_rule_match(rule, ports, sources) for ports, sources in described]


# The calls that change a group's rules, each naming the group; ModifySecurityGroupRules
# (a newer call) wraps its request in ModifySecurityGroupRulesRequest.
RULE_CALLS = {
    **{
        f"{verb}SecurityGroup{direction}": "requestParameters.groupId"
        for verb in ("Authorize", "Revoke")
        for direction in ("Ingress", "Egress")
    },
    "UpdateSecurityGroupRuleDescriptionsIngress": "requestParameters.groupId",
    "UpdateSecurityGroupRuleDescriptionsEgress": "requestParameters.groupId",
    "ModifySecurityGroupRules": (
        "requestParameters.ModifySecurityGroupRulesRequest.GroupId || requestParameters.groupId"
    ),
}


def _rule_events(direction: str) -> TypeEvents:
    title = direction.capitalize()
    return TypeEvents(
        id_prefix="sgr-",
        missing=(f"RevokeSecurityGroup{title}", "ModifySecurityGroupRules", "DeleteSecurityGroup"),
        unmanaged=(f"AuthorizeSecurityGroup{title}", "ModifySecurityGroupRules"),
        changed=(
            "ModifySecurityGroupRules",
            f"UpdateSecurityGroupRuleDescriptions{title}",
            f"RevokeSecurityGroup{title}",
            f"AuthorizeSecurityGroup{title}",
        ),
        lookup_attr="security_group_id",  # an event on a rule is an event on its group
        # A call names the group, which is read with all its rules.
        touched_by=RULE_CALLS,
        ids=Prefixed("sg-"),
        names_parent=True,
    )


def _declare(direction_type: str, is_egress: bool) -> None:
    REGISTRY.register(
        ResourceType(
            name=direction_type,
            service="ec2",
            list_call="describe_security_group_rules",
            events=_rule_events(_DIRECTION[direction_type]),
            items_path="SecurityGroupRules",
            id_key="SecurityGroupRuleId",
            to_attrs=_live_rule,
            keep_item=lambda item: bool(item.get("IsEgress")) is is_egress,
            companion_call=("describe_security_groups", "SecurityGroups"),
            merge_companion=_fill_descriptions,
            compared=("ip_protocol", "from_port", "to_port", *SOURCES, "description"),
            ignored={"tags": "rule tags are rarely declared; a rule is its key and description"},
            normalise_desired=lambda attrs: rule_attrs(
                attrs.get("security_group_id") or "",
                attrs.get("ip_protocol"),
                attrs.get("from_port"),
                attrs.get("to_port"),
                attrs.get("description"),
                **{name: attrs.get(name) for name in SOURCES},
            ),
            parent=("security_group_id", "aws_security_group"),
            match_key=_key,
            pair_keys=(
                lambda r: r.id or None,  # ModifySecurityGroupRules keeps the rule id
                lambda r: "|".join(
                    str(r.attrs.get(n)) for n in ("security_group_id", "ip_protocol", "from_port", "to_port")
                ),
                lambda r: f"{r.attrs.get('security_group_id')}|{source_text(r.attrs)}",
            ),
            describe=describe_rule,
            restore_calls=_restore,
            restorable=("*",),
            recreate_calls=_authorize,
            delete_calls=_revoke,
            read_params=lambda r: {
                "Filters": [{"Name": "group-id", "Values": [r.attrs.get("security_group_id") or ""]}]
            },
            graph=GraphHooks(
                role=GraphRole.RULE,
                group="security_group_id",
                ports_let_in=None if is_egress else _ports_let_in,
            ),
            adds_facts=_adds_to_group(lambda _: "egress" if is_egress else "ingress"),
            event_matches=event_matches,
        )
    )


_declare(INGRESS, is_egress=False)
_declare(EGRESS, is_egress=True)


def _derived(
    owner: Resource, rule_type: str, attrs: Attrs, groups: Mapping[str, Resource], rule_id: str = ""
) -> Resource:
    group = groups.get(attrs["security_group_id"])
    return Resource(
        type=rule_type,
        id=rule_id,
        attrs=attrs,
        address=owner.address,
        account=owner.account or (group.account if group else None),
        region=owner.region or (group.region if group else None),
        source=owner.source,
        dependencies=owner.dependencies,
        declared_type=owner.type,
    )


def _inline_rules(group: Resource, groups: Mapping[str, Resource]) -> list[Resource]:
    out = []
    for block_name, rule_type in (("ingress", INGRESS), ("egress", EGRESS)):
        for block in group.attrs.get(block_name) or []:
            sources = _block_sources(block, self_group=group.id)
            for kind, value in sources:
                attrs = rule_attrs(
                    group.id,
                    block.get("protocol"),
                    block.get("from_port"),
                    block.get("to_port"),
                    block.get("description"),
                    **{kind: value},
                )
                out.append(_derived(group, rule_type, attrs, groups))
    return out


def _block_sources(block: Mapping[str, Any], self_group: str) -> list[tuple[str, str]]:
    sources = [("cidr_ipv4", c) for c in block.get("cidr_blocks") or []]
    sources += [("cidr_ipv6", c) for c in block.get("ipv6_cidr_blocks") or []]
    sources += [("prefix_list_id", p) for p in block.get("prefix_list_ids") or []]
    sources += [("referenced_security_group_id", g) for g in block.get("security_groups") or []]
    sources += [("referenced_security_group_id", g) for g in [block.get("source_security_group_id")] if g]
    if block.get("self"):
        sources.append(("referenced_security_group_id", self_group))
    return sources


def _standalone_rules(rule: Resource, groups: Mapping[str, Resource]) -> list[Resource]:
    a = rule.attrs
    rule_type = EGRESS if a.get("type") == "egress" else INGRESS
    group_id = a.get("security_group_id") or ""
    out = []
    sources = _block_sources(a, self_group=group_id)
    single_id = a.get("security_group_rule_id") or "" if len(sources) == 1 else ""
    for kind, value in sources:
        attrs = rule_attrs(
            group_id,
            a.get("protocol"),
            a.get("from_port"),
            a.get("to_port"),
            a.get("description"),
            **{kind: value},
        )
        out.append(_derived(rule, rule_type, attrs, groups, rule_id=single_id))
    return out


REGISTRY.add_expansion(Expansion("aws_security_group", precedence=0, expand=_inline_rules))
REGISTRY.add_expansion(Expansion("aws_security_group_rule", precedence=1, expand=_standalone_rules))
# Compared as the rules it expands to, and known for the stages that see it in state.
REGISTRY.know(
    KnownType(
        "aws_security_group_rule",
        graph=GraphHooks(role=GraphRole.RULE, group="security_group_id"),
        adds_facts=_adds_to_group(lambda attrs: "egress" if attrs.get("type") == "egress" else "ingress"),
    )
)
