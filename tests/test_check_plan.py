"""guard check-plan on plans in the exact `terraform show -json` format."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from guard.plan.reader import parse_plan, read_plan

PLANS = Path(__file__).parent / "plans"
SECRETS = ("hunter2-do-not-print", "changed-in-console-secret")
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())


def test_the_deleted_443_plan_is_blocked_with_the_rule_id(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard("check-plan", PLANS / "deleted-443.json", "--format", "json")
    assert result.code == 2
    report = result.json()
    assert report["verdict"] == "blocked"
    assert report["summary"]["changes"] == {"create": 0, "update": 0, "replace": 0, "delete": 1}
    [finding] = report["findings"]
    assert finding["rule_id"] == "GUARD-NET-001"
    assert finding["address"] == "module.edge.aws_security_group.lb"
    assert finding["severity"] == "critical" and finding["blocking"] and finding["new"]


def test_the_same_outage_with_inline_rules_is_blocked(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard("check-plan", PLANS / "inline-443-removed.json")
    assert result.code == 2
    assert "BLOCK critical GUARD-NET-001 module.edge.aws_security_group.lb" in result.out


def test_a_harmless_plan_passes(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard("check-plan", PLANS / "harmless.json")
    assert result.code == 0, result.out
    assert "PASSED (1 to create, 1 to update, 0 to replace, 1 to delete" in result.out


def test_every_kind_of_change_is_read() -> None:
    plan = read_plan(PLANS / "every-change.json")
    actions = {c.address: c.actions for c in plan.changes}
    assert actions['module.data["eu"].aws_db_instance.main["orders"]'] == ("delete", "create")
    assert actions["module.cdn.aws_s3_bucket.assets"] == ("create", "delete")
    assert actions['module.app.aws_instance.web["b"]'] == ("create",)
    assert actions["aws_kms_key.logs"] == ("delete",)
    orders = next(c for c in plan.changes if c.address.endswith('["orders"]'))
    assert orders.action_reason == "replace_because_cannot_update"
    assert orders.replace_paths == (("engine",),)
    assert orders.replaces and orders.action_text == "replace (destroy, then create)"
    assert {r.address for r in plan.prior} >= {'module.data["eu"].aws_db_instance.main["reports"]'}
    assert [d.address for d in plan.drift] == [
        'module.data["eu"].aws_db_instance.main["reports"]',
        'module.app.aws_instance.web["a"]',
    ]
    created = next(r for r in plan.after_states() if r.address == 'module.app.aws_instance.web["b"]')
    assert created.id == ""  # known after apply
    assert plan.unknown()['module.app.aws_instance.web["b"]'] == {"id", "arn", "root_block_device"}


def test_protected_replacements_in_both_orders_and_reverts(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard("check-plan", PLANS / "every-change.json", "--format", "json")
    assert result.code == 2
    findings = {(f["rule_id"], f["address"]): f for f in result.json()["findings"]}
    orders = findings[("GUARD-PLAN-001", 'module.data["eu"].aws_db_instance.main["orders"]')]
    assert orders["details"] == [
        "action: replace (destroy, then create)",
        "reason: replace_because_cannot_update",
        "forced by a change to: engine",
    ]
    assert findings[("GUARD-PLAN-001", "module.cdn.aws_s3_bucket.assets")]["details"][0] == (
        "action: replace (create before destroy)"
    )
    assert ("GUARD-PLAN-001", "aws_kms_key.logs") in findings
    assert ("GUARD-PLAN-001", "aws_security_group.cache") not in findings  # not protected by default
    revert = findings[("GUARD-PLAN-002", 'module.app.aws_instance.web["a"]')]
    assert revert["details"] == ["instance_type: 't3.large' (changed outside Terraform) -> 't3.small'"]
    assert not revert["blocking"]
    secret = findings[("GUARD-PLAN-002", 'module.data["eu"].aws_db_instance.main["reports"]')]
    assert secret["details"] == ["password: (sensitive) (changed outside Terraform) -> (sensitive)"]
    assert result.json()["summary"]["undecided"] == [
        {"rule_id": "GUARD-EBS-001", "address": 'module.app.aws_instance.web["b"]'}
    ]


def test_protect_adds_types_and_address_globs(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard(
        "check-plan", PLANS / "every-change.json", "--format", "json", "--protect", "aws_security_grou*"
    )
    assert ("GUARD-PLAN-001", "aws_security_group.cache") in {
        (f["rule_id"], f["address"]) for f in result.json()["findings"]
    }
    harmless = guard("check-plan", PLANS / "harmless.json", "--protect", "aws_security_group.legacy")
    assert harmless.code == 2 and "GUARD-PLAN-001 aws_security_group.legacy" in harmless.out


def test_fail_on_sets_what_blocks(guard) -> None:  # type: ignore[no-untyped-def]
    plan = PLANS / "every-change.json"
    assert guard("check-plan", plan, "--protect", "nothing", "--fail-on", "critical").code == 2
    medium = guard("check-plan", plan, "--format", "json", "--fail-on", "medium").json()
    assert all(f["blocking"] for f in medium["findings"])


@pytest.mark.parametrize("output_format", ["console", "json", "markdown", "sarif", "github"])
def test_sensitive_values_are_never_printed(guard, output_format: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    text = (PLANS / "every-change.json").read_text()
    assert all(secret in text for secret in SECRETS)  # terraform show -json prints them in clear
    result = guard("check-plan", PLANS / "every-change.json", "--format", output_format, "--fail-on", "info")
    assert result.code == 2
    written = result.out + result.err + (summary.read_text() if summary.exists() else "")
    assert "password" in written
    for secret in SECRETS:
        assert secret not in written


def test_sarif_is_valid_sarif_2_1_0(guard) -> None:  # type: ignore[no-untyped-def]
    for plan in ("every-change.json", "deleted-443.json", "harmless.json"):
        result = guard("check-plan", PLANS / plan, "--format", "sarif")
        document = result.json()
        jsonschema.validate(document, SARIF_SCHEMA)
        run = document["runs"][0]
        ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
        for item in run["results"]:
            assert ids[item["ruleIndex"]] == item["ruleId"]
    blocked = guard("check-plan", PLANS / "deleted-443.json", "--format", "sarif").json()
    [item] = blocked["runs"][0]["results"]
    assert item["ruleId"] == "GUARD-NET-001" and item["level"] == "error"
    assert (
        item["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        == "module.edge.aws_security_group.lb"
    )


def _many_open_groups(count: int) -> dict[str, Any]:
    """The harmless plan plus COUNT new groups open to the world on SSH and RDP."""
    document = json.loads((PLANS / "harmless.json").read_text())
    template = next(
        c for c in document["resource_changes"] if c["address"] == "module.app.aws_security_group.app"
    )
    for index in range(count):
        change = copy.deepcopy(template)
        change["address"] = f'module.app.aws_security_group.open["{index}"]'
        change["name"], change["index"] = "open", str(index)
        change["change"]["after"]["ingress"] = [
            {
                "cidr_blocks": ["0.0.0.0/0"],
                "description": "",
                "from_port": port,
                "ipv6_cidr_blocks": [],
                "prefix_list_ids": [],
                "protocol": "tcp",
                "security_groups": [],
                "self": False,
                "to_port": port,
            }
            for port in (22, 3389)
        ]
        document["resource_changes"].append(change)
    return document


def test_github_annotations_are_capped_and_the_rest_go_to_the_summary(
    guard, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_many_open_groups(12)))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = guard("check-plan", plan, "--format", "github")
    assert result.code == 2
    lines = result.out.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert "::notice title=change-guard::14 more error(s) and 0 more warning(s)" in result.out
    assert "title=GUARD-NET-002 (high)" in result.out
    markdown = summary.read_text()
    assert markdown.count("<details>") == 24
    assert "BLOCKED: 24 findings at or above high" in markdown


def test_markdown_stays_under_the_comment_limit(guard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_many_open_groups(400)))
    result = guard("check-plan", plan, "--format", "markdown")
    assert result.code == 2
    assert len(result.out) < 65_536
    assert "finding details left out to stay under GitHub's comment limit" in result.out


def test_a_plan_of_another_format_version_is_one_clear_error(guard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = json.loads((PLANS / "harmless.json").read_text())
    document["format_version"] = "2.0"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document))
    result = guard("check-plan", plan)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        f"guard: error: {plan}: is plan format version 2.0, newer than the 0.1 to 1.x guard reads; "
        "upgrade change-guard"
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '{"version": 4, "resources": []}',
            "has no `format_version`, so it is not a plan (it looks like a state",
        ),
        ("not json", "is not valid JSON (line 1, column 1)"),
        (
            '{"format_version": "1.2", "resource_changes": [{"address": "a.b"}]}',
            "resource_changes[0]: has no `change`",
        ),
    ],
)
def test_bad_plans_are_input_errors(guard, tmp_path: Path, text: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.json"
    plan.write_text(text)
    result = guard("check-plan", plan)
    assert result.code == 1
    assert problem in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_parse_plan_rejects_a_binary_plan() -> None:
    from guard.errors import InputError

    with pytest.raises(InputError, match="binary plan"):
        parse_plan("PK\x03\x04...", "tfplan")
