"""Kafka security settings -> the keyword arguments of each client library we use.

One place turns `SIGNALFIRE_KAFKA_*` into: faust App kwargs (`broker_credentials`), kafka-python
producer/admin/consumer kwargs (`publish`, topic creation) and aiokafka kwargs. All three get
the same `ssl.SSLContext`, built here once per call from the CA file, client certificate and
hostname setting, so TLS behaves the same for every client.

Secrets (SASL password, key password) are registered with `ops.redaction` before any client
sees them, so a client library that logs its config or an error cannot leak them.
"""

from __future__ import annotations

import ssl
from typing import Any

import faust
from faust.types.auth import CredentialsT

from signalfire.ops import redaction
from signalfire.settings import Settings, env_name


class KafkaConfigError(ValueError):
    """The Kafka security settings are unusable; the message names the variable."""


def register_secrets(settings: Settings) -> None:
    """Make the SASL and key passwords known to the log redaction (idempotent)."""
    secrets = [
        s.get_secret_value()
        for s in (settings.kafka_password, settings.kafka_key_password)
        if s is not None
    ]
    redaction.register(secrets)


def uses_tls(settings: Settings) -> bool:
    return settings.kafka_security_protocol in ("SSL", "SASL_SSL")


def uses_sasl(settings: Settings) -> bool:
    return settings.kafka_security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The client TLS context, or None without TLS. The broker certificate is always
    verified (against SIGNALFIRE_KAFKA_CA_FILE, else the system CAs); hostname checking can
    be turned off for brokers whose certificates do not name the advertised host."""
    if not uses_tls(settings):
        return None
    try:
        ctx = ssl.create_default_context(
            ssl.Purpose.SERVER_AUTH,
            cafile=str(settings.kafka_ca_file) if settings.kafka_ca_file else None,
        )
    except (ssl.SSLError, OSError, ValueError) as exc:
        raise KafkaConfigError(
            f"{env_name('kafka_ca_file')}: cannot load CA certificates from "
            f"{settings.kafka_ca_file}: {exc}"
        ) from exc
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = settings.kafka_check_hostname
    if settings.kafka_cert_file is not None:
        password = settings.kafka_key_password
        try:
            ctx.load_cert_chain(
                certfile=str(settings.kafka_cert_file),
                keyfile=str(settings.kafka_key_file) if settings.kafka_key_file else None,
                password=password.get_secret_value() if password else None,
            )
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise KafkaConfigError(
                f"{env_name('kafka_cert_file')}/{env_name('kafka_key_file')}: cannot load the "
                f"client certificate and key ({exc}); is {env_name('kafka_key_password')} right?"
            ) from exc
    return ctx


def _sasl(settings: Settings) -> tuple[str, str, str]:
    assert settings.kafka_sasl_mechanism and settings.kafka_username and settings.kafka_password
    return (
        settings.kafka_sasl_mechanism,
        settings.kafka_username,
        settings.kafka_password.get_secret_value(),
    )


def faust_app_kwargs(settings: Settings) -> dict[str, Any]:
    """`faust.App(..., **faust_app_kwargs(settings))`: `broker_credentials` for TLS and SASL
    (faust passes them to its aiokafka consumer, producer and topic creation), nothing for
    PLAINTEXT."""
    register_secrets(settings)
    ctx = ssl_context(settings)
    credentials: CredentialsT
    if uses_sasl(settings):
        mechanism, username, password = _sasl(settings)
        credentials = faust.SASLCredentials(
            username=username, password=password, ssl_context=ctx, mechanism=mechanism
        )
    elif ctx is not None:
        credentials = faust.SSLCredentials(ctx)
    else:
        return {}
    return {"broker_credentials": credentials}


def _client_kwargs(settings: Settings) -> dict[str, Any]:
    """kafka-python and aiokafka name these settings the same way."""
    register_secrets(settings)
    kwargs: dict[str, Any] = {"security_protocol": settings.kafka_security_protocol}
    ctx = ssl_context(settings)
    if ctx is not None:
        kwargs["ssl_context"] = ctx
    if uses_sasl(settings):
        mechanism, username, password = _sasl(settings)
        kwargs |= {
            "sasl_mechanism": mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
        }
    return kwargs


def kafka_python_kwargs(settings: Settings) -> dict[str, Any]:
    """For kafka-python's KafkaProducer, KafkaConsumer and KafkaAdminClient (with the
    bootstrap servers added: everything a client needs to reach the cluster)."""
    return {"bootstrap_servers": settings.bootstrap_servers, **_client_kwargs(settings)}


def aiokafka_kwargs(settings: Settings) -> dict[str, Any]:
    """For aiokafka's AIOKafkaProducer / AIOKafkaConsumer / AIOKafkaAdminClient."""
    return {"bootstrap_servers": settings.bootstrap_servers, **_client_kwargs(settings)}


def check(settings: Settings) -> None:
    """Build everything once at start-up so a bad certificate or key fails before any
    connection is tried (raises KafkaConfigError)."""
    faust_app_kwargs(settings)
