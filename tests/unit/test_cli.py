"""The offline commands of the contract: analyze, dry-run, check (no Kafka)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signalfire.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests/data/dev.jsonl"
DEV_WATCHLIST = ROOT / "tests/data/dev-watchlist.yaml"
CONTRACT_ALERT_KEYS = {
    "rule_id",
    "story",
    "article_ids",
    "impact",
    "sources",
    "entities",
    "event_types",
    "subscribers",
    "severity",
}


@pytest.fixture(autouse=True)
def _smtp_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "unit-test-password")


def lines(text: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def test_analyze_one_line_per_input_article_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    """45 input lines (one a re-send) give 45 records in input order; the re-send repeats the
    first record; story state carries across (a later source raises `sources`)."""
    assert main(["analyze", str(DEV)]) == 0
    records = lines(capsys.readouterr().out)
    inputs = [json.loads(x)["article"]["id"] for x in DEV.read_text().splitlines()]
    assert [r["article_id"] for r in records] == inputs
    dup = next(i for i, a in enumerate(inputs) if inputs.index(a) != i)
    assert records[dup] == records[inputs.index(inputs[dup])]
    for r in records:
        assert {
            "article_id",
            "entities",
            "countries",
            "event_types",
            "deal_value",
            "quantity",
            "impact",
            "sentiment",
            "story",
            "sources",
        } <= set(r)
    assert max(int(r["sources"]) for r in records) >= 2  # type: ignore[call-overload]


def test_dry_run_contract_form_and_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """`dry-run --watchlist W FILE` (the contract's order) prints contract-shaped alert lines,
    each (rule, story) at most once."""
    assert main(["dry-run", "--watchlist", str(DEV_WATCHLIST), str(DEV)]) == 0
    alerts = lines(capsys.readouterr().out)
    assert alerts, "the dev watchlist fires on the dev set"
    for a in alerts:
        assert set(a) == CONTRACT_ALERT_KEYS
    keys = [(a["rule_id"], a["story"]) for a in alerts]
    assert len(keys) == len(set(keys))
    verified = [a for a in alerts if a["rule_id"] == "black-sea-verified"]
    assert verified and all(int(a["sources"]) >= 2 for a in verified)  # type: ignore[call-overload]


def test_check_valid_and_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check: exit 0 with a summary for a valid watchlist; 1 with file:line errors otherwise."""
    assert main(["check", "--watchlist", str(DEV_WATCHLIST)]) == 0
    assert "valid" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nrules:\n  - id: r\n    when: {min_impact: 11}\n    notify: [nobody]\n"
    )
    assert main(["check", "--watchlist", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:4" in err and "min_impact" in err and "nobody" in err
    assert "Traceback" not in err


def test_unset_variable_is_named_not_leaked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unset ${VAR} in a notify URL is an error naming the variable, not the URL."""
    monkeypatch.delenv("SMTP_PASSWORD")
    assert main(["check", "--watchlist", str(DEV_WATCHLIST)]) == 1
    err = capsys.readouterr().err
    assert "SMTP_PASSWORD" in err and "mailto://" not in err


def test_bad_input_lines_reported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed line is reported with file:line on stderr; the good lines are analysed."""
    good = json.loads(DEV.read_text().splitlines()[0])["article"]
    f = tmp_path / "in.jsonl"
    f.write_text("{broken\n" + json.dumps(good) + "\n")
    assert main(["analyze", str(f)]) == 0
    captured = capsys.readouterr()
    assert f"{f}:1: skipped: malformed JSON" in captured.err
    assert [r["article_id"] for r in lines(captured.out)] == [good["id"]]


def test_bad_setting_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed SIGNALFIRE_KAFKA stops the command with exit 2 and names the variable."""
    monkeypatch.setenv("SIGNALFIRE_KAFKA", "no-port-here")
    assert main(["check", "--watchlist", str(DEV_WATCHLIST)]) == 2
    assert "SIGNALFIRE_KAFKA" in capsys.readouterr().err


def test_healthcheck_reads_the_worker_heartbeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """healthcheck with the ops server off: 1 without a heartbeat or with a stale one, 0 with
    a fresh one."""
    from datetime import timedelta

    from signalfire.ops.health import utcnow, write_heartbeat

    monkeypatch.setenv("SIGNALFIRE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SIGNALFIRE_OPS_PORT", "0")
    assert main(["healthcheck"]) == 1
    assert "no heartbeat" in capsys.readouterr().err
    write_heartbeat(tmp_path, utcnow() - timedelta(seconds=120))
    assert main(["healthcheck", "--max-age", "60"]) == 1
    assert "old" in capsys.readouterr().err
    write_heartbeat(tmp_path, utcnow())
    assert main(["healthcheck"]) == 0


def test_preview_renders_each_alert_per_subscriber_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """preview runs dry-run's pipeline and writes, per alert and subscriber channel, the
    e-mail as HTML plus its text (with Subject and Message-ID) and the generic markdown;
    no secret is printed."""
    out = tmp_path / "out"
    assert main(["preview", "--watchlist", str(DEV_WATCHLIST), str(DEV), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    alerts = len(lines(_dry_run(capsys)))
    html = sorted(out.glob("*-email.html"))
    assert html and len(sorted(out.glob("*-email.txt"))) == len(html)
    assert len({p.name.split("-")[0] for p in html}) == alerts
    text = sorted(out.glob("*-email.txt"))[0].read_text()
    assert text.startswith("Subject: [") and "\nMessage-ID: <a-" in text
    assert sorted(out.glob("*-generic.md"))
    assert "unit-test-password" not in captured.out + captured.err
    assert f"{alerts} alert(s)" in captured.err


def _dry_run(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["dry-run", "--watchlist", str(DEV_WATCHLIST), str(DEV)]) == 0
    return capsys.readouterr().out


def test_preview_examples_and_digest_to_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    """--examples renders built-in alerts for every channel; --digest one digest each."""
    assert main(["preview", "--examples"]) == 0
    out = capsys.readouterr().out
    assert out.count("===== ") == 12  # 4 examples x 3 channels
    assert "[summary]" in out and "KEY FACTS" in out and "**Key facts**" in out
    assert main(["preview", "--examples", "--digest"]) == 0
    out = capsys.readouterr().out
    assert out.count("===== digest-") == 3 and "4 alerts on 3 stories" in out
