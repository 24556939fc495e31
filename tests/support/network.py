"""Terraform state attributes, AWS provider 5.x shape, for the VPC extras, the
standalone security group rules and the ELBv2 listener rules the type cases build.

Each builder takes what the AWS API returned for a resource `terraform apply` made and
returns every attribute the provider writes to state, computed ones included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ROUTE_TARGETS = (
    "carrier_gateway_id",
    "core_network_arn",
    "egress_only_gateway_id",
    "gateway_id",
    "local_gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "transit_gateway_id",
    "vpc_endpoint_id",
    "vpc_peering_connection_id",
)


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags") or [] if not t["Key"].startswith("aws:")}


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


def route_block(cidr_block: str = "", ipv6_cidr_block: str = "", **targets: str) -> dict[str, Any]:
    """One `route` block of aws_route_table, all 13 keys, as the provider stores it."""
    block = {
        "carrier_gateway_id": "",
        "cidr_block": cidr_block,
        "core_network_arn": "",
        "destination_prefix_list_id": "",
        "egress_only_gateway_id": "",
        "gateway_id": "",
        "ipv6_cidr_block": ipv6_cidr_block,
        "local_gateway_id": "",
        "nat_gateway_id": "",
        "network_interface_id": "",
        "transit_gateway_id": "",
        "vpc_endpoint_id": "",
        "vpc_peering_connection_id": "",
    }
    block.update(targets)
    return block


def route_table_attributes(
    table: Mapping[str, Any], account: str, region: str, routes: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    table_id = table["RouteTableId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:route-table/{table_id}",
        "id": table_id,
        "owner_id": table.get("OwnerId", account),
        "propagating_vgws": [],
        "route": [dict(r) for r in routes],
        "tags": _tags(table),
        "timeouts": None,
        "vpc_id": table["VpcId"],
    }


def route_attributes(route_id: str, route_table_id: str, route: Mapping[str, Any]) -> dict[str, Any]:
    """aws_route from a DescribeRouteTables route; `id` is the provider's r-<table><hash>."""
    fields = {
        "carrier_gateway_id": "CarrierGatewayId",
        "core_network_arn": "CoreNetworkArn",
        "egress_only_gateway_id": "EgressOnlyInternetGatewayId",
        "gateway_id": "GatewayId",
        "local_gateway_id": "LocalGatewayId",
        "nat_gateway_id": "NatGatewayId",
        "network_interface_id": "NetworkInterfaceId",
        "transit_gateway_id": "TransitGatewayId",
        "vpc_endpoint_id": "VpcEndpointId",
        "vpc_peering_connection_id": "VpcPeeringConnectionId",
    }
    attrs: dict[str, Any] = {name: route.get(field, "") for name, field in fields.items()}
    attrs.update(
        destination_cidr_block=route.get("DestinationCidrBlock", ""),
        destination_ipv6_cidr_block=route.get("DestinationIpv6CidrBlock", ""),
        destination_prefix_list_id=route.get("DestinationPrefixListId", ""),
        id=route_id,
        instance_id=route.get("InstanceId", ""),
        instance_owner_id=route.get("InstanceOwnerId", ""),
        origin=route.get("Origin", "CreateRoute"),
        route_table_id=route_table_id,
        state=route.get("State", "active"),
        timeouts=None,
    )
    return dict(sorted(attrs.items()))


def internet_gateway_attributes(gateway: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    gateway_id = gateway["InternetGatewayId"]
    attachments = gateway.get("Attachments") or []
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:internet-gateway/{gateway_id}",
        "id": gateway_id,
        "owner_id": gateway.get("OwnerId", account),
        "tags": _tags(gateway),
        "timeouts": None,
        "vpc_id": attachments[0]["VpcId"] if attachments else "",
    }


def nat_gateway_attributes(nat: Mapping[str, Any]) -> dict[str, Any]:
    addresses = nat.get("NatGatewayAddresses") or [{}]
    primary = addresses[0]
    return {
        "allocation_id": primary.get("AllocationId", ""),
        "association_id": primary.get("AssociationId", ""),
        "connectivity_type": nat.get("ConnectivityType", "public"),
        "id": nat["NatGatewayId"],
        "network_interface_id": primary.get("NetworkInterfaceId", ""),
        "private_ip": primary.get("PrivateIp", ""),
        "public_ip": primary.get("PublicIp", ""),
        "secondary_allocation_ids": [],
        "secondary_private_ip_address_count": 0,
        "secondary_private_ip_addresses": [],
        "subnet_id": nat["SubnetId"],
        "tags": _tags(nat),
        "timeouts": None,
    }


def acl_rule_block(
    rule_no: int,
    action: str,
    protocol: str,
    cidr_block: str = "",
    from_port: int = 0,
    to_port: int = 0,
    ipv6_cidr_block: str = "",
    icmp_type: int = 0,
    icmp_code: int = 0,
) -> dict[str, Any]:
    """One `ingress`/`egress` entry of aws_network_acl: the provider records protocol numbers."""
    return {
        "action": action,
        "cidr_block": cidr_block,
        "from_port": from_port,
        "icmp_code": icmp_code,
        "icmp_type": icmp_type,
        "ipv6_cidr_block": ipv6_cidr_block,
        "protocol": protocol,
        "rule_no": rule_no,
        "to_port": to_port,
    }


