"""deploy/k8s: the manifests are valid Kubernetes objects (strict schema), agree with the
worker's settings and ops server, and the watchlist they ship passes `signalfire check`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from ruamel.yaml import YAML

from signalfire.cli import main
from signalfire.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSIONS = ("1.28.0", "1.37.0")  # oldest supported upstream when written, newest


def _docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in YAML(typ="safe").load_all(path.read_text()) if d]


def _resources() -> list[dict[str, Any]]:
    kustomization = _docs(K8S / "kustomization.yaml")[0]
    return [doc for name in kustomization["resources"] for doc in _docs(K8S / name)]


def _by_kind(kind: str, name: str | None = None) -> dict[str, Any]:
    matches = [
        d for d in _resources() if d["kind"] == kind and name in (None, d["metadata"]["name"])
    ]
    assert len(matches) == 1, (kind, name)
    return matches[0]


def test_kustomization_lists_every_manifest() -> None:
    """Every top-level manifest is in kustomization.yaml and every listed file exists."""
    kustomization = _docs(K8S / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_manifests_validate_strictly(version: str) -> None:
    """Each object validates against the Kubernetes schema, unknown fields rejected."""
    for doc in _resources():
        kubernetes_validate.validate(doc, version, strict=True)


def test_a_misspelt_field_is_rejected() -> None:
    """The strict validation catches a typo (so the test above can fail)."""
    sts = _by_kind("StatefulSet")
    sts["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["periodSecond"] = 5
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(sts, KUBERNETES_VERSIONS[-1], strict=True)


def _env_names() -> set[str]:
    names: set[str] = set()
    for doc in _resources():
        if doc["kind"] in ("ConfigMap", "Secret") and doc["metadata"]["name"] != (
            "signalfire-watchlist"
        ):
            names |= set((doc.get("data") or {}) | (doc.get("stringData") or {}))
    container = _by_kind("StatefulSet")["spec"]["template"]["spec"]["containers"][0]
    names |= {e["name"] for e in container.get("env", [])}
    return {n for n in names if n.startswith("SIGNALFIRE_")}


def test_every_setting_named_exists() -> None:
    """Each SIGNALFIRE_* variable the manifests set is a real setting (no silent typo)."""
    fields = {f"SIGNALFIRE_{name.upper()}" for name in Settings.model_fields}
    assert _env_names() - fields == set()


def test_probes_and_scrape_use_the_ops_server() -> None:
    """Liveness on /healthz, readiness on /readyz, Prometheus on /metrics, all on the port
    SIGNALFIRE_OPS_PORT sets; the state volume is the data dir; RocksDB is the store."""
    settings = _by_kind("ConfigMap", "signalfire-settings")["data"]
    pod = _by_kind("StatefulSet")["spec"]["template"]
    container = pod["spec"]["containers"][0]
    port = int(settings["SIGNALFIRE_OPS_PORT"])
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"ops": port}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "ops"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "ops"}
    annotations = pod["metadata"]["annotations"]
    assert (annotations["prometheus.io/port"], annotations["prometheus.io/path"]) == (
        str(port),
        "/metrics",
    )
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["state"] == settings["SIGNALFIRE_DATA_DIR"]
    assert settings["SIGNALFIRE_STORE"] == "rocksdb://"
    assert mounts["kafka-tls"] == str(Path(settings["SIGNALFIRE_KAFKA_CA_FILE"]).parent)


def test_secrets_stay_out_of_the_watchlist_configmap() -> None:
    """Notify URLs in the ConfigMap are ${VAR} references filled from a Secret."""
    watchlist = _by_kind("ConfigMap", "signalfire-watchlist")["data"]["watchlist.yaml"]
    doc = YAML(typ="safe").load(watchlist)
    notify = [url for s in doc["subscribers"] for url in s["notify"]]
    secret = _by_kind("Secret", "signalfire-notify")["stringData"]
    assert notify and all(u.startswith("${") and u[2:-1] in secret for u in notify)


def test_shipped_watchlist_passes_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ConfigMap's watchlist is valid with the Secret's variables set."""
    path = tmp_path / "watchlist.yaml"
    path.write_text(_by_kind("ConfigMap", "signalfire-watchlist")["data"]["watchlist.yaml"])
    for key, value in _by_kind("Secret", "signalfire-notify")["stringData"].items():
        monkeypatch.setenv(key, value)
    assert main(["check", "--watchlist", str(path)]) == 0, capsys.readouterr().err
