"""Pulumi stacks: the demo's web estate as a `pulumi stack export`, scanned like its Terraform twin."""

from __future__ import annotations

import json

import pytest

from guard.demo import build_web_estate, delete_https_rule
from guard.errors import InputError
from guard.state.pulumi import parse_pulumi, snake_case, terraform_type, to_terraform_attrs
from tests.pulumi_estate import STACK_URN, ciphertext, plaintext, urn, web_estate_export

REGION = "us-east-1"


def _findings(result):
    return sorted((f["kind"], f["type"], f["id"]) for f in result.json()["findings"])


@pytest.fixture
def estate(aws, tmp_path):
    built = build_web_estate(aws, REGION)
    export = web_estate_export(aws, built, REGION)
    stack = tmp_path / "stack.json"
    stack.write_text(json.dumps(export.document(), indent=4))
    tfstate = built.state.write(tmp_path / "terraform.tfstate")
    return built, stack, tfstate


def test_clean_stack_scans_clean(guard, estate):
    _, stack, _ = estate
    result = guard("scan", "--pulumi-stack", stack, "--region", REGION, "--format", "json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["findings"] == []
    # Eight resources (VPC, 2 subnets, 2 groups, 1 rule, 2 instances), all checked.
    assert report["summary"]["coverage"] == {"managed": 8, "checked": 8}


def test_drifted_stack_has_the_same_findings_as_terraform(guard, estate, aws):
    built, stack, tfstate = estate
    delete_https_rule(aws, built.lb_group_id, REGION)
    pulumi = guard("scan", "--pulumi-stack", stack, "--region", REGION, "--format", "json")
    terraform = guard("scan", "--state", tfstate, "--region", REGION, "--format", "json")
    assert pulumi.code == terraform.code == 2
    assert _findings(pulumi) == _findings(terraform) == [("missing", "aws_security_group", built.lb_group_id)]
    (finding,) = pulumi.json()["findings"]
    lb_urn = urn("acme:edge:Edge$aws:ec2/securityGroup:SecurityGroup", "prod-alb")
    assert finding["address"] == lb_urn
    assert finding["account"] == built.account and finding["region"] == REGION
    iac = [step["iac"] for step in finding["rollback"] if step["kind"] == "iac"]
    assert iac == [f"pulumi up --target '{lb_urn}'"]
    assert any("authorize-security-group-ingress" in (step["cli"] or "") for step in finding["rollback"])


def test_backend_checkpoint_file_reads_like_an_export(aws, estate, tmp_path):
    built, _, _ = estate
    export = web_estate_export(aws, built, REGION)
    from_export = parse_pulumi(json.dumps(export.document()), "export")
    from_checkpoint = parse_pulumi(json.dumps(export.checkpoint()), "checkpoint")
    assert [(r.type, r.id, r.address) for r in from_export] == [
        (r.type, r.id, r.address) for r in from_checkpoint
    ]


def test_stack_provider_and_component_resources_are_skipped(aws, estate):
    _, stack, _ = estate
    resources = parse_pulumi(stack.read_text(), str(stack))
    assert sorted(r.type for r in resources) == [
        "aws_instance",
        "aws_instance",
        "aws_security_group",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_subnet",
        "aws_subnet",
        "aws_vpc",
    ]
    assert all(r.address.startswith("urn:pulumi:prod::web::") for r in resources)
    assert STACK_URN not in {r.address for r in resources}


def test_outputs_map_to_the_terraform_attribute_shape(aws, estate):
    built, stack, _ = estate
    resources = {r.id: r for r in parse_pulumi(stack.read_text(), str(stack))}
    group = resources[built.lb_group_id]
    assert group.attrs["vpc_id"] == built.vpc_id
    assert group.attrs["ingress"][0] == {
        "cidr_blocks": ["0.0.0.0/0"],
        "description": "HTTPS from anywhere",
        "from_port": 443,
        "ipv6_cidr_blocks": [],
        "prefix_list_ids": [],
        "protocol": "tcp",
        "security_groups": [],
        "self": False,
        "to_port": 443,
    }
    assert group.attrs["tags_all"]["ManagedBy"] == "terraform"  # map keys are data, not field names
    assert "__meta" not in group.attrs
    instance = resources[built.instance_ids[0]]
    assert instance.attrs["metadata_options"][0]["http_tokens"] == "required"  # one-item block: a list of one
    assert instance.attrs["ebs_block_device"] == []  # plural list block: Terraform's singular name
    assert instance.attrs["root_block_device"][0]["volume_size"] == 8
    assert (instance.account, instance.region) == (built.account, REGION)


def test_type_tokens_map_to_terraform_types():
    known = {"aws_s3_bucket", "aws_iam_role", "aws_lb", "aws_db_instance"}
    cases = {
        "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "aws_vpc_security_group_ingress_rule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "aws_vpc_security_group_egress_rule",
        "aws:ec2/securityGroupRule:SecurityGroupRule": "aws_security_group_rule",
        "aws:ec2/instance:Instance": "aws_instance",
        "aws:ec2/vpc:Vpc": "aws_vpc",
        "aws:ec2/subnet:Subnet": "aws_subnet",
        "aws:ec2/internetGateway:InternetGateway": "aws_internet_gateway",
        "aws:ec2/routeTable:RouteTable": "aws_route_table",
        "aws:ec2/vpcEndpoint:VpcEndpoint": "aws_vpc_endpoint",
        "aws:s3/bucket:Bucket": "aws_s3_bucket",
        "aws:s3/bucketV2:BucketV2": "aws_s3_bucket",
        "aws:s3/bucketVersioningV2:BucketVersioningV2": "aws_s3_bucket_versioning",
        "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws_s3_bucket_public_access_block",
        "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
        "aws:iam/role:Role": "aws_iam_role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "aws_iam_role_policy_attachment",
        "aws:iam/user:User": "aws_iam_user",
        "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
        "aws:lb/listener:Listener": "aws_lb_listener",
        "aws:lb/targetGroup:TargetGroup": "aws_lb_target_group",
        "aws:rds/instance:Instance": "aws_db_instance",
        "aws:rds/cluster:Cluster": "aws_rds_cluster",
        "aws:kms/key:Key": "aws_kms_key",
        "aws:lambda/function:Function": "aws_lambda_function",
        "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
        "aws:dynamodb/table:Table": "aws_dynamodb_table",
        "aws:sqs/queue:Queue": "aws_sqs_queue",
        "aws:sns/topic:Topic": "aws_sns_topic",
        "aws:ebs/volume:Volume": "aws_ebs_volume",
        "aws:autoscaling/group:Group": "aws_autoscaling_group",
        "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
        "aws:ecr/repository:Repository": "aws_ecr_repository",
        "aws:route53/record:Record": "aws_route53_record",
        "random:index/randomPassword:RandomPassword": "random_password",
    }
    assert {token: terraform_type(token, known) for token in cases} == cases


def test_every_registered_type_has_a_token_that_maps_back():
    """Every type guard checks, written as the bridge writes its token, reads back as itself."""
    from guard.live import REGISTRY
    from guard.pipeline.accounts import known_types

    known = known_types(REGISTRY)
    for name in known:
        for token in _tokens_for(name):
            if terraform_type(token, known) == name:
                break
        else:
            pytest.fail(f"no Pulumi token maps to {name}")


def _tokens_for(tf_type: str) -> list[str]:
    words = tf_type.removeprefix("aws_").split("_")
    tokens = []
    for split in range(1, len(words)):
        module, rest = "".join(words[:split]), words[split:]
        member = rest[0] + "".join(w.capitalize() for w in rest[1:])
        tokens.append(f"aws:{module}/{member}:{member[0].upper() + member[1:]}")
    member = words[0] + "".join(w.capitalize() for w in words[1:])
    tokens.append(f"aws:ec2/{member}:{member[0].upper() + member[1:]}")
    return tokens


def test_snake_case_leaves_data_keys_alone():
    assert [snake_case(k) for k in ("cidrBlocks", "ipv6CidrBlocks", "enableDns64", "ManagedBy", "a:b")] == [
        "cidr_blocks",
        "ipv6_cidr_blocks",
        "enable_dns64",
        "ManagedBy",
        "a:b",
    ]


def test_plural_block_names_and_one_item_blocks():
    attrs, _, _ = to_terraform_attrs(
        {
            "inlinePolicies": [{"name": "s3", "policy": "{}"}],
            "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "ingress": [{"fromPort": 443}],
            "securityGroups": ["sg-1"],
            "versioning": {"enabled": True, "mfaDelete": False},
            "tags": {"costCenter": "42"},
        },
        "aws_iam_role",
    )
    assert attrs == {
        "inline_policy": [{"name": "s3", "policy": "{}"}],
        "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "ingress": [{"from_port": 443}],
        "security_groups": ["sg-1"],
        "versioning": [{"enabled": True, "mfa_delete": False}],
        "tags": {"costCenter": "42"},
    }


def test_secrets_are_unwrapped_for_comparison_and_marked_sensitive():
    attrs, secret, unreadable = to_terraform_attrs(
        {"password": plaintext("hunter22"), "userData": ciphertext(), "name": "db"}, "aws_db_instance"
    )
    assert attrs == {"password": "hunter22", "name": "db"}
    assert secret == {"password", "user_data"} and unreadable == {"user_data"}


def test_secret_tag_change_is_masked_in_every_output(guard, aws, tmp_path):
    built = build_web_estate(aws, REGION)
    export = web_estate_export(aws, built, REGION)
    for resource in export.resources:
        if resource.get("type") == "aws:ec2/vpc:Vpc":
            tags = resource["outputs"]["tags"]
            resource["outputs"]["tags"] = plaintext({**tags, "Owner": "s3cr3t-owner"})
            resource["outputs"]["tagsAll"] = plaintext(
                {**resource["outputs"]["tagsAll"], "Owner": "s3cr3t-owner"}
            )
    aws.client("ec2", region_name=REGION).create_tags(
        Resources=[built.vpc_id], Tags=[{"Key": "Owner", "Value": "s3cr3t-intruder"}]
    )
    stack = tmp_path / "stack.json"
    stack.write_text(json.dumps(export.document()))
    for output_format in ("json", "console"):
        result = guard("scan", "--pulumi-stack", stack, "--region", REGION, "--format", output_format)
        assert result.code == 2, result.err
        assert "tags.Owner" in result.out
        assert "s3cr3t" not in result.out + result.err
        assert "(sensitive)" in result.out


def test_encrypted_secret_never_appears(guard, estate):
    _, stack, _ = estate
    result = guard("scan", "--pulumi-stack", stack, "--region", REGION, "--format", "json")
    assert "QmDk3s3W6kq0cDJq" not in result.out


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ({"version": 2, "deployment": {"resources": []}}, "checkpoint version 2"),
        ({"version": 4, "deployment": {"resources": []}}, "checkpoint version 4"),
        ({"deployment": {"resources": []}}, "checkpoint version None"),
        ({"version": 4, "terraform_version": "1.9.8", "resources": []}, "looks like a Terraform state"),
        ({"version": 3}, "neither `deployment` nor `checkpoint`"),
        ({"version": 3, "deployment": {"resources": [{"type": "aws:ec2/vpc:Vpc"}]}}, "no `urn` string"),
    ],
)
def test_bad_export_is_one_clear_error(document, says):
    with pytest.raises(InputError) as raised:
        parse_pulumi(json.dumps(document), "stack.json")
    assert "stack.json" in str(raised.value) and says in str(raised.value)


def test_cli_bad_export_exits_1_with_one_line(guard, tmp_path):
    stack = tmp_path / "old.json"
    stack.write_text(json.dumps({"version": 1, "deployment": {"resources": []}}))
    result = guard("scan", "--pulumi-stack", stack, "--region", REGION)
    assert result.code == 1
    assert result.err.count("\n") == 1 and "old.json" in result.err and "version 1" in result.err
