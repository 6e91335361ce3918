"""Fixed EUR conversion rates (data/fx-eur.yaml), so scores do not move with markets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from signalfire.files.packaged import packaged_yaml


@dataclass(frozen=True, slots=True)
class FxRates:
    """1 unit of a currency = `rates[code]` EUR."""

    rates: Mapping[str, float]

    def to_eur(self, amount: float, currency: str) -> float | None:
        """The EUR value of `amount`, or None for a currency without a fixed rate."""
        rate = self.rates.get(currency.upper())
        return None if rate is None else amount * rate

    @classmethod
    def from_mapping(cls, rates: Mapping[str, float]) -> FxRates:
        """Rates from a plain mapping (tests, overrides)."""
        return cls(MappingProxyType({k.upper(): float(v) for k, v in rates.items()}))

    @classmethod
    def load_builtin(cls) -> FxRates:
        """The rates shipped in signalfire/data/fx-eur.yaml."""
        return cls.from_mapping(packaged_yaml("fx-eur.yaml")["rates"])
