"""A rule as loaded: plain frozen data, checked once when read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guard.model import Severity

SUBJECTS = ("resource", "change")


@dataclass(frozen=True)
class Leaf:
    """`path` (JMESPath over the resource's document) `operator` `value`."""

    path: str
    operator: str
    value: Any = None
    line: int = 0


@dataclass(frozen=True)
class Group:
    kind: str  # "and", "or", "not"
    children: tuple[Condition, ...]


Condition = Leaf | Group


@dataclass(frozen=True)
class Relation:
    """Resources related to the one checked: those whose `their` value meets our `ours` value.

    `ours` is read from the checked resource, or from each resource of an earlier
    relation named by `through`; `where` keeps only related resources it is true for.
    """

    name: str
    types: tuple[str, ...]
    their: str
    ours: str
    through: str = ""
    where: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    resource_types: tuple[str, ...]  # type names or globs; "*" for all
    condition: Condition  # what a compliant resource satisfies
    applies: Condition | None = None  # only resources this holds for are checked
    relations: tuple[Relation, ...] = ()
    subject: str = "resource"  # "change": checked on a plan's resource_changes, not on states
    description: str = ""
    remediation: str = ""
    references: tuple[str, ...] = ()
    source: str = ""  # the YAML file it came from
    builtin: bool = False
