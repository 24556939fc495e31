"""Policy documents compare by meaning; attributes owned by something else are never compared."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from guard.live import REGISTRY
from guard.live.policy import normalise_policy

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


def test_desired_capacity_is_ignored_with_its_reason():
    assert "desired_capacity" not in REGISTRY.get("aws_autoscaling_group").compared
    assert "scaling policies" in REGISTRY.get("aws_autoscaling_group").ignored["desired_capacity"]
