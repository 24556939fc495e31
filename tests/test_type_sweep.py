"""Every registered type: no false positive when fresh, exactly the expected finding after an edit."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.cases
from guard.demo.state import TerraformState
from guard.live import REGISTRY
from tests.cases import TypeCase

CASES: list[TypeCase] = [
    case
    for module in pkgutil.iter_modules(tests.cases.__path__)
    for case in importlib.import_module(f"tests.cases.{module.name}").CASES
]
UNMANAGED = [case for case in CASES if case.unmanaged is not None]


def test_every_registered_type_has_a_case():
    covered = {case.type for case in CASES}
    assert sorted(set(REGISTRY.types) - covered) == []


def _scan(guard, state: TerraformState, tmp_path):
    path = state.write(tmp_path / "terraform.tfstate")
    result = guard("scan", "--state", path, "--region", "us-east-1", "--format", "json")
    assert result.code in (0, 2), result.err
    return result.json()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.type)
def test_fresh_resource_has_no_drift_then_the_edit_is_found(case, aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    case.build(aws, state, ctx)
    clean = _scan(guard, state, tmp_path)
    assert clean["findings"] == [], [f["title"] for f in clean["findings"]]
    assert clean["complete"] is True

    case.drift(aws, ctx)
    report = _scan(guard, state, tmp_path)
    assert len(report["findings"]) == 1, [f["title"] for f in report["findings"]]
    finding = report["findings"][0]
    want = case.expected
    assert (finding["kind"], finding["type"], finding["id"]) == (want.kind, want.type, ctx[want.id_key])
    if want.address:
        assert finding["address"] == want.address
    if want.paths:
        assert [c["path"] for c in finding["changes"]] == list(want.paths)
    assert want.title_has in finding["title"]
    assert finding["rollback"], "every finding carries a way back"


@pytest.mark.parametrize("case", UNMANAGED, ids=lambda case: case.type)
def test_resource_made_outside_terraform_is_unmanaged(case, aws, guard, tmp_path):
    state, ctx = TerraformState(), {}
    case.build(aws, state, ctx)
    assert case.unmanaged is not None
    new_id = case.unmanaged(aws, ctx)
    report = _scan(guard, state, tmp_path)
    found = [(f["kind"], f["type"], f["id"]) for f in report["findings"]]
    assert found == [("unmanaged", case.unmanaged_type, new_id)]
