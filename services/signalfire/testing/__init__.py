"""Local stand-ins for the outside world (SMTP and webhook receivers) for tests and the demo."""
