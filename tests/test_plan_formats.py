"""check-plan on every plan format from 0.1 (Terraform 0.12) to 1.2 (Terraform 1.3+, OpenTofu).

The fixtures are the same change (an inline tcp/443 rule removed from the load balancer's
group; a tag added in the console, which the refresh saw) as each version's
`terraform show -json` writes it: 0.1 from 0.12 has the short provider name, no
`*_sensitive`, no `sensitive_values` and no `resource_drift`; 0.2 (1.0) adds drift and
sensitivity marks; 1.0 (1.1) `action_reason`; 1.1 (1.2) `relevant_attributes`; 1.2
`timestamp` (1.5) and, from OpenTofu, `registry.opentofu.org` provider addresses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guard.plan.reader import MASK, masked, parse_plan, read_plan

PLANS = Path(__file__).parent / "plans"
FORMATS = [
    ("format-0.1-terraform-0.12.31.json", "0.1", "0.12.31"),
    ("format-0.2-terraform-1.0.11.json", "0.2", "1.0.11"),
    ("format-1.0-terraform-1.1.9.json", "1.0", "1.1.9"),
    ("format-1.1-terraform-1.2.9.json", "1.1", "1.2.9"),
    ("format-1.2-terraform-1.5.7.json", "1.2", "1.5.7"),
    ("format-1.2-opentofu-1.8.3.json", "1.2", "1.8.3"),
]


@pytest.mark.parametrize(("name", "version", "terraform"), FORMATS)
def test_every_format_is_read_and_the_outage_blocked(guard, name, version, terraform):
    document = json.loads((PLANS / name).read_text())
    assert (document["format_version"], document["terraform_version"]) == (version, terraform)
    result = guard("check-plan", PLANS / name, "--format", "json")
    assert result.code == 2, result.err
    report = result.json()
    assert report["terraform_version"] == terraform
    rules = {(f["rule_id"], f["address"]) for f in report["findings"]}
    assert ("GUARD-NET-001", "module.edge.aws_security_group.lb") in rules
    reverted = ("GUARD-PLAN-002", "module.edge.aws_security_group.lb") in rules
    limits = report["summary"]["format_limits"]
    if version == "0.1":
        # No resource_drift in 0.1: the console tag cannot be seen, and the report says so.
        assert not reverted
        assert any("resource_drift" in line and "--live" in line for line in limits)
        assert any("marks no value sensitive" in line for line in limits)
    else:
        assert reverted
        assert limits == []


def test_an_old_plan_says_what_was_not_checked_in_every_format(guard, tmp_path):
    plan = PLANS / "format-0.1-terraform-0.12.31.json"
    console = guard("check-plan", plan)
    assert "Plan format of Terraform 0.12.31:" in console.out
    assert "has no `resource_drift`" in console.out
    markdown = guard("check-plan", plan, "--format", "markdown")
    assert "has no `resource_drift`" in markdown.out


def test_with_live_aws_the_missing_drift_is_not_reported_as_a_gap(tmp_path):
    from guard.plan.check import LiveComparison, check_plan
    from guard.rules.loader import load_rules

    plan = read_plan(PLANS / "format-0.1-terraform-0.12.31.json")
    report = check_plan(plan, load_rules([]), live=LiveComparison())
    assert not any("resource_drift" in line for line in report.limits)
    assert any("marks no value sensitive" in line for line in report.limits)


def test_a_plan_without_sensitivity_marks_shows_no_value():
    plan = read_plan(PLANS / "format-0.1-terraform-0.12.31.json")
    change = plan.changes[0]
    assert change.after_sensitive is True and change.before_sensitive is True
    assert masked(change.after, change.after_sensitive) == MASK
    (after,) = [r for r in plan.after_states() if r.address == change.address]
    assert after.sensitive == frozenset(after.attrs)
    assert all(r.sensitive == frozenset(r.attrs) for r in plan.prior)


def test_marks_of_0_14_and_later_are_used_as_they_are():
    plan = read_plan(PLANS / "format-0.2-terraform-1.0.11.json")
    assert isinstance(plan.changes[0].after_sensitive, dict)
    assert not any("sensitive" in line for line in plan.limits)


def _every_change(version: str, strip: tuple[str, ...]) -> str:
    document = json.loads((PLANS / "every-change.json").read_text())
    document["format_version"] = version
    for entry in document["resource_changes"]:
        for key in strip:
            entry.pop(key, None)
            entry["change"].pop(key, None)
    return json.dumps(document)


def test_reasons_for_deletes_and_replacements_are_named_when_the_format_has_none():
    old = parse_plan(_every_change("0.2", ("action_reason",)), "plan.json")
    assert any("`action_reason`" in line for line in old.limits)
    new = parse_plan(_every_change("1.0", ()), "plan.json")
    assert not any("`action_reason`" in line for line in new.limits)


def test_replace_paths_missing_from_a_0_1_replacement_is_named():
    old = parse_plan(_every_change("0.1", ("replace_paths",)), "plan.json")
    assert any("`replace_paths`" in line for line in old.limits)
    assert not any("`replace_paths`" in line for line in parse_plan(_every_change("0.2", ()), "p").limits)


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        ("2.0", "is plan format version 2.0, newer than the 0.1 to 1.x guard reads"),
        ("one", "has a `format_version` guard does not know ('one')"),
        (1.2, "has a `format_version` guard does not know (1.2)"),
    ],
)
def test_unknown_format_versions_are_one_clear_error(version, problem):
    from guard.errors import InputError

    document = json.loads((PLANS / "harmless.json").read_text())
    document["format_version"] = version
    with pytest.raises(InputError) as caught:
        parse_plan(json.dumps(document), "plan.json")
    assert problem in str(caught.value)
