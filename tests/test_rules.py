"""Every rule has a fixture folder and passes it; rule files are checked with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.plan.rule_fixtures import find_fixtures, run_fixture
from guard.rules.loader import BUILTIN_DIR, RuleFileError, load_rules

FIXTURES = Path(__file__).parent / "rules"
RULES = load_rules()


def test_the_pack_has_at_least_15_rules_with_unique_ids() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) >= 15
    assert len(ids) == len(set(ids))
    assert {"GUARD-NET-001", "GUARD-PLAN-001"} <= set(ids)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_every_rule_has_a_fixture_folder_and_passes_it(rule_id: str) -> None:
    folder = FIXTURES / rule_id
    assert (folder / "expected.json").is_file(), f"rule {rule_id} has no fixture folder {folder}"
    result = run_fixture(folder, RULES)
    assert result.rule_id == rule_id
    assert result.passed, result.problems


def test_no_fixture_folder_without_a_rule() -> None:
    ids = {rule.id for rule in RULES}
    assert {folder.name for folder in find_fixtures(FIXTURES)} <= ids


def test_a_fixture_that_expects_the_wrong_thing_fails(tmp_path: Path) -> None:
    import json
    import shutil

    folder = tmp_path / "GUARD-ELB-001"
    shutil.copytree(FIXTURES / "GUARD-ELB-001", folder)
    (folder / "expected.json").write_text(
        json.dumps({"rule": "GUARD-ELB-001", "violations": ["aws_lb.prod"]})
    )
    result = run_fixture(folder, RULES)
    assert not result.passed
    assert "expected a violation on aws_lb.prod, got none" in result.problems
    assert "unexpected violation on aws_lb.public" in result.problems


def test_uneven_spread_names_the_short_zone() -> None:
    from guard.rules.engine import evaluate, subjects_from_resources
    from guard.state.terraform import read_state_file

    resources = read_state_file(FIXTURES / "GUARD-ELB-002" / "input.tfstate")
    outcome = evaluate([RULES.get("GUARD-ELB-002")], subjects_from_resources(resources))  # type: ignore[list-item]
    assert [v.message for v in outcome.violations] == [
        "aws_lb_target_group.uneven: Instances behind a load balancer are spread unevenly across "
        "availability zones (us-east-1b is short (us-east-1a: 3, us-east-1b: 2))"
    ]


def test_rules_list_show_and_test_commands(guard) -> None:  # type: ignore[no-untyped-def]
    listed = guard("rules", "list")
    assert listed.code == 0
    assert "GUARD-NET-001" in listed.out and f"{len(RULES)} rules" in listed.out
    shown = guard("rules", "show", "guard-plan-001")
    assert shown.code == 0 and "severity: critical" in shown.out and "fix:" in shown.out
    assert guard("rules", "show", "GUARD-NOPE-001").code == 1
    tested = guard("rules", "test", FIXTURES)
    assert tested.code == 0, tested.out
    assert f"{len(RULES)} passed, 0 failed" in tested.out


def test_rules_test_reports_a_failing_fixture(guard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    shutil.copytree(FIXTURES / "GUARD-KMS-001", tmp_path / "kms")
    (tmp_path / "kms" / "expected.json").write_text(json.dumps({"rule": "GUARD-KMS-001", "violations": []}))
    result = guard("rules", "test", tmp_path)
    assert result.code == 2
    assert "FAIL  GUARD-KMS-001" in result.out and "unexpected violation on aws_kms_key.data" in result.out


BROKEN = """\
metadata:
  id: net-1
  title: Broken rule
  severity: severe
definition:
  resource_types: [aws_security_group]
  and:
    - path: "_ingress[?from_port == "
      operator: is_empty
    - path: tags.Team
      operator: looks_like
      value: x
    - path: name
      operator: equals
  colour: red
"""


def test_every_problem_in_a_rule_file_is_reported_with_its_line(tmp_path: Path, guard) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "broken.yaml").write_text(BROKEN)
    with pytest.raises(RuleFileError) as caught:
        load_rules([tmp_path])
    problems = caught.value.problems
    path = tmp_path / "broken.yaml"
    assert any(p.startswith(f"{path}:2: rule id `net-1`") for p in problems), problems
    assert any(p.startswith(f"{path}:4: unknown severity `severe`") for p in problems), problems
    assert any(p.startswith(f"{path}:8: `path`") and "not valid JMESPath" in p for p in problems), problems
    assert any(p.startswith(f"{path}:11: unknown operator `looks_like`") for p in problems), problems
    assert any(p.startswith(f"{path}:14: operator `equals` needs a `value`") for p in problems), problems
    assert any(p.startswith(f"{path}:15: unknown key `colour`") for p in problems), problems
    assert len(problems) == 6
    result = guard("rules", "list", "--rules", tmp_path)
    assert result.code == 1
    assert "6 problems in rule files" in result.err and "Traceback" not in result.err


def test_a_user_rule_id_that_repeats_a_builtin_is_an_error(tmp_path: Path) -> None:
    source = (BUILTIN_DIR / "GUARD-ELB-001.yaml").read_text()
    (tmp_path / "copy.yml").write_text(source)
    with pytest.raises(RuleFileError, match="GUARD-ELB-001 is already used by"):
        load_rules([tmp_path])


def test_a_user_rule_runs_with_the_pack(tmp_path: Path, guard) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "team.yaml").write_text(
        "metadata: {id: ACME-TAG-001, title: Instances carry a Team tag, severity: low}\n"
        "definition:\n  resource_types: [aws_instance]\n  path: tags.Team\n  operator: exists\n"
    )
    result = guard("rules", "list", "--rules", tmp_path)
    assert result.code == 0 and "ACME-TAG-001" in result.out
    report = guard(
        "check-plan",
        Path(__file__).parent / "plans" / "harmless.json",
        "--rules",
        tmp_path,
        "--format",
        "json",
    )
    assert report.code == 0  # a low finding does not block at the default --fail-on high
    assert [f["rule_id"] for f in report.json()["findings"]] == []  # web["a"] gains a Team tag
