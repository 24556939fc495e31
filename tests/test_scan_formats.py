"""`guard scan --format markdown|sarif`, and the renderer registry every command writes through."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
from pathlib import Path

import jsonschema
import pytest

from guard.cli import cli
from guard.demo import build_web_estate, delete_https_rule
from guard.enrich.finish import finish_report
from guard.model import Actor, Change, Drift, DriftKind, Report, RollbackStep, Severity, Violation
from guard.render import RENDERERS, formats, write_report
from guard.render.markdown import COMMENT_LIMIT
from guard.render.scan_markdown import render_scan_markdown
from guard.render.scan_sarif import render_scan_sarif

REGION = "us-east-1"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
RENDER = Path(__file__).parent.parent / "guard" / "render"
# Command name -> the report kind its --format renders.
COMMAND_KINDS = {
    "scan": "scan",
    "check-plan": "plan",
    "rollback": "rollback",
    "history": "history",
    "graph": "graph",
    "types": "types",
    "on-event": "event",
}


def _report(findings: int = 2) -> Report:
    drifts = [
        Drift(
            DriftKind.MISSING,
            "aws_vpc_security_group_ingress_rule",
            f"sgr-{n:04d}",
            f'module.edge.aws_security_group.lb["{n}"]',
            "111122223333",
            REGION,
            "ingress tcp/443 from 0.0.0.0/0 was deleted",
            source="states/prod.tfstate",
            severity=Severity.CRITICAL,
            impact=("internet-facing load balancer prod-web stops answering on HTTPS 443",),
            rollback=(
                RollbackStep(
                    "aws", "Put the rule back", cli="aws ec2 authorize-security-group-ingress --x ```y```"
                ),
            ),
            actor=Actor(who="alice", via="console", event_id="e-1", event_name="RevokeSecurityGroupIngress"),
        )
        for n in range(findings)
    ]
    drifts.append(
        Drift(
            DriftKind.CHANGED,
            "aws_instance",
            "i-0abc",
            "aws_instance.app",
            "111122223333",
            REGION,
            "instance_type changed",
            changes=(Change("instance_type", "t3.micro", "t3.large"),),
            source="states/prod.tfstate",
        )
    )
    drifts.append(
        Drift(
            DriftKind.UNMANAGED, "aws_s3_bucket", "stray", "", "111122223333", REGION, "stray", source="aws"
        )
    )
    violation = Violation(
        "GUARD-NET-001", Severity.HIGH, "SSH open to the world", "port 22 is open to 0.0.0.0/0",
        "aws_security_group", "aws_security_group.ssh", id="sg-1", source="states/prod.tfstate",
        remediation="Narrow the source.",
    )  # fmt: skip
    return finish_report(
        Report("111122223333", (REGION,), ("states/prod.tfstate",), tuple(drifts), violations=(violation,))
    )


def test_scan_sarif_is_valid_and_puts_each_finding_on_its_state_and_address():
    document = json.loads(render_scan_sarif(_report()))
    jsonschema.validate(document, SARIF_SCHEMA)
    run = document["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for item in run["results"]:
        assert ids[item["ruleIndex"]] == item["ruleId"]
    deleted, _, changed, added, violation = run["results"]
    assert deleted["ruleId"] == "GUARD-DRIFT-DELETED" and deleted["level"] == "error"
    [where] = deleted["locations"]
    assert where["physicalLocation"]["artifactLocation"]["uri"] == "states/prod.tfstate"
    assert where["logicalLocations"][0]["fullyQualifiedName"] == 'module.edge.aws_security_group.lb["0"]'
    assert "who: alice" in deleted["message"]["text"]
    assert "instance_type: t3.micro -> t3.large" in changed["message"]["text"]
    assert added["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "states/prod.tfstate"
    assert violation["ruleId"] == "GUARD-NET-001" and violation["level"] == "error"
    assert violation["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_security_group.ssh"
    assert len({r["partialFingerprints"]["guardDrift/v1"] for r in run["results"][:4]}) == 4
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_scan_sarif_says_what_was_not_checked():
    from dataclasses import replace

    from guard.model import NotChecked

    report = replace(_report(0), not_checked=(NotChecked("aws_instance", REGION, "AccessDenied"),))
    document = json.loads(render_scan_sarif(report))
    jsonschema.validate(document, SARIF_SCHEMA)
    [invocation] = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert (
        "aws_instance in us-east-1: AccessDenied"
        in invocation["toolExecutionNotifications"][0]["message"]["text"]
    )


def test_scan_markdown_shows_findings_violations_groups_and_the_way_back():
    text = render_scan_markdown(_report())
    assert text.startswith("## 🛑 change-guard: 4 findings (1 changed, 2 deleted, 1 added), 1 rule violation")
    assert '| critical | deleted | `module.edge.aws_security_group.lb["0"]` |' in text
    assert "<b>DELETED</b>" in text and "- who: alice, in the AWS console" in text
    assert (
        "````\naws ec2 authorize-security-group-ingress --x ```y```\n````" in text
    )  # fence outlasts backticks
    assert "| high | GUARD-NET-001 | `aws_security_group.ssh` | port 22 is open to 0.0.0.0/0 |" in text
    assert "0 of 0 declared resources checked" in text


def test_scan_markdown_stays_under_githubs_comment_limit():
    text = render_scan_markdown(_report(3000))
    assert len(text) <= COMMENT_LIMIT
    assert "more findings not shown" in text and "finding details left out" in text


def test_every_format_option_is_the_registrys_and_every_renderer_loads():
    for command, kind in COMMAND_KINDS.items():
        [option] = [p for p in cli.commands[command].params if p.name == "output_format"]
        assert list(option.type.choices) == formats(kind), command  # type: ignore[attr-defined]
    assert set(formats("scan")) == {"console", "json", "markdown", "sarif", "html"}
    assert set(formats("plan")) == {"console", "json", "markdown", "sarif", "github", "html"}
    assert set(formats("history")) == {"console", "json", "html"}
    for renderer in RENDERERS.values():
        function = renderer.load()
        assert callable(function)
        assert len(inspect.signature(function).parameters) == (2 if renderer.draws else 1), renderer


def test_one_writer_for_files_and_standard_output(tmp_path, capsys):
    report = _report(1)
    write_report("scan", "sarif", report, str(tmp_path / "out.sarif"))
    write_report("scan", "sarif", report, None)
    assert capsys.readouterr().out == (tmp_path / "out.sarif").read_text()
    write_report("scan", "console", report, str(tmp_path / "out.txt"))
    assert "who: alice, in the AWS console" in (tmp_path / "out.txt").read_text()


def test_renderers_compute_nothing_from_enrich_pipeline_or_remedy():
    """Renderers are pure functions of what they render: they name those stages' types, never call them."""
    for path in sorted(RENDER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.split(".")[:2]
                in (
                    ["guard", "enrich"],
                    ["guard", "pipeline"],
                    ["guard", "remedy"],
                )
            ):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert inspect.isclass(getattr(module, alias.name)), f"{path.name}: {alias.name}"


@pytest.mark.parametrize("output_format", ["markdown", "sarif"])
def test_scan_command_writes_the_deleted_rule(aws, guard, tmp_path, output_format):
    estate = build_web_estate(aws, REGION)
    state = estate.state.write(tmp_path / "web.tfstate")
    delete_https_rule(aws, estate.lb_group_id, REGION)
    out = tmp_path / f"report.{output_format}"
    result = guard("scan", "--state", state, "--region", REGION, "--format", output_format, "--output", out)
    assert result.code == 2, result.err
    text = out.read_text()
    if output_format == "sarif":
        document = json.loads(text)
        jsonschema.validate(document, SARIF_SCHEMA)
        [item] = document["runs"][0]["results"]
        assert item["ruleId"] == "GUARD-DRIFT-DELETED"
        assert item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(state)
        assert (
            item["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            == "module.edge.aws_security_group.lb"
        )
    else:
        assert text.startswith("## 🛑 change-guard: 1 finding (1 deleted)")
        assert "ingress tcp/443 from 0.0.0.0/0 was deleted" in text
        assert "aws ec2 authorize-security-group-ingress" in text
