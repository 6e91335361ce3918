"""Runtime settings, validated once at start-up (SIGNALFIRE_* environment variables and flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
StoreUrl = Literal["memory://", "rocksdb://"]
_TLS_FIELDS = ("kafka_ca_file", "kafka_cert_file", "kafka_key_file", "kafka_key_password")
_SASL_FIELDS = ("kafka_sasl_mechanism", "kafka_username", "kafka_password")


def _blank(value: object) -> bool:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return value is None or value == ""


def env_name(field: str) -> str:
    """The environment variable of a top-level setting (for error messages)."""
    return f"SIGNALFIRE_{field.upper()}"


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
    # Table store: memory:// replays every changelog at start; rocksdb:// keeps the tables on
    # disk under data_dir and reads only what changed since (docs/notes/ops.md).
    store: StoreUrl = "memory://"
    # Ops HTTP server (/metrics, /healthz, /readyz); port 0 disables it.
    ops_host: str = "0.0.0.0"  # noqa: S104  (probes and scrapes come from outside the pod)
    ops_port: Annotated[int, Field(ge=0, le=65535)] = 9108
    # Secured Kafka (worker, publish, topic creation). Secrets are SecretStr and registered
    # with ops.redaction by stream/kafka_config.py before any client is built.
    kafka_security_protocol: SecurityProtocol = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism | None = None
    kafka_username: str | None = None
    kafka_password: SecretStr | None = None
    kafka_ca_file: Path | None = None
    kafka_cert_file: Path | None = None
    kafka_key_file: Path | None = None
    kafka_key_password: SecretStr | None = None
    kafka_check_hostname: bool = True

    @field_validator("kafka")
    @classmethod
    def _broker(cls, v: str) -> str:
        for part in v.split(","):
            host, sep, port = part.strip().rpartition(":")
            if not sep or not host or not port.isdigit():
                raise ValueError(f"expected host:port[,host:port...], got {v!r}")
        return v

    @field_validator("store", mode="before")
    @classmethod
    def _store(cls, v: object) -> object:
        """`rocksdb` and `memory` are accepted for `rocksdb://` and `memory://`."""
        return f"{v}://" if isinstance(v, str) and "://" not in v else v

    @field_validator("kafka_ca_file", "kafka_cert_file", "kafka_key_file")
    @classmethod
    def _readable_file(cls, v: Path | None) -> Path | None:
        if v is None:
            return None
        if not v.is_file():
            raise ValueError(f"no such file: {v}")
        try:
            with v.open("rb"):
                pass
        except OSError as exc:
            raise ValueError(f"cannot read {v}: {exc.strerror}") from exc
        return v

    @model_validator(mode="after")
    def _kafka_security(self) -> Settings:
        """Combinations that cannot work fail here, naming the variables, instead of as a
        connection that hangs or a broker that closes the socket."""
        protocol = self.kafka_security_protocol
        proto_var = env_name("kafka_security_protocol")
        sasl = protocol.startswith("SASL_")
        tls = protocol in ("SSL", "SASL_SSL")
        if sasl:
            missing = [env_name(f) for f in _SASL_FIELDS if _blank(getattr(self, f))]
            if missing:
                raise PydanticCustomError(
                    "kafka_security",
                    "{proto_var}={protocol} needs {missing}",
                    {
                        "proto_var": proto_var,
                        "protocol": protocol,
                        "missing": " and ".join(missing),
                    },
                )
        else:
            given = [env_name(f) for f in _SASL_FIELDS if getattr(self, f) is not None]
            if given:
                raise PydanticCustomError(
                    "kafka_security",
                    "{given} set but {proto_var}={protocol}: use SASL_SSL or SASL_PLAINTEXT",
                    {"given": ", ".join(given), "proto_var": proto_var, "protocol": protocol},
                )
        if not tls:
            given = [env_name(f) for f in _TLS_FIELDS if getattr(self, f) is not None]
            if "kafka_check_hostname" in self.model_fields_set and not self.kafka_check_hostname:
                given.append(env_name("kafka_check_hostname"))
            if given:
                raise PydanticCustomError(
                    "kafka_security",
                    "{given} set but {proto_var}={protocol}: use SSL or SASL_SSL",
                    {"given": ", ".join(given), "proto_var": proto_var, "protocol": protocol},
                )
        if self.kafka_key_file is not None and self.kafka_cert_file is None:
            raise PydanticCustomError(
                "kafka_security",
                "{key} set without {cert} (the client certificate)",
                {"key": env_name("kafka_key_file"), "cert": env_name("kafka_cert_file")},
            )
        if self.kafka_key_password is not None and self.kafka_cert_file is None:
            raise PydanticCustomError(
                "kafka_security",
                "{pw} set without {cert}",
                {"pw": env_name("kafka_key_password"), "cert": env_name("kafka_cert_file")},
            )
        return self

    @property
    def broker_url(self) -> str:
        """faust wants kafka://host:port;host:port."""
        return ";".join(f"kafka://{p.strip()}" for p in self.kafka.split(","))

    @property
    def bootstrap_servers(self) -> list[str]:
        return [p.strip() for p in self.kafka.split(",")]
