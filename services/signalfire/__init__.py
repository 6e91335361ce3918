"""signalfire: real-time alerting on defense-industry news."""

__version__ = "0.1.0"
