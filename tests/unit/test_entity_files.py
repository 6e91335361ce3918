"""Entity files (CSV, JSON lines) named by `entity_files:`: loaded into the watchlist's
entities, with file:line errors in the style of the YAML ones."""

from __future__ import annotations

from pathlib import Path

from signalfire.models.entity_table import EntityTable
from signalfire.rules.loader import check_watchlists, load_watchlists, summary

ENV: dict[str, str] = {}
GAZETTEER = ["romarm", "aselsan"]
CSV = """\
id,name,kind,country,aliases
acme-arms,Acme Arms,company,RO,"Acme|Acme Arms SA"
nordic-shells,Nordic Shells,company,NO,
vega-programme,Vega,program,,Vega-2
"""
JSONL = """\
{"id": "zeta-works", "name": "Zeta Works", "kind": "company", "country": "PL", "aliases": ["ZW"]}

{"id": "acme-sub", "name": "Acme Sub", "kind": "company", "parent": "acme-arms"}
"""


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text)
    return path


def watchlist(tmp: Path, files: list[str], extra: str = "") -> Path:
    text = f"version: 1\nentity_files: [{', '.join(files)}]\n{extra}"
    return write(tmp, "w.yaml", text)


def messages(paths: list[Path]) -> list[str]:
    return [str(p) for p in check_watchlists(paths, ENV, GAZETTEER)]


def test_csv_and_jsonl_rows_join_the_watchlist(tmp_path: Path) -> None:
    """Rows of both formats become entities after the file's own, in order; aliases split on
    `|`, empty cells are absent; rules may name listed ids; the summary counts the files."""
    write(tmp_path, "a.csv", CSV)
    write(tmp_path, "b.jsonl", JSONL)
    rules = (
        "entities:\n  - {id: own, name: Own, kind: company}\n"
        "subscribers: [{id: d, notify: ['json://h']}]\n"
        "rules: [{id: r, when: {entities: {any: [zeta-works, romarm]}}, notify: [d]}]\n"
    )
    loaded = load_watchlists([watchlist(tmp_path, ["a.csv", "b.jsonl"], rules)], ENV, GAZETTEER)
    entities = loaded.watchlist.entities
    assert isinstance(entities, EntityTable) and loaded.entities is entities
    assert [e.id for e in entities] == [
        "own", "acme-arms", "nordic-shells", "vega-programme", "zeta-works", "acme-sub",
    ]  # fmt: skip
    assert entities[1].aliases == ["Acme", "Acme Arms SA"] and entities[1].country == "RO"
    assert entities[2].aliases == [] and entities[2].country == "NO"
    assert entities[3].country is None and entities[3].kind == "program"
    assert entities[5].parent == "acme-arms"
    assert loaded.entity_files == (str(tmp_path / "a.csv"), str(tmp_path / "b.jsonl"))
    assert summary(loaded).startswith("1 file(s) (+2 entity file(s)) valid: 6 entities")


def test_row_errors_name_file_line_and_field(tmp_path: Path) -> None:
    """Each bad row is reported at its own line with the field, in the YAML messages' words
    (unknown kind with a suggestion, bad id, country codes, empty alias)."""
    csv = (
        "id,name,kind,country,aliases\n"
        "ok,OK,company,RO,\n"
        "Bad Id,X,company,,\n"
        "k,K,compnay,,\n"
        "c,C,company,no,\n"
        "x,X,company,XX,\n"
        "a,A,company,,A||B\n"
    )
    write(tmp_path, "e.csv", csv)
    e = tmp_path / "e.csv"
    assert messages([watchlist(tmp_path, ["e.csv"])]) == [
        f"{e}:3: id: ids are lower-case letters, digits, '.', '_' or '-' (got 'Bad Id')",
        f"{e}:4: kind: unknown entity kind 'compnay' (did you mean 'company'?); valid: "
        "company, government, organization, country, program, person",
        f"{e}:5: country: country codes are upper-case: write 'NO' (got 'no')",
        f"{e}:6: country: unknown country code 'XX' (ISO 3166-1 alpha-2)",
        f"{e}:7: aliases[1]: must not be empty (got '')",
    ]


