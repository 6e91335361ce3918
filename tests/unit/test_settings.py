"""Settings are validated at start-up from SIGNALFIRE_* variables."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from signalfire.settings import Settings


def test_defaults_match_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broker default and topic names are the contract's."""
    monkeypatch.delenv("SIGNALFIRE_KAFKA", raising=False)
    s = Settings()
    assert s.kafka == "127.0.0.1:9092"
    assert (
        s.topics.articles,
        s.topics.articles_dead,
        s.topics.analyzed,
        s.topics.alerts,
        s.topics.alerts_dead,
    ) == ("articles", "articles.dead", "articles.analyzed", "alerts", "alerts.dead")


def test_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGNALFIRE_KAFKA and nested topic names come from the environment."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA", "a:1,b:2")
    monkeypatch.setenv("SIGNALFIRE_TOPICS__ARTICLES", "news.in")
    s = Settings()
    assert s.broker_url == "kafka://a:1;kafka://b:2" and s.topics.articles == "news.in"


def test_bad_values_fail_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """A malformed broker address or partition count is an error before anything runs."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA", "localhost")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.setenv("SIGNALFIRE_KAFKA", "localhost:9092")
    monkeypatch.setenv("SIGNALFIRE_PARTITIONS", "0")
    with pytest.raises(ValidationError):
        Settings()
