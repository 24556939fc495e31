"""deploy/: the CloudFormation templates for every account and the central stack, deployed
through moto's CloudFormation, and one scheduled run of the deployed scan function.

moto's CloudFormation does not create AWS::SecretsManager::Secret, AWS::Events::EventBusPolicy,
AWS::SQS::QueuePolicy or AWS::CloudWatch::Alarm (it skips them with a warning): the tests
create those from the template's own properties through each service's API, so a property
that AWS would refuse still fails here.
"""

from __future__ import annotations

import io
import json
import logging
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from guard.demo import build_web_estate, delete_https_rule
from guard.deploy.templates import (
    EVENT_HANDLER,
    SCAN_HANDLER,
    TEMPLATES,
    central_template,
    forwarding_patterns,
    policy_parts,
    policy_size,
    render,
)
from guard.remedy.iam_policy import read_policy, rollback_policy
from tests.slackapi import SlackApi
from tests.test_history import TABLE, create_table

ROOT = Path(__file__).parent.parent
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's
REGENERATE = "python -m guard.deploy.templates {name} > deploy/{name}.yaml"
NOT_IN_MOTO_CLOUDFORMATION = {
    "AWS::SecretsManager::Secret",
    "AWS::Events::EventBusPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::CloudWatch::Alarm",
}


class CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form functions, read into their long form."""


def _function(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


CloudFormationLoader.add_multi_constructor("!", _function)


def template(name: str) -> dict[str, Any]:
    return yaml.load((ROOT / "deploy" / f"{name}.yaml").read_text(), Loader=CloudFormationLoader)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_committed_template_is_the_generated_one(name):
    committed = (ROOT / "deploy" / f"{name}.yaml").read_text()
    assert committed == render(TEMPLATES[name]()), (
        f"deploy/{name}.yaml is stale: {REGENERATE.format(name=name)}"
    )


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_template_is_cloudformation_yaml_that_cfn_lint_accepts(name):
    parsed = template(name)
    assert parsed["AWSTemplateFormatVersion"] == "2010-09-09"
    for logical, resource in parsed["Resources"].items():
        assert resource["Type"].startswith("AWS::"), logical
    pytest.importorskip("cfnlint")
    from cfnlint.api import lint_all

    problems = lint_all((ROOT / "deploy" / f"{name}.yaml").read_text())
    assert [str(p) for p in problems if p.rule.id[0] in "EW"] == []  # errors and warnings


def _policies_of(resources: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [
        r["Properties"]["PolicyDocument"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::ManagedPolicy" and r["Properties"]["Roles"] == [{"Ref": role}]
    ]


def test_the_roles_carry_the_generated_policies_and_only_the_rollback_role_writes():
    resources = template("account")["Resources"]
    read = _policies_of(resources, "ReadRole")
    rollback = _policies_of(resources, "RollbackRole")
    regenerate = "python -m guard.remedy.iam_policy, then " + REGENERATE.format(name="account")
    documents = {
        "read": merged({"Version": "2012-10-17", "Statement": [s for p in read for s in p["Statement"]]})
    }
    documents["rollback"] = merged(
        {"Version": "2012-10-17", "Statement": [s for p in rollback for s in p["Statement"]]}
    )
    assert documents == {
        "read": json.loads((ROOT / "docs/iam-policy.json").read_text()),
        "rollback": json.loads((ROOT / "docs/iam-policy-rollback.json").read_text()),
    }, regenerate
    assert documents == {"read": read_policy(), "rollback": rollback_policy()}, regenerate
    assert "GuardRollbackWrites" not in {s["Sid"] for s in documents["read"]["Statement"]}
    for resource in resources.values():  # no role of the account template has an inline policy
        assert "Policies" not in resource.get("Properties", {})
    # The third role (EventBridge's) may only put events on the central bus.
    roles = {
        r["Properties"]["Roles"][0]["Ref"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::ManagedPolicy"
    }
    assert roles == {"ReadRole", "RollbackRole", "ForwardingRole"}
    forwarding = [s for p in _policies_of(resources, "ForwardingRole") for s in p["Statement"]]
    assert [(s["Action"], s["Resource"]) for s in forwarding] == [
        ("events:PutEvents", {"Ref": "CentralEventBusArn"})
    ]


def test_the_central_functions_may_find_the_organisations_accounts_as_the_read_policy_says():
    """[organization] in the central guard.toml: the functions list the organisation (the same
    Organizations reads the generated policy names for it) and assume each account's read role."""
    statements = {
        s["Sid"]: s
        for p in _policies_of(template("central")["Resources"], "FunctionRole")
        for s in p["Statement"]
    }
    (organization,) = [s for s in read_policy()["Statement"] if s["Sid"] == "GuardOrganization"]
    assert statements["DiscoverAccounts"]["Action"] == sorted(organization["Action"])
    assert statements["AssumeReadRoles"]["Action"] == "sts:AssumeRole"
    everything = [a for s in statements.values() for a in _listed(s["Action"])]
    assert all(a.startswith("organizations:List") for a in everything if a.startswith("organizations:"))


