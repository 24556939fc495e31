"""An embedded AWS emulator (moto's server) and Terraform state written the way `apply` writes it.

Used by `guard demo` and by the tests: resources are created through the real AWS API
on the emulator, then recorded in a format-version-4 state with the attribute shapes
of the AWS provider 5.x, so the scan reads what it would read in production.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@contextlib.contextmanager
def moto_server(region: str = "us-east-1") -> Iterator[str]:
    """Start moto's server on 127.0.0.1 (a free port) and point the boto3 chain at it."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # the demo extra is not installed
        from guard.errors import InputError

        raise InputError(
            "guard demo",
            "needs the AWS emulator",
            "install it with: pip install 'change-guard[demo]'",
        ) from exc
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its emulated AWS in process-wide memory: start every server from empty.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).close()
    saved = {
        key: os.environ.get(key) for key in (*FAKE_CREDENTIALS, "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION")
    }
    os.environ.update(FAKE_CREDENTIALS, AWS_ENDPOINT_URL=endpoint, AWS_DEFAULT_REGION=region)
    try:
        yield endpoint
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        server.stop()


def machine_image(ec2: Any) -> str:
    """An Amazon Linux image id from the emulator's catalogue, asked for by name: the whole
    catalogue is over a thousand images and takes seconds to describe."""
    named = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*-x86_64-gp2"]}]
    )["Images"]
    images = named or ec2.describe_images(Owners=["amazon"])["Images"]
    return str(images[0]["ImageId"])


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


def vpc_rule_attributes(rule: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    """aws_vpc_security_group_ingress_rule / _egress_rule from a DescribeSecurityGroupRules item."""
    rule_id = rule["SecurityGroupRuleId"]
    protocol = rule["IpProtocol"]
    all_traffic = protocol == "-1"
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:security-group-rule/{rule_id}",
        "cidr_ipv4": rule.get("CidrIpv4"),
        "cidr_ipv6": rule.get("CidrIpv6"),
        "description": rule.get("Description"),
        "from_port": None if all_traffic else rule.get("FromPort"),
        "id": rule_id,
        "ip_protocol": protocol,
        "prefix_list_id": rule.get("PrefixListId"),
        "referenced_security_group_id": (rule.get("ReferencedGroupInfo") or {}).get("GroupId"),
        "security_group_id": rule["GroupId"],
        "security_group_rule_id": rule_id,
        "tags": _tags(rule) or None,
        "tags_all": _tags(rule),
        "to_port": None if all_traffic else rule.get("ToPort"),
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
