"""The JSON Schemas in schemas/ are generated from the models and must not drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from signalfire.models.jsonschema import check_schemas, expected, write_schemas

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schemas_match_models() -> None:
    """Editing a model without regenerating schemas/ (signalfire schemas) fails here."""
    assert check_schemas(ROOT / "schemas") == []


def test_drift_is_detected(tmp_path: Path) -> None:
    """The check notices a hand-edited or missing schema file."""
    write_schemas(tmp_path)
    assert check_schemas(tmp_path) == []
    target = tmp_path / "article-event.v1.schema.json"
    data = json.loads(target.read_text())
    data["required"].remove("title")
    target.write_text(json.dumps(data))
    (tmp_path / "alert-record.schema.json").unlink()
    assert sorted(check_schemas(tmp_path)) == [
        "alert-record.schema.json",
        "article-event.v1.schema.json",
    ]


def test_article_schema_states_contract_requirements() -> None:
    """The published ArticleEvent schema requires the contract's fields."""
    schema = json.loads(expected()["article-event.v1.schema.json"])
    assert set(schema["required"]) == {"id", "url", "source", "published_at", "title", "body"}
    assert schema["properties"]["title"]["maxLength"] == 1000
    assert schema["properties"]["body"]["maxLength"] == 200_000


def _article_validator() -> Any:
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "article-event.v1.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)  # no format checker: `format` is advisory


def test_article_schema_rejects_what_the_decoder_rejects_in_url_and_time() -> None:
    """Other producers validate against the schema: it must refuse the values the decoder
    refuses, with `format` ignored as most validators do."""
    from signalfire.models.decoding import DecodeFailure, decode_article

    validator = _article_validator()
    base = json.loads((ROOT / "deploy" / "sample-articles.jsonl").read_text().splitlines()[0])
    for field, value in [
        ("url", "ftp://x.example/a"),
        ("url", "not a url"),
        ("url", "https://"),
        ("published_at", "yesterday"),
        ("published_at", "2026-03-13T09:30:00"),
        ("published_at", "13/03/2026 09:30"),
    ]:
        bad = {**base, field: value}
        assert isinstance(decode_article(json.dumps(bad).encode()), DecodeFailure), value
        assert not validator.is_valid(bad), f"schema accepts {field}={value!r}"
    assert validator.is_valid(base)


@settings(max_examples=300, deadline=None)
@given(
    url=st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["http://a.example/x", "HTTPS://b.example", "http://c.example/a b", "https://x"]
        ),
    ),
    published=st.one_of(
        st.text(max_size=30), st.sampled_from(["2026-03-13T09:30:00Z", "2026-03-13 09:30:00+02:00"])
    ),
    domain=st.one_of(st.text(max_size=30), st.sampled_from(["www.Example.com", " a.example "])),
)
def test_schema_never_accepts_an_article_the_decoder_rejects(
    url: str, published: str, domain: str
) -> None:
    """Fuzzed url, published_at and source.domain: schema-valid implies decoder-valid."""
    from signalfire.models.decoding import DecodeFailure, decode_article

    base = json.loads((ROOT / "deploy" / "sample-articles.jsonl").read_text().splitlines()[0])
    art = {**base, "url": url, "published_at": published,
           "source": {"name": "n", "domain": domain}}  # fmt: skip
    if _article_validator().is_valid(art):
        assert not isinstance(decode_article(json.dumps(art).encode()), DecodeFailure), art
