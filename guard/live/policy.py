"""IAM policy documents compared by meaning, not by bytes.

AWS returns IAM documents URL-encoded and S3/SQS/SNS/KMS ones as it stored them;
Terraform state holds whatever JSON string the configuration produced. Two documents
that grant the same thing must compare equal: statement order, a string versus a
one-element list, whitespace, key order, an empty Sid, an account id versus its root ARN.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

_LIST_KEYS = ("Action", "NotAction", "Resource", "NotResource")
_ACCOUNT = re.compile(r"^\d{12}$")


def parse_policy(document: Any) -> Any:
    """A policy as a Python value; a string that is not JSON is returned unchanged."""
    if document is None or document == "":
        return None
    if isinstance(document, (dict, list)):
        return document
    text = str(document).strip()
    if text.startswith("%7B") or text.startswith("%7b"):
        text = urllib.parse.unquote(text)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _as_sorted_list(value: Any) -> list[Any]:
    items = value if isinstance(value, list) else [value]
    return sorted({json.dumps(item, sort_keys=True): item for item in items}.values(), key=str)


def _principal_value(value: Any) -> Any:
    if value == "*":
        return value
    if isinstance(value, dict):
        return {
            kind: _as_sorted_list(
                [
                    f"arn:aws:iam::{item}:root" if isinstance(item, str) and _ACCOUNT.match(item) else item
                    for item in (ids if isinstance(ids, list) else [ids])
                ]
            )
            for kind, ids in value.items()
        }
    return value


def _statement(statement: Any) -> Any:
    if not isinstance(statement, dict):
        return statement
    shaped: dict[str, Any] = {}
    for key, value in statement.items():
        if key == "Sid" and value in ("", None):
            continue
        if key in _LIST_KEYS:
            shaped[key] = _as_sorted_list(value)
        elif key in ("Principal", "NotPrincipal"):
            shaped[key] = _principal_value(value)
        elif key == "Condition" and isinstance(value, dict):
            shaped[key] = {
                operator: {name: _as_sorted_list(v) for name, v in (tests or {}).items()}
                for operator, tests in value.items()
            }
        else:
            shaped[key] = value
    return shaped


def normalise_policy(document: Any) -> str | None:
    """One canonical JSON string per meaning; None for "no policy"."""
    parsed = parse_policy(document)
    if parsed is None or parsed == {}:
        return None
    if not isinstance(parsed, dict):
        return str(parsed)
    shaped = dict(parsed)
    statements = shaped.get("Statement")
    if statements is not None:
        listed = statements if isinstance(statements, list) else [statements]
        shaped["Statement"] = sorted(
            (_statement(s) for s in listed), key=lambda s: json.dumps(s, sort_keys=True)
        )
    return json.dumps(shaped, sort_keys=True, separators=(",", ":"))
