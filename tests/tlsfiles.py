"""A throw-away CA and certificates for TLS tests, made with the openssl command line."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class TlsFiles:
    ca: Path
    cert: Path
    key: Path  # encrypted with `key_password`
    key_password: str


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_tls_files(directory: Path, *, cn: str = "signalfire-client") -> TlsFiles:
    """A CA, and a client certificate it signed with an encrypted key (skips the test
    without openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    password = "key-pass-1234"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=test-ca", "-keyout", "ca.key", "-out", "ca.pem", cwd=directory,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-subj", f"/CN={cn}", "-passout", f"pass:{password}",
        "-keyout", "client.key", "-out", "client.csr", cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-out", "client.pem", cwd=directory,
    )  # fmt: skip
    return TlsFiles(
        ca=directory / "ca.pem",
        cert=directory / "client.pem",
        key=directory / "client.key",
        key_password=password,
    )
