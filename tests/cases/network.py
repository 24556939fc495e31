"""Cases for the network types of guard/live/resources/network.py, and the elastic IP's
association (disassociated in the console, put back by associate-address)."""

from __future__ import annotations

from typing import Any

import boto3

from guard.demo.state import TerraformState, rule_block, subnet_attributes, vpc_attributes
from guard.live.resources.vpc import terraform_route_id
from tests.cases import Context, Expected, TypeCase
from tests.cases.ec2 import build_instance
from tests.support.netedge import declare_appliance_interface
from tests.support.network import (
    acl_rule_block,
    eip_attributes,
    internet_gateway_attributes,
    route_block,
    route_table_attributes,
)
from tests.support.network_types import (
    default_network_acl_attributes,
    default_route_table_attributes,
    default_security_group_attributes,
    default_vpc_attributes,
    dhcp_options_attributes,
    eip_association_attributes,
    flow_log_attributes,
    route_table_association_attributes,
    transit_gateway_attributes,
    vpc_endpoint_attributes,
    vpc_peering_connection_attributes,
)

REGION = "us-east-1"


def _ec2(session: boto3.Session) -> Any:
    return session.client("ec2", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


def build_associated_eip(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An instance and the elastic IP associated with it (aws_eip's `instance`)."""
    build_instance(session, state, ctx)
    ec2 = _ec2(session)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ctx["allocation_id"] = allocation
    ctx["association_id"] = ec2.associate_address(AllocationId=allocation, InstanceId=ctx["instance_id"])[
        "AssociationId"
    ]
    address = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    state.add("aws_eip", "worker", eip_attributes(address, _account(session), REGION))


def _disassociate(session: boto3.Session, ctx: Context) -> None:
    ec2 = _ec2(session)
    address = ec2.describe_addresses(AllocationIds=[ctx["allocation_id"]])["Addresses"][0]
    ec2.disassociate_address(AssociationId=address["AssociationId"])


def _in_vpc(
    session: boto3.Session, state: TerraformState, ctx: Context, describe: str, items: str
) -> dict[str, Any]:
    """The default resource AWS made with a new VPC (in state too)."""
    ec2 = _ec2(session)
    if "vpc_id" not in ctx:
        vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]
        ctx["vpc_id"] = vpc["VpcId"]
        state.add("aws_vpc", "core", vpc_attributes(vpc, _account(session), REGION))
    found = getattr(ec2, describe)(Filters=[{"Name": "vpc-id", "Values": [ctx["vpc_id"]]}])[items]
    return dict(found[0])


def build_default_security_group(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Adopted as Terraform's docs advise: no ingress, all traffic out."""
    ec2 = _ec2(session)
    group = _in_vpc(session, state, ctx, "describe_security_groups", "SecurityGroups")
    ctx["group_id"] = group["GroupId"]
    # A fresh default group lets its own members in; the adopted one declares no ingress.
    for permission in group.get("IpPermissions") or []:
        ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=[permission])
    egress = [rule_block("-1", 0, 0, cidr_blocks=("0.0.0.0/0",))]
    state.add(
        "aws_default_security_group",
        "default",
        default_security_group_attributes(group, _account(session), REGION, [], egress),
    )


def _open_ssh(session: boto3.Session, ctx: Context) -> None:
    answer = _ec2(session).authorize_security_group_ingress(
        GroupId=ctx["group_id"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        ],
    )
    ctx["rule_id"] = answer["SecurityGroupRules"][0]["SecurityGroupRuleId"]


def _rename(id_key: str) -> Any:
    def edit(session: boto3.Session, ctx: Context) -> None:
        _ec2(session).create_tags(Resources=[ctx[id_key]], Tags=[{"Key": "Name", "Value": "renamed"}])

    return edit


def build_dhcp_options(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A corporate DHCP options set (declared for VPCs the corporate resolver serves)."""
    ec2 = _ec2(session)
    options = ec2.create_dhcp_options(
        DhcpConfigurations=[
            {"Key": "domain-name", "Values": ["corp.example.com"]},
            {"Key": "domain-name-servers", "Values": ["10.0.0.2", "10.0.0.3"]},
        ],
        TagSpecifications=[{"ResourceType": "dhcp-options", "Tags": [{"Key": "Name", "Value": "corp"}]}],
    )["DhcpOptions"]
    ctx["dhcp_options_id"] = options["DhcpOptionsId"]
    live = ec2.describe_dhcp_options(DhcpOptionsIds=[options["DhcpOptionsId"]])["DhcpOptions"][0]
    state.add("aws_vpc_dhcp_options", "corp", dhcp_options_attributes(live, _account(session), REGION))


def build_default_vpc(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = _ec2(session)
    build_dhcp_options(session, state, ctx)
    vpc = next(v for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
    ctx["default_vpc_id"] = vpc["VpcId"]
    state.add("aws_default_vpc", "default", default_vpc_attributes(vpc, _account(session), REGION))


def _other_dhcp_options(session: boto3.Session, ctx: Context) -> None:
    """The default VPC moved onto the corporate set, meant for other VPCs."""
    _ec2(session).associate_dhcp_options(VpcId=ctx["default_vpc_id"], DhcpOptionsId=ctx["dhcp_options_id"])


def build_default_route_table(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """The main route table, adopted with a default route through an internet gateway."""
    ec2 = _ec2(session)
    table = _in_vpc(session, state, ctx, "describe_route_tables", "RouteTables")
    ctx["route_table_id"] = table["RouteTableId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=ctx["vpc_id"])
    ctx["igw_id"] = gateway
    live = ec2.describe_internet_gateways(InternetGatewayIds=[gateway])["InternetGateways"][0]
    state.add("aws_internet_gateway", "core", internet_gateway_attributes(live, _account(session), REGION))
    ec2.create_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    routes = [route_block(cidr_block="0.0.0.0/0", gateway_id=gateway)]
    state.add(
        "aws_default_route_table",
        "main",
        default_route_table_attributes(table, _account(session), REGION, routes),
    )


def _add_main_route(session: boto3.Session, ctx: Context) -> None:
    _ec2(session).create_route(
        RouteTableId=ctx["route_table_id"], DestinationCidrBlock="198.51.100.0/24", GatewayId=ctx["igw_id"]
    )
    ctx["route_id"] = terraform_route_id(ctx["route_table_id"], "198.51.100.0/24")


def build_default_network_acl(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Adopted as AWS made it: everything allowed in and out."""
    acl = _in_vpc(session, state, ctx, "describe_network_acls", "NetworkAcls")
    ctx["acl_id"] = acl["NetworkAclId"]
    allow_all = [acl_rule_block(100, "allow", "-1", "0.0.0.0/0")]
    state.add(
        "aws_default_network_acl",
        "default",
        default_network_acl_attributes(acl, _account(session), REGION, allow_all, allow_all),
    )


def _deny_ssh(session: boto3.Session, ctx: Context) -> None:
    _ec2(session).create_network_acl_entry(
        NetworkAclId=ctx["acl_id"],
        RuleNumber=90,
        Protocol="6",
        RuleAction="deny",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 22, "To": 22},
    )


def _vpc(session: boto3.Session, state: TerraformState, name: str, cidr: str) -> str:
    vpc = _ec2(session).create_vpc(CidrBlock=cidr)["Vpc"]
    state.add("aws_vpc", name, vpc_attributes(vpc, _account(session), REGION))
    return str(vpc["VpcId"])


def build_vpc_endpoint(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """An S3 gateway endpoint on the private route table; a second table without it."""
    ec2, account = _ec2(session), _account(session)
    ctx["vpc_id"] = _vpc(session, state, "core", "10.6.0.0/16")
    for name in ("private", "spare"):
        table = ec2.create_route_table(VpcId=ctx["vpc_id"])["RouteTable"]
        ctx[f"{name}_table"] = table["RouteTableId"]
        state.add("aws_route_table", name, route_table_attributes(table, account, REGION, []))
    endpoint = ec2.create_vpc_endpoint(
        VpcId=ctx["vpc_id"],
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[ctx["private_table"]],
        TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": "s3"}]}],
    )["VpcEndpoint"]
    ctx["endpoint_id"] = endpoint["VpcEndpointId"]
    live = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint["VpcEndpointId"]])["VpcEndpoints"][0]
    state.add("aws_vpc_endpoint", "s3", vpc_endpoint_attributes(live, account, REGION))


def _move_endpoint(session: boto3.Session, ctx: Context) -> None:
    _ec2(session).modify_vpc_endpoint(
        VpcEndpointId=ctx["endpoint_id"],
        AddRouteTableIds=[ctx["spare_table"]],
        RemoveRouteTableIds=[ctx["private_table"]],
    )


def _another_endpoint(session: boto3.Session, ctx: Context) -> str:
    return str(
        _ec2(session).create_vpc_endpoint(
            VpcId=ctx["vpc_id"],
            ServiceName=f"com.amazonaws.{REGION}.dynamodb",
            VpcEndpointType="Gateway",  # moto cannot delete an endpoint created without its type
            RouteTableIds=[ctx["spare_table"]],
        )["VpcEndpoint"]["VpcEndpointId"]
    )


def build_peering(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Two VPCs of one account peered, accepted as auto_accept does."""
    ec2 = _ec2(session)
    ctx["vpc_id"] = _vpc(session, state, "app", "10.7.0.0/16")
    ctx["peer_vpc_id"] = _vpc(session, state, "shared", "10.8.0.0/16")
    peering = ec2.create_vpc_peering_connection(
        VpcId=ctx["vpc_id"],
        PeerVpcId=ctx["peer_vpc_id"],
        TagSpecifications=[
            {"ResourceType": "vpc-peering-connection", "Tags": [{"Key": "Name", "Value": "app"}]}
        ],
    )["VpcPeeringConnection"]
    ctx["peering_id"] = peering["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=ctx["peering_id"])
    live = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[ctx["peering_id"]])
    state.add(
        "aws_vpc_peering_connection",
        "app_shared",
        vpc_peering_connection_attributes(live["VpcPeeringConnections"][0]),
    )


def _another_peering(session: boto3.Session, ctx: Context) -> str:
    return str(
        _ec2(session).create_vpc_peering_connection(VpcId=ctx["peer_vpc_id"], PeerVpcId=ctx["vpc_id"])[
            "VpcPeeringConnection"
        ]["VpcPeeringConnectionId"]
    )


def build_eip_association(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """aws_eip written before the association made it (the first apply's state), and the association."""
    build_instance(session, state, ctx)
    ec2, account = _ec2(session), _account(session)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ctx["allocation_id"] = allocation
    unassociated = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    state.add("aws_eip", "worker", eip_attributes(unassociated, account, REGION))
    ctx["association_id"] = ec2.associate_address(AllocationId=allocation, InstanceId=ctx["instance_id"])[
        "AssociationId"
    ]
    address = ec2.describe_addresses(AllocationIds=[allocation])["Addresses"][0]
    state.add("aws_eip_association", "worker", eip_association_attributes(address))


def build_eip_association_and_appliance(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_eip_association(session, state, ctx)
    declare_appliance_interface(session, state, ctx, REGION)


def _associate_elsewhere(session: boto3.Session, ctx: Context) -> None:
    """The address moved to an appliance's interface (declared: aws_network_interface.appliance)."""
    ctx["association_id"] = _ec2(session).associate_address(
        AllocationId=ctx["allocation_id"], NetworkInterfaceId=ctx["appliance_eni"], AllowReassociation=True
    )["AssociationId"]


def build_route_table_association(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Two subnets; the first is associated with the private table, the second with none."""
    ec2, account = _ec2(session), _account(session)
    ctx["vpc_id"] = _vpc(session, state, "core", "10.9.0.0/16")
    for index, cidr in enumerate(("10.9.1.0/24", "10.9.2.0/24")):
        subnet = ec2.create_subnet(VpcId=ctx["vpc_id"], CidrBlock=cidr, AvailabilityZone=f"{REGION}a")[
            "Subnet"
        ]
        ctx[f"subnet_{index}"] = subnet["SubnetId"]
        state.add("aws_subnet", "private", subnet_attributes(subnet, account), index_key=index)
    for name in ("private", "isolated"):
        table = ec2.create_route_table(VpcId=ctx["vpc_id"])["RouteTable"]
        ctx[f"{name}_table"] = table["RouteTableId"]
        state.add("aws_route_table", name, route_table_attributes(table, account, REGION, []))
    ctx["association_id"] = ec2.associate_route_table(
        RouteTableId=ctx["private_table"], SubnetId=ctx["subnet_0"]
    )["AssociationId"]
    table = ec2.describe_route_tables(RouteTableIds=[ctx["private_table"]])["RouteTables"][0]
    association = next(
        a for a in table["Associations"] if a["RouteTableAssociationId"] == ctx["association_id"]
    )
    state.add(
        "aws_route_table_association",
        "private",
        route_table_association_attributes({**association, "RouteTableId": ctx["private_table"]}),
        index_key=0,
    )


def _associate_second_subnet(session: boto3.Session, ctx: Context) -> str:
    return str(
        _ec2(session).associate_route_table(RouteTableId=ctx["private_table"], SubnetId=ctx["subnet_1"])[
            "AssociationId"
        ]
    )


def _move_subnet(session: boto3.Session, ctx: Context) -> None:
    ctx["association_id"] = _ec2(session).replace_route_table_association(
        AssociationId=ctx["association_id"], RouteTableId=ctx["isolated_table"]
    )["NewAssociationId"]


def _flow_log(session: boto3.Session, ctx: Context, traffic: str, group: str = "/vpc/core") -> str:
    answer = _ec2(session).create_flow_logs(
        ResourceIds=[ctx["vpc_id"]],
        ResourceType="VPC",
        TrafficType=traffic,
        LogDestinationType="cloud-watch-logs",
        LogGroupName=group,
        DeliverLogsPermissionArn=f"arn:aws:iam::{_account(session)}:role/vpc-flow-logs",
        TagSpecifications=[{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "Name", "Value": traffic}]}],
    )
    return str(answer["FlowLogIds"][0])


def build_flow_log(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """Rejected traffic of the VPC to a log group: what a security review asks for."""
    ec2 = _ec2(session)
    ctx["vpc_id"] = _vpc(session, state, "core", "10.10.0.0/16")
    ctx["flow_log_id"] = _flow_log(session, ctx, "REJECT")
    live = ec2.describe_flow_logs(FlowLogIds=[ctx["flow_log_id"]])["FlowLogs"][0]
    state.add("aws_flow_log", "core", flow_log_attributes(live, _account(session), REGION))


def build_transit_gateway(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = _ec2(session)
    gateway = ec2.create_transit_gateway(
        Description="core",
        Options={"AmazonSideAsn": 64512, "DnsSupport": "enable"},
        TagSpecifications=[{"ResourceType": "transit-gateway", "Tags": [{"Key": "Name", "Value": "core"}]}],
    )["TransitGateway"]
    ctx["tgw_id"] = gateway["TransitGatewayId"]
    live = ec2.describe_transit_gateways(TransitGatewayIds=[ctx["tgw_id"]])["TransitGateways"][0]
    state.add("aws_ec2_transit_gateway", "core", transit_gateway_attributes(live))


CASES = [
    TypeCase(
        "aws_eip",
        build=build_associated_eip,
        drift=_disassociate,
        expected=Expected(
            "changed", "aws_eip", "allocation_id", "aws_eip.worker", paths=("instance", "network_interface")
        ),
    ),
    TypeCase(
        "aws_default_security_group",
        build=build_default_security_group,
        drift=_rename("group_id"),
        expected=Expected(
            "changed",
            "aws_default_security_group",
            "group_id",
            "aws_default_security_group.default",
            paths=("tags.Name",),
        ),
    ),
    # A rule or route added to an adopted default is drift: Terraform enforces the whole list.
    TypeCase(
        "aws_vpc_security_group_ingress_rule",
        build=build_default_security_group,
        drift=_open_ssh,
        expected=Expected(
            "unmanaged",
            "aws_vpc_security_group_ingress_rule",
            "rule_id",
            "aws_default_security_group.default",
            title_has="ingress tcp/22 from 0.0.0.0/0 was added outside Terraform",
        ),
    ),
    TypeCase(
        "aws_default_vpc",
        build=build_default_vpc,
        drift=_other_dhcp_options,
        expected=Expected(
            "changed",
            "aws_default_vpc",
            "default_vpc_id",
            "aws_default_vpc.default",
            paths=("dhcp_options_id",),
        ),
    ),
    TypeCase(
        "aws_default_vpc",
        build=build_default_vpc,
        drift=_rename("default_vpc_id"),
        expected=Expected(
            "changed", "aws_default_vpc", "default_vpc_id", "aws_default_vpc.default", paths=("tags.Name",)
        ),
    ),
    TypeCase(
        "aws_default_route_table",
        build=build_default_route_table,
        drift=_rename("route_table_id"),
        expected=Expected(
            "changed",
            "aws_default_route_table",
            "route_table_id",
            "aws_default_route_table.main",
            paths=("tags.Name",),
        ),
    ),
    TypeCase(
        "aws_route",
        build=build_default_route_table,
        drift=_add_main_route,
        expected=Expected(
            "unmanaged",
            "aws_route",
            "route_id",
            "aws_default_route_table.main",
            title_has="route 198.51.100.0/24 via igw-",
        ),
    ),
    TypeCase(
        "aws_default_network_acl",
        build=build_default_network_acl,
        drift=_deny_ssh,
        expected=Expected(
            "changed",
            "aws_default_network_acl",
            "acl_id",
            "aws_default_network_acl.default",
            paths=("ingress",),
        ),
    ),
    TypeCase(
        "aws_default_network_acl",
        build=build_default_network_acl,
        drift=_rename("acl_id"),
        expected=Expected(
            "changed",
            "aws_default_network_acl",
            "acl_id",
            "aws_default_network_acl.default",
            paths=("tags.Name",),
        ),
    ),
    TypeCase(
        "aws_vpc_endpoint",
        build=build_vpc_endpoint,
        drift=_move_endpoint,
        expected=Expected(
            "changed", "aws_vpc_endpoint", "endpoint_id", "aws_vpc_endpoint.s3", paths=("route_table_ids",)
        ),
        unmanaged=_another_endpoint,
        unmanaged_type="aws_vpc_endpoint",
    ),
    TypeCase(
        "aws_vpc_peering_connection",
        build=build_peering,
        drift=_rename("peering_id"),
        expected=Expected(
            "changed",
            "aws_vpc_peering_connection",
            "peering_id",
            "aws_vpc_peering_connection.app_shared",
            paths=("tags.Name",),
        ),
        unmanaged=_another_peering,
        unmanaged_type="aws_vpc_peering_connection",
    ),
    TypeCase(
        "aws_vpc_peering_connection",
        build=build_peering,
        drift=lambda s, c: _ec2(s).delete_vpc_peering_connection(VpcPeeringConnectionId=c["peering_id"]),
        expected=Expected(
            "missing",
            "aws_vpc_peering_connection",
            "peering_id",
            "aws_vpc_peering_connection.app_shared",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_eip_association",
        build=build_eip_association,
        drift=_disassociate,
        expected=Expected(
            "missing",
            "aws_eip_association",
            "association_id",
            "aws_eip_association.worker",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_eip_association",
        build=build_eip_association_and_appliance,
        drift=_associate_elsewhere,
        expected=Expected(
            "changed",
            "aws_eip_association",
            "association_id",
            "aws_eip_association.worker",
            paths=("instance_id", "network_interface_id", "private_ip_address"),
        ),
    ),
    TypeCase(
        "aws_route_table_association",
        build=build_route_table_association,
        drift=lambda s, c: _ec2(s).disassociate_route_table(AssociationId=c["association_id"]),
        expected=Expected(
            "missing",
            "aws_route_table_association",
            "association_id",
            "aws_route_table_association.private[0]",
            title_has="was deleted",
        ),
        unmanaged=_associate_second_subnet,
        unmanaged_type="aws_route_table_association",
    ),
    TypeCase(
        "aws_route_table_association",
        build=build_route_table_association,
        drift=_move_subnet,
        expected=Expected(
            "changed",
            "aws_route_table_association",
            "association_id",
            "aws_route_table_association.private[0]",
            paths=("route_table_id",),
        ),
    ),
    TypeCase(
        "aws_vpc_dhcp_options",
        build=build_dhcp_options,
        drift=_rename("dhcp_options_id"),
        expected=Expected(
            "changed",
            "aws_vpc_dhcp_options",
            "dhcp_options_id",
            "aws_vpc_dhcp_options.corp",
            paths=("tags.Name",),
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_dhcp_options(DhcpConfigurations=[{"Key": "ntp-servers", "Values": ["10.0.0.9"]}])[
                "DhcpOptions"
            ]["DhcpOptionsId"]
        ),
        unmanaged_type="aws_vpc_dhcp_options",
    ),
    TypeCase(
        "aws_vpc_dhcp_options",
        build=build_dhcp_options,
        drift=lambda s, c: _ec2(s).delete_dhcp_options(DhcpOptionsId=c["dhcp_options_id"]),
        expected=Expected(
            "missing",
            "aws_vpc_dhcp_options",
            "dhcp_options_id",
            "aws_vpc_dhcp_options.corp",
            title_has="was deleted",
        ),
    ),
    TypeCase(
        "aws_flow_log",
        build=build_flow_log,
        drift=lambda s, c: _ec2(s).delete_flow_logs(FlowLogIds=[c["flow_log_id"]]),
        expected=Expected(
            "missing", "aws_flow_log", "flow_log_id", "aws_flow_log.core", title_has="was deleted"
        ),
        unmanaged=lambda s, c: _flow_log(s, c, "ALL", "/vpc/debugging"),
        unmanaged_type="aws_flow_log",
    ),
    TypeCase(
        "aws_flow_log",
        build=build_flow_log,
        drift=_rename("flow_log_id"),
        expected=Expected(
            "changed", "aws_flow_log", "flow_log_id", "aws_flow_log.core", paths=("tags.Name",)
        ),
    ),
    TypeCase(
        "aws_ec2_transit_gateway",
        build=build_transit_gateway,
        drift=lambda s, c: _ec2(s).modify_transit_gateway(
            TransitGatewayId=c["tgw_id"], Options={"DnsSupport": "disable"}
        ),
        expected=Expected(
            "changed",
            "aws_ec2_transit_gateway",
            "tgw_id",
            "aws_ec2_transit_gateway.core",
            paths=("dns_support",),
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_transit_gateway(Description="adhoc")["TransitGateway"]["TransitGatewayId"]
        ),
        unmanaged_type="aws_ec2_transit_gateway",
    ),
]
