"""The demo's web estate as `pulumi stack export` writes it (pulumi-aws 6.x, checkpoint v3).

Written by hand from what AWS returns, in the provider's own shapes (lowerCamelCase
outputs, one-item blocks as objects, bridge bookkeeping in `__meta`), not by running
guard's mapping backwards, so the reader is tested against the format, not itself.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo import DEFAULT_TAGS, WebEstate

STACK, PROJECT = "prod", "web"
SIG = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::default_6_56_0"
PROVIDER_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
META = json.dumps({"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0": {"create": 600000000000}, "schema_version": "1"})


def urn(qualified_type: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{qualified_type}::{name}"


STACK_URN = urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}")


def ciphertext() -> dict[str, str]:
    return {SIG: SECRET, "ciphertext": "v1:QmDk3s3W6kq0cDJq:6yW3Rb2j0bq0zNn1c5nB1l8pH7A="}


def plaintext(value: Any) -> dict[str, str]:
    return {SIG: SECRET, "plaintext": json.dumps(value)}


def _tags(item: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags") or [] if not t["Key"].startswith("aws:")}


def _rule(protocol: str, port: int, cidrs: list[str] = (), groups: list[str] = (), text: str = "") -> dict:
    return {
        "cidrBlocks": list(cidrs),
        "description": text,
        "fromPort": port,
        "ipv6CidrBlocks": [],
        "prefixListIds": [],
        "protocol": protocol,
        "securityGroups": list(groups),
        "self": False,
        "toPort": port,
    }


class PulumiExport:
    def __init__(self) -> None:
        self.resources: list[dict[str, Any]] = [
            {
                "urn": STACK_URN,
                "custom": False,
                "type": "pulumi:pulumi:Stack",
                "outputs": {"vpcId": "", "dbPassword": ciphertext()},
                "created": "2024-05-02T09:12:44.512Z",
                "modified": "2024-05-02T09:12:44.512Z",
            },
            {
                "urn": PROVIDER_URN,
                "custom": True,
                "id": PROVIDER_ID,
                "type": "pulumi:providers:aws",
                "inputs": {
                    "__internal": {},
                    "defaultTags": json.dumps({"tags": DEFAULT_TAGS}),
                    "region": "us-east-1",
                    "skipCredentialsValidation": "false",
                    "version": "6.56.0",
                },
                "outputs": {"defaultTags": json.dumps({"tags": DEFAULT_TAGS}), "region": "us-east-1"},
                "parent": STACK_URN,
            },
        ]

    def component(self, type_: str, name: str) -> str:
        address = urn(type_, name)
        self.resources.append(
            {"urn": address, "custom": False, "type": type_, "parent": STACK_URN, "outputs": {}}
        )
        return address

    def custom(
        self,
        token: str,
        name: str,
        resource_id: str,
        outputs: dict[str, Any],
        parent: str = STACK_URN,
        dependencies: tuple[str, ...] = (),
    ) -> str:
        parent_types = parent.split("::")[2]
        qualified = token if parent == STACK_URN else f"{parent_types}${token}"
        address = urn(qualified, name)
        self.resources.append(
            {
                "urn": address,
                "custom": True,
                "id": resource_id,
                "type": token,
                "inputs": {"__defaults": []},
                "outputs": {"__meta": META, **outputs, "id": resource_id},
                "parent": parent,
                "dependencies": list(dependencies),
                "provider": f"{PROVIDER_URN}::{PROVIDER_ID}",
                "propertyDependencies": {},
                "created": "2024-05-02T09:13:02.118Z",
                "modified": "2024-05-02T09:13:02.118Z",
            }
        )
        return address

    def document(self) -> dict[str, Any]:
        return {
            "version": 3,
            "deployment": {
                "manifest": {
                    "time": "2024-05-02T09:14:10.402397+02:00",
                    "magic": "0a3f5e7b5f0c3d1b9f2c2e6f4a8f9b7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a",
                    "version": "v3.115.0",
                },
                "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:Vn3k3c5S8Iw=:v1:a:b"}},
                "resources": self.resources,
            },
        }

    def checkpoint(self) -> dict[str, Any]:
        """The same deployment as the self-managed backend stores it in .pulumi/stacks/."""
        return {
            "version": 3,
            "checkpoint": {
                "stack": f"organization/{PROJECT}/{STACK}",
                "latest": self.document()["deployment"],
            },
        }


def web_estate_export(session: boto3.Session, estate: WebEstate, region: str = "us-east-1") -> PulumiExport:
    """The estate build_web_estate created, as a Pulumi program would have recorded it."""
    ec2 = session.client("ec2", region_name=region)
    account = estate.account
    export = PulumiExport()
    network = export.component("acme:network:Network", "prod-network")
    edge = export.component("acme:edge:Edge", "prod-edge")
    app_component = export.component("acme:app:App", "prod-app")

    vpc = ec2.describe_vpcs(VpcIds=[estate.vpc_id])["Vpcs"][0]
    vpc_urn = export.custom(
        "aws:ec2/vpc:Vpc",
        "prod-vpc",
        estate.vpc_id,
        {
            "arn": f"arn:aws:ec2:{region}:{account}:vpc/{estate.vpc_id}",
            "assignGeneratedIpv6CidrBlock": False,
            "cidrBlock": vpc["CidrBlock"],
            "defaultNetworkAclId": "",
            "defaultRouteTableId": "",
            "defaultSecurityGroupId": "",
            "dhcpOptionsId": vpc.get("DhcpOptionsId", ""),
            "enableDnsHostnames": True,
            "enableDnsSupport": True,
            "enableNetworkAddressUsageMetrics": False,
            "instanceTenancy": vpc.get("InstanceTenancy", "default"),
            "ipv6AssociationId": "",
            "ipv6CidrBlock": "",
            "ipv6CidrBlockNetworkBorderGroup": "",
            "ipv6IpamPoolId": "",
            "ipv6NetmaskLength": 0,
            "mainRouteTableId": "",
            "ownerId": account,
            "tags": _tags(vpc),
            "tagsAll": {**DEFAULT_TAGS, **_tags(vpc)},
        },
        parent=network,
    )
    for subnet_id in estate.subnet_ids:
        subnet = ec2.describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]
        export.custom(
            "aws:ec2/subnet:Subnet",
            _tags(subnet)["Name"],
            subnet_id,
            {
                "arn": subnet.get("SubnetArn", ""),
                "assignIpv6AddressOnCreation": False,
                "availabilityZone": subnet["AvailabilityZone"],
                "availabilityZoneId": subnet.get("AvailabilityZoneId", ""),
                "cidrBlock": subnet["CidrBlock"],
                "customerOwnedIpv4Pool": "",
                "enableDns64": False,
                "enableLniAtDeviceIndex": 0,
                "enableResourceNameDnsARecordOnLaunch": False,
                "enableResourceNameDnsAaaaRecordOnLaunch": False,
                "ipv6CidrBlock": "",
                "ipv6CidrBlockAssociationId": "",
                "ipv6Native": False,
                "mapCustomerOwnedIpOnLaunch": False,
                "mapPublicIpOnLaunch": True,
                "outpostArn": "",
                "ownerId": account,
                "privateDnsHostnameTypeOnLaunch": "ip-name",
                "tags": _tags(subnet),
                "tagsAll": {**DEFAULT_TAGS, **_tags(subnet)},
                "vpcId": estate.vpc_id,
            },
            parent=network,
            dependencies=(vpc_urn,),
        )

    def group_outputs(group_id: str, ingress: list[dict], egress: list[dict]) -> dict[str, Any]:
        group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
        return {
            "arn": f"arn:aws:ec2:{region}:{account}:security-group/{group_id}",
            "description": group["Description"],
            "egress": egress,
            "ingress": ingress,
            "name": group["GroupName"],
            "namePrefix": "",
            "ownerId": account,
            "revokeRulesOnDelete": False,
            "tags": _tags(group),
            "tagsAll": {**DEFAULT_TAGS, **_tags(group)},
            "vpcId": estate.vpc_id,
        }

    lb_urn = export.custom(
        "aws:ec2/securityGroup:SecurityGroup",
        "prod-alb",
        estate.lb_group_id,
        group_outputs(
            estate.lb_group_id,
            [
                _rule("tcp", 443, ["0.0.0.0/0"], text="HTTPS from anywhere"),
                _rule("tcp", 80, ["0.0.0.0/0"], text="HTTP redirect to HTTPS"),
            ],
            [_rule("-1", 0, ["0.0.0.0/0"])],
        ),
        parent=edge,
        dependencies=(vpc_urn,),
    )
    app_urn = export.custom(
        "aws:ec2/securityGroup:SecurityGroup",
        "prod-app",
        estate.app_group_id,
        group_outputs(
            estate.app_group_id,
            [_rule("tcp", 8080, groups=[estate.lb_group_id], text="From the load balancer")],
            [_rule("-1", 0, ["0.0.0.0/0"])],
        ),
        parent=app_component,
        dependencies=(vpc_urn,),
    )
    rule_id = next(
        r["SecurityGroupRuleId"]
        for r in ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [estate.app_group_id]}]
        )["SecurityGroupRules"]
        if not r["IsEgress"]
    )
    export.custom(
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "from-lb",
        "sgrule-2837465512",
        {
            "cidrBlocks": [],
            "description": "From the load balancer",
            "fromPort": 8080,
            "ipv6CidrBlocks": [],
            "prefixListIds": [],
            "protocol": "tcp",
            "securityGroupId": estate.app_group_id,
            "securityGroupRuleId": rule_id,
            "self": False,
            "sourceSecurityGroupId": estate.lb_group_id,
            "toPort": 8080,
            "type": "ingress",
        },
        parent=app_component,
        dependencies=(app_urn, lb_urn),
    )
    for key, instance_id in zip(("a", "b"), estate.instance_ids, strict=True):
        live = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        export.custom(
            "aws:ec2/instance:Instance",
            f"prod-web-{key}",
            instance_id,
            {
                "ami": live["ImageId"],
                "arn": f"arn:aws:ec2:{region}:{account}:instance/{instance_id}",
                "associatePublicIpAddress": False,
                "availabilityZone": live["Placement"]["AvailabilityZone"],
                "cpuOptions": {"amdSevSnp": "", "coreCount": 1, "threadsPerCore": 2},
                "disableApiStop": False,
                "disableApiTermination": False,
                "ebsBlockDevices": [],
                "ebsOptimized": False,
                "getPasswordData": False,
                "iamInstanceProfile": "",
                "instanceState": "running",
                "instanceType": live["InstanceType"],
                "keyName": "",
                "metadataOptions": {
                    "httpEndpoint": "enabled",
                    "httpProtocolIpv6": "disabled",
                    "httpPutResponseHopLimit": 1,
                    "httpTokens": "required",
                    "instanceMetadataTags": "disabled",
                },
                "monitoring": False,
                "privateIp": live.get("PrivateIpAddress", ""),
                "publicIp": live.get("PublicIpAddress", ""),
                "rootBlockDevice": {
                    "deleteOnTermination": True,
                    "encrypted": False,
                    "iops": 0,
                    "volumeSize": 8,
                    "volumeType": "gp2",
                },
                "secondaryPrivateIps": [],
                "securityGroups": [],
                "sourceDestCheck": True,
                "subnetId": live["SubnetId"],
                "tags": _tags(live),
                "tagsAll": {**DEFAULT_TAGS, **_tags(live)},
                "tenancy": "default",
                "userData": ciphertext(),
                "vpcSecurityGroupIds": [estate.app_group_id],
            },
            parent=app_component,
            dependencies=(app_urn,),
        )
    return export
