"""Packaging that pyproject.toml cannot say: guard's packages found as usual, plus the
top-level rules/ folder shipped as the package guard.builtin_rules (see [tool.setuptools.package-dir])."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["guard*"]), "guard.builtin_rules"])
