"""The Terraform v4 state reader, on fixtures in the exact format Terraform writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.errors import InputError
from guard.state import load_states, read_state_file

FIXTURES = Path(__file__).parent / "fixtures" / "state"


def test_addresses_from_modules_count_and_for_each():
    resources = read_state_file(FIXTURES / "modules.tfstate")
    addresses = [r.address for r in resources]
    assert addresses == [
        'module.edge.aws_instance.web["a"]',
        'module.edge.aws_instance.web["b \\"quoted\\""]',
        'module.net[0].module.subnets["private"].aws_subnet.this[0]',
        'module.net[0].module.subnets["private"].aws_subnet.this[1]',
        "aws_db_instance.main",
    ]


def test_data_sources_and_deposed_objects_are_skipped():
    resources = read_state_file(FIXTURES / "modules.tfstate")
    assert all(r.type != "aws_ami" for r in resources)
    assert [r.id for r in resources if r.type == "aws_db_instance"] == ["db-ABCDEFGHIJKLMNOP"]


def test_sensitive_attributes_are_remembered():
    db = next(r for r in read_state_file(FIXTURES / "modules.tfstate") if r.type == "aws_db_instance")
    assert db.sensitive == frozenset({"password"})


def test_account_and_region_come_from_arn_zone_owner_or_region():
    by_id = {r.id: r for r in read_state_file(FIXTURES / "modules.tfstate")}
    assert (by_id["i-0aaaaaaaaaaaaaaa1"].account, by_id["i-0aaaaaaaaaaaaaaa1"].region) == (
        "111122223333",
        "eu-west-1",
    )
    assert by_id["i-0bbbbbbbbbbbbbbb2"].region == "eu-west-1"
    assert (by_id["subnet-0123"].account, by_id["subnet-0123"].region) == ("111122223333", "us-west-2")
    assert by_id["subnet-0456"].region == "us-west-2"


def test_dependencies_are_kept():
    web = read_state_file(FIXTURES / "modules.tfstate")[0]
    assert web.dependencies == ("module.edge.aws_security_group.lb",)


def test_state_written_by_terraform_012_reads():
    (vpc,) = read_state_file(FIXTURES / "legacy-012.tfstate")
    assert (vpc.address, vpc.id, vpc.sensitive) == ("aws_vpc.main", "vpc-0123", frozenset())


def test_several_states_are_read_together():
    resources = load_states([str(FIXTURES / "modules.tfstate"), str(FIXTURES / "legacy-012.tfstate")])
    assert {r.source for r in resources} == {
        str(FIXTURES / "modules.tfstate"),
        str(FIXTURES / "legacy-012.tfstate"),
    }


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("empty.tfstate", "is empty"),
        ("truncated.tfstate", "is not valid JSON"),
        ("not-an-object.tfstate", "not a Terraform state object"),
        ("version3.tfstate", "version 3 (Terraform 0.11 or older)"),
        ("version5.tfstate", "version 5, newer than"),
        ("no-resources.tfstate", "has no `resources` list"),
        ("no-instances.tfstate", "has no `instances` field"),
        ("does-not-exist.tfstate", "no such file"),
    ],
)
def test_bad_state_is_one_clear_error_naming_the_file(name, says):
    with pytest.raises(InputError) as raised:
        read_state_file(FIXTURES / name)
    assert name in str(raised.value)
    assert says in str(raised.value)


@pytest.mark.parametrize(
    "name",
    ["empty.tfstate", "truncated.tfstate", "version3.tfstate", "version5.tfstate", "no-instances.tfstate"],
)
def test_cli_bad_state_exits_1_with_one_line(guard, name):
    result = guard("scan", "--state", FIXTURES / name, "--region", "us-east-1")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "Traceback" not in result.err
    assert result.out == ""


def test_cli_second_bad_state_names_that_file(guard):
    result = guard(
        "scan",
        "--state",
        FIXTURES / "legacy-012.tfstate",
        "--state",
        FIXTURES / "version3.tfstate",
        "--region",
        "us-east-1",
    )
    assert result.code == 1
    assert "version3.tfstate" in result.err
