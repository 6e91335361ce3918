"""Runtime settings, validated once at start-up (SIGNALFIRE_* environment variables and flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Topics(BaseModel):
    """Topic names (CONTRACT.md section 5); internal topics carry the app id as prefix."""

    model_config = ConfigDict(frozen=True)

    articles: str = "articles"
    articles_dead: str = "articles.dead"
    analyzed: str = "articles.analyzed"
    alerts: str = "alerts"
    alerts_dead: str = "alerts.dead"
    findings: str = "signalfire.findings"
    pending_alerts: str = "signalfire.alerts.pending"


class Settings(BaseSettings):
    """Everything the worker and the commands read from the environment."""

    model_config = SettingsConfigDict(
        env_prefix="SIGNALFIRE_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    kafka: Annotated[str, Field(validation_alias=AliasChoices("SIGNALFIRE_KAFKA", "kafka"))] = (
        "127.0.0.1:9092"
    )
    app_id: str = "signalfire"
    topics: Topics = Field(default_factory=Topics)
    partitions: Annotated[int, Field(ge=1, le=1024)] = 4
    replication: Annotated[int, Field(ge=1, le=16)] = 1
    data_dir: Path = Path(".local/worker")
    watchlist_poll_seconds: Annotated[float, Field(gt=0, le=3600)] = 2.0
    story_window_days: Annotated[float, Field(gt=0, le=365)] = 14.0
    templates_dir: Path | None = None
    # Delivery: each destination retries on its own schedule until the deadline (then
    # alerts.dead, from where `signalfire redrive` sends again); 0 attempts = no limit.
    delivery_deadline: Annotated[float, Field(gt=0, le=7 * 86_400)] = 6 * 3600.0
    delivery_max_attempts: Annotated[int, Field(ge=0, le=100_000)] = 0
    delivery_base_delay: Annotated[float, Field(ge=0, le=3600)] = 1.0
    delivery_max_delay: Annotated[float, Field(ge=0, le=86_400)] = 60.0
    delivery_timeout: Annotated[float, Field(gt=0, le=600)] = 20.0
    commit_interval: Annotated[float, Field(gt=0, le=60)] = 1.0
    # Batches: a stage takes what the consumer has, up to batch_size events, waiting at
    # most batch_wait seconds for more.
    batch_size: Annotated[int, Field(ge=1, le=10_000)] = 500
    batch_wait: Annotated[float, Field(gt=0, le=5)] = 0.01
    # Group membership: a stable instance id per worker (e.g. the pod name of a
    # StatefulSet) lets a restarted worker take its partitions back without a rebalance;
    # the session timeout bounds how long a dead worker's partitions wait otherwise.
    instance_id: str | None = None
    session_timeout: Annotated[float, Field(ge=6, le=300)] = 10.0
    heartbeat_interval: Annotated[float, Field(gt=0, le=60)] = 2.0
    # Dead letters keep at most this many bytes of the original (the rest stays fetchable
    # at its topic/partition/offset).
    dead_letter_max_bytes: Annotated[int, Field(ge=0, le=900_000)] = 65_536
    producer_compression: Literal["none", "gzip", "snappy", "lz4", "zstd"] = "lz4"
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("kafka")
    @classmethod
    def _broker(cls, v: str) -> str:
        for part in v.split(","):
            host, sep, port = part.strip().rpartition(":")
            if not sep or not host or not port.isdigit():
                raise ValueError(f"expected host:port[,host:port...], got {v!r}")
        return v

    @property
    def broker_url(self) -> str:
        """faust wants kafka://host:port;host:port."""
        return ";".join(f"kafka://{p.strip()}" for p in self.kafka.split(","))

    @property
    def bootstrap_servers(self) -> list[str]:
        return [p.strip() for p in self.kafka.split(",")]
