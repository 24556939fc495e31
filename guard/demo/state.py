"""Terraform state written the way `apply` writes it, for the demo estate.

A format-version-4 document built one resource instance at a time, and the attribute
shapes of the AWS provider 5.x for the types `guard demo` builds (VPC, subnets, security
groups and rules, instances, the load balancer and its listeners, Route53). Each builder
takes what the AWS API answered right after the resource was created and returns the
instance's full `attributes` object, computed attributes included. The other types'
builders live with the tests, in tests/support/.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'


@dataclass
class TerraformState:
    """A Terraform state document, format version 4, built one resource instance at a time."""

    default_tags: dict[str, str] = field(default_factory=dict)
    terraform_version: str = "1.9.8"
    _resources: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)

    def add(
        self,
        type_: str,
        name: str,
        attributes: Mapping[str, Any],
        module: str = "",
        index_key: int | str | None = None,
        sensitive: tuple[str, ...] = (),
        dependencies: tuple[str, ...] = (),
        mode: str = "managed",
    ) -> str:
        """Record one instance; returns its address."""
        block = self._resources.setdefault(
            (module, mode, type_, name),
            {
                **({"module": module} if module else {}),
                "mode": mode,
                "type": type_,
                "name": name,
                "provider": PROVIDER,
                "instances": [],
            },
        )
        instance: dict[str, Any] = {"schema_version": _SCHEMA_VERSIONS.get(type_, 0)}
        if index_key is not None:
            instance["index_key"] = index_key
        attrs = dict(attributes)
        if "tags" in attrs and "tags_all" not in attrs:
            attrs["tags_all"] = {**self.default_tags, **(attrs["tags"] or {})}
        instance["attributes"] = attrs
        instance["sensitive_attributes"] = [[{"type": "get_attr", "value": s}] for s in sensitive]
        instance["private"] = "eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ=="
        if dependencies:
            instance["dependencies"] = list(dependencies)
        block["instances"].append(instance)
        prefix = f"{module}." if module else ""
        suffix = "" if index_key is None else f"[{json.dumps(index_key)}]"
        return f"{prefix}{'data.' if mode == 'data' else ''}{type_}.{name}{suffix}"

    def document(self) -> dict[str, Any]:
        return {
            "version": 4,
            "terraform_version": self.terraform_version,
            "serial": len(self._resources) + 1,
            "lineage": str(uuid.uuid5(uuid.NAMESPACE_URL, "change-guard")),
            "outputs": {},
            "resources": list(self._resources.values()),
            "check_results": None,
        }

    def write(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(json.dumps(self.document(), indent=2), encoding="utf-8")
        return target


_SCHEMA_VERSIONS = {
    "aws_vpc": 1,
    "aws_security_group": 1,
    "aws_instance": 1,
    "aws_security_group_rule": 2,
}


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags") or [] if not t["Key"].startswith("aws:")}


def vpc_attributes(vpc: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    vpc_id = vpc["VpcId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:vpc/{vpc_id}",
        "assign_generated_ipv6_cidr_block": False,
        "cidr_block": vpc["CidrBlock"],
        "default_network_acl_id": "",
        "default_route_table_id": "",
        "default_security_group_id": "",
        "dhcp_options_id": vpc.get("DhcpOptionsId", ""),
        "enable_dns_hostnames": True,
        "enable_dns_support": True,
        "enable_network_address_usage_metrics": False,
        "id": vpc_id,
        "instance_tenancy": vpc.get("InstanceTenancy", "default"),
        "ipv4_ipam_pool_id": None,
        "ipv4_netmask_length": None,
        "ipv6_association_id": "",
        "ipv6_cidr_block": "",
        "ipv6_cidr_block_network_border_group": "",
        "ipv6_ipam_pool_id": "",
        "ipv6_netmask_length": 0,
        "main_route_table_id": "",
        "owner_id": vpc.get("OwnerId", account),
        "tags": _tags(vpc),
    }


def subnet_attributes(subnet: Mapping[str, Any], account: str) -> dict[str, Any]:
    return {
        "arn": subnet.get("SubnetArn", ""),
        "assign_ipv6_address_on_creation": False,
        "availability_zone": subnet["AvailabilityZone"],
        "availability_zone_id": subnet.get("AvailabilityZoneId", ""),
        "cidr_block": subnet["CidrBlock"],
        "customer_owned_ipv4_pool": "",
        "enable_dns64": False,
        "enable_lni_at_device_index": 0,
        "enable_resource_name_dns_a_record_on_launch": False,
        "enable_resource_name_dns_aaaa_record_on_launch": False,
        "id": subnet["SubnetId"],
        "ipv6_cidr_block": "",
        "ipv6_cidr_block_association_id": "",
        "ipv6_native": False,
        "map_customer_owned_ip_on_launch": False,
        "map_public_ip_on_launch": bool(subnet.get("MapPublicIpOnLaunch")),
        "outpost_arn": "",
        "owner_id": subnet.get("OwnerId", account),
        "private_dns_hostname_type_on_launch": "ip-name",
        "tags": _tags(subnet),
        "timeouts": None,
        "vpc_id": subnet["VpcId"],
    }


def rule_block(
    protocol: str,
    from_port: int,
    to_port: int,
    cidr_blocks: tuple[str, ...] = (),
    security_groups: tuple[str, ...] = (),
    self: bool = False,
    description: str = "",
    ipv6_cidr_blocks: tuple[str, ...] = (),
    prefix_list_ids: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One inline `ingress`/`egress` block, all nine keys, as the provider stores it."""
    return {
        "cidr_blocks": list(cidr_blocks),
        "description": description,
        "from_port": from_port,
        "ipv6_cidr_blocks": list(ipv6_cidr_blocks),
        "prefix_list_ids": list(prefix_list_ids),
        "protocol": protocol,
        "security_groups": sorted(security_groups),
        "self": self,
        "to_port": to_port,
    }


