"""The built-in pack is the top-level rules/ folder, one file per rule, and ships in the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from guard.rules import BUILTIN_DIR, load_rules
from guard.rules.reference import BEGIN, END, rules_table, with_rules_table

ROOT = Path(__file__).parent.parent
PACK = ROOT / "rules"


def test_the_pack_is_read_from_the_top_level_rules_folder() -> None:
    # Holds in an editable install; in a wheel install BUILTIN_DIR is guard/builtin_rules.
    assert BUILTIN_DIR.resolve() == PACK.resolve()


def test_one_file_per_rule_named_after_its_id() -> None:
    files = sorted(PACK.glob("*.yaml"))
    ids = [yaml.safe_load(path.read_text())["metadata"]["id"] for path in files]
    assert [path.stem for path in files] == ids
    assert [rule.id for rule in load_rules()] == ids
    assert not list(PACK.glob("*.yml")) and not [
        p for p in PACK.iterdir() if p.is_dir() and p.name != "__pycache__"
    ]


def test_the_table_has_one_row_per_rule_and_replaces_only_the_marked_text() -> None:
    rules = load_rules()
    table = rules_table(rules)
    assert len(table.splitlines()) == len(rules) + 2
    assert (
        "| GUARD-PLAN-001 | critical | Plan deletes or replaces a protected resource | plan changes |"
        in table
    )
    stale = f"intro\n{BEGIN}\n| old | row |\n{END}\noutro\n"
    assert with_rules_table(stale) == f"intro\n{BEGIN}\n{table}{END}\noutro\n"
    with pytest.raises(ValueError, match="no table markers"):
        with_rules_table("no markers here")


def _can_build_without_isolation() -> bool:
    # setuptools builds wheels itself from 70.1; before that it needs the `wheel` package.
    for probe in ("import setuptools.command.bdist_wheel", "import wheel"):
        if subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0:
            return True
    return False


@pytest.mark.slow
def test_a_built_wheel_holds_the_pack_where_builtin_dir_finds_it(tmp_path: Path) -> None:
    """A non-editable install reads the pack from guard/builtin_rules/ inside site-packages."""
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)]
    if _can_build_without_isolation():
        command.insert(5, "--no-build-isolation")
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("change_guard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {name.rsplit("/", 1)[1] for name in names if name.startswith("guard/builtin_rules/")}
    assert shipped == {path.name for path in PACK.glob("*.yaml")} | {"__init__.py"}
    # setup.py adds the pack to the packages setuptools finds: none of guard's own is lost.
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "guard").rglob("*.py")}
    assert modules <= names
    # The loader resolves the pack through the package, so an installed copy finds it there too.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # The unpacked wheel comes first on sys.path, ahead of the editable install's finder.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from guard.rules import BUILTIN_DIR, load_rules; print(BUILTIN_DIR, len(load_rules()))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(site)},
    ).stdout.split()
    assert found == [str(site / "guard" / "builtin_rules"), str(len(shipped) - 1)]
    fixtures = [name for name in names if name.endswith(("expected.json", ".tfstate"))]
    assert not fixtures, "rule fixtures stay under tests/rules/, out of the wheel"
