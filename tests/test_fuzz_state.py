"""Any input to the state reader gives resources or one InputError, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guard.errors import InputError
from guard.state.terraform import parse_state

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)

instance = st.fixed_dictionaries(
    {},
    optional={
        "attributes": st.dictionaries(
            st.sampled_from(["id", "arn", "region", "owner_id", "availability_zone", "tags"]), values
        )
        | values,
        "index_key": values,
        "sensitive_attributes": values,
        "dependencies": values,
        "deposed": values,
        "schema_version": values,
    },
)
# Every instance field present: the reader must check each one's type, not trust it.
full_instance = st.fixed_dictionaries(
    {
        "attributes": st.dictionaries(
            st.sampled_from(["id", "arn", "region", "owner_id", "availability_zone"]), values
        ),
        "index_key": values,
        "sensitive_attributes": values,
        "dependencies": values,
        "deposed": st.none() | values,
    }
)
resource = st.fixed_dictionaries(
    {},
    optional={
        "mode": st.sampled_from(["managed", "data"]) | values,
        "type": st.sampled_from(["aws_vpc", "aws_instance"]) | values,
        "name": st.text(max_size=5) | values,
        "module": st.text(max_size=12) | values,
        "instances": st.lists(full_instance | instance | values, max_size=3) | values,
    },
)
state = st.fixed_dictionaries(
    {"version": st.just(4) | values},
    optional={"resources": st.lists(resource | values, max_size=4) | values, "terraform_version": values},
)


def _read(text: str) -> None:
    try:
        parse_state(text, "fuzz.tfstate")
    except InputError as error:
        assert "fuzz.tfstate" in str(error)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(state)
@example(
    {
        "version": 4,
        "resources": [{"type": "aws_vpc", "name": "x", "instances": [{"attributes": {}, "dependencies": 5}]}],
    }
)
@example(
    {
        "version": 4,
        "resources": [{"type": "aws_vpc", "name": "x", "instances": [{"attributes": {"region": 5}}]}],
    }
)
def test_structured_states_never_crash(document):
    _read(json.dumps(document))


@settings(max_examples=300)
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_arbitrary_text_never_crashes(text):
    _read(text)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=400))
def test_truncated_state_never_crashes(cut):
    document = {
        "version": 4,
        "terraform_version": "1.9.8",
        "serial": 1,
        "lineage": "x",
        "outputs": {},
        "resources": [
            {
                "mode": "managed",
                "type": "aws_vpc",
                "name": "main",
                "provider": "provider.aws",
                "instances": [{"schema_version": 1, "attributes": {"id": "vpc-1", "tags": {"a": "b"}}}],
            }
        ],
    }
    _read(json.dumps(document)[:cut])


def _outcome(read):
    try:
        return [(r.address, r.id, r.region, r.sensitive) for r in read()]
    except InputError as error:
        return str(error)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(document=state, chunk=st.integers(min_value=1, max_value=64), indent=st.sampled_from([None, 1, 2]))
def test_the_streaming_file_reader_agrees_with_the_whole_text_reader(
    document, chunk, indent, tmp_path, monkeypatch
):
    """Files are read a chunk at a time; every chunk boundary must give what json.loads gives."""
    from guard.state import terraform

    text = json.dumps(document, indent=indent)
    path = tmp_path / "fuzz.tfstate"
    path.write_text(text)
    monkeypatch.setattr(terraform._Stream, "CHUNK", chunk)
    assert _outcome(lambda: terraform.read_state_file(path)) == _outcome(lambda: parse_state(text, str(path)))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    document=state, cut=st.integers(min_value=0, max_value=400), chunk=st.integers(min_value=1, max_value=32)
)
def test_the_streaming_reader_rejects_what_json_rejects(document, cut, chunk, tmp_path, monkeypatch):
    """Cut short anywhere: when the whole text is refused the streamed file is refused too
    (it may name another problem first: it reads resources as they come); when the whole
    text reads, both give the same resources."""
    from guard.state import terraform

    text = json.dumps(document)[:cut]
    path = tmp_path / "fuzz.tfstate"
    path.write_text(text)
    monkeypatch.setattr(terraform._Stream, "CHUNK", chunk)
    streamed = _outcome(lambda: terraform.read_state_file(path))
    whole = _outcome(lambda: parse_state(text, str(path)))
    if isinstance(whole, str):
        assert isinstance(streamed, str)
    else:
        assert streamed == whole
