"""Screenshots of the alert e-mails as a reader sees them, in headless Chromium.

Renders the e-mail of each example alert (delivery/examples.py: the Romania–Ukraine drone
story, its follow-up, the ASELSAN–ROMARM MoU with Otokar's COBRA II contract, a
single-source story) and a digest of all four, opens each in headless Chromium at a
desktop and a phone width, and writes PNGs to docs/screenshots/.

    apt-get install -y chromium      # Debian's package
    .venv/bin/python deploy/screenshots.py [--out docs/screenshots] [--templates DIR]

Each page is measured first (a copy with a script that records its height, printed with
--dump-dom) so the PNG holds the whole message; the e-mail itself has no script.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from signalfire.delivery.channels import Channel
from signalfire.delivery.examples import example_alerts
from signalfire.delivery.render import Renderer

ROOT = Path(__file__).resolve().parents[1]
# The flags that work on these machines (no GPU, no network, root).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
# Headless Chromium lays out --dump-dom at no less than ~500px, so the probe pins the width.
MEASURE = (
    "<script>document.documentElement.style.width='{width}px';"
    "window.addEventListener('load',function(){{document.body.setAttribute("
    "'data-height',String(document.documentElement.scrollHeight));}});</script>"
)
WIDTHS = {"desktop": 720, "phone": 390}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("chromium not found: apt-get install -y chromium")


def run_chromium(args: list[str], profile: Path) -> str:
    cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


def page_height(html: Path, width: int, profile: Path) -> int:
    """The rendered height of the page at this width."""
    probe = html.with_suffix(".measure.html")
    script = MEASURE.format(width=width)
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", script + "</body>"))
    dom = run_chromium([f"--window-size={width},800", "--dump-dom", probe.as_uri()], profile)
    found = re.search(r'data-height="(\d+)"', dom)
    return int(found.group(1)) if found else 1600


def screenshot(html: Path, png: Path, width: int, profile: Path) -> None:
    height = page_height(html, width, profile)
    run_chromium([f"--window-size={width},{height}", f"--screenshot={png}", html.as_uri()], profile)
    if not png.is_file():
        sys.exit(f"chromium wrote no screenshot for {html}")


def pages(renderer: Renderer) -> dict[str, str]:
    """name -> e-mail HTML."""
    first, follow_up, cobra, single = example_alerts()
    return {
        "email-alert": renderer.render(first, Channel.EMAIL).body,
        "email-follow-up": renderer.render(follow_up, Channel.EMAIL).body,
        "email-deal": renderer.render(cobra, Channel.EMAIL).body,
        "email-single-source": renderer.render(single, Channel.EMAIL).body,
        "email-digest": renderer.render_digest(
            example_alerts(), Channel.EMAIL, "scheduled digest"
        ).body,
    }


def seed_pages(renderer: Renderer) -> dict[str, str]:
    """name -> e-mail HTML for the alerts the seed articles fire through the real pipeline
    (tests/data/seeds: the two documents the product was specified from, plus a second
    outlet's report), with deploy/watchlists/example.yaml; and a digest of all of them."""
    from signalfire.analysis.analyzer import Analyzer
    from signalfire.commands import watchlists
    from signalfire.files.jsonl import read_articles
    from signalfire.pipeline import Pipeline

    os.environ.setdefault("SMTP_PASSWORD", "not-used")
    watchlist = watchlists.merged([ROOT / "deploy" / "watchlists" / "example.yaml"])
    pipeline = Pipeline.in_memory(Analyzer.build(watchlist.entities), watchlist)
    alerts = []
    for article in read_articles([str(ROOT / "tests" / "data" / "seeds" / "seeds.jsonl")]):
        alerts.extend(pipeline.process(article, now=article.published_at).alerts)
    out = {f"seed-{i + 1}-{a.rule_id}": renderer.render(a, Channel.EMAIL).body
           for i, a in enumerate(alerts)}  # fmt: skip
    out["seed-digest"] = renderer.render_digest(alerts, Channel.EMAIL, "scheduled digest").body
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--templates", type=Path, help="a SIGNALFIRE_TEMPLATES_DIR to show")
    parser.add_argument("--phone", nargs="*", default=["email-deal"], help="pages also at 390px")
    parser.add_argument(
        "--seeds",
        action="store_true",
        help="the seed articles' real alerts instead of the built-in examples",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        renderer = Renderer(args.templates)
        for name, html in (seed_pages(renderer) if args.seeds else pages(renderer)).items():
            src = work / f"{name}.html"
            src.write_text(html, encoding="utf-8")
            sizes = ["desktop", "phone"] if name in args.phone else ["desktop"]
            for size in sizes:
                png = args.out / (f"{name}.png" if size == "desktop" else f"{name}-{size}.png")
                screenshot(src, png, WIDTHS[size], work / f"profile-{name}-{size}")
                print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