def security_group_attributes(
    group: Mapping[str, Any],
    account: str,
    region: str,
    ingress: list[dict[str, Any]],
    egress: list[dict[str, Any]],
) -> dict[str, Any]:
    group_id = group["GroupId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:security-group/{group_id}",
        "description": group.get("Description", "Managed by Terraform"),
        "egress": egress,
        "id": group_id,
        "ingress": ingress,
        "name": group["GroupName"],
        "name_prefix": "",
        "owner_id": group.get("OwnerId", account),
        "revoke_rules_on_delete": False,
        "tags": _tags(group),
        "timeouts": None,
        "vpc_id": group.get("VpcId"),
    }


def security_group_rule_attributes(
    rule_type: str,
    group_id: str,
    protocol: str,
    from_port: int,
    to_port: int,
    cidr_blocks: tuple[str, ...] = (),
    source_security_group_id: str | None = None,
    description: str = "",
    rule_id: str | None = None,
) -> dict[str, Any]:
    """aws_security_group_rule; its `id` is Terraform's own sgrule- hash, not an AWS id."""
    digest = uuid.uuid5(uuid.NAMESPACE_URL, f"{group_id}{rule_type}{protocol}{from_port}{cidr_blocks}")
    return {
        "cidr_blocks": list(cidr_blocks) or None,
        "description": description or None,
        "from_port": from_port,
        "id": f"sgrule-{digest.int % 10**10}",
        "ipv6_cidr_blocks": None,
        "prefix_list_ids": [],
        "protocol": protocol,
        "security_group_id": group_id,
        "security_group_rule_id": rule_id or "",
        "self": False,
        "source_security_group_id": source_security_group_id,
        "timeouts": None,
        "to_port": to_port,
        "type": rule_type,
    }