def test_csv_header_problems(tmp_path: Path) -> None:
    """Unknown columns get a suggestion; required columns must be there."""
    write(tmp_path, "e.csv", "id,nmae,kind\nx,X,company\n")
    found = messages([watchlist(tmp_path, ["e.csv"])])
    e = tmp_path / "e.csv"
    assert found == [
        f"{e}:1: column 2: unknown column 'nmae' (did you mean 'name'?); valid columns: "
        "id, name, kind, country, aliases, parent, context, ambiguous",
        f"{e}:1: missing required column 'name'",
    ]


def test_jsonl_problems(tmp_path: Path) -> None:
    """Bad JSON, a line that is not an object, unknown and missing fields: each at its line."""
    text = (
        '{"id": "a", "name": "A", "kind": "company"}\n'
        '{"id": "b", "name": "B", kind: "company"}\n'
        "[1, 2]\n"
        '{"id": "c", "name": "C", "kind": "company", "alias": ["C"]}\n'
        '{"id": "d", "kind": "company"}\n'
    )
    write(tmp_path, "e.jsonl", text)
    found = messages([watchlist(tmp_path, ["e.jsonl"])])
    e = tmp_path / "e.jsonl"
    assert found[0].startswith(f"{e}:2: not valid JSON")
    assert found[1:] == [
        f"{e}:3: expected a JSON object (one entity per line)",
        f"{e}:4: alias: unknown key 'alias' (did you mean 'aliases'?); valid keys: id, name, "
        "kind, country, aliases, parent, context, ambiguous",
        f"{e}:5: name: missing required key 'name'",
    ]


def test_duplicates_across_yaml_and_lists_name_both_places(tmp_path: Path) -> None:
    """An id defined inline and again in a list, or in two lists, points at the first place."""
    write(tmp_path, "a.csv", "id,name,kind\nx,X,company\ny,Y,company\n")
    write(tmp_path, "b.jsonl", '{"id": "y", "name": "Y", "kind": "company"}\n')
    w = watchlist(
        tmp_path, ["a.csv", "b.jsonl"], "entities:\n  - {id: x, name: X, kind: company}\n"
    )
    assert messages([w]) == [
        f"{tmp_path / 'a.csv'}:2: id: duplicate entity id 'x' (first defined at {w}:4:10)",
        f"{tmp_path / 'b.jsonl'}:1: id: duplicate entity id 'y' (first defined at "
        f"{tmp_path / 'a.csv'}:3)",
    ]


def test_reference_problems_are_located_in_the_watchlist(tmp_path: Path) -> None:
    """A missing file, an unsupported extension or a file listed twice is reported at its
    place in `entity_files`."""
    write(tmp_path, "a.csv", "id,name,kind\nx,X,company\n")
    w = watchlist(tmp_path, ["a.csv", "nope.jsonl", "a.txt", "a.csv"])
    assert messages([w]) == [
        f"{w}:2:23: entity_files[1]: cannot read entity file {tmp_path / 'nope.jsonl'}: "
        "No such file or directory",
        f"{w}:2:35: entity_files[2]: entity files are .csv or .jsonl (got 'a.txt')",
        f"{w}:2:42: entity_files[3]: entity file {tmp_path / 'a.csv'} is listed twice",
    ]


def test_many_bad_rows_are_capped(tmp_path: Path) -> None:
    """A systematic mistake in a big list is shown 100 times plus a count, not 100,000 times."""
    rows = "".join(f"e{i},E,badkind\n" for i in range(250))
    write(tmp_path, "e.csv", "id,name,kind\n" + rows)
    found = messages([watchlist(tmp_path, ["e.csv"])])
    assert len(found) == 101 and found[-1].endswith("... and 150 more problems")
