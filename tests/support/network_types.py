"""Terraform state attributes, AWS provider 5.x shape, for the types of
guard/live/resources/network.py: every attribute the provider writes, computed ones too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from guard.demo.state import vpc_attributes


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags") or [] if not t["Key"].startswith("aws:")}


def default_security_group_attributes(
    group: Mapping[str, Any],
    account: str,
    region: str,
    ingress: Sequence[Mapping[str, Any]],
    egress: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    group_id = group["GroupId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:security-group/{group_id}",
        "description": group.get("Description", "default VPC security group"),
        "egress": [dict(rule) for rule in egress],
        "id": group_id,
        "ingress": [dict(rule) for rule in ingress],
        "name": "default",
        "name_prefix": "",
        "owner_id": group.get("OwnerId", account),
        "revoke_rules_on_delete": False,
        "tags": _tags(group),
        "tags_all": _tags(group),
        "vpc_id": group.get("VpcId"),
    }


def default_vpc_attributes(vpc: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    attrs = vpc_attributes(vpc, account, region)
    attrs.update(existing_default_vpc=True, force_destroy=False, tags_all=_tags(vpc))
    attrs.pop("ipv4_ipam_pool_id", None)  # not in aws_default_vpc's schema
    attrs.pop("ipv4_netmask_length", None)
    return attrs


def default_route_table_attributes(
    table: Mapping[str, Any], account: str, region: str, routes: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    table_id = table["RouteTableId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:route-table/{table_id}",
        "default_route_table_id": table_id,
        "id": table_id,
        "owner_id": table.get("OwnerId", account),
        "propagating_vgws": [],
        "route": [dict(route) for route in routes],
        "tags": _tags(table),
        "tags_all": _tags(table),
        "timeouts": None,
        "vpc_id": table["VpcId"],
    }


def default_network_acl_attributes(
    acl: Mapping[str, Any],
    account: str,
    region: str,
    ingress: Sequence[Mapping[str, Any]],
    egress: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    acl_id = acl["NetworkAclId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:network-acl/{acl_id}",
        "default_network_acl_id": acl_id,
        "egress": [dict(entry) for entry in egress],
        "id": acl_id,
        "ingress": [dict(entry) for entry in ingress],
        "owner_id": acl.get("OwnerId", account),
        "subnet_ids": sorted(a["SubnetId"] for a in acl.get("Associations") or [] if a.get("SubnetId")),
        "tags": _tags(acl),
        "tags_all": _tags(acl),
        "vpc_id": acl["VpcId"],
    }


def vpc_endpoint_attributes(endpoint: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    endpoint_id = endpoint["VpcEndpointId"]
    kind = endpoint.get("VpcEndpointType", "Gateway")
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:vpc-endpoint/{endpoint_id}",
        "auto_accept": None,
        "cidr_blocks": [],
        "dns_entry": [],
        "dns_options": [],
        "id": endpoint_id,
        "ip_address_type": "",
        "network_interface_ids": list(endpoint.get("NetworkInterfaceIds") or []),
        "owner_id": endpoint.get("OwnerId", account),
        "policy": endpoint.get("PolicyDocument", ""),
        "prefix_list_id": "",
        "private_dns_enabled": bool(endpoint.get("PrivateDnsEnabled")) if kind == "Interface" else False,
        "requester_managed": bool(endpoint.get("RequesterManaged")),
        "resource_configuration_arn": "",
        "route_table_ids": sorted(endpoint.get("RouteTableIds") or []),
        "security_group_ids": sorted(g["GroupId"] for g in endpoint.get("Groups") or []),
        "service_name": endpoint["ServiceName"],
        "service_network_arn": "",
        "service_region": region,
        "state": endpoint.get("State", "available"),
        "subnet_configuration": [],
        "subnet_ids": sorted(endpoint.get("SubnetIds") or []),
        "tags": _tags(endpoint),
        "tags_all": _tags(endpoint),
        "timeouts": None,
        "vpc_endpoint_type": kind,
        "vpc_id": endpoint["VpcId"],
    }


def vpc_peering_connection_attributes(peering: Mapping[str, Any]) -> dict[str, Any]:
    requester, accepter = peering["RequesterVpcInfo"], peering["AccepterVpcInfo"]

    def options(info: Mapping[str, Any]) -> list[dict[str, Any]]:
        found = info.get("PeeringOptions")
        return (
            [{"allow_remote_vpc_dns_resolution": found["AllowDnsResolutionFromRemoteVpc"]}] if found else []
        )

    return {
        "accept_status": peering["Status"]["Code"],
        "accepter": options(accepter),
        "auto_accept": True,
        "id": peering["VpcPeeringConnectionId"],
        "peer_owner_id": accepter["OwnerId"],
        "peer_region": accepter.get("Region", ""),
        "peer_vpc_id": accepter["VpcId"],
        "requester": options(requester),
        "tags": _tags(peering),
        "tags_all": _tags(peering),
        "timeouts": None,
        "vpc_id": requester["VpcId"],
    }


def eip_association_attributes(address: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "allocation_id": address["AllocationId"],
        "allow_reassociation": None,
        "id": address["AssociationId"],
        "instance_id": address.get("InstanceId", ""),
        "network_interface_id": address.get("NetworkInterfaceId", ""),
        "private_ip_address": address.get("PrivateIpAddress", ""),
        "public_ip": address.get("PublicIp", ""),
    }


def route_table_association_attributes(association: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "gateway_id": association.get("GatewayId", ""),
        "id": association["RouteTableAssociationId"],
        "route_table_id": association["RouteTableId"],
        "subnet_id": association.get("SubnetId", ""),
        "timeouts": None,
    }


def dhcp_options_attributes(options: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    values = {
        c["Key"]: [v["Value"] for v in c.get("Values") or []] for c in options.get("DhcpConfigurations") or []
    }
    options_id = options["DhcpOptionsId"]
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:dhcp-options/{options_id}",
        "domain_name": (values.get("domain-name") or [""])[0],
        "domain_name_servers": values.get("domain-name-servers", []),
        "id": options_id,
        "ipv6_address_preferred_lease_time": (values.get("ipv6-address-preferred-lease-time") or [""])[0],
        "netbios_name_servers": values.get("netbios-name-servers", []),
        "netbios_node_type": (values.get("netbios-node-type") or [""])[0],
        "ntp_servers": values.get("ntp-servers", []),
        "owner_id": options.get("OwnerId", account),
        "tags": _tags(options),
        "tags_all": _tags(options),
    }


def flow_log_attributes(flow_log: Mapping[str, Any], account: str, region: str) -> dict[str, Any]:
    """aws_flow_log to a CloudWatch Logs group: the provider stores the group's ARN as log_destination."""
    flow_id, source = flow_log["FlowLogId"], flow_log["ResourceId"]
    group = flow_log.get("LogGroupName", "")
    return {
        "arn": f"arn:aws:ec2:{region}:{account}:vpc-flow-log/{flow_id}",
        "deliver_cross_account_role": "",
        "destination_options": [],
        "eni_id": source if source.startswith("eni-") else None,
        "iam_role_arn": flow_log.get("DeliverLogsPermissionArn", ""),
        "id": flow_id,
        "log_destination": flow_log.get("LogDestination")
        or f"arn:aws:logs:{region}:{account}:log-group:{group}",
        "log_destination_type": flow_log.get("LogDestinationType", "cloud-watch-logs"),
        "log_format": flow_log.get("LogFormat", ""),
        "log_group_name": group,
        "max_aggregation_interval": flow_log.get("MaxAggregationInterval", 600),
        "subnet_id": source if source.startswith("subnet-") else None,
        "tags": _tags(flow_log),
        "tags_all": _tags(flow_log),
        "traffic_type": flow_log["TrafficType"],
        "transit_gateway_attachment_id": None,
        "transit_gateway_id": None,
        "vpc_id": source if source.startswith("vpc-") else None,
    }


