"""Policy documents compare by meaning; config can name attributes owned elsewhere."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from guard.live import REGISTRY
from guard.live.owned import ignore_owned_elsewhere
from guard.live.policy import normalise_policy
from guard.live.types import Registry

STORED = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": {"AWS": "111122223333"}},
        {"Effect": "Deny", "Action": ["s3:DeleteObject", "s3:PutObject"], "Resource": "*"},
    ],
}
SAME_MEANING = {
    "Statement": [
        {"Sid": "", "Resource": ["*"], "Action": ["s3:PutObject", "s3:DeleteObject"], "Effect": "Deny"},
        {
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
            "Resource": "*",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
        },
    ],
    "Version": "2012-10-17",
}


def test_equivalent_documents_normalise_to_one_string():
    url_encoded = urllib.parse.quote(json.dumps(STORED))
    pretty = json.dumps(SAME_MEANING, indent=4)
    assert normalise_policy(STORED) == normalise_policy(pretty) == normalise_policy(url_encoded)


def test_a_real_change_still_differs():
    wider = json.loads(json.dumps(STORED))
    wider["Statement"][0]["Action"] = "s3:*"
    assert normalise_policy(wider) != normalise_policy(STORED)


@pytest.mark.parametrize("empty", [None, "", "{}", {}])
def test_no_policy_is_none(empty):
    assert normalise_policy(empty) is None


def _copy() -> Registry:
    registry = Registry()
    registry.types = dict(REGISTRY.types)
    return registry


def test_config_can_mark_an_attribute_owned_elsewhere():
    registry = _copy()
    ignore_owned_elsewhere(
        registry, "aws_sqs_queue", "visibility_timeout_seconds", "tuned by the queue operator"
    )
    declaration = registry.get("aws_sqs_queue")
    assert "visibility_timeout_seconds" not in declaration.compared
    assert declaration.ignored["visibility_timeout_seconds"] == "tuned by the queue operator"
    assert (
        "visibility_timeout_seconds" in REGISTRY.get("aws_sqs_queue").compared
    )  # the shared one is untouched


def test_desired_capacity_is_ignored_with_its_reason():
    assert "desired_capacity" not in REGISTRY.get("aws_autoscaling_group").compared
    assert "scaling policies" in REGISTRY.get("aws_autoscaling_group").ignored["desired_capacity"]


@pytest.mark.parametrize(("type_name", "attribute"), [("aws_nope", "x"), ("aws_sqs_queue", "nope")])
def test_unknown_type_or_attribute_is_a_clear_error(type_name, attribute):
    with pytest.raises(ValueError, match="nope"):
        ignore_owned_elsewhere(_copy(), type_name, attribute)
