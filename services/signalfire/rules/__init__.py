"""Pure watchlist loading/validation and rule matching."""
