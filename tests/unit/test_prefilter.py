"""The literal prefilter must never skip a pattern that matches."""

from __future__ import annotations

import re

from signalfire.analysis.events import CUES
from signalfire.analysis.prefilter import LiteralPrefilter, required_literals


def test_required_literals() -> None:
    assert required_literals(re.compile(r"\bcontracts?\b", re.I)) == {"contract", "contracts"}
    assert required_literals(re.compile(r"\w+")) is None
    # Negative lookarounds and optional parts add nothing; positive lookaheads count.
    assert required_literals(re.compile(r"(?!deal)\w+(?=order)")) == {"order"}


def test_case_folding_exceptions_still_match() -> None:
    rx = re.compile(r"\bsanctions\b", re.I)
    pf = LiteralPrefilter([rx])
    for text in ("SANCTIONS", "ſanctions", "Sanctİons"):
        if rx.search(text):
            assert pf.candidates(text) == {0}


def test_cue_prefilter_keeps_every_matching_cue() -> None:
    pf = LiteralPrefilter([c.rx for c in CUES])
    texts = [
        "Rheinmetall was awarded a $1.2 billion contract for 155mm ammunition.",
        "The ministry signed a memorandum of understanding; deliveries start in 2026.",
        "A fire broke out at the plant, halting production.",
        "The government approved the export licence for the howitzers.",
        "Revenue rose 12% and the order backlog hit a record.",
    ]
    for text in texts:
        may = pf.candidates(text)
        for i, cue in enumerate(CUES):
            if cue.rx.search(text):
                assert i in may, (text, cue.rx.pattern[:60])
