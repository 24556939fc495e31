"""guard.toml: every problem listed at once, environment overrides, ignores with reasons and expiry."""

from __future__ import annotations

import json
from datetime import date

import pytest

from guard.config import Ignore, apply_ignores, load_config
from guard.demo import build_web_estate, delete_https_rule
from guard.errors import InputError

REGION = "us-east-1"

GOOD = """
[defaults]
regions = ["us-east-1", "eu-west-1"]
role = "guard-readonly"
external_id = "acme-guard"
session_name = "change-guard"
max_workers = 4

[rules]
folders = ["rules", "/etc/guard/rules"]

[history]
store = "guard-history.sqlite"

[slack]
channel = "#drift"

[[accounts]]
id = "111111111111"
name = "prod"
role = "arn:aws:iam::111111111111:role/guard-readonly"
regions = ["us-east-1"]
states = ["s3://acme-tf/prod/network.tfstate", "https://gitlab.example.com/api/v4/projects/42/terraform/state/prod"]
tf_dirs = ["infra/prod"]
workspace = "prod"
pulumi_stacks = ["exports/prod.json"]
pulumi = [{ backend = "s3://acme-pulumi", stack = "organization/web/prod" }]
slack_channel = "#prod-drift"

[[accounts]]
id = 999988887777
name = "staging"
states = ["staging.tfstate"]

[[ignores]]
type = "aws_instance"
id = "i-0abc*"
reason = "autoscaled by a legacy script, INFRA-123"
expires = 2031-03-31
"""

BAD = """
colour = "blue"

[defaults]
regions = ["us-east-1", "mars-north-1"]
role = "arn:aws:iam::12:role/x y"
max_workers = 0

[[accounts]]
id = "12345"
states = ["a.tfstate"]
regoins = ["us-east-1"]

[[accounts]]
id = "222222222222"
role = "arn:aws:iam::333333333333:role/guard"

[[accounts]]
id = "222222222222"
states = ["b.tfstate"]
pulumi = [{ backend = "s3://x" }]

[[ignores]]
type = "aws_instance"
expires = "next tuesday"

[[ignores]]
reason = "everything is fine"
"""


