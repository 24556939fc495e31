"""Read rule files and check them once; every problem in every file is reported together.

A rule that is wrong is an error naming the file and line, never a traceback.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jmespath
import yaml
from jmespath.exceptions import JMESPathError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from guard.errors import GuardError
from guard.model import Severity
from guard.rules.model import SUBJECTS, Condition, Group, Leaf, Relation, Rule
from guard.rules.operators import NEEDS_VALUE, OPERATORS

# The top-level rules/ folder, installed as the package guard.builtin_rules (pyproject's package-dir).
BUILTIN_DIR = Path(str(importlib.resources.files("guard.builtin_rules")))
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_METADATA_KEYS = {"id", "title", "severity", "description", "remediation", "references"}
_DEFINITION_KEYS = {"resource_types", "subject", "related", "applies"}
_CONDITION_KEYS = {"and", "or", "not", "path", "operator", "value"}
_RELATION_KEYS = {"types", "their", "ours", "through", "where"}


class RuleFileError(GuardError):
    """One or more rule files cannot be used; the message lists every problem with file and line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in rule files "
            "(fix them and run `guard rules list --rules DIR` to check):\n"
            + "\n".join(f"  {problem}" for problem in self.problems)
        )


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)

    def get(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def __iter__(self) -> Any:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


def load_rules(folders: Iterable[str | Path] = (), builtin: bool = True) -> RuleSet:
    """The built-in pack (unless turned off) and every *.yaml/*.yml under each folder."""
    problems: list[str] = []
    files: list[tuple[Path, bool]] = []
    if builtin:
        files += [(path, True) for path in _rule_files(BUILTIN_DIR, problems)]
    for folder in folders:
        files += [(path, False) for path in _rule_files(Path(folder), problems)]
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, is_builtin in files:
        rule = _load_file(path, is_builtin, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(
                f"{path}: rule id {rule.id} is already used by {seen[rule.id]}; ids must be unique"
            )
            continue
        seen[rule.id] = str(path)
        rules.append(rule)
    if problems:
        raise RuleFileError(problems)
    return RuleSet(sorted(rules, key=lambda rule: rule.id))


def _rule_files(folder: Path, problems: list[str]) -> list[Path]:
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        problems.append(f"{folder}: no such rule folder; pass a folder of *.yaml rule files")
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class _RuleFileChecker:
    """Walks one rule file's YAML nodes; each problem is kept with its line, none stops the walk."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        self.count = 0

    def problem(self, node: Node | None, text: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        self.problems.append(f"{self.path}{line}: {text}")
        self.count += 1

    def mapping(self, node: Node, what: str, allowed: set[str]) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.problem(node, f"{what} must be a mapping")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else str(key)
            if name not in allowed:
                self.problem(key, f"unknown key `{name}` in {what} (allowed: {', '.join(sorted(allowed))})")
                continue
            if name in out:
                self.problem(key, f"`{name}` appears twice in {what}")
            out[name] = (key, value)
        return out

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.problem(node, f"{what} must be a non-empty string")
            return ""
        return str(node.value)

    def texts(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode):
            return (self.text(node, what),)
        if not isinstance(node, SequenceNode) or not node.value:
            self.problem(node, f"{what} must be a string or a non-empty list of strings")
            return ()
        return tuple(self.text(item, f"each of {what}") for item in node.value)

    def jmespath(self, node: Node, what: str) -> str:
        expression = self.text(node, what)
        if expression:
            try:
                jmespath.compile(expression)
            except JMESPathError as exc:
                detail = str(exc).splitlines()[0]
                self.problem(node, f"{what} `{expression}` is not valid JMESPath ({detail})")
        return expression

    def condition(self, node: Node, what: str) -> Condition | None:
        parts = self.mapping(node, what, _CONDITION_KEYS)
        if parts is None:
            return None
        forms = [name for name in ("and", "or", "not", "path") if name in parts]
        if len(forms) != 1:
            self.problem(node, f"{what} needs exactly one of `and`, `or`, `not` or `path` (has {len(forms)})")
            return None
        form = forms[0]
        value_node = parts[form][1]
        if form in ("and", "or"):
            if not isinstance(value_node, SequenceNode) or not value_node.value:
                self.problem(value_node, f"`{form}` must be a non-empty list of conditions")
                return None
            children = [self.condition(child, f"an item of `{form}`") for child in value_node.value]
            return Group(form, tuple(c for c in children if c is not None))
        if form == "not":
            child = self.condition(value_node, "`not`")
            return Group("not", (child,)) if child is not None else None
        path = self.jmespath(value_node, "`path`")
        if "operator" not in parts:
            self.problem(node, f"{what} has a `path` but no `operator`")
            return None
        name = self.text(parts["operator"][1], "`operator`")
        if name and name not in OPERATORS:
            self.problem(
                parts["operator"][1],
                f"unknown operator `{name}` (known: {', '.join(sorted(OPERATORS))})",
            )
        has_value = "value" in parts
        if name in NEEDS_VALUE and not has_value:
            self.problem(parts["operator"][1], f"operator `{name}` needs a `value`")
        if name in OPERATORS and name not in NEEDS_VALUE and has_value:
            self.problem(parts["value"][0], f"operator `{name}` takes no `value`")
        value = yaml.safe_load(yaml.serialize(parts["value"][1])) if has_value else None
        return Leaf(path, name, value, node.start_mark.line + 1)

    def relations(self, node: Node) -> tuple[Relation, ...]:
        if not isinstance(node, MappingNode):
            self.problem(node, "`related` must be a mapping of relation names")
            return ()
        out: list[Relation] = []
        for key, value in node.value:
            name = str(key.value)
            if not re.match(r"^[a-z_][a-z0-9_]*$", name):
                self.problem(key, f"relation name `{name}` must be lower_snake_case")
            fields = self.mapping(value, f"relation `{name}`", _RELATION_KEYS)
            if fields is None:
                continue
            for required in ("types", "their", "ours"):
                if required not in fields:
                    self.problem(value, f"relation `{name}` has no `{required}`")
            through = self.text(fields["through"][1], "`through`") if "through" in fields else ""
            if through and through not in {r.name for r in out}:
                self.problem(
                    fields["through"][1], f"`through: {through}` names no relation declared above it"
                )
            out.append(
                Relation(
                    name=name,
                    types=self.texts(fields["types"][1], "`types`") if "types" in fields else (),
                    their=self.jmespath(fields["their"][1], "`their`") if "their" in fields else "",
                    ours=self.jmespath(fields["ours"][1], "`ours`") if "ours" in fields else "",
                    through=through,
                    where=self.jmespath(fields["where"][1], "`where`") if "where" in fields else "",
                )
            )
        return tuple(out)


def _load_file(path: Path, builtin: bool, problems: list[str]) -> Rule | None:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problems.append(f"{path}{line}: is not valid YAML ({getattr(exc, 'problem', None) or exc})")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc})")
        return None
    check = _RuleFileChecker(path, problems)
    if root is None:
        check.problem(None, "is empty; a rule file holds `metadata` and `definition`")
        return None
    top = check.mapping(root, "a rule file", {"metadata", "definition"})
    if top is None:
        return None
    for required in ("metadata", "definition"):
        if required not in top:
            check.problem(root, f"has no `{required}`")
    meta = check.mapping(top["metadata"][1], "`metadata`", _METADATA_KEYS) if "metadata" in top else None
    definition = (
        check.mapping(top["definition"][1], "`definition`", _DEFINITION_KEYS | _CONDITION_KEYS)
        if "definition" in top
        else None
    )
    rule_id, title, severity = "", "", Severity.MEDIUM
    description, remediation = "", ""
    references: tuple[str, ...] = ()
    if meta is not None:
        for required in ("id", "title", "severity"):
            if required not in meta:
                check.problem(top["metadata"][1], f"`metadata` has no `{required}`")
        if "id" in meta:
            rule_id = check.text(meta["id"][1], "`id`")
            if rule_id and not RULE_ID.match(rule_id):
                check.problem(
                    meta["id"][1],
                    f"rule id `{rule_id}` must look like GUARD-NET-001 (capitals, digits, dashes)",
                )
        if "title" in meta:
            title = check.text(meta["title"][1], "`title`")
        if "severity" in meta:
            word = check.text(meta["severity"][1], "`severity`").lower()
            try:
                severity = Severity(word)
            except ValueError:
                if word:
                    check.problem(
                        meta["severity"][1],
                        f"unknown severity `{word}` (one of: {', '.join(s.value for s in Severity)})",
                    )
        if "description" in meta:
            description = check.text(meta["description"][1], "`description`")
        if "remediation" in meta:
            remediation = check.text(meta["remediation"][1], "`remediation`")
        if "references" in meta:
            references = check.texts(meta["references"][1], "`references`")
    condition: Condition | None = None
    applies: Condition | None = None
    relations: tuple[Relation, ...] = ()
    types: tuple[str, ...] = ()
    subject = "resource"
    if definition is not None:
        node = top["definition"][1]
        if "resource_types" not in definition:
            check.problem(node, "`definition` has no `resource_types` (a list of Terraform types, or `*`)")
        else:
            types = check.texts(definition["resource_types"][1], "`resource_types`")
        if "subject" in definition:
            subject = check.text(definition["subject"][1], "`subject`")
            if subject and subject not in SUBJECTS:
                check.problem(definition["subject"][1], f"`subject` must be one of: {', '.join(SUBJECTS)}")
        if "related" in definition:
            relations = check.relations(definition["related"][1])
        if "applies" in definition:
            applies = check.condition(definition["applies"][1], "`applies`")
        own = MappingNode(
            node.tag,
            [(k, v) for k, v in node.value if getattr(k, "value", None) in _CONDITION_KEYS],
            node.start_mark,
            node.end_mark,
        )
        if own.value:
            condition = check.condition(own, "`definition`")
        else:
            check.problem(node, "`definition` states no condition (`and`, `or`, `not` or `path`/`operator`)")
    if check.count or condition is None:
        return None
    return Rule(
        id=rule_id,
        title=title,
        severity=severity,
        resource_types=types,
        condition=condition,
        applies=applies,
        relations=relations,
        subject=subject,
        description=description,
        remediation=remediation,
        references=references,
        source=str(path),
        builtin=builtin,
    )
