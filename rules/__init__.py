"""The built-in rule pack: one YAML file per rule, installed as `guard.builtin_rules`."""
