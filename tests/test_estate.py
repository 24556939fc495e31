"""A realistic production estate across every supported service, scanned clean, then eight
different console edits, each found, and nothing else.

Built on moto as `terraform apply` would build it: the web tier from guard.demo, and a
platform state (S3, IAM, RDS, Route53, KMS, Lambda, CloudTrail, Auto Scaling, DynamoDB,
SQS, SNS) written in the AWS provider 5.x attribute shapes. Where moto differs from AWS
(no default bucket encryption, one DbiResourceId for every instance) guard is coded for
AWS and the cases in tests/cases/ say so.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from guard.demo import build_web_estate, delete_https_rule
from guard.demo.emulator import machine_image
from guard.demo.state import TerraformState, route53_record_attributes, route53_zone_attributes
from tests.cases.iam import ASSUME_EC2, READ_LOGS
from tests.cases.s3 import ALL_BLOCKED, read_only_policy
from tests.cases.services import REGION, account, client, function_zip, lambda_role
from tests.support.services import (
    autoscaling_group_attributes,
    cloudtrail_attributes,
    db_instance_attributes,
    db_subnet_group_attributes,
    dynamodb_table_attributes,
    iam_group_attributes,
    iam_inline_policy_attributes,
    iam_policy_attributes,
    iam_role_attributes,
    iam_role_policy_attachment_attributes,
    iam_user_attributes,
    kms_alias_attributes,
    kms_key_attributes,
    lambda_function_attributes,
    launch_configuration_attributes,
    s3_bucket_attributes,
    s3_bucket_policy_attributes,
    s3_encryption_attributes,
    s3_ownership_controls_attributes,
    s3_public_access_block_attributes,
    s3_versioning_attributes,
    sns_topic_attributes,
    sqs_queue_attributes,
)

BUCKETS = ("assets", "logs", "audit", "backups", "exports")


def _buckets(session: boto3.Session, state: TerraformState, acct: str, key: dict[str, Any]) -> None:
    s3 = client(session, "s3")
    for name in BUCKETS:
        bucket = f"acme-prod-{name}"
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "Data", "Value": name}]})
        state.add("aws_s3_bucket", name, s3_bucket_attributes(bucket, REGION, {"Data": name}))
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=ALL_BLOCKED)
        state.add(
            "aws_s3_bucket_public_access_block", name, s3_public_access_block_attributes(bucket, ALL_BLOCKED)
        )
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        state.add("aws_s3_bucket_versioning", name, s3_versioning_attributes(bucket, "Enabled"))
        rule = {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]},
            "BucketKeyEnabled": True,
        }
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule]})
        state.add(
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
            s3_encryption_attributes(bucket, "aws:kms", key["Arn"], True),
        )
        s3.put_bucket_ownership_controls(
            Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        )
        state.add(
            "aws_s3_bucket_ownership_controls",
            name,
            s3_ownership_controls_attributes(bucket, "BucketOwnerEnforced"),
        )
    for name in ("assets", "exports"):
        bucket = f"acme-prod-{name}"
        policy = read_only_policy(acct, bucket)
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        state.add("aws_s3_bucket_policy", name, s3_bucket_policy_attributes(bucket, policy))


def _iam(session: boto3.Session, state: TerraformState) -> dict[str, str]:
    iam = client(session, "iam")
    role = iam.create_role(RoleName="app-server", AssumeRolePolicyDocument=json.dumps(ASSUME_EC2))["Role"]
    state.add("aws_iam_role", "app", iam_role_attributes(role, ASSUME_EC2))
    iam.put_role_policy(RoleName="app-server", PolicyName="read-logs", PolicyDocument=json.dumps(READ_LOGS))
    state.add(
        "aws_iam_role_policy",
        "read_logs",
        iam_inline_policy_attributes("role", "app-server", "read-logs", READ_LOGS),
    )
    policy = iam.create_policy(PolicyName="read-assets", PolicyDocument=json.dumps(READ_LOGS))["Policy"]
    state.add("aws_iam_policy", "read_assets", iam_policy_attributes(policy, READ_LOGS))
    iam.attach_role_policy(RoleName="app-server", PolicyArn=policy["Arn"])
    state.add(
        "aws_iam_role_policy_attachment",
        "read_assets",
        iam_role_policy_attachment_attributes("app-server", policy["Arn"]),
    )
    user = iam.create_user(UserName="ci-deployer")["User"]
    state.add("aws_iam_user", "ci", iam_user_attributes(user))
    iam.put_user_policy(UserName="ci-deployer", PolicyName="deploy", PolicyDocument=json.dumps(READ_LOGS))
    state.add(
        "aws_iam_user_policy",
        "deploy",
        iam_inline_policy_attributes("user", "ci-deployer", "deploy", READ_LOGS),
    )
    group = iam.create_group(GroupName="developers")["Group"]
    state.add("aws_iam_group", "developers", iam_group_attributes(group))
    return {"lambda_role": lambda_role(session, state)}


def _keys(session: boto3.Session, state: TerraformState, acct: str) -> list[dict[str, Any]]:
    kms = client(session, "kms")
    keys = []
    for name in ("data", "backups"):
        key = kms.create_key(Description=f"{name} key")["KeyMetadata"]
        kms.enable_key_rotation(KeyId=key["KeyId"])
        policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
        state.add("aws_kms_key", name, kms_key_attributes(key, policy, True))
        kms.create_alias(AliasName=f"alias/{name}", TargetKeyId=key["KeyId"])
        state.add("aws_kms_alias", name, kms_alias_attributes(f"alias/{name}", key, acct, REGION))
        keys.append(dict(key))
    return keys


def _database(session: boto3.Session, state: TerraformState, subnet_ids: tuple[str, ...]) -> None:
    rds = client(session, "rds")
    group = rds.create_db_subnet_group(
        DBSubnetGroupName="prod-db", DBSubnetGroupDescription="Database subnets", SubnetIds=list(subnet_ids)
    )["DBSubnetGroup"]
    state.add("aws_db_subnet_group", "prod", db_subnet_group_attributes(group))
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        DBInstanceClass="db.t3.medium",
        Engine="postgres",
        AllocatedStorage=50,
        MasterUsername="orders",
        MasterUserPassword="correct-horse-battery",
        DBSubnetGroupName="prod-db",
        BackupRetentionPeriod=7,
    )
    db = rds.describe_db_instances(DBInstanceIdentifier="orders")["DBInstances"][0]
    state.add("aws_db_instance", "orders", db_instance_attributes(db), sensitive=("password",))


def _dns(session: boto3.Session, state: TerraformState) -> str:
    route53 = client(session, "route53")
    created = route53.create_hosted_zone(Name="acme.example", CallerReference="tf-zone")
    zone_id = created["HostedZone"]["Id"].rsplit("/", 1)[-1]
    servers = created["DelegationSet"]["NameServers"]
    state.add("aws_route53_zone", "main", route53_zone_attributes(created["HostedZone"], servers))
    for name, values in (("www", ["192.0.2.10"]), ("api", ["192.0.2.20"]), ("admin", ["192.0.2.30"])):
        fqdn = f"{name}.acme.example"
        route53.change_resource_record_sets(
            HostedZoneId=zone_id,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "CREATE",
                        "ResourceRecordSet": {
                            "Name": fqdn,
                            "Type": "A",
                            "TTL": 60,
                            "ResourceRecords": [{"Value": v} for v in values],
                        },
                    }
                ]
            },
        )
        state.add("aws_route53_record", name, route53_record_attributes(zone_id, fqdn, "A", 60, values))
    return str(zone_id)


def _compute(
    session: boto3.Session, state: TerraformState, role_arn: str, subnet_ids: tuple[str, ...]
) -> None:
    for name in ("thumbnailer", "order-events"):
        function = client(session, "lambda").create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role_arn,
            Handler="handler.handle",
            Code={"ZipFile": function_zip()},
            Timeout=30,
        )
        state.add("aws_lambda_function", name.replace("-", "_"), lambda_function_attributes(function))
    autoscaling = client(session, "autoscaling")
    image = machine_image(client(session, "ec2"))
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="workers", ImageId=image, InstanceType="t3.small"
    )
    [configuration] = autoscaling.describe_launch_configurations(LaunchConfigurationNames=["workers"])[
        "LaunchConfigurations"
    ]
    state.add("aws_launch_configuration", "workers", launch_configuration_attributes(configuration))
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="workers",
        LaunchConfigurationName="workers",
        MinSize=1,
        MaxSize=4,
        DesiredCapacity=1,
        VPCZoneIdentifier=",".join(subnet_ids),
    )
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["workers"])["AutoScalingGroups"][
        0
    ]
    state.add("aws_autoscaling_group", "workers", autoscaling_group_attributes(group))


def _data(session: boto3.Session, state: TerraformState) -> dict[str, str]:
    dynamodb = client(session, "dynamodb")
    for name in ("orders", "sessions"):
        dynamodb.create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        )
        dynamodb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
        table = dynamodb.describe_table(TableName=name)["Table"]
        state.add("aws_dynamodb_table", name, dynamodb_table_attributes(table, True))
    sqs, sns = client(session, "sqs"), client(session, "sns")
    urls = {}
    for name in ("orders", "emails"):
        url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
        live = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        state.add("aws_sqs_queue", name, sqs_queue_attributes(url, live))
        urls[name] = url
        arn = sns.create_topic(Name=f"{name}-events")["TopicArn"]
        state.add(
            "aws_sns_topic",
            name,
            sns_topic_attributes(arn, sns.get_topic_attributes(TopicArn=arn)["Attributes"]),
        )
    cloudtrail = client(session, "cloudtrail")
    trail = cloudtrail.create_trail(Name="org-audit", S3BucketName="acme-prod-audit", IsMultiRegionTrail=True)
    cloudtrail.start_logging(Name="org-audit")
    described = cloudtrail.describe_trails(trailNameList=[trail["TrailARN"]])["trailList"][0]
    state.add("aws_cloudtrail", "audit", cloudtrail_attributes(described, True))
    return {"orders_queue": urls["orders"], "trail_arn": trail["TrailARN"]}


def _count(state: TerraformState) -> int:
    return sum(len(block["instances"]) for block in state.document()["resources"])


def _scan(guard: Any, paths: list[Any]) -> Any:
    args = [arg for path in paths for arg in ("--state", path)]
    return guard("scan", *args, "--region", REGION, "--format", "json")


def test_estate_scans_clean_then_eight_edits_are_found_and_nothing_else(aws, guard, tmp_path):
    web = build_web_estate(aws, REGION)
    platform = TerraformState()
    acct = account(aws)
    keys = _keys(aws, platform, acct)
    _buckets(aws, platform, acct, keys[0])
    roles = _iam(aws, platform)
    _database(aws, platform, web.subnet_ids)
    zone_id = _dns(aws, platform)
    _compute(aws, platform, roles["lambda_role"], web.subnet_ids)
    ids = _data(aws, platform)
    assert _count(web.state) + _count(platform) >= 60

    paths = [web.state.write(tmp_path / "web.tfstate"), platform.write(tmp_path / "platform.tfstate")]
    clean = _scan(guard, paths)
    assert clean.code == 0, [f["title"] for f in clean.json()["findings"]] or clean.err
    summary = clean.json()["summary"]
    assert summary["coverage"]["managed"] == summary["coverage"]["checked"] >= 60
    assert clean.json()["complete"] is True

    # Eight edits made in the console, one per service, none of them through Terraform.
    delete_https_rule(aws, web.lb_group_id, REGION)
    client(aws, "s3").put_public_access_block(
        Bucket="acme-prod-assets",
        PublicAccessBlockConfiguration={**ALL_BLOCKED, "RestrictPublicBuckets": False},
    )
    client(aws, "iam").put_role_policy(
        RoleName="app-server",
        PolicyName="read-logs",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    client(aws, "kms").disable_key_rotation(KeyId=keys[1]["KeyId"])
    client(aws, "cloudtrail").stop_logging(Name="org-audit")
    client(aws, "rds").modify_db_instance(
        DBInstanceIdentifier="orders", BackupRetentionPeriod=0, ApplyImmediately=True
    )
    client(aws, "route53").change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": "admin.acme.example",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "203.0.113.99"}],
                    },
                }
            ]
        },
    )
    client(aws, "sqs").set_queue_attributes(
        QueueUrl=ids["orders_queue"], Attributes={"VisibilityTimeout": "1"}
    )
    # Not an edit to report: a scaling policy moving the desired capacity.
    client(aws, "autoscaling").set_desired_capacity(AutoScalingGroupName="workers", DesiredCapacity=3)

    report = _scan(guard, paths)
    assert report.code == 2, report.err
    found = sorted(
        (f["kind"], f["type"], f["address"], tuple(c["path"] for c in f["changes"]))
        for f in report.json()["findings"]
    )
    assert found == sorted(
        [
            ("missing", "aws_security_group", "module.edge.aws_security_group.lb", ()),
            (
                "changed",
                "aws_s3_bucket_public_access_block",
                "aws_s3_bucket_public_access_block.assets",
                ("restrict_public_buckets",),
            ),
            ("changed", "aws_iam_role_policy", "aws_iam_role_policy.read_logs", ("policy",)),
            ("changed", "aws_kms_key", "aws_kms_key.backups", ("enable_key_rotation",)),
            ("changed", "aws_cloudtrail", "aws_cloudtrail.audit", ("enable_logging",)),
            ("changed", "aws_db_instance", "aws_db_instance.orders", ("backup_retention_period",)),
            ("changed", "aws_route53_record", "aws_route53_record.admin", ("records",)),
            ("changed", "aws_sqs_queue", "aws_sqs_queue.orders", ("visibility_timeout_seconds",)),
        ]
    )
