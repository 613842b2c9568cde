"""Load a declaration file: YAML → JSON Schema (``schema.json``) → catalog ids → frozen records.

Every error names the file, the line and the key, and says what was expected. Line numbers come
from composing the YAML (``yaml.compose``: every node carries its ``start_mark``) and walking the
node tree along the path of each jsonschema error.
"""
from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pdscan import cache
from pdscan.catalog import Catalog, parse_duration_days
from pdscan.identity import anchor
from pdscan.declarations.model import CategoryDeclaration, Declarations, SourceDeclaration, has_glob

DEFAULT_FILE = "pdscan.yaml"


class DeclarationError(ValueError):
    """A declaration file that cannot be used. ``str()`` is ``file:line: key: message``."""

    def __init__(self, file: str, line: int | None, key: str, message: str):
        self.file, self.line, self.key, self.message = file, line, key, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


@lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON Schema of the declaration format, shipped in the package."""
    from importlib import resources

    return json.loads(resources.files("pdscan.declarations").joinpath("schema.json").read_text(encoding="utf-8"))


def suggest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """`` (did you mean 'a' or 'b'?)`` or empty."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"


# ---------------------------------------------------------------- YAML with line numbers

class _Tree:
    """The composed YAML of one file: data as plain Python plus the node of every path."""

    def __init__(self, file: str, text: str):
        import yaml  # here, not at the top: a declaration file found in the cache is not parsed

        self.file = file
        # libyaml when PyYAML has it: the pure-Python composer takes minutes on 100,000 sources.
        try:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        except UnicodeEncodeError as exc:  # a lone surrogate: libyaml reads UTF-8 only
            raise DeclarationError(file, None, "", f"not valid text: {exc.reason}") from None
        try:
            self.root = loader.get_single_node()
            self._check_nodes(self.root)
            self.data = loader.construct_document(self.root) if self.root is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            raise DeclarationError(file, mark.line + 1 if mark else None, "",
                                   f"not valid YAML: {exc.problem or exc}") from exc
        except yaml.YAMLError as exc:
            raise DeclarationError(file, None, "", f"not valid YAML: {exc}") from exc
        except RecursionError:  # the pure-Python parser on thousands of nested brackets (libyaml stops at 1,000)
            raise DeclarationError(file, None, "", "not a declaration file: nested too deeply") from None
        finally:
            loader.dispose()

    def _check_nodes(self, root) -> None:
        """Duplicate keys and aliases, refused before the data is built. An alias (``*name``) is a
        node met twice: a few lines of them ("billion laughs") expand to more data than memory holds,
        and a declaration file has no need of them. Iterative: nesting depth costs no recursion."""
        import yaml

        seen_nodes: set[int] = set()
        stack = [(root, ())] if root is not None else []
        while stack:
            node, path = stack.pop()
            if id(node) in seen_nodes:
                raise DeclarationError(self.file, node.start_mark.line + 1, "",
                                       "YAML anchors and aliases (&name, *name) are not allowed in a declaration "
                                       "file: write the content out")
            seen_nodes.add(id(node))
            if isinstance(node, yaml.MappingNode):
                seen: dict[str, int] = {}
                for key_node, value_node in node.value:
                    key = str(key_node.value)
                    if key in seen:
                        raise DeclarationError(self.file, key_node.start_mark.line + 1, _key(path + (key,)),
                                               f"duplicate key (first on line {seen[key]})")
                    seen[key] = key_node.start_mark.line + 1
                    if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults` is an alias too
                        raise DeclarationError(self.file, key_node.start_mark.line + 1, _key(path + (key,)),
                                               "YAML merge keys (<<) are not allowed in a declaration file")
                    stack.append((value_node, path + (key,)))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((item, path + (index,)) for index, item in enumerate(node.value))

    def node(self, path: Iterable, key_of_last: bool = False):
        """The deepest node along ``path``; with ``key_of_last`` the key node of the last step."""
        import yaml

        node = self.root
        steps = list(path)
        for i, step in enumerate(steps):
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == str(step):
                        node = key_node if key_of_last and i == len(steps) - 1 else value_node
                        break
                else:
                    return node
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                return node
        return node

    def line(self, path: Iterable, key_of_last: bool = False) -> int | None:
        node = self.node(path, key_of_last)
        return node.start_mark.line + 1 if node is not None else None

    def error(self, path: Iterable, message: str, key_of_last: bool = False) -> DeclarationError:
        path = tuple(path)
        return DeclarationError(self.file, self.line(path, key_of_last), _key(path), message)


def _key(path: Iterable) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if isinstance(value, str):
        return f"{value!r} (a string)" if len(value) < 60 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


def _schema_error(tree: _Tree, error) -> DeclarationError:
    """One jsonschema error as a DeclarationError at the right line, in words."""
    path = tuple(error.absolute_path)
    custom = (error.schema.get("x-messages") or {}).get(error.validator) if isinstance(error.schema, dict) else None
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        name = str(extra[0]) if extra else "?"
        return tree.error(path + (name,), f"unknown key; expected one of {', '.join(allowed)}{suggest(name, allowed)}",
                          key_of_last=True)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        message = custom or f"missing required key '{missing}'"
        return DeclarationError(tree.file, tree.line(path, key_of_last=bool(path)), _key(path + (missing,)), message)
    if error.validator == "propertyNames":
        bad = next((k for k in error.instance if isinstance(k, str)), None)
        inner = error.context[0] if error.context else None
        if inner is not None and isinstance(inner.instance, str):
            bad = inner.instance
        inner_custom = (inner.schema.get("x-messages") or {}).get(inner.validator) if inner is not None else None
        return tree.error(path + (bad,), f"expected {inner_custom or 'a valid key'}, found {bad!r}", key_of_last=True)
    if error.validator == "anyOf" and custom:
        return tree.error(path, custom)
    found = _describe(error.instance)
    if error.validator == "type":
        expected = custom or " or ".join(_TYPE_WORDS.get(t, t) for t in
                                         ([error.validator_value] if isinstance(error.validator_value, str)
                                          else error.validator_value) if t != "null")
        return tree.error(path, f"expected {expected}, found {found}")
    if error.validator == "enum":
        choices = [c for c in error.validator_value if c is not None]
        hint = suggest(str(error.instance), choices) if isinstance(error.instance, str) else ""
        return tree.error(path, f"expected {custom or 'one of ' + ', '.join(map(str, choices))}, found {found}{hint}")
    if error.validator == "const":
        return tree.error(path, f"expected {custom or repr(error.validator_value)}, found {found}")
    if error.validator == "minItems":
        return tree.error(path, f"expected at least {error.validator_value} item(s)")
    if error.validator == "minLength":
        return tree.error(path, "expected a non-empty string")
    if error.validator == "uniqueItems":
        return tree.error(path, f"expected {custom or 'no duplicates'}")
    if custom:
        return tree.error(path, f"expected {custom}, found {found}")
    return tree.error(path, error.message)


def _validate_schema(tree: _Tree) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = list(validator.iter_errors(tree.data))
    if not errors:
        return
    # The error nearest the top of the file first; at one line, the most specific (deepest) one.
    ranked = sorted(errors, key=lambda e: (tree.line(e.absolute_path) or 0, -len(e.absolute_path),
                                           e.validator == "anyOf"))
    first = _schema_error(tree, ranked[0])
    if len(errors) > 1:
        raise DeclarationError(first.file, first.line, first.key,
                               f"{first.message} (and {len(errors) - 1} more error(s) after this one)")
    raise first


# ---------------------------------------------------------------- building the records

def default_path(directory: str | Path | None = None) -> Path | None:
    """``pdscan.yaml`` in ``directory`` (the working directory by default) if it exists."""
    candidate = Path(directory or ".") / DEFAULT_FILE
    return candidate if candidate.is_file() else None


@dataclass(frozen=True)
class Search:
    """Where ``find`` looked for a declaration file: ``found`` (or None) and the directories tried, nearest first."""

    found: Path | None
    searched: tuple[Path, ...]

    @property
    def stopped_at_repository(self) -> bool:
        return bool(self.searched) and self.found is None and (self.searched[-1] / ".git").exists()


def find(start: str | Path | None = None) -> Search:
    """The declaration file ``pdscan scan`` uses without ``--declarations``, found the way git finds
    its repository: ``pdscan.yaml`` in ``start`` (the working directory), else in its parent, and so
    on up to the root of the repository (the first directory holding ``.git``) or of the file system.
    A repository's declarations stop there, so a checkout never picks up a file from outside it."""
    directory = Path(start or Path.cwd()).absolute()
    searched = []
    for candidate in (directory, *directory.parents):
        searched.append(candidate)
        path = default_path(candidate)
        if path is not None:
            return Search(path, tuple(searched))
        if (candidate / ".git").exists():  # a file in a git worktree, a directory in a clone
            break
    return Search(None, tuple(searched))


def load_declarations(path: str | Path | None = None, catalog: Catalog | None = None) -> Declarations:
    """Read and validate a declaration file (default ``pdscan.yaml`` in the working directory).

    With a catalog, every category and purpose id must be in it (unknown ids suggest the nearest).
    A file that validated once is kept in the cache directory, named by a hash of its path and text,
    the catalog's ids and pdscan's code: checking it against the JSON Schema costs more than a small scan.
    """
    file = Path(path) if path is not None else Path(DEFAULT_FILE)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DeclarationError(str(file), None, "", "no such file (write one, or draft it with `pdscan init`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DeclarationError(str(file), None, "", f"cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    key = _cache_key(str(file), text, catalog)
    declarations = cache.load_records(key, (Declarations, SourceDeclaration, CategoryDeclaration), Declarations)
    if declarations is None:
        declarations = parse_declarations(text, str(file), catalog)
        cache.store_records(key, declarations)
    # Not part of the cached record: a relative `file` names another directory from elsewhere.
    return replace(declarations, root=str(anchor(file)))


_CODE = ("declarations/loader.py", "declarations/model.py", "declarations/schema.json", "catalog.py")


def _cache_key(file: str, text: str, catalog: Catalog | None) -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(cache.code_digest(*(package / name for name in _CODE)).encode())
    ids = "" if catalog is None else "\n".join((*sorted(catalog.categories), "", *sorted(catalog.purposes)))
    for part in (file, text, ids):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return f"declarations-{digest.hexdigest()[:32]}.pickle"


def parse_declarations(text: str, file: str = DEFAULT_FILE, catalog: Catalog | None = None) -> Declarations:
    tree = _Tree(file, text)
    if tree.data is None:
        raise DeclarationError(file, None, "", "the file is empty: expected 'version: 1' and a list of 'sources'")
    if not isinstance(tree.data, dict):
        raise DeclarationError(file, tree.line(()), "", f"expected a mapping with 'version: 1' and 'sources', "
                                                        f"found {_describe(tree.data)}")
    _validate_schema(tree)
    sources = []
    names: dict[str, int] = {}
    for index, raw in enumerate(tree.data["sources"]):
        where = ("sources", index)
        name = raw["name"]
        if name in names:
            raise tree.error(where + ("name",), f"duplicate source name {name!r} (first on line {names[name]})")
        names[name] = tree.line(where + ("name",)) or 0
        declarations = []
        for category, body in (raw.get("categories") or {}).items():
            declarations.append(_declaration(tree, catalog, where + ("categories", category), category, body, None))
        for field, categories in (raw.get("fields") or {}).items():
            for category, body in (categories or {}).items():
                declarations.append(_declaration(tree, catalog, where + ("fields", field, category), category, body, str(field)))
        tables = tuple(raw.get("tables") or ())
        for declaration in declarations:
            if declaration.age_column and all(has_glob(t) for t in tables):
                raise tree.error(where + _path_of(declaration) + ("age_column",),
                                 "age_column needs 'tables' in this source naming at least one table without * or ?")
        sources.append(SourceDeclaration(
            name=name, paths=tuple(raw.get("paths") or ()), database=raw.get("database"), tables=tables,
            note=raw.get("note") or "", declarations=tuple(declarations), key=_key(where), line=tree.line(where) or 0))
    return Declarations(path=file, version=tree.data["version"], sources=tuple(sources))


def _path_of(declaration: CategoryDeclaration) -> tuple:
    if declaration.field is None:
        return ("categories", declaration.category)
    return ("fields", declaration.field, declaration.category)


def _declaration(tree: _Tree, catalog: Catalog | None, path: tuple, category: str, body: dict | None,
                 field: str | None) -> CategoryDeclaration:
    body = body or {}
    # Any catalog category may be declared, those no policy names (`in_policy: false`) included: the
    # declaration documents what a team holds, but it does not clear their verdict, not_in_policy.
    if catalog is not None and category not in catalog.categories:
        raise tree.error(path, f"unknown category '{category}'{suggest(category, catalog.categories)}; "
                               "`pdscan catalog` lists the category ids", key_of_last=True)
    purposes = tuple(body.get("purposes") or ())
    if catalog is not None:
        for index, purpose in enumerate(purposes):
            if purpose not in catalog.purposes:
                raise tree.error(path + ("purposes", index),
                                 f"unknown purpose '{purpose}'{suggest(purpose, catalog.purposes)}; "
                                 "`pdscan catalog` lists the purpose ids")
    retention = body.get("retention")
    return CategoryDeclaration(
        category=category, purposes=purposes, legal_basis=body.get("legal_basis"), retention=retention,
        retention_days=parse_duration_days(retention) if retention else None, note=body.get("note") or "",
        age_column=body.get("age_column"), field=field, key=_key(path), line=tree.line(path, key_of_last=True) or 0)
