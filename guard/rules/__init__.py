"""Rules: one YAML shape, one loader that reports every problem, one engine for every input."""

from guard.rules.engine import Subject, evaluate, subjects_from_resources
from guard.rules.loader import BUILTIN_DIR, RuleSet, load_rules
from guard.rules.model import Rule

__all__ = ["BUILTIN_DIR", "Rule", "RuleSet", "Subject", "evaluate", "load_rules", "subjects_from_resources"]
