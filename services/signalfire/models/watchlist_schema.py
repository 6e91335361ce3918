"""JSON Schema for watchlist files, generated from the pydantic models so it cannot drift.

Editors (yaml-language-server) use it for completion and inline checks. It describes the
shape only; ids, references and country codes are checked by `signalfire check`."""

from __future__ import annotations

import json
from typing import Any

from signalfire.models.watchlist import Watchlist

SCHEMA_ID = "https://signalfire.example/schemas/watchlist.schema.json"  # as schemas.BASE

# Entity lives in models/entity.py (shared with the gazetteer); its field help is added here.
_ENTITY_HELP = {
    "id": "Lower-case id; reusing a built-in gazetteer id extends that entity.",
    "name": "Display name.",
    "kind": "company | government | organization | country | program | person",
    "country": 'ISO 3166-1 alpha-2, upper-case and quoted ("NO").',
    "aliases": "Other names the entity appears under in text.",
    "parent": "Id of the owning entity (a subsidiary's group).",
    "context": "Words that must appear near an alias that is also a common word.",
    "ambiguous": "Aliases that count only with a context word nearby.",
}


def watchlist_json_schema() -> dict[str, Any]:
    """The schema written to schemas/watchlist.schema.json (a test checks the file matches)."""
    schema = Watchlist.model_json_schema(mode="validation")
    entity = schema.get("$defs", {}).get("Entity", {})
    for name, prop in entity.get("properties", {}).items():
        if name in _ENTITY_HELP:
            prop.setdefault("description", _ENTITY_HELP[name])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "signalfire watchlist v1",
    }


def watchlist_json_schema_text() -> str:
    """The exact file content: 2-space indent, sorted keys, trailing newline."""
    return json.dumps(watchlist_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
