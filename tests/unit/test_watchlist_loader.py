"""Watchlist loading: every error names file:line:col and the key or id, never a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signalfire.models.watchlist_schema import watchlist_json_schema, watchlist_json_schema_text
from signalfire.rules.errors import Problem, WatchlistError
from signalfire.rules.loader import (
    check_watchlists,
    load_watchlists,
    parse_watchlist,
    summary,
)

ROOT = Path(__file__).resolve().parents[2]
ENV = {"SMTP_PASSWORD": "hunter2-secret"}
GAZETTEER = ["romarm", "aselsan", "nammo"]

HEAD = """\
version: 1
subscribers:
  - id: desk
    notify: ["json://127.0.0.1:8765/hook"]
rules:
"""


def problems(
    text: str, env: dict[str, str] | None = None, known: list[str] | None = None
) -> list[Problem]:
    try:
        parse_watchlist(
            text, file="w.yaml", env=ENV if env is None else env, known_entity_ids=known
        )
    except WatchlistError as e:
        return e.problems
    return []


def one(text: str, env: dict[str, str] | None = None, known: list[str] | None = None) -> str:
    found = problems(text, env, known)
    assert len(found) == 1, found
    return str(found[0])


def rule(when: str, extra: str = "") -> str:
    return HEAD + f"  - id: r1\n    when: {when}\n    notify: [desk]\n{extra}"


# --- files that must load ---------------------------------------------------------------


def test_dev_watchlist_loads() -> None:
    """The dev watchlist used by the dry-run evaluation is valid against the gazetteer ids."""
    loaded = load_watchlists([ROOT / "tests/data/dev-watchlist.yaml"], ENV, GAZETTEER)
    assert [r.id for r in loaded.watchlist.rules][:2] == ["romarm-deals", "black-sea-verified"]
    url = loaded.watchlist.subscribers[0].notify[1].get_secret_value()
    assert "hunter2-secret" in url


def test_example_watchlist_loads_against_min_gazetteer() -> None:
    """deploy/watchlists/example.yaml, the file users start from, is valid."""
    gaz = parse_watchlist((ROOT / "tests/data/gazetteer-min.yaml").read_text(), file="g", env={})
    ids = [e.id for e in gaz.entities]
    loaded = load_watchlists([ROOT / "deploy/watchlists/example.yaml"], ENV, ids)
    assert summary(loaded) == "1 file(s) valid: 2 entities, 2 subscribers, 6 rules"
    assert check_watchlists([ROOT / "deploy/watchlists/example.yaml"], ENV, ids) == []


# --- error classes ------------------------------------------------------------------------


def test_out_of_range_is_located_like_a_compiler() -> None:
    """The brief's reference line: file:line:col: path: message (got value)."""
    msg = one(rule("{min_impact: 11}"))
    assert msg == "w.yaml:7:24: rules[0].when.min_impact: must be between 1 and 10 (got 11)"


def test_unknown_key_suggests_the_nearest() -> None:
    """A misspelt key is named at its own line with a difflib suggestion and the valid keys."""
    msg = one(rule("\n      minimpact: 3\n      min_sources: 1"))
    assert msg.startswith("w.yaml:8:7: rules[0].when.minimpact: unknown key 'minimpact'")
    assert "(did you mean 'min_impact'?)" in msg and "valid keys: entities" in msg


def test_missing_required_key_points_at_parent() -> None:
    """A rule without notify is reported at the rule's `notify`-less mapping, naming the key."""
    msg = one(HEAD + "  - id: r1\n    when: {min_impact: 3}\n")
    assert msg == "w.yaml:6:5: rules[0].notify: missing required key 'notify'"


def test_wrong_type_is_not_coerced() -> None:
    """Strict: "5" is not 5 and "yes" is not true."""
    found = [str(p) for p in problems(rule('{min_impact: "5"}', "    follow_up: yes\n"))]
    assert found == [
        "w.yaml:7:24: rules[0].when.min_impact: expected a whole number (got '5')",
        "w.yaml:9:16: rules[0].follow_up: expected true or false (got 'yes')",
    ]


