"""Rules against live AWS (moto over HTTP): `guard scan --rules` and `check-plan --live`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3

from guard.demo import REGION, build_edge, build_web_estate, delete_https_rule


def _with_load_balancer(session: boto3.Session, estate: Any) -> None:
    """The load balancer and its 443 listener, in moto and in state (guard reads both live)."""
    build_edge(session, estate, REGION, listeners=((443, "HTTPS"),), dns=False)


def test_scan_with_rules_ranks_the_deleted_443_rule_critical(
    aws: boto3.Session, guard, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    estate = build_web_estate(aws, REGION)
    _with_load_balancer(aws, estate)
    state = estate.state.write(tmp_path / "terraform.tfstate")
    clean = guard("scan", "--state", state, "--region", REGION, "--rules", "builtin", "--format", "json")
    assert clean.code == 0, clean.out
    assert "violations" not in clean.json()

    delete_https_rule(aws, estate.lb_group_id, REGION)
    result = guard("scan", "--state", state, "--region", REGION, "--rules", "builtin", "--format", "json")
    assert result.code == 2
    report = result.json()
    [finding] = report["findings"]
    assert finding["kind"] == "missing" and "ingress tcp/443 from 0.0.0.0/0" in finding["title"]
    assert finding["severity"] == "critical"  # the rule ranks the drift it explains
    assert finding["rule_ids"] == ["GUARD-NET-001"]
    [violation] = report["violations"]
    assert violation["rule_id"] == "GUARD-NET-001"
    assert violation["id"] == estate.lb_group_id
    assert violation["address"] == "module.edge.aws_security_group.lb"

    console = guard("scan", "--state", state, "--region", REGION, "--rules", "builtin")
    assert "Rule violations in live state (1)" in console.out
    assert "GUARD-NET-001 module.edge.aws_security_group.lb" in console.out


def _plan_touching(state: dict[str, Any], address: str) -> dict[str, Any]:
    """A plan made with -refresh=false: prior state as the state file has it; `address` gets a tag."""
    changes, prior = [], []
    for block in state["resources"]:
        for instance in block["instances"]:
            module = block.get("module", "")
            suffix = "" if "index_key" not in instance else f"[{json.dumps(instance['index_key'])}]"
            full = f"{module + '.' if module else ''}{block['type']}.{block['name']}{suffix}"
            values = instance["attributes"]
            after = (
                dict(values, tags={**(values.get("tags") or {}), "Owner": "web"})
                if full == address
                else values
            )
            entry = {
                "address": full,
                **({"module_address": module} if module else {}),
                "mode": "managed",
                "type": block["type"],
                "name": block["name"],
                **({"index": instance["index_key"]} if "index_key" in instance else {}),
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["update"] if full == address else ["no-op"],
                    "before": values,
                    "after": after,
                    "after_unknown": {},
                    "before_sensitive": {},
                    "after_sensitive": {},
                },
            }
            changes.append(entry)
            prior.append(
                {
                    "address": full,
                    "mode": "managed",
                    "type": block["type"],
                    "name": block["name"],
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "schema_version": instance["schema_version"],
                    "values": values,
                    "sensitive_values": {},
                }
            )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": prior}}},
        "configuration": {"root_module": {}},
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def test_check_plan_live_warns_about_an_out_of_band_change_the_apply_undoes(
    aws: boto3.Session, guard, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    estate = build_web_estate(aws, REGION)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan_touching(estate.state.document(), "module.edge.aws_security_group.lb")))
    before = guard("check-plan", plan, "--live", "--format", "json")
    assert before.code == 0, before.out
    assert before.json()["findings"] == []

    delete_https_rule(aws, estate.lb_group_id, REGION)
    offline = guard("check-plan", plan, "--format", "json")
    assert offline.json()["findings"] == []  # the plan alone cannot know
    result = guard("check-plan", plan, "--live", "--format", "json")
    assert result.code == 0  # a warning: medium is below the default --fail-on high
    [finding] = result.json()["findings"]
    assert finding["rule_id"] == "GUARD-PLAN-002"
    assert finding["address"] == "module.edge.aws_security_group.lb"
    assert finding["details"] == [
        "ingress tcp/443 from 0.0.0.0/0 was deleted outside Terraform: 'live AWS differs' "
        "(found in AWS by guard) -> 'back to declared state'"
    ]
    assert guard("check-plan", plan, "--live", "--fail-on", "medium").code == 2