def _listed(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def test_a_policy_over_iams_size_limit_is_cut_into_managed_policies_that_merge_back():
    policy = rollback_policy()
    parts = policy_parts(policy, limit=1500)
    assert len(parts) > 2
    assert all(policy_size(part) <= 1500 for part in parts)
    assert (
        merged({"Version": "2012-10-17", "Statement": [s for p in parts for s in p["Statement"]]}) == policy
    )
    head = policy["Statement"][0]
    small = {"Version": "2012-10-17", "Statement": [{**head, "Action": head["Action"][:5]}]}
    assert policy_parts(small) == [small]  # one within IAM's 6,144 characters stays whole


def test_the_forwarding_rules_are_the_split_events_rule(guard):
    printed = guard("events-rule", "--split")
    resources = template("account")["Resources"]
    rules = [resources[name] for name in sorted(resources) if name.startswith("ForwardRule")]
    assert [r["Properties"]["EventPattern"] for r in rules] == printed.json() == forwarding_patterns()
    assert len(rules) > 1  # the whole pattern is over EventBridge's 2,048 characters
    for rule in rules:
        assert len(json.dumps(rule["Properties"]["EventPattern"], separators=(",", ":"))) <= 2048


def _code_bucket(aws: Any) -> None:
    """A zip where CodeBucket/CodeKey point (moto's Lambda checks the object exists; it never runs it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("guard/__init__.py", "")
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="code")
    s3.put_object(Bucket="code", Key="change-guard/guard-lambda.zip", Body=buffer.getvalue())


def _deploy(aws: Any, name: str, stack: str, parameters: dict[str, str]) -> dict[str, dict[str, Any]]:
    cloudformation = aws.client("cloudformation")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # moto's "not supported" for the types above
        cloudformation.create_stack(
            StackName=stack,
            TemplateBody=(ROOT / "deploy" / f"{name}.yaml").read_text(),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=["CAPABILITY_NAMED_IAM"],
        )
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    assert described["StackStatus"] == "CREATE_COMPLETE", described.get("StackStatusReason")
    summaries = cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    found = {s["LogicalResourceId"]: s for s in summaries}
    found["Outputs"] = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    return found


NO_VALUE = object()


def attached_policy(iam: Any, role: str) -> dict[str, Any]:
    """The managed policies attached to a role, as one policy (the parts of a split one merged)."""
    statements: list[dict[str, Any]] = []
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        version = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=version)
        statements += document["PolicyVersion"]["Document"]["Statement"]
    return merged({"Version": "2012-10-17", "Statement": statements})


def merged(policy: dict[str, Any]) -> dict[str, Any]:
    """Statements cut by their actions (GuardRollbackWrites1, ...2) put back together."""
    statements: dict[str, dict[str, Any]] = {}
    for statement in policy["Statement"]:
        sid = statement.get("Sid", "").rstrip("0123456789") or statement.get("Sid", "")
        if sid in statements and isinstance(statement["Action"], list):
            statements[sid]["Action"] = sorted([*statements[sid]["Action"], *statement["Action"]])
        else:
            statements[sid] = {**statement, **({"Sid": sid} if "Sid" in statement else {})}
    return {"Version": policy["Version"], "Statement": list(statements.values())}


class Resolver:
    """The template's functions against a deployed stack, for the resources moto skips."""

    def __init__(self, parameters: dict[str, str], stack: dict[str, dict[str, Any]], arns: dict[str, str]):
        self.parameters = parameters
        self.stack = stack
        self.arns = arns

    def __call__(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self(v) for v in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Ref"}:
            name = value["Ref"]
            if name == "AWS::NoValue":
                return NO_VALUE
            return self.parameters.get(name) or self.stack[name]["PhysicalResourceId"]
        if set(value) == {"Fn::GetAtt"}:
            logical, attribute = value["Fn::GetAtt"]
            return self.arns[f"{logical}.{attribute}"]
        if set(value) == {"Fn::If"}:
            condition, yes, no = value["Fn::If"]
            return self(yes if self.parameters.get(f"?{condition}") == "true" else no)
        resolved = {k: self(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}


def test_both_stacks_deploy_and_a_scheduled_invocation_scans_and_records_history(
    aws, tmp_path, httpserver, caplog
):
    from guard.alerting.lambda_handler import handler

    # The estate of one member account (moto has one account: it is also the central one).
    built = build_web_estate(aws, REGION)
    aws.client("s3").create_bucket(Bucket="tf-states")
    aws.client("s3").put_object(
        Bucket="tf-states", Key="prod/terraform.tfstate", Body=json.dumps(built.state.document())
    )
    _code_bucket(aws)
    slack = SlackApi(httpserver).start()

    # The Slack secret: created as the template declares it, holding the webhook.
    secret_properties = central_template()["Resources"]["SlackSecret"]["Properties"]
    secrets = aws.client("secretsmanager")
    secret_arn = secrets.create_secret(
        Name="change-guard/slack",
        Description=secret_properties["Description"],
        SecretString=secret_properties["SecretString"],
    )["ARN"]
    secrets.put_secret_value(
        SecretId=secret_arn, SecretString=json.dumps({"GUARD_SLACK_WEBHOOK_URL": slack.webhook_url})
    )

    central_parameters = {
        "CodeBucket": "code",
        "CodeKey": "change-guard/guard-lambda.zip",
        "StateBucket": "tf-states",
        "States": "s3://tf-states/prod/terraform.tfstate",
        "Accounts": ACCOUNT,
        "OrganizationId": "o-a1b2c3d4e5",
        "Regions": REGION,
        "SlackSecretArn": secret_arn,
    }
    central = _deploy(aws, "central", "change-guard", central_parameters)
    iam = aws.client("iam")
    lambdas = aws.client("lambda")
    events = aws.client("events")

    # The history table: the keys of the table guard's DynamoDB history tests create, on demand.
    dynamodb = aws.client("dynamodb")
    table = dynamodb.describe_table(TableName=central["HistoryTable"]["PhysicalResourceId"])["Table"]
    create_table(aws)
    tested = dynamodb.describe_table(TableName=TABLE)["Table"]
    dynamodb.delete_table(TableName=TABLE)
    assert table["KeySchema"] == tested["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(tested["AttributeDefinitions"], key=str)
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    # moto's CloudFormation ignores TimeToLiveSpecification: applied from the template's own
    # property through DynamoDB's API, which refuses a malformed one.
    spec = central_template()["Resources"]["HistoryTable"]["Properties"]["TimeToLiveSpecification"]
    dynamodb.update_time_to_live(TableName=table["TableName"], TimeToLiveSpecification=spec)
    ttl = dynamodb.describe_time_to_live(TableName=table["TableName"])["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires")  # seen Slack requests

    # The two functions, from the package in CodeBucket/CodeKey, with guard's handlers.
    scan_function = lambdas.get_function_configuration(
        FunctionName=central["ScanFunction"]["PhysicalResourceId"]
    )
    event_function = lambdas.get_function_configuration(
        FunctionName=central["EventFunction"]["PhysicalResourceId"]
    )
    assert (scan_function["Handler"], event_function["Handler"]) == (SCAN_HANDLER, EVENT_HANDLER)
    environment = scan_function["Environment"]["Variables"]
    assert environment == event_function["Environment"]["Variables"]  # one history scope
    assert environment["GUARD_HISTORY"] == f"dynamodb://{table['TableName']}"
    assert environment["GUARD_SLACK_SECRET_ARN"] == secret_arn
    assert slack.webhook_url not in json.dumps(environment)
    assert scan_function["Role"] == central["Outputs"]["FunctionRoleArn"]
    function_role = central["FunctionRole"]["PhysicalResourceId"]
    function_policy = attached_policy(iam, function_role)
    actions = {
        a
        for s in function_policy["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert "sts:AssumeRole" in actions and "secretsmanager:GetSecretValue" in actions
    assert not {a for a in actions if a.startswith(("ec2:", "iam:", "s3:Put", "s3:Delete"))}

    # The bus, its rule to the event function, and the schedule to the scan function.
    bus_arn = central["Outputs"]["EventBusArn"]
    bus = events.describe_event_bus(Name="change-guard")
    assert bus["Arn"] == bus_arn
    on_bus = events.list_rules(EventBusName="change-guard")["Rules"]
    assert [json.loads(r["EventPattern"]) for r in on_bus] == [
        {"detail-type": ["AWS API Call via CloudTrail"]}
    ]
    targets = events.list_targets_by_rule(Rule=on_bus[0]["Name"], EventBusName="change-guard")["Targets"]
    assert [t["Arn"] for t in targets] == [event_function["FunctionArn"]]
    schedule = events.describe_rule(Name=central["ScheduleRule"]["PhysicalResourceId"])
    assert schedule["ScheduleExpression"] == "rate(15 minutes)"
    targets = events.list_targets_by_rule(Rule=schedule["Name"])["Targets"]
    assert [t["Arn"] for t in targets] == [scan_function["FunctionArn"]]
    queue_url = central["Outputs"]["DeadLetterQueueUrl"]
    queue_arn = aws.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    assert targets[0]["DeadLetterConfig"] == {"Arn": queue_arn}

    # What moto's CloudFormation skips, made from the template's properties through the APIs.
    resources = template("central")["Resources"]
    assert {r["Type"] for r in resources.values()} >= NOT_IN_MOTO_CLOUDFORMATION
    resolve = Resolver(
        {
            **central_parameters,
            "EventBusName": "change-guard",
            "?HasOrganization": "true",
            "?HasAlarmTopic": "false",
        },
        central,
        {
            "EventBus.Arn": bus_arn,
            "DeadLetterQueue.Arn": queue_arn,
            "DeadLetterQueue.QueueName": queue_arn.rsplit(":", 1)[1],
        },
    )
    policy = resolve(resources["EventBusPolicy"]["Properties"])
    events.put_permission(
        EventBusName=policy["EventBusName"],
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [policy["Statement"]]}),
    )
    allowed = json.loads(events.describe_event_bus(Name="change-guard")["Policy"])["Statement"][0]
    assert allowed["Action"] == "events:PutEvents"
    assert allowed["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    alarms = {
        name: resolve(r["Properties"])
        for name, r in resources.items()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    }
    cloudwatch = aws.client("cloudwatch")
    for name, properties in alarms.items():
        cloudwatch.put_metric_alarm(AlarmName=name, **properties)
    watched = {
        (a["MetricName"], a["Dimensions"][0]["Value"]) for a in cloudwatch.describe_alarms()["MetricAlarms"]
    }
    assert watched == {
        ("Errors", scan_function["FunctionName"]),
        ("Errors", event_function["FunctionName"]),
        ("Throttles", scan_function["FunctionName"]),
        ("Throttles", event_function["FunctionName"]),
        ("ApproximateNumberOfMessagesVisible", queue_arn.rsplit(":", 1)[1]),
    }

    # The member account's stack: the two roles and the forwarding rules to the central bus.
    member = _deploy(
        aws,
        "account",
        "change-guard-account",
        {
            "CentralAccountId": ACCOUNT,
            "CentralEventBusArn": bus_arn,
            "ReadPrincipalArn": central["Outputs"]["FunctionRoleArn"],
        },
    )
    read_role = iam.get_role(RoleName="change-guard-read")["Role"]
    trust = read_role["AssumeRolePolicyDocument"]["Statement"]
    assert [s["Principal"] for s in trust] == [{"AWS": central["Outputs"]["FunctionRoleArn"]}]
    assert all("Condition" not in s for s in trust)  # no ExternalId given
    documents = {role: attached_policy(iam, role) for role in ("change-guard-read", "change-guard-rollback")}
    assert documents == {"change-guard-read": read_policy(), "change-guard-rollback": rollback_policy()}
    assert iam.list_role_policies(RoleName="change-guard-read")["PolicyNames"] == []  # nothing inline
    forwarding = [member[n]["PhysicalResourceId"] for n in sorted(member) if n.startswith("ForwardRule")]
    assert [
        json.loads(events.describe_rule(Name=n)["EventPattern"]) for n in forwarding
    ] == forwarding_patterns()
    forwarding_role = iam.get_role(RoleName=member["ForwardingRole"]["PhysicalResourceId"])["Role"]["Arn"]
    for rule in forwarding:
        assert [(t["Arn"], t["RoleArn"]) for t in events.list_targets_by_rule(Rule=rule)["Targets"]] == [
            (bus_arn, forwarding_role)
        ]

    # The console edit, then EventBridge's scheduled event to the scan function, which runs
    # with the environment the stack gave it (and the runtime's credentials).
    delete_https_rule(aws, built.lb_group_id, REGION)
    scheduled = {
        "version": "0",
        "id": "89d1a02d-5ec7-412e-82f5-13505f849b41",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": "2026-12-03T07:15:00Z",
        "region": REGION,
        "resources": [schedule["Arn"]],
        "detail": {},
    }
    import os

    runtime = {**os.environ, **environment, "AWS_LAMBDA_FUNCTION_NAME": scan_function["FunctionName"]}
    with caplog.at_level(logging.DEBUG):
        summary = handler(scheduled, None, runtime)
    assert summary["status"] == "complete", summary["not_checked"]
    assert summary["account"] == ACCOUNT and summary["scheduled_at"] == "2026-12-03T07:15:00Z"
    assert summary["new"] >= 1 and summary["delivered"] >= 1 and summary["outbox_pending"] == 0
    rows = aws.client("dynamodb").scan(TableName=table["TableName"])["Items"]
    findings = [r for r in rows if r["pk"]["S"].startswith("finding#")]
    assert len(findings) == summary["new"]
    assert any(built.lb_group_id in json.dumps(r) and "443" in json.dumps(r) for r in findings)
    assert [r for r in rows if r["pk"]["S"].startswith("run#")]
    posted = json.dumps(slack.messages("webhook"))
    assert built.lb_group_id in posted
    assert slack.webhook_url not in caplog.text and slack.webhook_url not in repr(summary)

    # The next schedule finds the same drift open: nothing new posted.
    again = handler({**scheduled, "time": "2026-12-03T07:30:00Z"}, None, runtime)
    assert again["new"] == 0 and again["delivered"] == 0


def test_the_slack_secret_fills_the_environment_once_and_a_bad_one_is_one_line_naming_no_value(aws):
    from guard.alerting import lambda_handler
    from guard.errors import InputError

    secrets = aws.client("secretsmanager")
    good = secrets.create_secret(
        Name="change-guard/slack",
        SecretString=json.dumps({"SLACK_BOT_TOKEN": "xoxb-1-secret-token", "GUARD_SLACK_CHANNEL": "#infra"}),
    )["ARN"]
    env = lambda_handler.with_slack_secret({"GUARD_SLACK_SECRET_ARN": good, "GUARD_SLACK_CHANNEL": ""})
    assert env["SLACK_BOT_TOKEN"] == "xoxb-1-secret-token" and env["GUARD_SLACK_CHANNEL"] == "#infra"
    secrets.put_secret_value(SecretId=good, SecretString=json.dumps({"SLACK_BOT_TOKEN": "xoxb-2-rotated"}))
    again = lambda_handler.with_slack_secret({"GUARD_SLACK_SECRET_ARN": good, "GUARD_SLACK_CHANNEL": "#set"})
    assert again["SLACK_BOT_TOKEN"] == "xoxb-1-secret-token"  # read at cold start, not per invocation
    assert again["GUARD_SLACK_CHANNEL"] == "#set"  # the function's own variable wins

    for name, value in (
        ("not-json", "xoxb-3-plain-token"),
        ("other-keys", json.dumps({"TOKEN": "xoxb-4-x"})),
    ):
        arn = secrets.create_secret(Name=f"change-guard/{name}", SecretString=value)["ARN"]
        with pytest.raises(InputError) as raised:
            lambda_handler.with_slack_secret({"GUARD_SLACK_SECRET_ARN": arn})
        message = str(raised.value)
        assert message.startswith("GUARD_SLACK_SECRET_ARN: ") and arn in message and "\n" not in message
        assert "xoxb" not in message
    missing = good.replace("slack", "gone")
    with pytest.raises(InputError, match="cannot be read"):
        lambda_handler.with_slack_secret({"GUARD_SLACK_SECRET_ARN": missing})


def test_package_lambda_builds_a_reproducible_zip_the_handler_runs_from(guard, tmp_path):
    import subprocess
    import sys

    state = tmp_path / "terraform.tfstate"
    state.write_text(
        '{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "resources": []}'
    )
    first, second = tmp_path / "one" / "guard-lambda.zip", tmp_path / "two.zip"
    for output in (first, second):
        result = guard("package-lambda", "--no-dependencies", "-o", output, "--include", state)
        assert result.code == 0, result.err
    assert first.read_bytes() == second.read_bytes()  # same inputs, same bytes: no stack update
    assert result.out.startswith(f"guard: wrote {second} (")
    task = tmp_path / "task"  # what Lambda unpacks to /var/task
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        archive.extractall(task)
    assert "terraform.tfstate" in names and "guard/alerting/lambda_handler.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    probe = (
        "import guard, guard.alerting.lambda_handler as h; from guard.rules.loader import load_rules;"
        "print(guard.__file__); print(len(load_rules([]).rules));"
        "print(callable(h.handler) and callable(h.event_handler))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=task, env={"PYTHONPATH": str(task)}, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    where, rules, handlers = ran.stdout.split()
    assert where.startswith(str(task)) and int(rules) > 0 and handlers == "True"

    missing = guard(
        "package-lambda", "--no-dependencies", "-o", tmp_path / "x.zip", "--include", tmp_path / "nope"
    )
    assert missing.code == 1 and missing.err.count("\n") == 1 and "does not exist" in missing.err
