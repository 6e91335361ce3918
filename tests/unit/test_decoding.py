"""The ingest decoder: any input becomes an article or a dead-letter reason, never an error."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from signalfire.models.article import ArticleEvent
from signalfire.models.decoding import DecodeFailure, decode_article

GOOD = {
    "id": "a3f1c2",
    "url": "https://example.com/2026/03/13/ro-ua-drones",
    "source": {"name": "Example Defense Daily", "domain": "example.com"},
    "published_at": "2026-03-13T09:30:00Z",
    "title": "Romania and Ukraine sign drone deal",
    "body": "full text",
}


def enc(obj: object) -> bytes:
    return json.dumps(obj).encode()


def test_contract_example_is_accepted_with_defaults() -> None:
    """The contract's own example decodes; optional fields get their documented defaults."""
    art = decode_article(enc(GOOD))
    assert isinstance(art, ArticleEvent)
    assert art.language == "en" and art.authors == [] and art.tags == []
    assert art.published_at.utcoffset() is not None


def test_malformed_json_has_reason() -> None:
    """Broken JSON is reported as such, with the parser's message."""
    out = decode_article(b'{"id": "x", ')
    assert isinstance(out, DecodeFailure)
    assert out.reason == "malformed JSON" and out.errors


def test_missing_field_named() -> None:
    """A missing required field is named in the errors."""
    bad = {k: v for k, v in GOOD.items() if k != "title"}
    out = decode_article(enc(bad))
    assert isinstance(out, DecodeFailure)
    assert any(e.startswith("title:") for e in out.errors)


def test_timestamp_without_offset_rejected() -> None:
    """RFC 3339 needs an offset: a naive timestamp is rejected, naming published_at."""
    out = decode_article(enc({**GOOD, "published_at": "2026-03-13T09:30:00"}))
    assert isinstance(out, DecodeFailure)
    assert any("published_at" in e for e in out.errors)


def test_offset_timestamp_accepted() -> None:
    """+03:00 offsets are kept and comparable."""
    art = decode_article(enc({**GOOD, "published_at": "2024-05-16T15:00:00+03:00"}))
    assert isinstance(art, ArticleEvent)
    assert art.published_at.utcoffset().total_seconds() == 3 * 3600  # type: ignore[union-attr]


def test_non_http_url_rejected() -> None:
    """Only absolute http(s) URLs are articles' URLs."""
    for url in ("ftp://example.com/x", "example.com/x", "javascript:alert(1)"):
        out = decode_article(enc({**GOOD, "url": url}))
        assert isinstance(out, DecodeFailure), url


def test_size_limits() -> None:
    """Titles over 1000 chars and empty titles fit no contract."""
    assert isinstance(decode_article(enc({**GOOD, "title": "x" * 1001})), DecodeFailure)
    assert isinstance(decode_article(enc({**GOOD, "title": ""})), DecodeFailure)
    assert isinstance(decode_article(enc({**GOOD, "body": "x" * 200_000})), ArticleEvent)
    assert isinstance(decode_article(enc({**GOOD, "body": "x" * 200_001})), DecodeFailure)


def test_big_integer_is_a_schema_error_not_malformed_json() -> None:
    """Valid JSON that orjson cannot hold (a 2**70 integer) is still judged against the schema."""
    out = decode_article(b'{"id": 1180591620717411303424}')
    assert isinstance(out, DecodeFailure) and out.reason == "does not fit ArticleEvent v1"


def test_non_object_and_tombstone() -> None:
    """A JSON array, a number or a null value is not an article."""
    for raw in (b"[]", b"3", b"null"):
        assert isinstance(decode_article(raw), DecodeFailure)
    assert isinstance(decode_article(None), DecodeFailure)


def test_extra_fields_ignored() -> None:
    """Publishers may add fields; the contract is extended, not broken."""
    art = decode_article(enc({**GOOD, "publisher_score": 3}))
    assert isinstance(art, ArticleEvent)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    """Fuzz: any byte string yields an article or a failure, never an exception."""
    out = decode_article(raw)
    assert isinstance(out, ArticleEvent | DecodeFailure)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from([*sorted(GOOD), "language", "authors", "tags"]), json_values)
)
def test_arbitrary_shapes_never_raise(fields: dict[str, object]) -> None:
    """Fuzz: article-like objects with arbitrary field values never escape as an exception."""
    out = decode_article(json.dumps({**GOOD, **fields}).encode())
    assert isinstance(out, ArticleEvent | DecodeFailure)
