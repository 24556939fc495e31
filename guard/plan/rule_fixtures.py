"""Rule fixtures: a folder with an input and the expected result, run by one helper.

A fixture folder holds `expected.json` and one input:
- `input.tfstate` (or `input.json` with `"version": 4`): a Terraform state; rules run on
  its resources as they are;
- `plan.json` (or `input.json` with `"format_version"`): a plan; it goes through
  `check-plan` (after-states and changes).

`expected.json`: `{"rule": "GUARD-NET-001", "violations": [addresses], "passes": [addresses]}`.
The fixture passes when the rule flags exactly the `violations` addresses, and each
`passes` address was checked by the rule and found compliant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guard.errors import InputError
from guard.rules.engine import applies_to, evaluate, subjects_from_resources
from guard.rules.loader import RuleSet

_INPUTS = ("input.tfstate", "plan.json", "input.json")
_FIX = "a fixture folder holds expected.json and one of input.tfstate, plan.json, input.json"


@dataclass
class FixtureResult:
    rule_id: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)


def find_fixtures(root: str | Path) -> list[Path]:
    base = Path(root)
    if (base / "expected.json").is_file():
        return [base]
    folders = sorted(p.parent for p in base.rglob("expected.json"))
    if not folders:
        raise InputError(str(base), "holds no fixture folder (no expected.json found)", _FIX)
    return folders


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"cannot be read as JSON ({exc})", _FIX) from None


def run_fixture(folder: Path, rules: RuleSet) -> FixtureResult:
    from guard.plan.check import check_plan
    from guard.plan.reader import parse_plan
    from guard.state.terraform import parse_state

    expected = _read_json(folder / "expected.json")
    if not isinstance(expected, dict) or not isinstance(expected.get("rule"), str):
        raise InputError(str(folder / "expected.json"), "has no `rule` id", _FIX)
    rule_id = expected["rule"]
    rule = rules.get(rule_id)
    if rule is None:
        return FixtureResult(rule_id, False, [f"no rule {rule_id} is loaded"])
    only = RuleSet([rule])
    source = next((folder / name for name in _INPUTS if (folder / name).is_file()), None)
    if source is None:
        raise InputError(str(folder), "has no input", _FIX)
    text = source.read_text(encoding="utf-8")
    document = _read_json(source)
    found: list[str]
    checked: set[str]
    if isinstance(document, dict) and "format_version" in document:
        plan = parse_plan(text, str(source))
        report = check_plan(plan, only, protect=tuple(expected.get("protect") or ()))
        found = [f.violation.address for f in report.findings if f.violation.rule_id == rule_id]
        if rule.subject == "change":
            checked = {c.address for c in plan.changes if applies_to(rule, c.type)}
        else:
            checked = {r.address for r in plan.after_states() if applies_to(rule, r.type)}
        checked -= {address for _, address in report.undecided}
    else:
        resources = parse_state(text, str(source))
        subjects = subjects_from_resources(resources)
        outcome = evaluate(only, subjects)
        found = [v.address for v in outcome.violations]
        checked = {s.address for s in subjects if applies_to(rule, s.type)}
    want = sorted(expected.get("violations") or [])
    problems = []
    for address in sorted(set(want) - set(found)):
        problems.append(f"expected a violation on {address}, got none")
    for address in sorted(set(found) - set(want)):
        problems.append(f"unexpected violation on {address}")
    for address in expected.get("passes") or []:
        if address not in checked:  # a violation on it is already reported above
            problems.append(f"{address} was expected to pass but the rule did not check it")
    if not want and not expected.get("passes"):
        problems.append("expected.json names no violation and no pass: the fixture tests nothing")
    return FixtureResult(rule_id, not problems, problems, found)
