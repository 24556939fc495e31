"""docs/resource-types.md is generated from the registry; it must not fall behind it."""

from __future__ import annotations

import json
from pathlib import Path

from guard.live import REGISTRY
from guard.render.types import render_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "resource-types.md"


def test_resource_types_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == render_markdown(REGISTRY), (
        "docs/resource-types.md is stale: run `guard types --format markdown > docs/resource-types.md`"
    )


def test_every_registered_type_and_alias_is_in_the_doc():
    text = DOC.read_text(encoding="utf-8")
    for name in [*REGISTRY.types, *REGISTRY.aliases]:
        assert f"`{name}`" in text, name


def test_cli_doc_has_a_types_section():
    cli_doc = (DOC.parent / "cli.md").read_text(encoding="utf-8")
    assert "## guard types" in cli_doc
    assert "--all-regions" in cli_doc


def test_guard_types_json_lists_every_type_with_its_calls(guard):
    result = guard("types", "--format", "json")
    assert result.code == 0, result.err
    rows = {row["type"]: row for row in result.json()["types"]}
    assert set(rows) == set(REGISTRY.types)
    listener = rows["aws_lb_listener"]
    assert listener["service"] == "elbv2"
    assert listener["api_calls"][0].startswith("describe_listeners (paginated, once per aws_lb")
    assert "default_action" in listener["compared"]
    assert rows["aws_lb"]["aliases"] == ["aws_alb"]
    assert rows["aws_eip"]["api_calls"] == ["describe_addresses (one page, once per region)"]
    assert json.dumps(rows)  # plain JSON all the way down


def test_guard_types_table_names_every_type(guard):
    result = guard("types")
    assert result.code == 0, result.err
    for name in REGISTRY.types:
        assert name in result.out
    assert f"{len(REGISTRY.types)} types" in result.out


def test_the_readme_states_the_number_of_supported_types():
    readme = (DOC.parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"Supported resource types: {len(REGISTRY.types)} today" in readme