def test_unknown_event_type_lists_valid_ones() -> None:
    """An unknown event type names the value, the closest valid one and the full list."""
    msg = one(rule("{event_types: [mou, contrcat]}"))
    assert "rules[0].when.event_types[1]: unknown event type 'contrcat'" in msg
    assert "(did you mean 'contract'?)" in msg and "tech_transfer" in msg
    assert msg.startswith("w.yaml:7:31:")


def test_unknown_severity() -> None:
    """Severity outside info..critical is an error listing the choices."""
    msg = one(rule("{min_impact: 3}", "    severity: urgent\n"))
    assert msg == (
        "w.yaml:9:15: rules[0].severity: unknown severity 'urgent'; "
        "valid: info, low, medium, high, critical"
    )


def test_undefined_subscriber_and_entity() -> None:
    """Ids used but not defined are named, with a suggestion; gazetteer ids are accepted."""
    text = HEAD + (
        "  - id: r1\n    when: {entities: {any: [romarn, aselsan]}}\n    notify: [desk, dsk]\n"
    )
    found = [str(p) for p in problems(text, known=GAZETTEER)]
    assert found == [
        "w.yaml:7:29: rules[0].when.entities.any[0]: entity 'romarn' is not defined in the "
        "watchlists or the gazetteer (did you mean 'romarm'?)",
        "w.yaml:8:20: rules[0].notify[1]: subscriber 'dsk' is not defined in any watchlist file "
        "(did you mean 'desk'?)",
    ]


def test_entity_check_skipped_without_gazetteer() -> None:
    """known_entity_ids=None means the caller has no gazetteer: entity ids are not judged."""
    assert problems(rule("{entities: {any: [whatever]}}"), known=None) == []
    assert problems(rule("{entities: {any: [whatever]}}"), known=[]) != []


def test_duplicate_ids_name_both_places() -> None:
    """A second rule with the same id points back at the first definition."""
    text = rule("{min_impact: 3}") + "  - id: r1\n    when: {min_impact: 4}\n    notify: [desk]\n"
    msg = one(text)
    assert msg == "w.yaml:9:9: rules[1].id: duplicate rule id 'r1' (first defined at w.yaml:6:9)"


def test_empty_when_is_rejected() -> None:
    """A rule with no conditions would alert on every story."""
    assert "give at least one condition" in one(rule("{}"))


def test_all_problems_of_a_file_are_reported_together() -> None:
    """One run shows everything, in line order, one per line in str(WatchlistError)."""
    text = rule("{min_impact: 0, min_sources: 0}", "    severity: loud\n    colour: red\n")
    with pytest.raises(WatchlistError) as info:
        parse_watchlist(text, file="w.yaml", env=ENV)
    lines = str(info.value).splitlines()
    assert len(lines) == 4
    assert [line.split(":")[1] for line in lines] == ["7", "7", "9", "10"]


# --- YAML-level problems -------------------------------------------------------------------


def test_yaml_syntax_error_has_line_and_column() -> None:
    """A broken flow sequence is reported where the parser stopped, without a traceback."""
    msg = one("version: 1\nrules: [\n  {id: a\nsubscribers: []\n")
    assert msg.startswith("w.yaml:4:") and "YAML syntax error" in msg


def test_duplicate_yaml_key_does_not_echo_values() -> None:
    """ruamel's own message quotes both values (possibly secrets); ours names only the key."""
    text = HEAD.replace('notify: ["json', 'notify: ["mailto://u:pw1@h"]\n    notify: ["json')
    msg = one(text + "  - id: r1\n    when: {min_impact: 3}\n    notify: [desk]\n")
    assert "duplicate key 'notify'" in msg and "pw1" not in msg and msg.startswith("w.yaml:5:5:")


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    """An empty file is an error, not an empty watchlist that silently alerts no one."""
    assert "file is empty" in one(text)


def test_version_missing_or_wrong() -> None:
    """version is required and must be 1."""
    assert "missing required key 'version'" in one("rules: []\n")
    assert one("version: 2\n") == (
        "w.yaml:1:10: version: unsupported version (got 2): "
        "this is Watchlist v1, write 'version: 1'"
    )