def transit_gateway_attributes(gateway: Mapping[str, Any]) -> dict[str, Any]:
    options = gateway["Options"]
    return {
        "amazon_side_asn": options["AmazonSideAsn"],
        "arn": gateway["TransitGatewayArn"],
        "association_default_route_table_id": options.get("AssociationDefaultRouteTableId", ""),
        "auto_accept_shared_attachments": options["AutoAcceptSharedAttachments"],
        "default_route_table_association": options["DefaultRouteTableAssociation"],
        "default_route_table_propagation": options["DefaultRouteTablePropagation"],
        "description": gateway.get("Description", ""),
        "dns_support": options["DnsSupport"],
        "id": gateway["TransitGatewayId"],
        "multicast_support": options.get("MulticastSupport", "disable"),
        "owner_id": gateway["OwnerId"],
        "propagation_default_route_table_id": options.get("PropagationDefaultRouteTableId", ""),
        "security_group_referencing_support": options.get("SecurityGroupReferencingSupport", "disable"),
        "tags": _tags(gateway),
        "tags_all": _tags(gateway),
        "timeouts": None,
        "transit_gateway_cidr_blocks": list(options.get("TransitGatewayCidrBlocks") or []),
        "vpn_ecmp_support": options["VpnEcmpSupport"],
    }
