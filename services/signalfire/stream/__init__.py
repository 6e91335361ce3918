"""The faust-streaming app: thin agents around the pure core."""
