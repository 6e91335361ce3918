"""The JSON Schemas in schemas/ are generated from the models and must not drift."""

from __future__ import annotations

import json
from pathlib import Path

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
