"""Cases for the VPC extras: route tables and routes, gateways, NACLs, EIPs, volumes, templates, keys."""

from __future__ import annotations

from typing import Any

import boto3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from guard.demo.emulator import machine_image
from guard.demo.state import TerraformState, subnet_attributes, vpc_attributes
from guard.live.resources.vpc import terraform_route_id
from tests.cases import Context, Expected, TypeCase
from tests.support.netedge import declare_appliance_interface
from tests.support.network import (
    acl_rule_block,
    ebs_volume_attributes,
    eip_attributes,
    internet_gateway_attributes,
    key_pair_attributes,
    launch_template_attributes,
    nat_gateway_attributes,
    network_acl_attributes,
    route_attributes,
    route_block,
    route_table_attributes,
)

REGION = "us-east-1"


def _ec2(session: boto3.Session) -> Any:
    return session.client("ec2", region_name=REGION)


def _account(session: boto3.Session) -> str:
    return str(session.client("sts", region_name=REGION).get_caller_identity()["Account"])


def _tagged(resource_type: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}]}]


def build_network(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A VPC, one subnet and an attached internet gateway, all in state."""
    ec2, account = _ec2(session), _account(session)
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16", TagSpecifications=_tagged("vpc", "core"))["Vpc"]
    ctx["vpc_id"] = vpc["VpcId"]
    state.add("aws_vpc", "core", vpc_attributes(vpc, account, REGION))
    subnet = ec2.create_subnet(
        VpcId=vpc["VpcId"],
        CidrBlock="10.2.1.0/24",
        AvailabilityZone=f"{REGION}a",
        TagSpecifications=_tagged("subnet", "public-a"),
    )["Subnet"]
    ctx["subnet_id"] = subnet["SubnetId"]
    state.add("aws_subnet", "public", subnet_attributes(subnet, account), index_key=0)
    gateway_id = ec2.create_internet_gateway(TagSpecifications=_tagged("internet-gateway", "core"))[
        "InternetGateway"
    ]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc["VpcId"])
    ctx["igw_id"] = gateway_id
    gateway = ec2.describe_internet_gateways(InternetGatewayIds=[gateway_id])["InternetGateways"][0]
    state.add("aws_internet_gateway", "core", internet_gateway_attributes(gateway, account, REGION))


def _route_table(session: boto3.Session, ctx: Context) -> dict[str, Any]:
    ec2 = _ec2(session)
    table_id = ec2.create_route_table(
        VpcId=ctx["vpc_id"], TagSpecifications=_tagged("route-table", "public")
    )["RouteTable"]["RouteTableId"]
    ctx["route_table_id"] = table_id
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=ctx["igw_id"])
    ctx["route_id"] = terraform_route_id(table_id, "0.0.0.0/0")
    return dict(ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0])


def build_route_table(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A route table whose default route is an inline `route` block."""
    build_network(session, state, ctx)
    table = _route_table(session, ctx)
    routes = [route_block(cidr_block="0.0.0.0/0", gateway_id=ctx["igw_id"])]
    state.add("aws_route_table", "public", route_table_attributes(table, _account(session), REGION, routes))


def build_route(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """The same default route as an aws_route; after a refresh the table's `route` lists it too."""
    build_network(session, state, ctx)
    table = _route_table(session, ctx)
    routes = [route_block(cidr_block="0.0.0.0/0", gateway_id=ctx["igw_id"])]
    state.add("aws_route_table", "public", route_table_attributes(table, _account(session), REGION, routes))
    live = next(r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0")
    state.add("aws_route", "internet", route_attributes(ctx["route_id"], table["RouteTableId"], live))


def _add_route(session: boto3.Session, ctx: Context) -> str:
    _ec2(session).create_route(
        RouteTableId=ctx["route_table_id"], DestinationCidrBlock="198.51.100.0/24", GatewayId=ctx["igw_id"]
    )
    return terraform_route_id(ctx["route_table_id"], "198.51.100.0/24")


def build_nat_gateway(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_network(session, state, ctx)
    ec2, account = _ec2(session), _account(session)
    allocation = ec2.allocate_address(Domain="vpc", TagSpecifications=_tagged("elastic-ip", "nat"))
    nat = ec2.create_nat_gateway(
        SubnetId=ctx["subnet_id"],
        AllocationId=allocation["AllocationId"],
        TagSpecifications=_tagged("natgateway", "core"),
    )["NatGateway"]
    ctx["nat_id"] = nat["NatGatewayId"]
    nat = ec2.describe_nat_gateways(NatGatewayIds=[nat["NatGatewayId"]])["NatGateways"][0]
    state.add("aws_nat_gateway", "core", nat_gateway_attributes(nat))
    address = ec2.describe_addresses(AllocationIds=[allocation["AllocationId"]])["Addresses"][0]
    state.add("aws_eip", "nat", eip_attributes(address, account, REGION))


def build_network_acl(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    """A NACL that allows HTTPS in and everything out, associated with the subnet."""
    build_network(session, state, ctx)
    ec2 = _ec2(session)
    acl_id = ec2.create_network_acl(VpcId=ctx["vpc_id"], TagSpecifications=_tagged("network-acl", "public"))[
        "NetworkAcl"
    ]["NetworkAclId"]
    ctx["acl_id"] = acl_id
    ec2.create_network_acl_entry(
        NetworkAclId=acl_id,
        RuleNumber=100,
        Protocol="6",
        RuleAction="allow",
        Egress=False,
        CidrBlock="0.0.0.0/0",
        PortRange={"From": 443, "To": 443},
    )
    ec2.create_network_acl_entry(
        NetworkAclId=acl_id,
        RuleNumber=100,
        Protocol="-1",
        RuleAction="allow",
        Egress=True,
        CidrBlock="0.0.0.0/0",
    )
    # Moving the subnet off the default NACL, as subnet_ids does.
    default = ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [ctx["subnet_id"]]}]
    )["NetworkAcls"][0]
    association = next(a for a in default["Associations"] if a["SubnetId"] == ctx["subnet_id"])
    ec2.replace_network_acl_association(
        AssociationId=association["NetworkAclAssociationId"], NetworkAclId=acl_id
    )
    acl = ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]
    state.add(
        "aws_network_acl",
        "public",
        network_acl_attributes(
            acl,
            _account(session),
            REGION,
            ingress=[acl_rule_block(100, "allow", "6", "0.0.0.0/0", 443, 443)],
            egress=[acl_rule_block(100, "allow", "-1", "0.0.0.0/0")],
        ),
    )


def build_eip(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = _ec2(session)
    allocation = ec2.allocate_address(Domain="vpc", TagSpecifications=_tagged("elastic-ip", "bastion"))
    ctx["allocation_id"] = allocation["AllocationId"]
    address = ec2.describe_addresses(AllocationIds=[allocation["AllocationId"]])["Addresses"][0]
    state.add("aws_eip", "bastion", eip_attributes(address, _account(session), REGION))


def build_volume(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = _ec2(session)
    volume = ec2.create_volume(
        AvailabilityZone=f"{REGION}a",
        Size=20,
        VolumeType="gp3",
        Iops=3000,
        Throughput=125,
        Encrypted=True,
        TagSpecifications=_tagged("volume", "data"),
    )
    ctx["volume_id"] = volume["VolumeId"]
    live = ec2.describe_volumes(VolumeIds=[volume["VolumeId"]])["Volumes"][0]
    state.add("aws_ebs_volume", "data", ebs_volume_attributes(live, _account(session), REGION))


def _template_data(session: boto3.Session) -> dict[str, Any]:
    image = machine_image(_ec2(session))
    return {"ImageId": image, "InstanceType": "t3.small"}


def build_launch_template(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = _ec2(session)
    data = _template_data(session)
    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData=data,
        TagSpecifications=_tagged("launch-template", "web"),
    )["LaunchTemplate"]
    ctx["template_id"] = template["LaunchTemplateId"]
    ctx["template_data"] = data
    live = ec2.describe_launch_templates(LaunchTemplateIds=[template["LaunchTemplateId"]])["LaunchTemplates"][
        0
    ]
    state.add("aws_launch_template", "web", launch_template_attributes(live, data, _account(session), REGION))


def public_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    material = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return material.decode()


def build_key_pair(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    ec2 = _ec2(session)
    material = public_key()
    ec2.import_key_pair(KeyName="deployer", PublicKeyMaterial=material.encode())
    ctx["key_name"] = "deployer"
    key = ec2.describe_key_pairs(KeyNames=["deployer"])["KeyPairs"][0]
    state.add("aws_key_pair", "deployer", key_pair_attributes(key, material, _account(session), REGION))


def _import_key(session: boto3.Session, ctx: Context) -> str:
    _ec2(session).import_key_pair(KeyName="adhoc", PublicKeyMaterial=public_key().encode())
    return "adhoc"


def build_route_and_appliance(session: boto3.Session, state: TerraformState, ctx: Context) -> None:
    build_route(session, state, ctx)
    declare_appliance_interface(session, state, ctx, REGION)


def _route_to_an_interface(session: boto3.Session, ctx: Context) -> None:
    """The default route pointed at an appliance's interface (declared) instead of the gateway."""
    _ec2(session).replace_route(
        RouteTableId=ctx["route_table_id"],
        DestinationCidrBlock="0.0.0.0/0",
        NetworkInterfaceId=ctx["appliance_eni"],
    )


def _tag_key_pair(session: boto3.Session, ctx: Context) -> None:
    ec2 = _ec2(session)
    key_pair_id = ec2.describe_key_pairs(KeyNames=[ctx["key_name"]])["KeyPairs"][0]["KeyPairId"]
    ec2.create_tags(Resources=[key_pair_id], Tags=[{"Key": "Team", "Value": "someone"}])


def _rename(resource_id_key: str) -> Any:
    def edit(session: boto3.Session, ctx: Context) -> None:
        _ec2(session).create_tags(
            Resources=[ctx[resource_id_key]], Tags=[{"Key": "Name", "Value": "renamed"}]
        )

    return edit


CASES = [
    TypeCase(
        "aws_route_table",
        build=build_route_table,
        drift=_rename("route_table_id"),
        expected=Expected(
            "changed", "aws_route_table", "route_table_id", "aws_route_table.public", paths=("tags.Name",)
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_route_table(VpcId=c["vpc_id"])["RouteTable"]["RouteTableId"]
        ),
        unmanaged_type="aws_route_table",
    ),
    TypeCase(
        "aws_route",
        build=build_route,
        drift=lambda s, c: _ec2(s).delete_route(
            RouteTableId=c["route_table_id"], DestinationCidrBlock="0.0.0.0/0"
        ),
        expected=Expected(
            "missing", "aws_route", "route_id", "aws_route.internet", title_has="route 0.0.0.0/0 via igw-"
        ),
        unmanaged=_add_route,
        unmanaged_type="aws_route",
    ),
    TypeCase(
        "aws_internet_gateway",
        build=build_network,
        drift=lambda s, c: _ec2(s).detach_internet_gateway(InternetGatewayId=c["igw_id"], VpcId=c["vpc_id"]),
        expected=Expected(
            "changed", "aws_internet_gateway", "igw_id", "aws_internet_gateway.core", paths=("vpc_id",)
        ),
        unmanaged=lambda s, c: str(_ec2(s).create_internet_gateway()["InternetGateway"]["InternetGatewayId"]),
        unmanaged_type="aws_internet_gateway",
    ),
    TypeCase(
        "aws_nat_gateway",
        build=build_nat_gateway,
        drift=_rename("nat_id"),
        expected=Expected(
            "changed", "aws_nat_gateway", "nat_id", "aws_nat_gateway.core", paths=("tags.Name",)
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_nat_gateway(SubnetId=c["subnet_id"], ConnectivityType="private")["NatGateway"][
                "NatGatewayId"
            ]
        ),
        unmanaged_type="aws_nat_gateway",
    ),
    TypeCase(
        "aws_network_acl",
        build=build_network_acl,
        drift=lambda s, c: _ec2(s).create_network_acl_entry(
            NetworkAclId=c["acl_id"],
            RuleNumber=90,
            Protocol="6",
            RuleAction="allow",
            Egress=False,
            CidrBlock="0.0.0.0/0",
            PortRange={"From": 22, "To": 22},
        ),
        expected=Expected(
            "changed", "aws_network_acl", "acl_id", "aws_network_acl.public", paths=("ingress",)
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_network_acl(VpcId=c["vpc_id"])["NetworkAcl"]["NetworkAclId"]
        ),
        unmanaged_type="aws_network_acl",
    ),
    TypeCase(
        "aws_eip",
        build=build_eip,
        drift=_rename("allocation_id"),
        expected=Expected("changed", "aws_eip", "allocation_id", "aws_eip.bastion", paths=("tags.Name",)),
        unmanaged=lambda s, c: str(_ec2(s).allocate_address(Domain="vpc")["AllocationId"]),
        unmanaged_type="aws_eip",
    ),
    TypeCase(
        "aws_ebs_volume",
        build=build_volume,
        drift=lambda s, c: _ec2(s).modify_volume(VolumeId=c["volume_id"], Size=40),
        expected=Expected("changed", "aws_ebs_volume", "volume_id", "aws_ebs_volume.data", paths=("size",)),
        unmanaged=lambda s, c: str(_ec2(s).create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]),
        unmanaged_type="aws_ebs_volume",
    ),
    TypeCase(
        "aws_launch_template",
        build=build_launch_template,
        drift=lambda s, c: _ec2(s).create_launch_template_version(
            LaunchTemplateId=c["template_id"],
            LaunchTemplateData={**c["template_data"], "InstanceType": "m5.large"},
        ),
        expected=Expected(
            "changed",
            "aws_launch_template",
            "template_id",
            "aws_launch_template.web",
            paths=("latest_version",),
        ),
        unmanaged=lambda s, c: str(
            _ec2(s).create_launch_template(LaunchTemplateName="adhoc", LaunchTemplateData=c["template_data"])[
                "LaunchTemplate"
            ]["LaunchTemplateId"]
        ),
        unmanaged_type="aws_launch_template",
    ),
    TypeCase(
        "aws_key_pair",
        build=build_key_pair,
        drift=lambda s, c: _ec2(s).delete_key_pair(KeyName=c["key_name"]),
        expected=Expected(
            "missing", "aws_key_pair", "key_name", "aws_key_pair.deployer", title_has="was deleted"
        ),
        unmanaged=_import_key,
        unmanaged_type="aws_key_pair",
    ),
    # The same resources again, for the other ways back a declaration offers.
    TypeCase(
        "aws_route",
        build=build_route_and_appliance,
        drift=_route_to_an_interface,
        expected=Expected(
            "changed",
            "aws_route",
            "route_id",
            "aws_route.internet",
            paths=("gateway_id", "network_interface_id"),
        ),
    ),
    TypeCase(
        "aws_key_pair",
        build=build_key_pair,
        drift=_tag_key_pair,
        expected=Expected(
            "changed", "aws_key_pair", "key_name", "aws_key_pair.deployer", paths=("tags.Team",)
        ),
    ),
]