def test_good_config_reads(tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(GOOD)
    config = load_config(path, environ={})
    assert config.problems == ()
    prod, staging = config.accounts
    assert (prod.id, prod.name, prod.slack_channel, prod.workspace) == (
        "111111111111",
        "prod",
        "#prod-drift",
        "prod",
    )
    assert prod.pulumi[0].stack == "organization/web/prod"
    assert staging.id == "999988887777"  # an unquoted id is a TOML integer
    assert config.rules_folders == ("rules", "/etc/guard/rules")
    assert (config.history_store, config.slack_channel, config.max_workers) == (
        "guard-history.sqlite",
        "#drift",
        4,
    )
    assert config.ignores[0].expires == date(2031, 3, 31)


def test_environment_overrides_the_file(tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(GOOD)
    config = load_config(
        path,
        environ={
            "GUARD_REGIONS": "ap-south-1, eu-central-1",
            "GUARD_ROLE": "other-role",
            "GUARD_MAX_WORKERS": "9",
            "GUARD_SLACK_CHANNEL": "#elsewhere",
            "GUARD_HISTORY": "/var/lib/guard.sqlite",
            "GUARD_RULES": "a:b",
        },
    )
    assert config.regions == ("ap-south-1", "eu-central-1")
    assert (config.role, config.max_workers, config.slack_channel) == ("other-role", 9, "#elsewhere")
    assert (config.history_store, config.rules_folders) == ("/var/lib/guard.sqlite", ("a", "b"))


def test_config_check_lists_every_problem_at_once(guard, tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(BAD)
    result = guard("config", "check", "--config", path)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("guard: error:")]
    expected = [
        "colour: is not a setting guard knows",
        "defaults.regions: 'mars-north-1' is not an AWS region",
        "defaults.role: 'arn:aws:iam::12:role/x y' is neither a role ARN nor a role name",
        "defaults.max_workers: must be a whole number from 1 to 64",
        "accounts[0].regoins: is not a setting guard knows",
        "accounts[0].id: '12345' is not a 12-digit AWS account id",
        "accounts[1].role: arn:aws:iam::333333333333:role/guard is not in account 222222222222",
        "accounts[1]: declares no state",
        "accounts[2].id: 222222222222 is already accounts[1]",
        "accounts[2].pulumi[0]: must be { backend",
        "ignores[0].reason: is required",
        "ignores[0].expires: 'next tuesday' is not a date",
        "ignores[1]: matches every finding",
    ]
    for text in expected:
        assert any(text in line for line in problems), text
    assert len(problems) == len(expected)
    assert result.err.splitlines()[-1].endswith("13 problems")


def test_config_check_ok(guard, tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(GOOD)
    result = guard("config", "check", "--config", path)
    assert (result.code, result.out.strip()) == (0, f"{path}: OK (2 accounts, 1 ignore)")


def test_bad_config_stops_a_scan_with_one_line(guard, tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(BAD)
    result = guard("scan", "--config", path)
    assert result.code == 1
    assert result.err.count("\n") == 1 and "(and 12 more problems)" in result.err
    assert "guard config check" in result.err


def test_invalid_toml_is_one_line(tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text("[defaults\nregions = 1")
    with pytest.raises(InputError, match="is not valid TOML"):
        load_config(path, environ={})


def _config_with_ignore(tmp_path, state, account, ignore):
    path = tmp_path / "guard.toml"
    path.write_text(
        f"""
[defaults]
regions = ["{REGION}"]

[[accounts]]
id = "{account}"
states = ["{state}"]

[[ignores]]
{ignore}
"""
    )
    return path


@pytest.mark.parametrize(
    ("expires", "hidden"),
    [("2999-01-01", True), ("2001-01-01", False)],
)
def test_ignore_hides_until_it_expires(guard, aws, tmp_path, expires, hidden):
    estate = build_web_estate(aws, REGION)
    state = estate.state.write(tmp_path / "terraform.tfstate")
    delete_https_rule(aws, estate.lb_group_id, REGION)
    path = _config_with_ignore(
        tmp_path,
        state,
        estate.account,
        f'address = "module.edge.*"\nreason = "load balancer being replaced, CHG-77"\nexpires = {expires}',
    )
    result = guard("scan", "--config", path, "--format", "json")
    report = result.json()
    if hidden:
        assert result.code == 0, result.err
        assert report["findings"] == []
        assert report["notes"] == ["1 finding hidden by ignores in the config"]
    else:
        assert result.code == 2
        assert [f["id"] for f in report["findings"]] == [estate.lb_group_id]
        (note,) = report["notes"]
        assert "expired on 2001-01-01" in note and "CHG-77" in note and "shown again" in note


def test_apply_ignores_matches_on_every_given_field():
    from guard.model import Drift, DriftKind

    drift = Drift(
        DriftKind.CHANGED, "aws_instance", "i-0abc1", "aws_instance.web", "111111111111", REGION, "t"
    )
    assert apply_ignores((drift,), (Ignore("r", type="aws_instance", id="i-0abc*"),)).hidden == 1
    assert apply_ignores((drift,), (Ignore("r", type="aws_instance", account="222222222222"),)).hidden == 0
    expired = apply_ignores(
        (drift,), (Ignore("r", id="i-0abc1", expires=date(2020, 1, 1)),), date(2024, 1, 1)
    )
    assert expired.findings == (drift,) and "expired on 2020-01-01" in expired.notes[0]
    json.dumps(expired.notes)


def test_organization_reads(tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(
        """
[organization]
role = "arn:aws:iam::{account_id}:role/guard-readonly"
regions = ["us-east-1", "eu-west-1"]
include_ous = ["ou-ab12-11111111", "Prod/Web"]
exclude_tags = { guard = "off" }
states = ["s3://tf-state-{account_id}/{region}/terraform.tfstate"]
ou_states = { "Sandbox" = ["s3://sandbox-states/{account_name}.tfstate"] }
workers = 16
calls_per_second = 10
"""
    )
    org = load_config(path, environ={}).organization
    assert org is not None
    assert (org.workers, org.calls_per_second, org.exclude_tags) == (16, 10.0, (("guard", "off"),))
    assert org.ou_states == (("Sandbox", ("s3://sandbox-states/{account_name}.tfstate",)),)


def test_organization_problems_each_one_line_exit_1(guard, tmp_path):
    path = tmp_path / "guard.toml"
    path.write_text(
        """
[organization]
include_ous = ["ou-nope"]
include_tags = ["env"]
states = ["s3://tf-{acount_id}/terraform.tfstate"]
workers = 0
calls_per_second = -1
colour = "blue"
"""
    )
    result = guard("config", "check", "--config", path)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("guard: error:")]
    text = "\n".join(problems)
    for expected in (
        "organization.include_ous: 'ou-nope' is not an OU id",
        "organization.include_tags: must be a table",
        "names {acount_id}, which guard does not know",
        "organization.workers: must be a whole number",
        "organization.calls_per_second: must be a number",
        "organization.colour: is not a setting",
        "organization.role: is required",
    ):
        assert expected in text, text
    assert len(problems) == 7
    scan = guard("scan", "--config", path)
    assert scan.code == 1 and len(scan.err.strip().splitlines()) == 1 and "Traceback" not in scan.err


SLACK_APPROVERS = """
[slack]
channel = "#drift"
rollback_role = "arn:aws:iam::111111111111:role/guard-rollback"

[slack.approvers]
users = ["U0123ABCD", "W0ENTERPRISE"]
usergroups = ["S0456EFGH"]

[slack.approvers.accounts."222222222222"]
users = ["U0789IJKL"]

[[accounts]]
id = "222222222222"
states = ["states/prod.tfstate"]
"""


def test_slack_approvers_read_per_account_and_bad_ids_are_problems(guard, tmp_path):
    from guard.alerting.actions import may_approve

    path = tmp_path / "guard.toml"
    path.write_text(SLACK_APPROVERS)
    config = load_config(path, environ={})
    assert config.rollback_role == "arn:aws:iam::111111111111:role/guard-rollback"
    assert config.approvers.users == ("U0123ABCD", "W0ENTERPRISE")
    assert may_approve(config.approvers, "111111111111", "U0123ABCD", {}) is True
    assert may_approve(config.approvers, "111111111111", "U0BOB", {"S0456EFGH": ["U0BOB"]}) is True
    assert may_approve(config.approvers, "222222222222", "U0123ABCD", {}) is False  # its own list
    assert may_approve(config.approvers, "222222222222", "U0789IJKL", {}) is True
    role = load_config(path, environ={"GUARD_ROLLBACK_ROLE": "arn:aws:iam::111111111111:role/other"})
    assert role.rollback_role == "arn:aws:iam::111111111111:role/other"

    bad = SLACK_APPROVERS.replace('"U0123ABCD", ', '"alice@example.com", ').replace('"S0456EFGH"', '"@sre"')
    path.write_text(bad.replace('users = ["U0789IJKL"]', 'users = ["U0789IJKL"]\nchannel = "#x"'))
    result = guard("config", "check", "--config", path)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("guard: error:")]
    assert len(problems) == 3, result.err
    assert any("slack.approvers.users: 'alice@example.com' is not a Slack user id" in p for p in problems)
    assert any("slack.approvers.usergroups: '@sre' is not a Slack user group id" in p for p in problems)
    assert any("slack.approvers.accounts.222222222222.channel" in p for p in problems)