def network_acl_attributes(
    acl: Mapping[str, Any],
    account: str,
    region: str,
    ingress: Sequence[Mapping[str, Any]],
    egress: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    acl_id = acl["NetworkAclId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:network-acl/{acl_id}",
        "egress": [dict(e) for e in egress],
        "id": acl_id,
        "ingress": [dict(e) for e in ingress],
        "owner_id": acl.get("OwnerId", account),
        "subnet_ids": sorted(a["SubnetId"] for a in acl.get("Associations") or [] if a.get("SubnetId")),
        "tags": _tags(acl),
        "vpc_id": acl["VpcId"],
    }


def eip_attributes(address: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    allocation = address["AllocationId"]
    public_ip = address.get("PublicIp", "")
    return {
        "address": None,
        "allocation_id": allocation,
        "arn": f"arn:aws:ec2:{region}:{account}:elastic-ip/{allocation}",
        "associate_with_private_ip": None,
        "association_id": address.get("AssociationId", ""),
        "carrier_ip": "",
        "customer_owned_ip": "",
        "customer_owned_ipv4_pool": "",
        "domain": address.get("Domain", "vpc"),
        "id": allocation,
        "instance": address.get("InstanceId", ""),
        "ipam_pool_id": None,
        "network_border_group": address.get("NetworkBorderGroup", region),
        "network_interface": address.get("NetworkInterfaceId", ""),
        "private_dns": None,
        "private_ip": address.get("PrivateIpAddress", ""),
        "ptr_record": "",
        "public_dns": f"ec2-{public_ip.replace('.', '-')}.compute-1.amazonaws.com",
        "public_ip": public_ip,
        "public_ipv4_pool": address.get("PublicIpv4Pool", "amazon"),
        "tags": _tags(address),
        "timeouts": None,
        "vpc": True,
    }


def ebs_volume_attributes(volume: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    volume_id = volume["VolumeId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:volume/{volume_id}",
        "availability_zone": volume["AvailabilityZone"],
        "encrypted": bool(volume.get("Encrypted")),
        "final_snapshot": False,
        "id": volume_id,
        "iops": volume.get("Iops", 0),
        "kms_key_id": volume.get("KmsKeyId", ""),
        "multi_attach_enabled": bool(volume.get("MultiAttachEnabled")),
        "outpost_arn": "",
        "size": volume["Size"],
        "snapshot_id": volume.get("SnapshotId", ""),
        "tags": _tags(volume),
        "throughput": volume.get("Throughput", 0),
        "timeouts": None,
        "type": volume.get("VolumeType", "gp2"),
    }


def launch_template_attributes(
    template: Mapping[str, Any], data: Mapping[str, Any], account: str, region: str
) -> dict[str, Any]:
    """aws_launch_template; `data` is the LaunchTemplateData of its latest version."""
    template_id = template["LaunchTemplateId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:launch-template/{template_id}",
        "block_device_mappings": [],
        "capacity_reservation_specification": [],
        "cpu_options": [],
        "credit_specification": [],
        "default_version": template["DefaultVersionNumber"],
        "description": "",
        "disable_api_stop": False,
        "disable_api_termination": False,
        "ebs_optimized": "",
        "elastic_gpu_specifications": [],
        "elastic_inference_accelerator": [],
        "enclave_options": [],
        "hibernation_options": [],
        "iam_instance_profile": [],
        "id": template_id,
        "image_id": data.get("ImageId", ""),
        "instance_initiated_shutdown_behavior": "",
        "instance_market_options": [],
        "instance_requirements": [],
        "instance_type": data.get("InstanceType", ""),
        "kernel_id": "",
        "key_name": data.get("KeyName", ""),
        "latest_version": template["LatestVersionNumber"],
        "license_specification": [],
        "maintenance_options": [],
        "metadata_options": [],
        "monitoring": [],
        "name": template["LaunchTemplateName"],
        "name_prefix": "",
        "network_interfaces": [],
        "placement": [],
        "private_dns_name_options": [],
        "ram_disk_id": "",
        "security_group_names": [],
        "tag_specifications": [],
        "tags": _tags(template),
        "update_default_version": None,
        "user_data": "",
        "vpc_security_group_ids": sorted(data.get("SecurityGroupIds") or []),
    }


def key_pair_attributes(key: Mapping[str, Any], public_key: str, account: str, region: str) -> dict[str, Any]:
    """aws_key_pair; Terraform's `id` is the key's name."""
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:key-pair/{key['KeyName']}",
        "fingerprint": key["KeyFingerprint"],
        "id": key["KeyName"],
        "key_name": key["KeyName"],
        "key_name_prefix": "",
        "key_pair_id": key["KeyPairId"],
        "key_type": key.get("KeyType", "rsa"),
        "public_key": public_key,
        "tags": _tags(key),
    }


def condition_block(**config: Sequence[str]) -> dict[str, Any]:
    """One `condition` block; pass e.g. path_pattern=["/api/*"]."""
    block: dict[str, Any] = {
        "host_header": [],
        "http_header": [],
        "http_request_method": [],
        "path_pattern": [],
        "query_string": [],
        "source_ip": [],
    }
    for name, values in config.items():
        block[name] = [{"values": list(values)}]
    return block


def listener_rule_attributes(
    rule: Mapping[str, Any],
    listener_arn: str,
    actions: Sequence[Mapping[str, Any]],
    conditions: Sequence[Mapping[str, Any]],
    tags: Mapping[str, str],
) -> dict[str, Any]:
    arn = rule["RuleArn"]
    return {
        "action": [dict(a) for a in actions],
        "arn": arn,
        "condition": [dict(c) for c in conditions],
        "id": arn,
        "listener_arn": listener_arn,
        "priority": int(rule["Priority"]),
        "tags": dict(tags),
    }
