"""Every registered type follows its CloudTrail events, by real event names, to the right id.

One table of sample records in CloudTrail's shape (what each call's requestParameters,
responseElements and resources hold, camelCase as CloudTrail writes them); every event a
type follows (`touched_by`) must have a sample here, and every sample must resolve
through `touched()` to exactly the (type, id) it names.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

from guard.aws import Clients
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from guard.live.events import PATTERN_LIMIT, api_operation, followed, pattern_size, source_of, touched
from guard.pipeline.on_event import check_events
from tests.cases.s3 import BUCKET, build_policy
from tests.cloudtrail_shapes import ACCOUNT, eventbridge, iam_user_identity, record, sso_console_identity
from tests.event_samples import family_samples

REGION = "us-east-1"
ARN = f"{REGION}:{ACCOUNT}"
ELB = f"arn:aws:elasticloadbalancing:{ARN}"
LB = f"{ELB}:loadbalancer/app/web/50dc6c495c0c9188"
LISTENER = f"{ELB}:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
RULE = f"{ELB}:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
TG = f"{ELB}:targetgroup/web/73e2d6bc24d8a067"
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:{ARN}:key/{KEY}"
TRAIL = f"arn:aws:cloudtrail:{ARN}:trail/org-audit"
TOPIC = f"arn:aws:sns:{ARN}:alerts"
QUEUE = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/jobs"
POLICY = f"arn:aws:iam::{ACCOUNT}:policy/deploy"
DBI = "db-ABCDEFGHIJKLMNOPQRSTUVWXY1"
TAGS = {"tagSet": {"items": [{"key": "env", "value": "prod"}]}}


def _ec2_tags(*ids: str) -> dict[str, Any]:
    return {"resourcesSet": {"items": [{"resourceId": i} for i in ids]}, **TAGS}


def _kms(key: str) -> list[dict[str, Any]]:
    return [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": key}]


# (eventSource's service, event names sharing one shape, requestParameters, responseElements,
#  resources or None, the (type, id) it touched)
SAMPLES: list[tuple[str, str, Any, Any, Any, list[tuple[str, str]]]] = [
    # EC2 ----------------------------------------------------------------------------
    (
        "ec2",
        "CreateTags DeleteTags",
        _ec2_tags("sg-0a1", "i-0b2"),
        None,
        None,
        [
            ("aws_instance", "i-0b2"),
            ("aws_security_group", "sg-0a1"),
            ("aws_default_security_group", "sg-0a1"),
        ],
    ),
    (
        "ec2",
        "CreateTags DeleteTags",
        _ec2_tags("vpc-1", "subnet-2", "rtb-3", "igw-4"),
        None,
        None,
        [
            ("aws_internet_gateway", "igw-4"),
            ("aws_route_table", "rtb-3"),
            ("aws_default_route_table", "rtb-3"),
            ("aws_subnet", "subnet-2"),
            ("aws_vpc", "vpc-1"),
        ],
    ),
    (
        "ec2",
        "CreateTags DeleteTags",
        _ec2_tags("nat-5", "acl-6", "eipalloc-7", "vol-8", "lt-9"),
        None,
        None,
        [
            ("aws_ebs_volume", "vol-8"),
            ("aws_eip", "eipalloc-7"),
            ("aws_launch_template", "lt-9"),
            ("aws_nat_gateway", "nat-5"),
            ("aws_network_acl", "acl-6"),
            ("aws_default_network_acl", "acl-6"),
        ],
    ),
    (
        "ec2",
        "ModifyInstanceAttribute ModifyInstanceMetadataOptions",
        {"instanceId": "i-0b2", "instanceType": {"value": "t3.large"}},
        None,
        None,
        [("aws_instance", "i-0b2")],
    ),
    (
        "ec2",
        "MonitorInstances UnmonitorInstances TerminateInstances",
        {"instancesSet": {"items": [{"instanceId": "i-0b2"}]}},
        None,
        None,
        [("aws_instance", "i-0b2")],
    ),
    (
        "ec2",
        "RunInstances",
        {"instanceType": "t3.micro"},
        {"instancesSet": {"items": [{"instanceId": "i-0b2"}]}},
        None,
        [("aws_instance", "i-0b2")],
    ),
    (
        "ec2",
        "AssociateIamInstanceProfile",
        {
            "AssociateIamInstanceProfileRequest": {
                "InstanceId": "i-0b2",
                "IamInstanceProfile": {"Name": "app"},
            }
        },
        None,
        None,
        [("aws_instance", "i-0b2")],
    ),
    (
        "ec2",
        "CreateVpc",
        {"cidrBlock": "10.0.0.0/16"},
        {"vpc": {"vpcId": "vpc-1"}},
        None,
        [("aws_vpc", "vpc-1")],
    ),
    ("ec2", "DeleteVpc ModifyVpcAttribute", {"vpcId": "vpc-1"}, None, None, [("aws_vpc", "vpc-1")]),
    (
        "ec2",
        "ModifyVpcTenancy",
        {"ModifyVpcTenancyRequest": {"VpcId": "vpc-1", "InstanceTenancy": "default"}},
        None,
        None,
        [("aws_vpc", "vpc-1")],
    ),
    (
        "ec2",
        "CreateSubnet",
        {"vpcId": "vpc-1"},
        {"subnet": {"subnetId": "subnet-2"}},
        None,
        [("aws_subnet", "subnet-2")],
    ),
    (
        "ec2",
        "DeleteSubnet ModifySubnetAttribute",
        {"subnetId": "subnet-2"},
        None,
        None,
        [("aws_subnet", "subnet-2")],
    ),
    (
        "ec2",
        "CreateSecurityGroup",
        {"groupName": "web", "vpcId": "vpc-1"},
        {"_return": True, "groupId": "sg-0a1"},
        None,
        [("aws_security_group", "sg-0a1")],
    ),
    (
        "ec2",
        "DeleteSecurityGroup AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress "
        "RevokeSecurityGroupIngress RevokeSecurityGroupEgress UpdateSecurityGroupRuleDescriptionsIngress "
        "UpdateSecurityGroupRuleDescriptionsEgress",
        {"groupId": "sg-0a1"},
        None,
        None,
        [("aws_security_group", "sg-0a1")],
    ),
    (
        "ec2",
        "ModifySecurityGroupRules",
        {
            "ModifySecurityGroupRulesRequest": {
                "GroupId": "sg-0a1",
                "SecurityGroupRule": {"SecurityGroupRuleId": "sgr-1"},
            }
        },
        None,
        None,
        [("aws_security_group", "sg-0a1")],
    ),
    (
        "ec2",
        "AllocateAddress",
        {"domain": "vpc"},
        {"allocationId": "eipalloc-7", "publicIp": "198.51.100.4"},
        None,
        [("aws_eip", "eipalloc-7")],
    ),
    (
        "ec2",
        "ReleaseAddress AssociateAddress",
        {"allocationId": "eipalloc-7"},
        None,
        None,
        [("aws_eip", "eipalloc-7")],
    ),
    (
        "ec2",
        "CreateVolume",
        {"size": 8, "zone": "us-east-1a"},
        {"volumeId": "vol-8"},
        None,
        [("aws_ebs_volume", "vol-8")],
    ),
    ("ec2", "DeleteVolume", {"volumeId": "vol-8"}, None, None, [("aws_ebs_volume", "vol-8")]),
    (
        "ec2",
        "ModifyVolume",
        {"ModifyVolumeRequest": {"VolumeId": "vol-8", "Size": 16}},
        None,
        None,
        [("aws_ebs_volume", "vol-8")],
    ),
    (
        "ec2",
        "CreateLaunchTemplate",
        {"CreateLaunchTemplateRequest": {"LaunchTemplateName": "web"}},
        {"CreateLaunchTemplateResponse": {"launchTemplate": {"launchTemplateId": "lt-9"}}},
        None,
        [("aws_launch_template", "lt-9")],
    ),
    (
        "ec2",
        "DeleteLaunchTemplate",
        {"DeleteLaunchTemplateRequest": {"LaunchTemplateId": "lt-9"}},
        None,
        None,
        [("aws_launch_template", "lt-9")],
    ),
    (
        "ec2",
        "ModifyLaunchTemplate",
        {"ModifyLaunchTemplateRequest": {"LaunchTemplateName": "web"}},
        {"ModifyLaunchTemplateResponse": {"launchTemplate": {"launchTemplateId": "lt-9"}}},
        None,
        [("aws_launch_template", "lt-9")],
    ),
    (
        "ec2",
        "CreateLaunchTemplateVersion",
        {"CreateLaunchTemplateVersionRequest": {"LaunchTemplateName": "web"}},
        {"CreateLaunchTemplateVersionResponse": {"launchTemplateVersion": {"launchTemplateId": "lt-9"}}},
        None,
        [("aws_launch_template", "lt-9")],
    ),
    (
        "ec2",
        "DeleteLaunchTemplateVersions",
        {"DeleteLaunchTemplateVersionsRequest": {"LaunchTemplateId": "lt-9"}},
        None,
        None,
        [("aws_launch_template", "lt-9")],
    ),
    (
        "ec2",
        "CreateKeyPair ImportKeyPair DeleteKeyPair",
        {"keyName": "deploy"},
        None,
        None,
        [("aws_key_pair", "deploy")],
    ),
    (
        "ec2",
        "CreateRoute ReplaceRoute DeleteRoute",
        {"routeTableId": "rtb-3", "destinationCidrBlock": "0.0.0.0/0"},
        None,
        None,
        [("aws_route_table", "rtb-3")],
    ),
    (
        "ec2",
        "CreateRouteTable",
        {"vpcId": "vpc-1"},
        {"routeTable": {"routeTableId": "rtb-3"}},
        None,
        [("aws_route_table", "rtb-3")],
    ),
    (
        "ec2",
        "DeleteRouteTable",
        {"routeTableId": "rtb-3"},
        None,
        None,
        [("aws_route_table", "rtb-3")],
    ),
    (
        "ec2",
        "EnableVgwRoutePropagation DisableVgwRoutePropagation",
        {"routeTableId": "rtb-3"},
        None,
        None,
        [("aws_route_table", "rtb-3"), ("aws_default_route_table", "rtb-3")],
    ),
    (
        "ec2",
        "CreateInternetGateway",
        {},
        {"internetGateway": {"internetGatewayId": "igw-4"}},
        None,
        [("aws_internet_gateway", "igw-4")],
    ),
    (
        "ec2",
        "DeleteInternetGateway AttachInternetGateway DetachInternetGateway",
        {"internetGatewayId": "igw-4", "vpcId": "vpc-1"},
        None,
        None,
        [("aws_internet_gateway", "igw-4")],
    ),
    (
        "ec2",
        "CreateNatGateway",
        {"CreateNatGatewayRequest": {"SubnetId": "subnet-2"}},
        {"CreateNatGatewayResponse": {"natGateway": {"natGatewayId": "nat-5"}}},
        None,
        [("aws_nat_gateway", "nat-5")],
    ),
    (
        "ec2",
        "DeleteNatGateway",
        {"DeleteNatGatewayRequest": {"NatGatewayId": "nat-5"}},
        None,
        None,
        [("aws_nat_gateway", "nat-5")],
    ),
    (
        "ec2",
        "AssociateNatGatewayAddress",
        {"AssociateNatGatewayAddressRequest": {"NatGatewayId": "nat-5"}},
        None,
        None,
        [("aws_nat_gateway", "nat-5")],
    ),
    (
        "ec2",
        "DisassociateNatGatewayAddress",
        {"DisassociateNatGatewayAddressRequest": {"NatGatewayId": "nat-5"}},
        None,
        None,
        [("aws_nat_gateway", "nat-5")],
    ),
    (
        "ec2",
        "CreateNetworkAcl",
        {"vpcId": "vpc-1"},
        {"networkAcl": {"networkAclId": "acl-6"}},
        None,
        [("aws_network_acl", "acl-6")],
    ),
    (
        "ec2",
        "DeleteNetworkAcl",
        {"networkAclId": "acl-6", "associationId": "aclassoc-1"},
        None,
        None,
        [("aws_network_acl", "acl-6")],
    ),
    (
        "ec2",
        "CreateNetworkAclEntry ReplaceNetworkAclEntry DeleteNetworkAclEntry ReplaceNetworkAclAssociation",
        {"networkAclId": "acl-6", "associationId": "aclassoc-1"},
        None,
        None,
        [("aws_network_acl", "acl-6"), ("aws_default_network_acl", "acl-6")],
    ),
    # EC2 network types (guard/live/resources/network.py): CloudTrail's own request shapes,
    # the *Request/*Response wrappers of EC2's newer calls included.
    (
        "ec2",
        "AssociateDhcpOptions",
        {"dhcpOptionsId": "dopt-1", "vpcId": "vpc-1"},
        None,
        None,
        [("aws_default_vpc", "vpc-1")],
    ),
    (
        "ec2",
        "CreateDhcpOptions",
        {"dhcpConfigurationSet": {}},
        {"dhcpOptions": {"dhcpOptionsId": "dopt-1"}},
        None,
        [("aws_vpc_dhcp_options", "dopt-1")],
    ),
    (
        "ec2",
        "DeleteDhcpOptions",
        {"dhcpOptionsId": "dopt-1"},
        None,
        None,
        [("aws_vpc_dhcp_options", "dopt-1")],
    ),
    (
        "ec2",
        "CreateTransitGateway",
        {"CreateTransitGatewayRequest": {"Description": "core"}},
        {"CreateTransitGatewayResponse": {"transitGateway": {"transitGatewayId": "tgw-1"}}},
        None,
        [("aws_ec2_transit_gateway", "tgw-1")],
    ),
    (
        "ec2",
        "ModifyTransitGateway",
        {"ModifyTransitGatewayRequest": {"TransitGatewayId": "tgw-1"}},
        None,
        None,
        [("aws_ec2_transit_gateway", "tgw-1")],
    ),
    (
        "ec2",
        "DeleteTransitGateway",
        {"DeleteTransitGatewayRequest": {"TransitGatewayId": "tgw-1"}},
        None,
        None,
        [("aws_ec2_transit_gateway", "tgw-1")],
    ),
    (
        "ec2",
        "DisassociateAddress",
        {"associationId": "eipassoc-1"},
        None,
        None,
        [("aws_eip_association", "eipassoc-1")],
    ),
    (
        "ec2",
        "CreateFlowLogs",
        {"CreateFlowLogsRequest": {"ResourceId": {"content": "vpc-1"}}},
        {"CreateFlowLogsResponse": {"flowLogIdSet": {"item": "fl-1"}}},
        None,
        [("aws_flow_log", "fl-1")],
    ),
    (
        "ec2",
        "DeleteFlowLogs",
        {"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-1", "tag": 1}}},
        None,
        None,
        [("aws_flow_log", "fl-1")],
    ),
    (
        "ec2",
        "AssociateRouteTable",
        {"routeTableId": "rtb-3", "subnetId": "subnet-2"},
        {"associationId": "rtbassoc-1"},
        None,
        [("aws_route_table_association", "rtbassoc-1")],
    ),
    (
        "ec2",
        "ReplaceRouteTableAssociation DisassociateRouteTable",
        {"associationId": "rtbassoc-1"},
        None,
        None,
        [("aws_route_table_association", "rtbassoc-1")],
    ),
    (
        "ec2",
        "CreateVpcEndpoint",
        {"CreateVpcEndpointRequest": {"VpcId": "vpc-1"}},
        {"CreateVpcEndpointResponse": {"vpcEndpoint": {"vpcEndpointId": "vpce-1"}}},
        None,
        [("aws_vpc_endpoint", "vpce-1")],
    ),
    (
        "ec2",
        "ModifyVpcEndpoint",
        {"ModifyVpcEndpointRequest": {"VpcEndpointId": "vpce-1"}},
        None,
        None,
        [("aws_vpc_endpoint", "vpce-1")],
    ),
    (
        "ec2",
        "DeleteVpcEndpoints",
        {"DeleteVpcEndpointsRequest": {"VpcEndpointId": [{"content": "vpce-1", "tag": 1}]}},
        None,
        None,
        [("aws_vpc_endpoint", "vpce-1")],
    ),
    (
        "ec2",
        "CreateVpcPeeringConnection",
        {"vpcId": "vpc-1", "peerVpcId": "vpc-2"},
        {"vpcPeeringConnection": {"vpcPeeringConnectionId": "pcx-1"}},
        None,
        [("aws_vpc_peering_connection", "pcx-1")],
    ),
    (
        "ec2",
        "DeleteVpcPeeringConnection RejectVpcPeeringConnection ModifyVpcPeeringConnectionOptions",
        {"vpcPeeringConnectionId": "pcx-1"},
        None,
        None,
        [("aws_vpc_peering_connection", "pcx-1")],
    ),
    # Edge and traffic types ------------------------------------------------------------
    (
        "acm",
        "DeleteCertificate UpdateCertificateOptions AddTagsToCertificate RemoveTagsFromCertificate",
        {"certificateArn": f"arn:aws:acm:{ARN}:certificate/c-1"},
        None,
        None,
        [("aws_acm_certificate", f"arn:aws:acm:{ARN}:certificate/c-1")],
    ),
    (
        "acm",
        "RequestCertificate ImportCertificate",
        {"domainName": "api.example.com"},
        {"certificateArn": f"arn:aws:acm:{ARN}:certificate/c-1"},
        None,
        [("aws_acm_certificate", f"arn:aws:acm:{ARN}:certificate/c-1")],
    ),
    (
        "apigateway",
        "DeleteRestApi UpdateRestApi PutRestApi",
        {"restApiId": "a1b2c3"},
        None,
        None,
        [("aws_api_gateway_rest_api", "a1b2c3")],
    ),
    (
        "apigateway",
        "CreateRestApi ImportRestApi",
        {"name": "orders"},
        {"id": "a1b2c3"},
        None,
        [("aws_api_gateway_rest_api", "a1b2c3")],
    ),
    (
        "apigateway",
        "CreateStage UpdateStage DeleteStage CreateDeployment",
        {"restApiId": "a1b2c3", "stageName": "prod"},
        None,
        None,
        [("aws_api_gateway_rest_api", "a1b2c3")],
    ),
    (
        "apigatewayv2",
        "DeleteApi UpdateApi ReimportApi DeleteCorsConfiguration",
        {"apiId": "h1t2p3"},
        None,
        None,
        [("aws_apigatewayv2_api", "h1t2p3")],
    ),
    (
        "apigatewayv2",
        "CreateApi ImportApi",
        {"name": "web"},
        {"apiId": "h1t2p3"},
        None,
        [("aws_apigatewayv2_api", "h1t2p3")],
    ),
    (
        "apigatewayv2",
        "CreateStage UpdateStage DeleteStage CreateDeployment",
        {"apiId": "h1t2p3", "stageName": "$default"},
        None,
        None,
        [("aws_apigatewayv2_api", "h1t2p3")],
    ),
    (
        "cloudfront",
        "DeleteDistribution UpdateDistribution",
        {"id": "E2QWRUHAPOMQZL"},
        None,
        None,
        [("aws_cloudfront_distribution", "E2QWRUHAPOMQZL")],
    ),
    (
        "cloudfront",
        "CreateDistribution CreateDistributionWithTags CopyDistribution",
        {},
        {"distribution": {"id": "E2QWRUHAPOMQZL"}},
        None,
        [("aws_cloudfront_distribution", "E2QWRUHAPOMQZL")],
    ),
    (
        "elb",
        "DeleteLoadBalancer CreateLoadBalancer ConfigureHealthCheck ModifyLoadBalancerAttributes "
        "ApplySecurityGroupsToLoadBalancer AttachLoadBalancerToSubnets DetachLoadBalancerFromSubnets "
        "CreateLoadBalancerListeners DeleteLoadBalancerListeners SetLoadBalancerListenerSSLCertificate",
        {"loadBalancerName": "legacy-web"},
        None,
        None,
        [("aws_elb", "legacy-web")],
    ),
    (
        "elb",
        "AddTags RemoveTags",
        {"loadBalancerNames": ["legacy-web"], "tags": []},
        None,
        None,
        [("aws_elb", "legacy-web")],
    ),
    (
        "route53",
        "DeleteHealthCheck UpdateHealthCheck",
        {"healthCheckId": "hc-1"},
        None,
        None,
        [("aws_route53_health_check", "hc-1")],
    ),
    (
        "route53",
        "CreateHealthCheck",
        {"callerReference": "x"},
        {"healthCheck": {"id": "hc-1"}},
        None,
        [("aws_route53_health_check", "hc-1")],
    ),
    # Auto Scaling -------------------------------------------------------------------
    (
        "autoscaling",
        "CreateAutoScalingGroup DeleteAutoScalingGroup UpdateAutoScalingGroup "
        "AttachLoadBalancerTargetGroups DetachLoadBalancerTargetGroups "
        "AttachTrafficSources DetachTrafficSources",
        {"autoScalingGroupName": "web"},
        None,
        None,
        [("aws_autoscaling_group", "web")],
    ),
    (
        "autoscaling",
        "CreateOrUpdateTags DeleteTags",
        {
            "tags": [
                {"resourceId": "web", "resourceType": "auto-scaling-group", "key": "env", "value": "prod"}
            ]
        },
        None,
        None,
        [("aws_autoscaling_group", "web")],
    ),
    # CloudTrail: calls name the trail by name or ARN, Terraform by ARN ---------------
    (
        "cloudtrail",
        "StopLogging StartLogging UpdateTrail DeleteTrail",
        {"name": "org-audit"},
        None,
        None,
        [("aws_cloudtrail", TRAIL)],
    ),
    ("cloudtrail", "PutEventSelectors", {"trailName": TRAIL}, None, None, [("aws_cloudtrail", TRAIL)]),
    (
        "cloudtrail",
        "CreateTrail",
        {"name": "org-audit"},
        {"name": "org-audit", "trailARN": TRAIL},
        None,
        [("aws_cloudtrail", TRAIL)],
    ),
    (
        "cloudtrail",
        "AddTags RemoveTags",
        {"resourceId": TRAIL, "tagsList": []},
        None,
        None,
        [("aws_cloudtrail", TRAIL)],
    ),
    # RDS: the answer carries the DbiResourceId Terraform uses ---------------------------
    (
        "rds",
        "CreateDBInstance CreateDBInstanceReadReplica RestoreDBInstanceFromDBSnapshot ModifyDBInstance "
        "DeleteDBInstance",
        {"dBInstanceIdentifier": "orders"},
        {"dBInstanceIdentifier": "orders", "dbiResourceId": DBI},
        None,
        [("aws_db_instance", DBI)],
    ),
    (
        "rds",
        "CreateDBSubnetGroup ModifyDBSubnetGroup DeleteDBSubnetGroup",
        {"dBSubnetGroupName": "private"},
        None,
        None,
        [("aws_db_subnet_group", "private")],
    ),
    (
        "rds",
        "AddTagsToResource RemoveTagsFromResource",
        {"resourceName": f"arn:aws:rds:{ARN}:subgrp:private"},
        None,
        None,
        [("aws_db_subnet_group", "private")],
    ),
    # DynamoDB -----------------------------------------------------------------------
    (
        "dynamodb",
        "CreateTable DeleteTable UpdateTable UpdateContinuousBackups",
        {"tableName": "orders"},
        None,
        None,
        [("aws_dynamodb_table", "orders")],
    ),
    (
        "dynamodb",
        "TagResource UntagResource",
        {"resourceArn": f"arn:aws:dynamodb:{ARN}:table/orders"},
        None,
        None,
        [("aws_dynamodb_table", "orders")],
    ),
    # ELBv2: ARNs, each kind its own type ---------------------------------------------
    (
        "elbv2",
        "CreateLoadBalancer",
        {"name": "web"},
        {"loadBalancers": [{"loadBalancerArn": LB}]},
        None,
        [("aws_lb", LB)],
    ),
    (
        "elbv2",
        "DeleteLoadBalancer SetSecurityGroups SetSubnets SetIpAddressType ModifyLoadBalancerAttributes",
        {"loadBalancerArn": LB},
        None,
        None,
        [("aws_lb", LB)],
    ),
    (
        "elbv2",
        "AddTags RemoveTags",
        {"resourceArns": [LB, LISTENER, RULE, TG]},
        None,
        None,
        [
            ("aws_lb", LB),
            ("aws_lb_listener", LISTENER),
            ("aws_lb_listener_rule", RULE),
            ("aws_lb_target_group", TG),
        ],
    ),
    (
        "elbv2",
        "CreateListener",
        {"loadBalancerArn": LB},
        {"listeners": [{"listenerArn": LISTENER}]},
        None,
        [("aws_lb_listener", LISTENER)],
    ),
    (
        "elbv2",
        "DeleteListener ModifyListener",
        {"listenerArn": LISTENER},
        None,
        None,
        [("aws_lb_listener", LISTENER)],
    ),
    (
        "elbv2",
        "CreateRule",
        {"listenerArn": LISTENER},
        {"rules": [{"ruleArn": RULE}]},
        None,
        [("aws_lb_listener_rule", RULE)],
    ),
    ("elbv2", "DeleteRule ModifyRule", {"ruleArn": RULE}, None, None, [("aws_lb_listener_rule", RULE)]),
    (
        "elbv2",
        "SetRulePriorities",
        {"rulePriorities": [{"ruleArn": RULE, "priority": 5}]},
        None,
        None,
        [("aws_lb_listener_rule", RULE)],
    ),
    (
        "elbv2",
        "CreateTargetGroup",
        {"name": "web"},
        {"targetGroups": [{"targetGroupArn": TG}]},
        None,
        [("aws_lb_target_group", TG)],
    ),
    (
        "elbv2",
        "DeleteTargetGroup ModifyTargetGroup",
        {"targetGroupArn": TG},
        None,
        None,
        [("aws_lb_target_group", TG)],
    ),
    # IAM (global: delivered in us-east-1) ----------------------------------------------
    (
        "iam",
        "CreateRole DeleteRole UpdateRole UpdateRoleDescription UpdateAssumeRolePolicy TagRole UntagRole "
        "PutRolePermissionsBoundary DeleteRolePermissionsBoundary",
        {"roleName": "app"},
        None,
        None,
        [("aws_iam_role", "app")],
    ),
    (
        "iam",
        "AttachRolePolicy DetachRolePolicy",
        {"roleName": "app", "policyArn": POLICY},
        None,
        None,
        [("aws_iam_role", "app"), ("aws_iam_policy", POLICY)],
    ),
    (
        "iam",
        "PutRolePolicy DeleteRolePolicy",
        {"roleName": "app", "policyName": "s3-read"},
        None,
        None,
        [("aws_iam_role_policy", "app:s3-read")],
    ),
    (
        "iam",
        "PutUserPolicy DeleteUserPolicy",
        {"userName": "bob", "policyName": "s3-read"},
        None,
        None,
        [("aws_iam_user_policy", "bob:s3-read")],
    ),
    (
        "iam",
        "CreateUser DeleteUser UpdateUser TagUser UntagUser PutUserPermissionsBoundary "
        "DeleteUserPermissionsBoundary",
        {"userName": "bob"},
        None,
        None,
        [("aws_iam_user", "bob")],
    ),
    (
        "iam",
        "CreateGroup DeleteGroup UpdateGroup",
        {"groupName": "ops"},
        None,
        None,
        [("aws_iam_group", "ops")],
    ),
    (
        "iam",
        "CreatePolicy",
        {"policyName": "deploy"},
        {"policy": {"arn": POLICY, "policyName": "deploy"}},
        None,
        [("aws_iam_policy", POLICY)],
    ),
    (
        "iam",
        "DeletePolicy CreatePolicyVersion SetDefaultPolicyVersion",
        {"policyArn": POLICY},
        None,
        None,
        [("aws_iam_policy", POLICY)],
    ),
    # KMS: an alias in keyId is no key id; the key's ARN is in `resources` -------------
    (
        "kms",
        "DisableKey EnableKey ScheduleKeyDeletion CancelKeyDeletion PutKeyPolicy EnableKeyRotation "
        "DisableKeyRotation UpdateKeyDescription TagResource UntagResource",
        {"keyId": "alias/app"},
        None,
        _kms(KEY_ARN),
        [("aws_kms_key", KEY)],
    ),
    ("kms", "DisableKey", {"keyId": KEY_ARN}, None, None, [("aws_kms_key", KEY)]),
    (
        "kms",
        "CreateKey",
        {"description": "app"},
        {"keyMetadata": {"keyId": KEY, "arn": KEY_ARN}},
        None,
        [("aws_kms_key", KEY)],
    ),
    (
        "kms",
        "CreateAlias DeleteAlias UpdateAlias",
        {"aliasName": "alias/app", "targetKeyId": KEY},
        None,
        None,
        [("aws_kms_alias", "alias/app")],
    ),
    # Lambda: event names carry the API version; ARNs may carry a qualifier -----------
    (
        "lambda",
        "CreateFunction20150331",
        {"functionName": "api"},
        {"functionName": "api", "functionArn": f"arn:aws:lambda:{ARN}:function:api"},
        None,
        [("aws_lambda_function", "api")],
    ),
    (
        "lambda",
        "DeleteFunction20150331 UpdateFunctionConfiguration20150331v2 UpdateFunctionCode20150331v2",
        {"functionName": f"arn:aws:lambda:{ARN}:function:api"},
        None,
        None,
        [("aws_lambda_function", "api")],
    ),
    (
        "lambda",
        "TagResource20170331v2 UntagResource20170331v2",
        {"resource": f"arn:aws:lambda:{ARN}:function:api:live"},
        None,
        None,
        [("aws_lambda_function", "api")],
    ),
    # Route53 (global) -----------------------------------------------------------------
    (
        "route53",
        "CreateHostedZone",
        {"name": "example.com"},
        {"hostedZone": {"id": "/hostedzone/Z0123ABC"}},
        None,
        [("aws_route53_zone", "Z0123ABC")],
    ),
    (
        "route53",
        "DeleteHostedZone UpdateHostedZoneComment",
        {"id": "Z0123ABC"},
        None,
        None,
        [("aws_route53_zone", "Z0123ABC")],
    ),
    (
        "route53",
        "ChangeTagsForResource",
        {"resourceType": "hostedzone", "resourceId": "Z0123ABC"},
        None,
        None,
        [("aws_route53_zone", "Z0123ABC")],
    ),
    (
        "route53",
        "ChangeResourceRecordSets",
        {
            "hostedZoneId": "/hostedzone/Z0123ABC",
            "changeBatch": {
                "changes": [
                    {
                        "action": "UPSERT",
                        "resourceRecordSet": {"name": "WWW.example.com.", "type": "A", "tTL": 60},
                    },
                    {
                        "action": "DELETE",
                        "resourceRecordSet": {
                            "name": "api.example.com",
                            "type": "CNAME",
                            "setIdentifier": "blue",
                        },
                    },
                ]
            },
        },
        None,
        None,
        [
            ("aws_route53_record", "Z0123ABC_www.example.com_A"),
            ("aws_route53_record", "Z0123ABC_api.example.com_CNAME_blue"),
        ],
    ),
    # S3: each bucket setting is its own type, whose id is the bucket name -------------
    (
        "s3",
        "CreateBucket DeleteBucket PutBucketTagging DeleteBucketTagging",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com"},
        None,
        [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::logs"}],
        [("aws_s3_bucket", "logs")],
    ),
    (
        "s3",
        "PutBucketPolicy DeleteBucketPolicy",
        {"bucketName": "logs", "policy": ""},
        None,
        None,
        [("aws_s3_bucket_policy", "logs")],
    ),
    (
        "s3",
        "PutBucketPublicAccessBlock DeleteBucketPublicAccessBlock",
        {"bucketName": "logs"},
        None,
        None,
        [("aws_s3_bucket_public_access_block", "logs")],
    ),
    ("s3", "PutBucketVersioning", {"bucketName": "logs"}, None, None, [("aws_s3_bucket_versioning", "logs")]),
    (
        "s3",
        "PutBucketEncryption DeleteBucketEncryption",
        {"bucketName": "logs"},
        None,
        None,
        [("aws_s3_bucket_server_side_encryption_configuration", "logs")],
    ),
    (
        "s3",
        "PutBucketOwnershipControls DeleteBucketOwnershipControls",
        {"bucketName": "logs"},
        None,
        None,
        [("aws_s3_bucket_ownership_controls", "logs")],
    ),
    # SNS, SQS ---------------------------------------------------------------------------
    ("sns", "CreateTopic", {"name": "alerts"}, {"topicArn": TOPIC}, None, [("aws_sns_topic", TOPIC)]),
    ("sns", "DeleteTopic SetTopicAttributes", {"topicArn": TOPIC}, None, None, [("aws_sns_topic", TOPIC)]),
    ("sns", "TagResource UntagResource", {"resourceArn": TOPIC}, None, None, [("aws_sns_topic", TOPIC)]),
    ("sqs", "CreateQueue", {"queueName": "jobs"}, {"queueUrl": QUEUE}, None, [("aws_sqs_queue", QUEUE)]),
    (
        "sqs",
        "DeleteQueue SetQueueAttributes TagQueue UntagQueue",
        {"queueUrl": QUEUE},
        None,
        None,
        [("aws_sqs_queue", QUEUE)],
    ),
]

# Values a type must not take for its own: another kind's ARN, an alias where a key id belongs.
NOT_TOUCHED: list[tuple[str, str, Any, Any]] = [
    ("kms", "DisableKey", {"keyId": "alias/app"}, None),  # no `resources`: nothing says which key
    ("sns", "SetTopicAttributes", {"topicArn": f"{TOPIC}:7f3a3c1e-0b1e-4b8a-9d1c-2f3e4a5b6c7d"}, None),
    ("ec2", "DeleteTags", {"tags": [{"resourceId": "web", "resourceType": "auto-scaling-group"}]}, None),
    ("autoscaling", "DeleteTags", _ec2_tags("sg-0a1"), None),  # the same name on another service
    ("route53", "ChangeTagsForResource", {"resourceType": "healthcheck", "resourceId": "abcdef12"}, None),
]


def _sample(service: str, name: str, request: Any, response: Any, resources: Any = None) -> dict[str, Any]:
    source = source_of(next(d for d in REGISTRY.types.values() if d.service == service))
    return record(
        name,
        iam_user_identity(),
        request,
        response,
        event_id=f"ev-{name}",
        source=source,
        region=REGION,
        resources=resources,
    )


def _cases() -> list[tuple[str, str, Any, Any, Any, list[tuple[str, str]]]]:
    rows = [*SAMPLES, *family_samples()]
    return [(s, name, rq, rs, rc, want) for s, names, rq, rs, rc, want in rows for name in names.split()]


@pytest.mark.parametrize(("service", "name", "request_", "response", "resources", "want"), _cases())
def test_a_sample_record_of_each_followed_event_resolves_to_the_resource_it_touched(
    service: str, name: str, request_: Any, response: Any, resources: Any, want: list[tuple[str, str]]
) -> None:
    assert sorted(touched(_sample(service, name, request_, response, resources), REGISTRY)) == sorted(want)


@pytest.mark.parametrize(("service", "name", "request_", "response"), NOT_TOUCHED)
def test_a_value_of_another_kind_touches_nothing(
    service: str, name: str, request_: Any, response: Any
) -> None:
    assert touched(_sample(service, name, request_, response), REGISTRY) == []


def test_every_registered_type_follows_events_and_every_followed_event_has_a_sample() -> None:
    sampled = {
        (source_of(next(d for d in REGISTRY.types.values() if d.service == s)), n) for s, n, *_ in _cases()
    }
    missing = [
        (name, source_of(declaration), event)
        for name, declaration in sorted(REGISTRY.types.items())
        for event in (declaration.events.touched_by if declaration.events else ["<no events>"])
        if (source_of(declaration), event) not in sampled
    ]
    assert missing == []
    unfollowed = [name for name, d in REGISTRY.types.items() if d.events is None or not d.events.touched_by]
    assert unfollowed == []


@cache
def _operations(service: str) -> frozenset[str]:
    return frozenset(botocore.session.get_session().get_service_model(service).operation_names)


def test_every_event_named_is_a_real_operation_of_its_service() -> None:
    """CloudTrail's names are botocore's operations, but for Lambda's API-version suffix and
    S3's PutBucketPublicAccessBlock (guard.live.events.api_operation)."""
    unknown = [
        (name, event)
        for name, declaration in sorted(REGISTRY.types.items())
        if declaration.events is not None
        for event in declaration.events.names()
        if api_operation(source_of(declaration), event) not in _operations(declaration.service)
    ]
    assert unknown == []


