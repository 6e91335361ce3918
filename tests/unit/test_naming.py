"""Display names in alerts: entity names and common country names instead of ids."""

from __future__ import annotations

from signalfire.analysis.gazetteer import Gazetteer
from signalfire.analysis.naming import country_name, display_name

GAZ = Gazetteer.load_builtin()


def test_entities_and_countries_get_readable_names() -> None:
    """Gazetteer ids become entity names; ISO codes common country names; unknown ids None."""
    assert display_name(GAZ, "hanwha-aerospace") == "Hanwha Aerospace"
    assert display_name(GAZ, "KR") == "South Korea"
    assert display_name(GAZ, "RO") == "Romania"
    assert display_name(GAZ, "no-such-id") is None
    assert country_name("ZZ") is None
