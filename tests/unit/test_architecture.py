"""The pure core stays pure: no Kafka, faust, Apprise, network, YAML or template code in
analysis/, rules/, models/ and pipeline.py (files/ reads YAML and hands them plain data)."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "services" / "signalfire"
PURE = ["analysis", "rules", "models", "pipeline.py"]
BANNED = {
    "faust",
    "mode",
    "kafka",
    "aiokafka",
    "apprise",
    "aiosmtpd",
    "socket",
    "requests",
    "httpx",
    "aiohttp",
    "ruamel",
    "yaml",
    "jinja2",
    "signalfire.stream",
    "signalfire.delivery",
    "signalfire.commands",
    "signalfire.cli",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pure_core_imports_no_io_frameworks() -> None:
    """Every module of the pure core imports none of the banned I/O packages."""
    offenders = []
    for entry in PURE:
        target = PKG / entry
        files = [target] if target.is_file() else sorted(target.rglob("*.py"))
        assert files, entry
        for f in files:
            for mod in imported_modules(f):
                if any(mod == b or mod.startswith(b + ".") for b in BANNED):
                    offenders.append(f"{f.relative_to(PKG)} imports {mod}")
    assert offenders == []


def test_core_does_not_read_the_clock() -> None:
    """Time is passed in: no datetime.now()/utcnow()/time.time() in the pure core."""
    offenders = []
    for entry in ["analysis", "rules", "pipeline.py"]:
        target = PKG / entry
        for f in [target] if target.is_file() else sorted(target.rglob("*.py")):
            text = f.read_text()
            for needle in ("datetime.now(", "datetime.utcnow(", "time.time(", "date.today("):
                if needle in text:
                    offenders.append(f"{f.relative_to(PKG)}: {needle}")
    assert offenders == []