def test_the_api_version_and_s3_names_map_to_operations() -> None:
    assert api_operation("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2") == (
        "UpdateFunctionConfiguration"
    )
    assert api_operation("lambda.amazonaws.com", "PutFunctionConcurrency20171031") == "PutFunctionConcurrency"
    assert api_operation("s3.amazonaws.com", "PutBucketPublicAccessBlock") == "PutPublicAccessBlock"
    assert api_operation("ec2.amazonaws.com", "CreateTags") == "CreateTags"


def test_the_followed_events_are_grouped_by_source_and_sorted() -> None:
    sources = followed(REGISTRY.types.values())
    assert list(sources) == sorted(sources)
    assert all(names == sorted(set(names)) for names in sources.values())
    assert "PutBucketPolicy" in sources["s3.amazonaws.com"]
    assert "ModifyListener" in sources["elasticloadbalancing.amazonaws.com"]


# --- a newly followed service, end to end on moto ---------------------------------


def _bucket_policy_event(
    bucket: str, policy: dict[str, Any], name: str = "PutBucketPolicy"
) -> dict[str, Any]:
    """What CloudTrail records for a bucket call (S3 puts the bucket's ARN in `resources`)."""
    return eventbridge(
        record(
            name,
            sso_console_identity(),
            {
                "bucketName": bucket,
                "bucketPolicy": policy,
                "policy": "",
                "Host": f"{bucket}.s3.amazonaws.com",
            },
            event_id=f"ev-{name}",
            source="s3.amazonaws.com",
            resources=[{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
            console=True,
        )
    )


def test_a_bucket_policy_put_in_the_console_is_found_through_on_event(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_policy(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    public = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    aws.client("s3", region_name=REGION).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public))
    event = tmp_path / "event.json"
    event.write_text(json.dumps(_bucket_policy_event(BUCKET, public)), encoding="utf-8")

    result = guard("on-event", "--state", path, "--event", event, "--format", "json")

    assert result.code == 2, result.err
    [outcome] = result.json()["events"]
    assert outcome["resources"] == [BUCKET]
    [finding] = outcome["report"]["findings"]
    assert (finding["kind"], finding["address"]) == ("changed", "aws_s3_bucket_policy.assets")
    assert [change["path"] for change in finding["changes"]] == ["policy"]
    assert finding["actor"]["via"] == "console"


def test_an_s3_call_guard_does_not_check_costs_no_aws_call(aws, tmp_path):
    state, ctx = TerraformState(), {}
    build_policy(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    session = boto3.Session(region_name=REGION)
    calls: list[str] = []
    session.events.register("before-send", lambda request, **_: calls.append(request.url))

    [outcome] = check_events(
        _bucket_policy_event(BUCKET, {}, "PutBucketRequestPayment"), [str(path)], Clients(session)
    )

    assert (outcome.status, outcome.reason) == (
        "ignored",
        "guard does not follow s3.amazonaws.com PutBucketRequestPayment",
    )
    assert calls == []


# --- guard events-rule ----------------------------------------------------------------


def _doc_section() -> str:
    text = (Path(__file__).resolve().parent.parent / "docs" / "event-driven.md").read_text(encoding="utf-8")
    section = text.split("## The EventBridge rule", 1)[1]
    return section.split("\n## ", 1)[0]


def test_the_docs_hold_the_pattern_the_command_prints_for_every_type(guard):
    result = guard("events-rule")

    assert result.code == 0, result.err
    section = _doc_section()
    documented = section.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(documented) == json.loads(result.out)
    size = pattern_size(json.loads(result.out))
    assert f"is {size:,} characters" in section
    assert (size > PATTERN_LIMIT) == ("guard: note: the pattern is" in result.err)


def test_the_pattern_for_all_types_names_every_followed_call_and_its_sources(guard):
    pattern = json.loads(guard("events-rule").out)

    assert pattern["detail-type"] == ["AWS API Call via CloudTrail"]
    assert pattern["detail"]["eventSource"] == sorted({source_of(d) for d in REGISTRY.types.values()})
    assert "aws.elasticloadbalancing" in pattern["source"]
    every = {name for d in REGISTRY.types.values() if d.events for name in d.events.touched_by}
    assert pattern["detail"]["eventName"] == sorted(every)


def test_split_patterns_fit_the_limit_and_together_match_the_same_calls(guard):
    result = guard("events-rule", "--split")

    assert result.code == 0, result.err
    patterns = json.loads(result.out)
    assert len(patterns) > 1
    assert all(pattern_size(p) <= PATTERN_LIMIT for p in patterns)
    pairs = {(s, n) for p in patterns for s in p["detail"]["eventSource"] for n in p["detail"]["eventName"]}
    assert set(pairs) >= {(s, n) for s, names in followed(REGISTRY.types.values()).items() for n in names}
    assert result.err == ""


def test_with_a_state_the_pattern_follows_only_its_types_and_their_children(aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    build_policy(aws, state, ctx)  # two buckets and one bucket policy
    path = state.write(tmp_path / "terraform.tfstate")

    result = guard("events-rule", "--state", path)

    assert result.code == 0, result.err
    pattern = json.loads(result.out)
    assert pattern["source"] == ["aws.s3"]
    assert pattern["detail"]["eventSource"] == ["s3.amazonaws.com"]
    names = pattern["detail"]["eventName"]
    # The bucket's child types come with it: a public access block put on a declared bucket
    # is an unmanaged resource guard reports.
    assert {"PutBucketPolicy", "DeleteBucket", "PutBucketPublicAccessBlock", "PutBucketVersioning"} <= set(
        names
    )
    assert result.err == ""


def test_an_unreadable_state_is_one_line_and_exit_1(guard, tmp_path):
    broken = tmp_path / "broken.tfstate"
    broken.write_text("{not json", encoding="utf-8")

    result = guard("events-rule", "--state", broken)

    assert result.code == 1
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1 and str(broken) in result.err


# --- the type cases' own edits, through on-event --------------------------------------

Event = tuple[str, str, Any, Any]  # (service, event name, requestParameters, responseElements)

# The event CloudTrail records for each type case's edit (tests/cases), by (type, kind):
# on-event must find exactly the finding the scan sweep finds.
CASE_EVENTS: dict[tuple[str, str], Any] = {
    ("aws_route", "missing"): lambda c: (
        "ec2",
        "DeleteRoute",
        {"routeTableId": c["route_table_id"], "destinationCidrBlock": "0.0.0.0/0"},
        None,
    ),
    ("aws_iam_role_policy", "changed"): lambda c: (
        "iam",
        "PutRolePolicy",
        {"roleName": "app-server", "policyName": "read-logs", "policyDocument": "{}"},
        None,
    ),
    ("aws_iam_role_policy_attachment", "missing"): lambda c: (
        "iam",
        "DetachRolePolicy",
        {"roleName": "app-server", "policyArn": c["policy_arn"]},
        None,
    ),
    ("aws_route53_record", "changed"): lambda c: (
        "route53",
        "ChangeResourceRecordSets",
        {
            "hostedZoneId": c["zone_id"],
            "changeBatch": {
                "changes": [
                    {"action": "UPSERT", "resourceRecordSet": {"name": "www.example.com.", "type": "A"}}
                ]
            },
        },
        {"changeInfo": {"id": "/change/C1", "status": "PENDING"}},
    ),
    ("aws_kms_key", "changed"): lambda c: ("kms", "DisableKeyRotation", {"keyId": c["key_id"]}, None),
    ("aws_lambda_function", "changed"): lambda c: (
        "lambda",
        "UpdateFunctionConfiguration20150331v2",
        {"functionName": f"arn:aws:lambda:{ARN}:function:{c['function']}"},
        None,
    ),
    ("aws_lb_listener", "changed"): lambda c: (
        "elbv2",
        "ModifyListener",
        {"listenerArn": c["listener_arn"]},
        None,
    ),
    ("aws_sqs_queue", "changed"): lambda c: ("sqs", "SetQueueAttributes", {"queueUrl": c["queue_url"]}, None),
    ("aws_db_instance", "changed"): lambda c: (
        "rds",
        "ModifyDBInstance",
        {"dBInstanceIdentifier": "orders"},
        {"dbiResourceId": c["db_id"]},
    ),
}


def _case(type_name: str, kind: str) -> Any:
    import importlib
    import pkgutil

    import tests.cases

    for module in pkgutil.iter_modules(tests.cases.__path__):
        for case in importlib.import_module(f"tests.cases.{module.name}").CASES:
            if (case.type, case.expected.kind) == (type_name, kind):
                return case
    raise LookupError((type_name, kind))


@pytest.mark.parametrize(("type_name", "kind"), sorted(CASE_EVENTS), ids=lambda value: str(value))
def test_the_edit_of_each_type_case_is_found_from_its_cloudtrail_event(type_name, kind, aws, tmp_path):
    case = _case(type_name, kind)
    state, ctx = TerraformState(), {}
    case.build(aws, state, ctx)
    path = state.write(tmp_path / "terraform.tfstate")
    case.drift(aws, ctx)
    service, name, request_, response = CASE_EVENTS[(type_name, kind)](ctx)

    [outcome] = check_events(
        eventbridge(_sample(service, name, request_, response)), [str(path)], Clients(aws)
    )

    assert outcome.status == "drift", outcome.reason
    assert outcome.report is not None
    [finding] = outcome.report.findings
    want = case.expected
    assert (finding.kind.value, finding.type, finding.id) == (want.kind, want.type, ctx[want.id_key])
    assert finding.address == want.address
