"""`${VAR}` substitution in watchlist string values; `$${VAR}` is a literal `${VAR}`.

`${VAR:-default}` uses the default when VAR is unset or empty (as in the shell), so one
watchlist serves a laptop (127.0.0.1) and a compose stack (SMTP_HOST=mailpit).

Substitution runs on parsed string values, never on the YAML text, so a value cannot change
the file's structure or line numbers, and keys are never substituted."""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def substitute(value: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """Return the substituted string and the problems found (unset or malformed names).

    Problems name the variable, never its value."""
    problems: list[str] = []

    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "$${":
            return "${"
        name, has_default, default = m.group(1).partition(":-")
        if not _NAME.match(name):
            problems.append(
                f"'${{{name}}}' is not a valid variable name (write $${{ for a literal)"
            )
            return m.group(0)
        if has_default and not env.get(name):
            return default
        if name not in env:
            problems.append(f"environment variable {name} is not set (used as ${{{name}}})")
            return m.group(0)
        return env[name]

    return _TOKEN.sub(repl, value), problems


def references(value: str) -> list[str]:
    """Names of the variables a string uses (for summaries: which secrets a file needs)."""
    return [m.group(1).partition(":-")[0] for m in _TOKEN.finditer(value) if m.group(0) != "$${"]
