"""Reference data shipped inside the package (gazetteer, countries, FX rates, impact weights).

One loader, so the pure analysis modules never parse YAML themselves: they receive plain data.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from signalfire.files import fastyaml


@lru_cache(maxsize=16)
def packaged_yaml(name: str) -> Any:
    """The parsed content of `signalfire/data/<name>` (safe loader, parsed once per process)."""
    text = resources.files("signalfire").joinpath("data", name).read_text("utf-8")
    try:
        return fastyaml.load(text)  # the same YAML 1.2 values, ~10x faster
    except fastyaml.NotFast:
        return YAML(typ="safe", pure=False).load(text)
