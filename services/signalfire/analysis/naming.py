"""Display names for ids in alerts: analysts read "Hanwha Aerospace, Romania", not ids."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from signalfire.analysis.gazetteer import Gazetteer

# pycountry's official names are awkward in a headline ("Korea, Republic of").
_COMMON = {
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "TW": "Taiwan",
    "VN": "Vietnam",
    "MD": "Moldova",
    "GB": "United Kingdom",
    "US": "United States",
    "CZ": "Czechia",
    "TR": "Türkiye",
    "LA": "Laos",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "TZ": "Tanzania",
    "PS": "Palestine",
    "CD": "DR Congo",
}


@lru_cache(maxsize=512)
def country_name(code: str) -> str | None:
    if code in _COMMON:
        return _COMMON[code]
    country = pycountry.countries.get(alpha_2=code)
    return None if country is None else str(getattr(country, "common_name", None) or country.name)


def display_name(gazetteer: Gazetteer, item_id: str) -> str | None:
    """The entity's name, or the country's common name for an ISO code, or None."""
    entity = gazetteer.get(item_id)
    if entity is not None:
        return entity.name
    if len(item_id) == 2 and item_id.isupper():
        return country_name(item_id)
    return None
