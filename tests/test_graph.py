"""The impact graph, built from a Terraform v4 state with a load balancer, its listener and a DNS alias."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3

from guard.aws import Clients
from guard.demo import build_edge, build_web_estate, delete_https_rule
from guard.demo.state import TerraformState
from guard.enrich.graph import add_impact, build_graph, finding_class, group_findings
from guard.model import Drift, DriftKind, Severity
from guard.pipeline.run import scan_states
from guard.render.json import report_to_dict
from guard.state import read_state_file

REGION = "us-east-1"
ACCOUNT = "123456789012"
LB_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/prod-web/50dc6c495c0c9188"
LB_DNS = "prod-web-1234567890.us-east-1.elb.amazonaws.com"
TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/prod-web/6d0ecf831eec9f09"


def _lb(group_id: str, subnets: list[str], internal: bool = False) -> dict[str, Any]:
    """aws_lb as provider 5.x writes it (the attributes that matter here and their neighbours)."""
    return {
        "access_logs": [{"bucket": "", "enabled": False, "prefix": ""}],
        "arn": LB_ARN,
        "arn_suffix": "app/prod-web/50dc6c495c0c9188",
        "dns_name": LB_DNS,
        "drop_invalid_header_fields": False,
        "enable_deletion_protection": True,
        "enable_http2": True,
        "id": LB_ARN,
        "idle_timeout": 60,
        "internal": internal,
        "ip_address_type": "ipv4",
        "load_balancer_type": "application",
        "name": "prod-web",
        "security_groups": [group_id],
        "subnet_mapping": [
            {
                "subnet_id": s,
                "allocation_id": "",
                "ipv6_address": "",
                "outpost_id": "",
                "private_ipv4_address": "",
            }
            for s in subnets
        ],
        "subnets": subnets,
        "tags": {"Name": "prod-web"},
        "vpc_id": "vpc-0a1b2c3d",
        "zone_id": "Z35SXDOTRQ7X7K",
    }


def _listener(port: int, protocol: str) -> dict[str, Any]:
    arn = f"{LB_ARN.replace(':loadbalancer/', ':listener/')}/{port:016x}"
    return {
        "alpn_policy": None,
        "arn": arn,
        "certificate_arn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/0b1c2d3e"
        if protocol == "HTTPS"
        else None,
        "default_action": [
            {
                "authenticate_cognito": [],
                "authenticate_oidc": [],
                "fixed_response": [],
                "forward": [],
                "order": 1,
                "redirect": [],
                "target_group_arn": TG_ARN,
                "type": "forward",
            }
        ],
        "id": arn,
        "load_balancer_arn": LB_ARN,
        "mutual_authentication": [],
        "port": port,
        "protocol": protocol,
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06" if protocol == "HTTPS" else "",
        "tags": {},
        "timeouts": None,
    }


def _alias_record() -> dict[str, Any]:
    return {
        "alias": [
            {"evaluate_target_health": True, "name": f"dualstack.{LB_DNS}.", "zone_id": "Z35SXDOTRQ7X7K"}
        ],
        "allow_overwrite": None,
        "cidr_routing_policy": [],
        "failover_routing_policy": [],
        "fqdn": "api.example.com",
        "geolocation_routing_policy": [],
        "health_check_id": "",
        "id": "Z0123456789ABCDEFGHIJ_api.example.com_A",
        "latency_routing_policy": [],
        "multivalue_answer_routing_policy": False,
        "name": "api.example.com",
        "records": [],
        "set_identifier": "",
        "ttl": 0,
        "type": "A",
        "weighted_routing_policy": [],
        "zone_id": "Z0123456789ABCDEFGHIJ",
    }


def _target_group() -> dict[str, Any]:
    return {
        "arn": TG_ARN,
        "id": TG_ARN,
        "name": "prod-web",
        "port": 8080,
        "protocol": "HTTP",
        "target_type": "instance",
        "vpc_id": "vpc-0a1b2c3d",
        "tags": {},
    }


def _add_edge(
    state: TerraformState,
    group_id: str,
    subnets: list[str],
    instance_ids: tuple[str, ...],
    internal: bool = False,
) -> None:
    """The load balancer side of the estate, as module.edge declares it."""
    lb = state.add(
        "aws_lb",
        "web",
        _lb(group_id, subnets, internal),
        module="module.edge",
        dependencies=("module.edge.aws_security_group.lb",),
    )
    tg = state.add("aws_lb_target_group", "web", _target_group(), module="module.edge")
    state.add(
        "aws_lb_listener", "https", _listener(443, "HTTPS"), module="module.edge", dependencies=(lb, tg)
    )
    state.add("aws_lb_listener", "http", _listener(80, "HTTP"), module="module.edge", dependencies=(lb, tg))
    for key, instance in zip("ab", instance_ids, strict=False):
        state.add(
            "aws_lb_target_group_attachment",
            "web",
            {
                "id": f"{TG_ARN}-{instance}",
                "port": 8080,
                "target_group_arn": TG_ARN,
                "target_id": instance,
                "availability_zone": None,
            },
            module="module.edge",
            index_key=key,
            dependencies=(tg,),
        )
    state.add("aws_route53_record", "api", _alias_record(), module="module.dns", dependencies=(lb,))


def _estate_with_edge(aws: boto3.Session, tmp_path: Path, internal: bool = False) -> tuple[Any, Path]:
    """The demo estate plus its load balancer, listeners and DNS record, built in moto."""
    estate = build_web_estate(aws, REGION)
    build_edge(aws, estate, REGION, internal=internal)
    return estate, estate.state.write(tmp_path / "terraform.tfstate")


def test_deleted_443_names_the_load_balancer_its_listener_and_the_dns_record(aws, tmp_path):
    estate, state = _estate_with_edge(aws, tmp_path)
    assert scan_states([str(state)], [REGION], Clients(aws)).findings == ()  # the estate matches its state
    delete_https_rule(aws, estate.lb_group_id, REGION)

    report = scan_states([str(state)], [REGION], Clients(aws))

    [finding] = report.findings
    assert finding.kind is DriftKind.MISSING
    assert finding.severity is Severity.CRITICAL  # an internet-facing path is broken
    assert finding.impact == (
        f"security group prod-alb ({estate.lb_group_id}) is attached to the internet-facing load balancer "
        "prod-web (module.edge.aws_lb.web)",
        "prod-web listens on HTTPS 443 (module.edge.aws_lb_listener.https)",
        "api.example.com points to load balancer prod-web (module.dns.aws_route53_record.api)",
    )
    assert report_to_dict(report)["findings"][0]["impact"] == list(finding.impact)
    # The load balancer, listeners and record are read live and match: checked, not drift.
    assert {"aws_lb", "aws_lb_listener", "aws_route53_record"} <= set(report.checked_types)
    assert not {"aws_lb", "aws_lb_listener", "aws_route53_record"} & set(report.unsupported_types)


def test_an_internal_load_balancer_raises_severity_less(aws, tmp_path):
    estate, state = _estate_with_edge(aws, tmp_path, internal=True)
    delete_https_rule(aws, estate.lb_group_id, REGION)

    [finding] = scan_states([str(state)], [REGION], Clients(aws)).findings

    assert finding.severity is Severity.HIGH
    assert finding.impact[0].endswith(
        "is attached to the internal load balancer prod-web (module.edge.aws_lb.web)"
    )


def test_a_rule_on_a_port_no_listener_uses_is_not_critical(tmp_path):
    state = TerraformState()
    state.add(
        "aws_security_group",
        "lb",
        {
            "id": "sg-0123456789abcdef0",
            "name": "prod-alb",
            "ingress": [],
            "egress": [],
            "vpc_id": "vpc-0a1b2c3d",
            "tags": {},
        },
    )
    _add_edge(state, "sg-0123456789abcdef0", ["subnet-0aaa1111"], ())
    resources = read_state_file(state.write(tmp_path / "s.tfstate"))
    graph = build_graph(resources)
    ssh = _rule_drift("sg-0123456789abcdef0", 22)

    [enriched] = add_impact([ssh], graph)

    assert enriched.severity is Severity.HIGH  # attached to an internet-facing LB, but not its path
    assert enriched.impact[0] == (
        "security group prod-alb (sg-0123456789abcdef0) is attached to the internet-facing load balancer "
        "prod-web (module.edge.aws_lb.web)"
    )


def _rule_drift(group_id: str, port: int, source: str = "s.tfstate", region: str = REGION) -> Drift:
    from guard.live.resources.security_group_rules import INGRESS, rule_attrs
    from guard.model import Resource

    declared = Resource(
        INGRESS,
        "",
        rule_attrs(group_id, "tcp", port, port, cidr_ipv4="0.0.0.0/0"),
        "aws_security_group.lb",
        ACCOUNT,
        region,
        source,
        declared_type="aws_security_group",
    )
    return Drift(
        DriftKind.MISSING,
        "aws_security_group",
        group_id,
        "aws_security_group.lb",
        ACCOUNT,
        region,
        f"ingress tcp/{port} deleted",
        expected=declared,
        source=source,
    )


def test_an_instance_in_a_target_group_reaches_the_listener_and_the_record(tmp_path):
    state = TerraformState()
    _add_edge(state, "sg-0123456789abcdef0", ["subnet-0aaa1111"], ("i-0123456789abcdef0",))
    state.add(
        "aws_instance",
        "web",
        {
            "id": "i-0123456789abcdef0",
            "instance_type": "t3.small",
            "vpc_security_group_ids": [],
            "tags": {"Name": "prod-web-a"},
        },
        index_key="a",
    )
    graph = build_graph(read_state_file(state.write(tmp_path / "s.tfstate")))
    resized = Drift(
        DriftKind.CHANGED,
        "aws_instance",
        "i-0123456789abcdef0",
        'aws_instance.web["a"]',
        ACCOUNT,
        REGION,
        "resized",
    )

    [enriched] = add_impact([resized], graph)

    assert enriched.impact[0] == (
        "instance prod-web-a is a target of target group prod-web (module.edge.aws_lb_target_group.web)"
    )
    assert any("api.example.com points to load balancer prod-web" in line for line in enriched.impact)
    assert enriched.severity is Severity.CRITICAL


def test_same_mistake_in_several_states_and_regions_is_one_group():
    findings = [
        _rule_drift("sg-0aaaaaaaaaaaaaaaa", 443, "prod.tfstate", "us-east-1"),
        _rule_drift("sg-0bbbbbbbbbbbbbbbb", 443, "staging.tfstate", "eu-west-1"),
        _rule_drift("sg-0cccccccccccccccc", 22, "prod.tfstate", "us-east-1"),
    ]
    [group] = group_findings(findings)
    assert (
        group.finding_class == "missing aws_vpc_security_group_ingress_rule: ingress tcp/443 from 0.0.0.0/0"
    )
    assert group.places == (
        f"{ACCOUNT} · us-east-1 · prod.tfstate",
        f"{ACCOUNT} · eu-west-1 · staging.tfstate",
    )
    assert finding_class(replace(findings[2], rule_ids=("CG-SG-001",))) == "rule CG-SG-001"


def test_graph_command_exports_dot_and_json(guard, tmp_path):
    state = TerraformState()
    _add_edge(state, "sg-0123456789abcdef0", ["subnet-0aaa1111"], ())
    path = state.write(tmp_path / "s.tfstate")

    as_json = guard("graph", "--state", path, "--format", "json")
    assert as_json.code == 0, as_json.err
    edges = {(e["from"], e["to"], e["relation"]) for e in as_json.json()["edges"]}
    assert ("module.edge.aws_lb_listener.https", "module.edge.aws_lb.web", "load_balancer_arn") in edges
    assert ("module.dns.aws_route53_record.api", "module.edge.aws_lb.web", "alias.name") in edges

    as_dot = guard("graph", "--state", path, "-o", tmp_path / "g.dot")
    assert as_dot.code == 0, as_dot.err
    dot = (tmp_path / "g.dot").read_text()
    assert dot.startswith("digraph guard {")
    assert '"module.dns.aws_route53_record.api" -> "module.edge.aws_lb.web" [label="alias.name"];' in dot

    missing = guard("graph", "--state", tmp_path / "nope.tfstate")
    assert missing.code == 1
    assert "nope.tfstate: no such file" in missing.err


def test_json_report_lists_groups(aws, tmp_path):
    estate = build_web_estate(aws, REGION)
    state = estate.state.write(tmp_path / "terraform.tfstate")
    ec2 = aws.client("ec2", region_name=REGION)
    for instance in estate.instance_ids:
        ec2.modify_instance_attribute(InstanceId=instance, InstanceType={"Value": "t3.large"})

    report = report_to_dict(scan_states([str(state)], [REGION], Clients(aws)))

    assert report["groups"] == [
        {
            "class": "changed aws_instance: instance_type",
            "count": 2,
            "places": [f"{ACCOUNT} · us-east-1 · {state}"],
            "findings": [0, 1],
        }
    ]
    assert json.dumps(report)  # still plain JSON


API_TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/prod-api/7e1fd0942ffe0a10"
RULE_ARN = f"{LB_ARN.replace(':loadbalancer/', ':listener-rule/')}/{80:016x}/9183e5b3c2a1d07f"


def test_a_deleted_listener_rule_names_its_listener_and_the_target_group_that_lost_traffic(tmp_path):
    """Found on an estate: it read "listener HTTP 80 … forwards to …listener-rule/…"."""
    state = TerraformState()
    _add_edge(state, "sg-0123456789abcdef0", ["subnet-0aaa1111"], ())
    api = state.add(
        "aws_lb_target_group",
        "api",
        {**_target_group(), "arn": API_TG_ARN, "id": API_TG_ARN, "name": "prod-api"},
        module="module.edge",
    )
    forward = {**_listener(80, "HTTP")["default_action"][0], "target_group_arn": API_TG_ARN}
    rule = {
        "action": [forward],
        "arn": RULE_ARN,
        "condition": [
            {
                "host_header": [],
                "http_header": [],
                "http_request_method": [],
                "path_pattern": [{"values": ["/api/*"]}],
                "query_string": [],
                "source_ip": [],
            }
        ],
        "id": RULE_ARN,
        "listener_arn": _listener(80, "HTTP")["arn"],
        "priority": 10,
        "tags": {},
    }
    listener = "module.edge.aws_lb_listener.http"
    state.add("aws_lb_listener_rule", "api", rule, module="module.edge", dependencies=(listener, api))
    graph = build_graph(read_state_file(state.write(tmp_path / "s.tfstate")))
    deleted = Drift(
        DriftKind.MISSING,
        "aws_lb_listener_rule",
        RULE_ARN,
        "module.edge.aws_lb_listener_rule.api",
        ACCOUNT,
        REGION,
        "listener rule 10 was deleted",
        severity=Severity.HIGH,
    )

    [enriched] = add_impact([deleted], graph)

    assert enriched.impact[:2] == (
        "listener rule 10 (path-pattern /api/*) forwards to target group prod-api "
        "(module.edge.aws_lb_target_group.api)",
        "listener rule 10 (path-pattern /api/*) is a rule of listener HTTP 80 "
        "(module.edge.aws_lb_listener.http)",
    )
    assert "listener-rule/" not in " ".join(enriched.impact)
    assert any("belongs to the internet-facing load balancer prod-web" in line for line in enriched.impact)
    assert enriched.severity is Severity.CRITICAL
