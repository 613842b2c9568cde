"""Loading pdscan.yaml: schema errors name file, line and key; unknown ids suggest the nearest ones."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

import pdscan.declarations
from pdscan.declarations.loader import DeclarationError, load_declarations, parse_declarations, schema

PACKAGE = Path(pdscan.declarations.__file__).resolve().parent


def error_of(text: str, catalog=None) -> DeclarationError:
    with pytest.raises(DeclarationError) as info:
        parse_declarations(text, "pdscan.yaml", catalog)
    return info.value


GOOD = """\
version: 1
sources:
  - name: web
    paths: ["logs/*.log"]
    categories:
      ip_address:
        purposes: [operation_logs]
        legal_basis: legitimate_interests
        retention: 90d
"""


def test_good_file_loads(decl_catalog):
    loaded = parse_declarations(GOOD, "pdscan.yaml", decl_catalog)
    (source,) = loaded.sources
    (declaration,) = source.declarations
    assert (source.name, source.paths, source.line) == ("web", ("logs/*.log",), 3)
    assert (declaration.retention_days, declaration.line, declaration.key) == (90, 6, "sources[0].categories.ip_address")


def test_error_string_is_file_line_key_message():
    error = DeclarationError("pdscan.yaml", 7, "sources[0].name", "expected a string")
    assert str(error) == "pdscan.yaml:7: sources[0].name: expected a string"
    assert str(DeclarationError("f.yaml", None, "", "no such file")) == "f.yaml: no such file"


def test_wrong_type_names_its_line():
    error = error_of(GOOD.replace("purposes: [operation_logs]", "purposes: 5"))
    assert (error.line, error.key) == (7, "sources[0].categories.ip_address.purposes")
    assert str(error).startswith("pdscan.yaml:7: sources[0].categories.ip_address.purposes: expected a list of purpose ids")
    assert "found 5 (a number)" in str(error)


def test_wrong_type_deep_in_a_list():
    text = GOOD + "  - name: db\n    tables: users\n"
    error = error_of(text)
    assert (error.line, error.key) == (11, "sources[1].tables")
    assert "expected a list of table globs" in error.message and "'users' (a string)" in error.message


def test_unknown_category_suggests_the_nearest(decl_catalog):
    error = error_of(GOOD.replace("ip_address:", "ip_adress:"), decl_catalog)
    assert (error.line, error.key) == (6, "sources[0].categories.ip_adress")
    assert "unknown category 'ip_adress' (did you mean 'ip_address'?)" in error.message


def test_unknown_purpose_suggests_the_nearest(decl_catalog):
    error = error_of(GOOD.replace("[operation_logs]", "[operation_log]"), decl_catalog)
    assert (error.line, error.key) == (7, "sources[0].categories.ip_address.purposes[0]")
    assert "unknown purpose 'operation_log' (did you mean 'operation_logs'?)" in error.message


def test_unknown_key_suggests_the_nearest():
    error = error_of(GOOD.replace("retention: 90d", "retension: 90d"))
    assert (error.line, error.key) == (9, "sources[0].categories.ip_address.retension")
    assert "unknown key" in error.message and "(did you mean 'retention'?)" in error.message


def test_bad_legal_basis_suggests():
    error = error_of(GOOD.replace("legal_basis: legitimate_interests", "legal_basis: legitimate"))
    assert error.line == 8 and "(did you mean 'legitimate_interests'?)" in error.message


def test_bad_retention_says_what_is_expected():
    error = error_of(GOOD.replace("retention: 90d", "retention: 90 days"))
    assert error.line == 9 and "a duration: a number and d, w, m or y, e.g. 90d or 3y" in error.message


def test_purposes_need_a_legal_basis():
    error = error_of(GOOD.replace("        legal_basis: legitimate_interests\n", ""))
    assert error.line == 6 and error.key == "sources[0].categories.ip_address.legal_basis"
    assert "legal basis is needed when purposes are declared" in error.message


def test_source_needs_a_scope():
    error = error_of("version: 1\nsources:\n  - name: x\n    categories: {email: }\n")
    assert error.line == 3 and "needs 'paths'" in error.message


def test_version_and_missing_keys():
    assert "the only version of this format is 1" in error_of(GOOD.replace("version: 1", "version: 2")).message
    error = error_of("version: 1\n")
    assert (error.line, error.key) == (1, "sources") and "missing required key 'sources'" in error.message


def test_category_id_shape():
    error = error_of(GOOD.replace("ip_address:", "IP Address:"))
    assert error.line == 6 and "a category id from the catalog" in error.message


def test_duplicate_keys_are_errors():
    text = GOOD + "      ip_address: {purposes: []}\n"
    error = error_of(text)
    assert error.line == 10 and "duplicate key (first on line 6)" in error.message


def test_duplicate_source_names():
    text = GOOD + "  - name: web\n    paths: [x]\n"
    error = error_of(text)
    assert error.line == 10 and "duplicate source name 'web' (first on line 3)" in error.message


def test_age_column_needs_literal_tables():
    text = ("version: 1\nsources:\n  - name: db\n    tables: ['user*']\n    fields:\n      email:\n"
            "        email: {age_column: created_at}\n")
    error = error_of(text)
    assert error.line == 7 and error.key.endswith("email.email.age_column") and "without * or ?" in error.message


def test_invalid_yaml_and_empty_file(tmp_path):
    error = error_of("version: 1\nsources: [\n  - name: x\n")
    assert error.line is not None and "not valid YAML" in error.message
    assert "empty" in error_of("").message
    assert "expected a mapping" in error_of("- a\n- b\n").message
    with pytest.raises(DeclarationError, match="no such file"):
        load_declarations(tmp_path / "missing.yaml")


def test_several_errors_report_the_first_and_count_the_rest():
    text = GOOD.replace("retention: 90d", "retention: 3 years").replace("purposes: [operation_logs]", "purposes: 1")
    error = error_of(text)
    assert error.line == 7 and "(and 1 more error(s) after this one)" in error.message


def test_shipped_schema_is_valid_and_matches_the_loader():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema() == json.loads((PACKAGE / "schema.json").read_text(encoding="utf-8"))


def _example(text: str) -> str:
    start = text.index("```yaml\n") + len("```yaml\n")
    return text[start:text.index("```", start)]


def test_format_doc_example_loads_and_docstring_matches(decl_catalog):
    example = _example((PACKAGE / "FORMAT.md").read_text(encoding="utf-8"))
    loaded = parse_declarations(example, "FORMAT.md", decl_catalog)
    assert [s.name for s in loaded.sources] == ["nginx access logs", "users table"]
    assert loaded.age_columns == ("users.created_at",)
    docstring = pdscan.declarations.__doc__
    indented = "".join("    " + line if line.strip() else "\n" for line in example.splitlines(keepends=True))
    assert indented in docstring


def test_loaded_file_in_the_test_data(declarations):
    assert declarations.path.endswith("pdscan.yaml") and len(declarations.sources) == 3
    assert re.search(r"users table", declarations.sources[1].name)


def test_default_path(tmp_path):
    from pdscan.declarations.loader import default_path

    assert default_path(tmp_path) is None
    (tmp_path / "pdscan.yaml").write_text(GOOD)
    assert default_path(tmp_path) == tmp_path / "pdscan.yaml"
    assert [s.name for s in load_declarations(default_path(tmp_path)).sources] == ["web"]


def test_find_walks_up_to_the_nearest_file(tmp_path):
    from pdscan.declarations.loader import find

    (tmp_path / "pdscan.yaml").write_text(GOOD)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    search = find(deep)
    assert search.found == tmp_path / "pdscan.yaml"
    assert search.searched == (deep, tmp_path / "a", tmp_path)
    (deep / "pdscan.yaml").write_text(GOOD)
    assert find(deep).found == deep / "pdscan.yaml"  # the nearest wins


def test_find_stops_at_the_repository_root(tmp_path):
    from pdscan.declarations.loader import find

    (tmp_path / "pdscan.yaml").write_text(GOOD)  # outside the repository: never used
    repository = tmp_path / "repo"
    (repository / "src").mkdir(parents=True)
    (repository / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file
    search = find(repository / "src")
    assert search.found is None
    assert search.searched == (repository / "src", repository)
    assert search.stopped_at_repository


def test_find_without_a_repository_goes_to_the_file_system_root(tmp_path):
    from pdscan.declarations.loader import find

    if any((d / name).exists() for d in tmp_path.parents for name in ("pdscan.yaml", ".git")):
        pytest.skip("a directory above the test's temporary directory holds pdscan.yaml or .git")
    search = find(tmp_path)
    assert search.found is None and search.searched[-1] == Path(tmp_path.anchor)
    assert not search.stopped_at_repository


def test_a_valid_file_is_cached_by_content(tmp_path, monkeypatch, decl_catalog):
    import pdscan.declarations.loader as loader

    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "pdscan.yaml"
    path.write_text(GOOD)
    first = load_declarations(path, decl_catalog)
    assert len(list((tmp_path / "cache").glob("declarations-*.pickle"))) == 1

    def no_parsing(*_args):
        raise AssertionError("parsed again although cached")

    with monkeypatch.context() as patch:
        patch.setattr(loader, "parse_declarations", no_parsing)
        assert load_declarations(path, decl_catalog) == first
    # another text, or the same text against another catalog, is parsed and validated again
    path.write_text(GOOD.replace("retention: 90d", "retention: 3 years"))
    with pytest.raises(DeclarationError, match="retention"):
        load_declarations(path, decl_catalog)
    path.write_text(GOOD.replace("operation_logs", "no_such_purpose"))
    with pytest.raises(DeclarationError, match="unknown purpose"):
        load_declarations(path, decl_catalog)
    assert len(list((tmp_path / "cache").glob("declarations-*.pickle"))) == 1  # errors are never cached
