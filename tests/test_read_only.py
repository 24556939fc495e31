"""`guard scan` only reads AWS: every operation it sends is a Describe/List/Get/Lookup."""

from __future__ import annotations

import re

import pytest

from guard.aws import Clients
from guard.demo import build_web_estate, delete_https_rule

READ = re.compile(r"^(Describe|List|Get|Lookup|BatchGet)[A-Z]")


@pytest.fixture
def operations(monkeypatch):
    """Every AWS operation guard's clients send, recorded through botocore's own events."""
    sent: list[str] = []
    original = Clients.client

    def recording(self, service, region):
        client = original(self, service, region)
        if not getattr(client, "_recorded", False):
            client.meta.events.register("before-call.*.*", lambda model, **_: sent.append(model.name))
            client._recorded = True
        return client

    monkeypatch.setattr(Clients, "client", recording)
    return sent


def test_scan_sends_only_reads(aws, guard, operations, tmp_path):
    estate = build_web_estate(aws)
    delete_https_rule(aws, estate.lb_group_id)
    path = estate.state.write(tmp_path / "terraform.tfstate")
    for output in ("console", "json"):
        assert guard("scan", "--state", path, "--format", output).code == 2
    assert operations, "the recorder saw nothing"
    writes = sorted({name for name in operations if not READ.match(name)})
    assert writes == []
