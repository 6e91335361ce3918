"""The short fault-injection suite (issue 7), run by `make test`: a real broker of its own,
real worker processes, real SMTP and HTTP receivers. `make faults` runs the full one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Broker, Report
from tests.faults.scenarios import SCENARIOS

pytestmark = [pytest.mark.integration, pytest.mark.faults]


@pytest.fixture(scope="module")
def broker() -> Iterator[Broker]:
    b = Broker()
    b.up()
    yield b
    b.down()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_loses_nothing_and_never_stalls(broker: Broker, tmp_path: Path, name: str) -> None:
    """Each scenario's short version: 0 articles lost, 0 notifications lost or duplicated,
    the healthy destination waits under 1 s, recovery after kill -9 under 15 s, SIGTERM
    stops the worker promptly."""
    report: Report = SCENARIOS[name](broker, tmp_path, short=True)
    assert report.ok, report.as_dict()