def test_top_level_must_be_a_mapping() -> None:
    """A list at top level is rejected with a hint."""
    assert "expected a mapping" in one("- version: 1\n")


# --- country codes and YAML 1.1 booleans ---------------------------------------------------


def entity(country: str, header: str = "") -> str:
    return (
        header
        + "version: 1\nentities:\n"
        + f"  - {{id: nammo, name: Nammo, kind: company, country: {country}}}\n"
    )


def test_unquoted_no_is_norway_in_yaml_12() -> None:
    """YAML 1.2: an unquoted NO stays the string "NO" (Norway)."""
    w = parse_watchlist(entity("NO"), file="w.yaml", env={})
    assert w.entities[0].country == "NO"


def test_yaml_11_no_becomes_false_and_is_an_error() -> None:
    """Under a %YAML 1.1 directive, NO is false: report it rather than drop the country."""
    msg = one(entity("NO", "%YAML 1.1\n---\n"))
    assert msg.startswith("w.yaml:5:") and "got boolean false" in msg and 'quote it: "NO"' in msg


def test_lower_case_country_is_an_error_with_the_fix() -> None:
    """`country: no` is not silently false nor silently accepted: it asks for "NO"."""
    assert one(entity("no")).endswith("country codes are upper-case: write 'NO' (got 'no')")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("XX", "unknown country code 'XX'"), ("Romania", "must be 2 letters"), ("true", "quoted")],
)
def test_bad_country_codes(value: str, fragment: str) -> None:
    """Country codes are checked against ISO 3166-1 (pycountry), in entities and rules."""
    assert fragment in one(entity(value))
    assert fragment in one(rule(f"{{countries: {{any: [RO, {value}]}}}}"))


# --- environment variables and secrets -------------------------------------------------------


def sub(url: str) -> str:
    return f'version: 1\nsubscribers:\n  - id: s\n    notify: ["{url}"]\n'


def test_env_vars_are_substituted_and_escaped() -> None:
    """${VAR} takes the environment's value; $${VAR} is a literal ${VAR}."""
    w = parse_watchlist(sub("mailto://u:${SMTP_PASSWORD}@h/$${KEEP}"), file="w.yaml", env=ENV)
    assert w.subscribers[0].notify[0].get_secret_value() == "mailto://u:hunter2-secret@h/${KEEP}"


def test_env_var_defaults_apply_when_unset_or_empty() -> None:
    """${VAR:-default} falls back when VAR is unset or empty, and takes VAR when set."""
    url = "mailto://u:p@${SMTP_HOST:-127.0.0.1}:${SMTP_PORT:-2525}"
    unset = parse_watchlist(sub(url), file="w.yaml", env={})
    empty = parse_watchlist(sub(url), file="w.yaml", env={"SMTP_HOST": ""})
    env = {"SMTP_HOST": "mailpit", "SMTP_PORT": "1025"}
    set_ = parse_watchlist(sub(url), file="w.yaml", env=env)
    assert unset.subscribers[0].notify[0].get_secret_value() == "mailto://u:p@127.0.0.1:2525"
    assert empty.subscribers[0].notify[0].get_secret_value() == "mailto://u:p@127.0.0.1:2525"
    assert set_.subscribers[0].notify[0].get_secret_value() == "mailto://u:p@mailpit:1025"


def test_unset_env_var_names_the_variable_and_place() -> None:
    """An unset variable is an error naming it and where it is used."""
    msg = one(sub("json://${TOKEN}@h"), env={})
    assert (
        msg == "w.yaml:4:14: subscribers[0].notify[0]: "
        "environment variable TOKEN is not set (used as ${TOKEN})"
    )


def test_substitution_applies_to_any_string_value() -> None:
    """Substitution is for string values anywhere (not keys, not YAML text)."""
    text = rule("{min_impact: 3}", "    description: ${DESC}\n")
    w = parse_watchlist(text, file="w.yaml", env={"DESC": "from env"})
    assert w.rules[0].description == "from env"


