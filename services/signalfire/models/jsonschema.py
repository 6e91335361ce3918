"""JSON Schemas generated from the pydantic models, for other systems and for editors.

`signalfire schemas` writes them into schemas/; a test fails when they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import AnalysisRecord
from signalfire.models.analyzed import AnalyzedArticle
from signalfire.models.article import ArticleEvent
from signalfire.models.deadletter import AlertDeadLetter, MessageDeadLetter
from signalfire.models.watchlist_schema import watchlist_json_schema_text

BASE = "https://signalfire.example/schemas/"
# What others send us is described as we validate it; what we write, as we write it (every
# field present, defaults included).
INPUTS: dict[str, type[BaseModel]] = {
    "article-event.v1.schema.json": ArticleEvent,
}
OUTPUTS: dict[str, type[BaseModel]] = {
    "analysis-record.schema.json": AnalysisRecord,
    "analyzed-article.schema.json": AnalyzedArticle,
    "alert-record.schema.json": AlertRecord,
    "message-dead-letter.schema.json": MessageDeadLetter,
    "alert-dead-letter.schema.json": AlertDeadLetter,
}
WATCHLIST = "watchlist.schema.json"  # built by models.watchlist_schema, with editor descriptions


def render(name: str, model: type[BaseModel], mode: JsonSchemaMode = "validation") -> str:
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + name,
        **model.model_json_schema(mode=mode),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected() -> dict[str, str]:
    """File name -> content, for every schema the project publishes."""
    files = {name: render(name, model) for name, model in INPUTS.items()}
    files |= {name: render(name, model, "serialization") for name, model in OUTPUTS.items()}
    files[WATCHLIST] = watchlist_json_schema_text()
    return files


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def check_schemas(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from what the models generate."""
    stale = []
    for name, text in expected().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
