"""Kafka security settings -> the keyword arguments of each client library we use.

One place turns `SIGNALFIRE_KAFKA_*` into: faust App kwargs (`broker_credentials`), kafka-python
producer/admin/consumer kwargs (`publish`, topic creation) and aiokafka kwargs. All three get
the same `ssl.SSLContext`, built here once per call from the CA file, client certificate and
hostname setting, so TLS behaves the same for every client.

Secrets (SASL password, key password) are registered with `ops.redaction` before any client
sees them, so a client library that logs its config or an error cannot leak them.
"""

from __future__ import annotations

import asyncio
import logging
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
    (faust passes them to its aiokafka consumer, producer and topic creation); nothing for
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


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(record.getMessage())
        except Exception:  # a malformed record must not break the check
            self.lines.append(str(record.msg))


def _diagnose(settings: Settings, text: str) -> str | None:
    """Why a secured connection failed, naming what to fix; None when nothing points at
    the security settings (broker down, network)."""
    where = f"Kafka at {settings.kafka}"
    user, mech = settings.kafka_username, settings.kafka_sasl_mechanism
    if "SaslAuthenticationFailed" in text or "Authentication failed" in text:
        return (
            f"{where} rejected the SASL login of {user!r} ({mech}): check "
            f"{env_name('kafka_username')} and {env_name('kafka_password')} (and "
            f"{env_name('kafka_sasl_mechanism')}: SCRAM users are per mechanism)"
        )
    if "UnsupportedSaslMechanism" in text or "Unsupported SASL mechanism" in text:
        return f"{where} does not accept {env_name('kafka_sasl_mechanism')}={mech}"
    if "mismatch" in text and ("Hostname" in text or "IP address" in text):
        return (
            f"{where}: the broker certificate does not name the host connected to; use the "
            f"name it was issued for, or {env_name('kafka_check_hostname')}=false"
        )
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return (
            f"{where}: the broker certificate is not signed by a trusted CA; set "
            f"{env_name('kafka_ca_file')} to the CA that signed it"
        )
    if "WRONG_VERSION_NUMBER" in text or "record layer failure" in text:
        return (
            f"{where} does not speak TLS on this port: check {env_name('kafka')} and "
            f"{env_name('kafka_security_protocol')}"
        )
    return None


async def _bootstrap(settings: Settings, seconds: float) -> None:
    from aiokafka import AIOKafkaClient

    client = AIOKafkaClient(
        **aiokafka_kwargs(settings),
        client_id=f"{settings.app_id}-preflight",
        request_timeout_ms=int(seconds * 1000),
    )
    try:
        await asyncio.wait_for(client.bootstrap(), seconds)
    finally:
        await client.close()


def preflight(settings: Settings, timeout: float = 15.0) -> None:
    """Connect once and raise KafkaConfigError, naming the variables to fix, when the
    cluster refuses our credentials or certificate. Clients otherwise retry such errors as
    if the broker were down (kafka-python reports "Unable to bootstrap" after 30 s). Returns
    quietly on success and on failures unrelated to security (the caller's retries cover a
    broker that is not up yet). PLAINTEXT needs no check."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return
    check(settings)
    capture = _Capture()
    logger = logging.getLogger("aiokafka")
    logger.addHandler(capture)
    # A fresh loop that never becomes the thread's current one: faust, built afterwards in
    # the same thread, must still find (and create) its own.
    loop = asyncio.new_event_loop()
    failure: BaseException | None = None
    try:
        loop.run_until_complete(_bootstrap(settings, timeout))
    except Exception as exc:
        failure = exc
    finally:
        logger.removeHandler(capture)
        loop.close()
    if failure is None:
        return
    why = _diagnose(settings, " ".join([*capture.lines, repr(failure)]))
    if why is not None:
        raise KafkaConfigError(why) from failure


def check(settings: Settings) -> None:
    """Build everything once at start-up so a bad certificate or key fails before any
    connection is tried (raises KafkaConfigError)."""
    faust_app_kwargs(settings)