def test_errors_never_echo_secrets() -> None:
    """Neither a notify URL nor an env value appears in any message."""
    text = (
        "version: 1\nsubscribers:\n  - id: s\n    notify: mailto://u:literal-pw@h\n"
        "  - id: t\n    notify: [42]\n"
    ) + "rules:\n  - {id: r, when: {min_impact: 3}, notify: [s], severity: '${SMTP_PASSWORD}'}\n"
    out = "\n".join(str(p) for p in problems(text))
    assert "notify" in out and "severity" in out
    assert "literal-pw" not in out and "hunter2" not in out and "42" not in out
    assert "unknown severity '${SMTP_PASSWORD}'" in out


# --- several files ---------------------------------------------------------------------------


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text)
    return path


def test_directory_merges_sorted_files_and_resolves_across(tmp_path: Path) -> None:
    """A directory loads *.yaml/*.yml sorted; a rule may name a subscriber from another file."""
    write(
        tmp_path,
        "b.yml",
        "version: 1\nrules:\n  - {id: r, when: {min_impact: 3}, notify: [desk]}\n",
    )
    write(tmp_path, "a.yaml", HEAD.removesuffix("rules:\n"))
    write(tmp_path, "notes.txt", "not yaml")
    loaded = load_watchlists([tmp_path], ENV)
    assert loaded.files == (str(tmp_path / "a.yaml"), str(tmp_path / "b.yml"))
    assert [s.id for s in loaded.watchlist.subscribers] == ["desk"]
    assert [r.id for r in loaded.watchlist.rules] == ["r"]


def test_cross_file_duplicates_name_both_files(tmp_path: Path) -> None:
    """The same entity id in two files is an error pointing at both."""
    ent = "version: 1\nentities:\n  - {id: x, name: X, kind: company}\n"
    a, b = write(tmp_path, "a.yaml", ent), write(tmp_path, "b.yaml", "\n" + ent)
    found = check_watchlists([a, b], ENV)
    assert [str(p) for p in found] == [
        f"{b}:4:10: entities[0].id: duplicate entity id 'x' (first defined at {a}:3:10)"
    ]


def test_watchlist_entity_may_extend_a_gazetteer_id(tmp_path: Path) -> None:
    """Reusing a built-in id (romarm) in a watchlist is allowed: it extends the entity."""
    path = write(
        tmp_path, "w.yaml", "version: 1\nentities:\n  - {id: romarm, name: R, kind: company}\n"
    )
    assert check_watchlists([path], ENV, GAZETTEER) == []


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    """Paths that give no watchlist are problems, not an empty watchlist."""
    (tmp_path / "empty").mkdir()
    found = check_watchlists([tmp_path / "nope.yaml", tmp_path / "empty"], ENV)
    assert sorted(p.message for p in found) == [
        "cannot read: No such file or directory",
        "no *.yaml or *.yml files here",
    ]


def test_fingerprint_follows_content(tmp_path: Path) -> None:
    """The fingerprint changes when a file's content changes and not otherwise."""
    path = write(tmp_path, "w.yaml", HEAD)
    first = load_watchlists([path], ENV).fingerprint
    assert load_watchlists([path], ENV).fingerprint == first
    path.write_text(HEAD + "\n")
    assert load_watchlists([path], ENV).fingerprint != first


def test_quiet_hours_time_zone_is_checked() -> None:
    """A misspelt time zone fails at load time with a suggestion."""
    text = (
        sub("json://h") + "    quiet_hours: {start: '22:00', end: '07:00', tz: Europe/Bucarest}\n"
    )
    assert "did you mean 'Europe/Bucharest'" in one(text)


# --- JSON schema ---------------------------------------------------------------------------


def test_committed_schema_matches_the_models() -> None:
    """schemas/watchlist.schema.json is regenerated from the models (no drift)."""
    committed = (ROOT / "schemas/watchlist.schema.json").read_text()
    assert committed == watchlist_json_schema_text()


def test_schema_shows_notify_urls_as_strings() -> None:
    """SecretStr appears as a plain string to editors; the schema has an $id and help text."""
    schema = watchlist_json_schema()
    notify = schema["$defs"]["Subscriber"]["properties"]["notify"]
    assert notify["items"]["type"] == "string"
    assert schema["$id"].endswith("watchlist.schema.json")
    assert "description" in schema["$defs"]["Entity"]["properties"]["country"]
    json.dumps(schema)
