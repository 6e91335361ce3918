"""JSON Schemas generated from the pydantic models, for other systems and for editors.

`signalfire schemas` writes them into schemas/; a test fails when they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import AnalysisRecord
from signalfire.models.analyzed import AnalyzedArticle
from signalfire.models.article import ArticleEvent
from signalfire.models.deadletter import DeadLetter
from signalfire.models.watchlist import Watchlist

BASE = "https://signalfire.example/schemas/"
MODELS: dict[str, type[BaseModel]] = {
    "article-event.v1.schema.json": ArticleEvent,
    "analysis-record.schema.json": AnalysisRecord,
    "analyzed-article.schema.json": AnalyzedArticle,
    "alert-record.schema.json": AlertRecord,
    "dead-letter.schema.json": DeadLetter,
    "watchlist.v1.schema.json": Watchlist,
}


def render(name: str, model: type[BaseModel]) -> str:
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + name,
        **model.model_json_schema(mode="validation"),
    }
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in MODELS.items():
        path = directory / name
        path.write_text(render(name, model), encoding="utf-8")
        written.append(path)
    return written


def check_schemas(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from what the models generate."""
    stale = []
    for name, model in MODELS.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(name, model):
            stale.append(name)
    return stale
