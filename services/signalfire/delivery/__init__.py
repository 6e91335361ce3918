"""Rendering, delivery log, retries and the Apprise adapter."""
