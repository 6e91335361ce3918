"""Secured Kafka: settings that cannot work fail at start-up naming the variable, and
kafka_config gives each client library the same TLS and SASL configuration."""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import faust
import pytest
from pydantic import ValidationError

from signalfire.cli import main
from signalfire.ops import redaction
from signalfire.settings import Settings
from signalfire.stream import kafka_config
from tests.tlsfiles import TlsFiles, make_tls_files


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SIGNALFIRE_* from the caller's shell leaks into these settings."""
    for name in list(os.environ):
        if name.startswith("SIGNALFIRE_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


def _message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(str(e["msg"]) for e in exc.value.errors())


def test_plaintext_default_needs_nothing() -> None:
    """Without settings every client connects in PLAINTEXT, faust gets no credentials."""
    s = Settings()
    assert kafka_config.faust_app_kwargs(s) == {}
    assert kafka_config.kafka_python_kwargs(s) == {
        "bootstrap_servers": ["127.0.0.1:9092"],
        "security_protocol": "PLAINTEXT",
    }


@pytest.mark.parametrize(
    ("env", "names"),
    [
        (
            {"SIGNALFIRE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"},
            ["SIGNALFIRE_KAFKA_SASL_MECHANISM", "SIGNALFIRE_KAFKA_PASSWORD"],
        ),
        (
            {
                "SIGNALFIRE_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                "SIGNALFIRE_KAFKA_SASL_MECHANISM": "PLAIN",
                "SIGNALFIRE_KAFKA_USERNAME": "svc",
                "SIGNALFIRE_KAFKA_PASSWORD": "",
            },
            ["SIGNALFIRE_KAFKA_PASSWORD"],
        ),
        (
            {"SIGNALFIRE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512"},
            ["SIGNALFIRE_KAFKA_SASL_MECHANISM", "SIGNALFIRE_KAFKA_SECURITY_PROTOCOL=PLAINTEXT"],
        ),
        (
            {"SIGNALFIRE_KAFKA_CHECK_HOSTNAME": "false"},
            ["SIGNALFIRE_KAFKA_CHECK_HOSTNAME", "use SSL or SASL_SSL"],
        ),
    ],
)
def test_impossible_combinations_name_the_variables(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], names: list[str]
) -> None:
    """A mechanism without credentials, credentials without SASL, TLS options without TLS:
    each fails at start-up and says which variables to fix."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError) as exc:
        Settings()
    for name in names:
        assert name in _message(exc)


def test_missing_ca_file_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A CA file that does not exist stops the command with exit 2, naming the variable."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CA_FILE", str(tmp_path / "nope.pem"))
    assert main(["check", "--watchlist", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert "SIGNALFIRE_KAFKA_CA_FILE" in err and "no such file" in err


def test_cross_field_errors_print_without_an_empty_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A combination error is printed as its message (which names the variables)."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    assert main(["check", "--watchlist", "x.yaml"]) == 2
    err = capsys.readouterr().err
    assert "SIGNALFIRE_:" not in err
    assert "SIGNALFIRE_KAFKA_SECURITY_PROTOCOL=SASL_SSL needs" in err


def test_sasl_ssl_for_every_client(monkeypatch: pytest.MonkeyPatch, tls: TlsFiles) -> None:
    """SASL_SSL with SCRAM: faust gets SASLCredentials over TLS; kafka-python and aiokafka
    get the same protocol, mechanism, user and a verifying TLS context."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_USERNAME", "svc")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_PASSWORD", "s3cret-pw")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CA_FILE", str(tls.ca))
    s = Settings()
    assert "s3cret-pw" not in repr(s)
    creds = kafka_config.faust_app_kwargs(s)["broker_credentials"]
    assert isinstance(creds, faust.SASLCredentials)
    assert (creds.protocol.value, creds.mechanism.value) == ("SASL_SSL", "SCRAM-SHA-256")
    assert creds.ssl_context.verify_mode == ssl.CERT_REQUIRED
    for kwargs in (kafka_config.kafka_python_kwargs(s), kafka_config.aiokafka_kwargs(s)):
        assert kwargs["security_protocol"] == "SASL_SSL"
        assert kwargs["sasl_mechanism"] == "SCRAM-SHA-256"
        assert (kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == (
            "svc",
            "s3cret-pw",
        )
        assert kwargs["ssl_context"].check_hostname is True
    assert redaction.redact("auth failed for s3cret-pw") == "auth failed for ***"


def test_ssl_with_client_certificate(monkeypatch: pytest.MonkeyPatch, tls: TlsFiles) -> None:
    """SSL with a client certificate and an encrypted key: faust gets SSLCredentials, the
    key password is redacted, hostname checking can be turned off (the chain is still
    verified)."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CA_FILE", str(tls.ca))
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CERT_FILE", str(tls.cert))
    monkeypatch.setenv("SIGNALFIRE_KAFKA_KEY_FILE", str(tls.key))
    monkeypatch.setenv("SIGNALFIRE_KAFKA_KEY_PASSWORD", tls.key_password)
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CHECK_HOSTNAME", "false")
    s = Settings()
    creds = kafka_config.faust_app_kwargs(s)["broker_credentials"]
    assert isinstance(creds, faust.SSLCredentials)
    assert creds.context.check_hostname is False
    assert creds.context.verify_mode == ssl.CERT_REQUIRED
    assert "sasl_mechanism" not in kafka_config.kafka_python_kwargs(s)
    assert tls.key_password not in redaction.redact(f"bad key password {tls.key_password}")


def test_wrong_key_password_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tls: TlsFiles
) -> None:
    """A key that does not decrypt fails before any connection, naming the variables."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CA_FILE", str(tls.ca))
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CERT_FILE", str(tls.cert))
    monkeypatch.setenv("SIGNALFIRE_KAFKA_KEY_FILE", str(tls.key))
    monkeypatch.setenv("SIGNALFIRE_KAFKA_KEY_PASSWORD", "wrong-password")
    with pytest.raises(kafka_config.KafkaConfigError, match="SIGNALFIRE_KAFKA_KEY_PASSWORD"):
        kafka_config.check(Settings())


def test_ca_file_that_is_no_certificate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A CA file with garbage in it is reported as the CA file's problem."""
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate\n")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("SIGNALFIRE_KAFKA_CA_FILE", str(bad))
    with pytest.raises(kafka_config.KafkaConfigError, match="SIGNALFIRE_KAFKA_CA_FILE"):
        kafka_config.check(Settings())


def test_store_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGNALFIRE_STORE takes memory:// (default) or rocksdb://, bare names too."""
    assert Settings().store == "memory://"
    monkeypatch.setenv("SIGNALFIRE_STORE", "rocksdb")
    assert Settings().store == "rocksdb://"
    monkeypatch.setenv("SIGNALFIRE_STORE", "redis://")
    with pytest.raises(ValidationError):
        Settings()
