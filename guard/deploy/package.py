"""`guard package-lambda`: the zip deploy/central.yaml's functions run (CodeBucket/CodeKey).

guard itself is copied from where it is installed (with its built-in rules), its dependencies
are installed by pip for Lambda's platform and Python (wheels only, as AWS advises for
packages with compiled parts), and files the functions read from their own disk (states,
guard.toml, rule folders) are added at the root, which is the function's /var/task. The zip
is reproducible: same inputs, same bytes, so the stack is only updated when something changed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guard.errors import InputError

LAMBDA_PYTHON = "3.12"
LAMBDA_PLATFORMS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: no build time in the bytes
_SKIPPED = {"__pycache__", ".pytest_cache", ".mypy_cache"}


@dataclass(frozen=True)
class LambdaPackage:
    path: Path
    files: int
    size: int
    dependencies: tuple[str, ...]


def requirements(python_version: str = LAMBDA_PYTHON) -> list[str]:
    """change-guard's own dependencies (no extras) whose markers hold on Lambda's Python."""
    from packaging.requirements import Requirement

    found: list[str] = []
    environment = {
        "python_version": python_version,
        "python_full_version": f"{python_version}.0",
        "extra": "",
    }
    for line in importlib.metadata.requires("change-guard") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            requirement.marker = None
            found.append(str(requirement))
    return found


def _copy_tree(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if _SKIPPED & set(path.relative_to(source).parts) or path.suffix == ".pyc":
            continue
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def _install_dependencies(build: Path, wanted: Sequence[str], python_version: str, architecture: str) -> None:
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--target", str(build), "--implementation", "cp", "--python-version", python_version,
        "--platform", LAMBDA_PLATFORMS[architecture], "--only-binary=:all:", *wanted,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError("guard package-lambda", f"pip could not install the dependencies ({last})",
                         "check the package index is reachable, or pass --no-dependencies")  # fmt: skip


def build_package(
    output: Path,
    include: Sequence[Path] = (),
    dependencies: bool = True,
    python_version: str = LAMBDA_PYTHON,
    architecture: str = "x86_64",
) -> LambdaPackage:
    for extra in include:
        if not extra.exists():
            raise InputError(
                str(extra), "does not exist", "pass a state, guard.toml or rule folder to include"
            )
    import guard

    wanted = requirements(python_version) if dependencies else []
    with tempfile.TemporaryDirectory(prefix="guard-lambda-") as temporary:
        build = Path(temporary)
        if wanted:
            _install_dependencies(build, wanted, python_version, architecture)
        _copy_tree(Path(guard.__file__).parent, build / "guard")
        rules = Path(str(importlib.resources.files("guard.builtin_rules")))
        _copy_tree(rules, build / "guard" / "builtin_rules")
        for extra in include:
            if extra.is_dir():
                _copy_tree(extra, build / extra.name)
            else:
                shutil.copyfile(extra, build / extra.name)
        output.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in build.rglob("*") if p.is_file()):
                name = path.relative_to(build).as_posix()
                if _SKIPPED & set(name.split("/")) or name.endswith(".pyc"):
                    continue
                entry = zipfile.ZipInfo(name, _FIXED_TIME)
                entry.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, path.read_bytes())
                count += 1
    return LambdaPackage(output, count, output.stat().st_size, tuple(wanted))