def instance_attributes(instance: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    metadata = instance.get("MetadataOptions") or {}
    placement = instance.get("Placement") or {}
    return {
        "ami": instance["ImageId"],
        "arn": f"arn:aws:ec2:{region}:{account}:instance/{instance['InstanceId']}",
        "associate_public_ip_address": bool(instance.get("PublicIpAddress")),
        "availability_zone": placement.get("AvailabilityZone", ""),
        "disable_api_stop": False,
        "disable_api_termination": False,
        "ebs_optimized": bool(instance.get("EbsOptimized")),
        "get_password_data": False,
        "iam_instance_profile": "",
        "id": instance["InstanceId"],
        "instance_state": (instance.get("State") or {}).get("Name", "running"),
        "instance_type": instance["InstanceType"],
        "key_name": instance.get("KeyName", ""),
        "metadata_options": [
            {
                "http_endpoint": metadata.get("HttpEndpoint", "enabled"),
                "http_protocol_ipv6": "disabled",
                "http_put_response_hop_limit": metadata.get("HttpPutResponseHopLimit", 1),
                "http_tokens": metadata.get("HttpTokens", "optional"),
                "instance_metadata_tags": "disabled",
            }
        ],
        "monitoring": (instance.get("Monitoring") or {}).get("State") == "enabled",
        "password_data": "",
        "private_ip": instance.get("PrivateIpAddress", ""),
        "public_ip": instance.get("PublicIpAddress", ""),
        "root_block_device": [],
        "secondary_private_ips": [],
        "security_groups": [],
        "source_dest_check": instance.get("SourceDestCheck", True),
        "subnet_id": instance.get("SubnetId", ""),
        "tags": _tags(instance),
        "tenancy": placement.get("Tenancy", "default"),
        "timeouts": None,
        "user_data": None,
        "vpc_security_group_ids": sorted(g["GroupId"] for g in instance.get("SecurityGroups") or []),
    }


# --- ELBv2 -----------------------------------------------------------------------------


def lb_attributes(
    lb: Mapping[str, Any], attributes: Mapping[str, str], tags: Mapping[str, str]
) -> dict[str, Any]:
    """aws_lb from DescribeLoadBalancers, its attributes and its tags (ELBv2 lists them apart)."""
    arn = lb["LoadBalancerArn"]
    subnets = sorted(z["SubnetId"] for z in lb.get("AvailabilityZones") or [])
    return {
        "access_logs": [
            {
                "bucket": attributes.get("access_logs.s3.bucket", ""),
                "enabled": attributes.get("access_logs.s3.enabled", "false") == "true",
                "prefix": attributes.get("access_logs.s3.prefix", ""),
            }
        ],
        "arn": arn,
        "arn_suffix": arn.split(":loadbalancer/", 1)[-1],
        "client_keep_alive": 3600,
        "connection_logs": [{"bucket": "", "enabled": False, "prefix": ""}],
        "customer_owned_ipv4_pool": "",
        "desync_mitigation_mode": "defensive",
        "dns_name": lb.get("DNSName", ""),
        "dns_record_client_routing_policy": None,
        "drop_invalid_header_fields": attributes.get("routing.http.drop_invalid_header_fields.enabled")
        == "true",
        "enable_cross_zone_load_balancing": True,
        "enable_deletion_protection": attributes.get("deletion_protection.enabled") == "true",
        "enable_http2": attributes.get("routing.http2.enabled", "true") == "true",
        "enable_tls_version_and_cipher_suite_headers": False,
        "enable_waf_fail_open": False,
        "enable_xff_client_port": False,
        "enable_zonal_shift": False,
        "enforce_security_group_inbound_rules_on_private_link_traffic": "",
        "id": arn,
        "idle_timeout": int(attributes.get("idle_timeout.timeout_seconds", "60")),
        "internal": lb.get("Scheme") == "internal",
        "ip_address_type": lb.get("IpAddressType", "ipv4"),
        "load_balancer_type": lb.get("Type", "application"),
        "name": lb["LoadBalancerName"],
        "name_prefix": "",
        "preserve_host_header": False,
        "security_groups": sorted(lb.get("SecurityGroups") or []),
        "subnet_mapping": [
            {
                "allocation_id": "",
                "ipv6_address": "",
                "outpost_id": "",
                "private_ipv4_address": "",
                "subnet_id": subnet,
            }
            for subnet in subnets
        ],
        "subnets": subnets,
        "tags": dict(tags),
        "timeouts": None,
        "vpc_id": lb.get("VpcId", ""),
        "xff_header_processing_mode": "append",
        "zone_id": lb.get("CanonicalHostedZoneId", ""),
    }


def target_group_attributes(group: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    arn = group["TargetGroupArn"]
    matcher = group.get("Matcher") or {}
    return {
        "arn": arn,
        "arn_suffix": arn.split(":", 5)[-1],
        "connection_termination": None,
        "deregistration_delay": "300",
        "health_check": [
            {
                "enabled": group.get("HealthCheckEnabled", True),
                "healthy_threshold": group.get("HealthyThresholdCount", 5),
                "interval": group.get("HealthCheckIntervalSeconds", 30),
                "matcher": matcher.get("HttpCode", ""),
                "path": group.get("HealthCheckPath", ""),
                "port": group.get("HealthCheckPort", "traffic-port"),
                "protocol": group.get("HealthCheckProtocol", "HTTP"),
                "timeout": group.get("HealthCheckTimeoutSeconds", 5),
                "unhealthy_threshold": group.get("UnhealthyThresholdCount", 2),
            }
        ],
        "id": arn,
        "ip_address_type": group.get("IpAddressType", "ipv4"),
        "lambda_multi_value_headers_enabled": False,
        "load_balancer_arns": list(group.get("LoadBalancerArns") or []),
        "load_balancing_algorithm_type": "round_robin",
        "load_balancing_anomaly_mitigation": "off",
        "load_balancing_cross_zone_enabled": "use_load_balancer_configuration",
        "name": group["TargetGroupName"],
        "name_prefix": "",
        "port": group.get("Port"),
        "preserve_client_ip": None,
        "protocol": group.get("Protocol"),
        "protocol_version": group.get("ProtocolVersion", "HTTP1"),
        "proxy_protocol_v2": False,
        "slow_start": 0,
        "stickiness": [{"cookie_duration": 86400, "cookie_name": "", "enabled": False, "type": "lb_cookie"}],
        "tags": dict(tags),
        "target_failover": [],
        "target_group_health": [],
        "target_health_state": [],
        "target_type": group.get("TargetType", "instance"),
        "vpc_id": group.get("VpcId", ""),
    }


def action_block(
    action_type: str,
    order: int = 1,
    target_group_arn: str = "",
    fixed_response: Mapping[str, str] | None = None,
    redirect: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One `default_action`/`action` block: every nested block present, empty when unused."""
    return {
        "authenticate_cognito": [],
        "authenticate_oidc": [],
        "fixed_response": [dict(fixed_response)] if fixed_response else [],
        "forward": [],
        "order": order,
        "redirect": [dict(redirect)] if redirect else [],
        "target_group_arn": target_group_arn,
        "type": action_type,
    }


def listener_attributes(
    listener: Mapping[str, Any], actions: Sequence[Mapping[str, Any]], tags: Mapping[str, str]
) -> dict[str, Any]:
    arn = listener["ListenerArn"]
    https = listener.get("Protocol") in ("HTTPS", "TLS")
    certificates = listener.get("Certificates") or [{}]
    return {
        "alpn_policy": None,
        "arn": arn,
        "certificate_arn": certificates[0].get("CertificateArn", "") if https else "",
        "default_action": [dict(a) for a in actions],
        "id": arn,
        "load_balancer_arn": listener["LoadBalancerArn"],
        "mutual_authentication": [],
        "port": listener.get("Port"),
        "protocol": listener.get("Protocol"),
        "ssl_policy": listener.get("SslPolicy", "") if https else "",
        "tags": dict(tags),
        "timeouts": None,
    }


# --- Route53 ---------------------------------------------------------------------------


def route53_zone_attributes(
    zone: Mapping[str, Any], name_servers: list[str], tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    zone_id = str(zone["Id"]).rsplit("/", 1)[-1]
    return {
        "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
        "comment": (zone.get("Config") or {}).get("Comment", ""),
        "delegation_set_id": "",
        "force_destroy": False,
        "id": zone_id,
        "name": str(zone["Name"]).rstrip("."),
        "name_servers": sorted(name_servers),
        "primary_name_server": sorted(name_servers)[0] if name_servers else "",
        "tags": dict(tags or {}) or None,
        "vpc": [],
        "zone_id": zone_id,
    }


def route53_record_attributes(
    zone_id: str,
    name: str,
    record_type: str,
    ttl: int | None = None,
    records: list[str] | None = None,
    alias: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`name` as configured and fully qualified; TXT values without their quotes."""
    return {
        "alias": [dict(alias)] if alias else [],
        "allow_overwrite": None,
        "cidr_routing_policy": [],
        "failover_routing_policy": [],
        "fqdn": name,
        "geolocation_routing_policy": [],
        "geoproximity_routing_policy": [],
        "health_check_id": "",
        "id": f"{zone_id}_{name}_{record_type}",
        "latency_routing_policy": [],
        "multivalue_answer_routing_policy": False,
        "name": name,
        "records": sorted(records or []) or None,
        "set_identifier": "",
        "ttl": ttl if ttl is not None else 0,
        "type": record_type,
        "weighted_routing_policy": [],
        "zone_id": zone_id,
    }


def acm_certificate_attributes(live: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """What the provider records for a DNS-validated certificate (SANs without domain_name)."""
    domain = live["DomainName"]
    return {
        "arn": live["CertificateArn"],
        "certificate_authority_arn": "",
        "certificate_body": None,
        "certificate_chain": None,
        "domain_name": domain,
        "domain_validation_options": [
            {
                "domain_name": option["DomainName"],
                "resource_record_name": option["ResourceRecord"]["Name"],
                "resource_record_type": "CNAME",
                "resource_record_value": option["ResourceRecord"]["Value"],
            }
            for option in live["DomainValidationOptions"]
        ],
        "early_renewal_duration": "",
        "id": live["CertificateArn"],
        "key_algorithm": live["KeyAlgorithm"],
        "not_after": "",
        "not_before": "",
        "options": [{"certificate_transparency_logging_preference": "ENABLED"}],
        "pending_renewal": False,
        "private_key": None,
        "renewal_eligibility": "INELIGIBLE",
        "renewal_summary": [],
        "status": "PENDING_VALIDATION",
        "subject_alternative_names": sorted(set(live["SubjectAlternativeNames"]) - {domain}),
        "tags": dict(tags),
        "tags_all": dict(tags),
        "type": "AMAZON_ISSUED",
        "validation_emails": [],
        "validation_method": "DNS",
        "validation_option": [],
    }
