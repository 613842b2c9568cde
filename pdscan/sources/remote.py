"""Remote paths read through fsspec: ``s3://``, ``gs://``, ``abfs://``, ``hdfs://`` (``file://`` is a local path).

An object is read as a stream by the same readers as a local file (compression, formats, rotation
sets); a prefix is walked like a directory (``--include``/``--exclude``, ``--max-depth`` and
``.pdscanignore`` objects apply). Tasks carry URLs and what the listing said of each object (size,
ETag or version, modification time), never an open handle or a credential: they are pickled to
worker processes and Dask workers, which open the object themselves with the credentials their own
environment gives the filesystem package (``AWS_*`` for s3fs, ``GOOGLE_APPLICATION_CREDENTIALS`` for
gcsfs, ``AZURE_STORAGE_*`` for adlfs). A URL that carries credentials itself is refused: they would
show in process lists, reports and state files.

fsspec and the filesystem packages are optional extras, imported only when a remote argument is given.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import BinaryIO, ClassVar, Iterator
from urllib.parse import unquote

from pdscan.models import Block, ContainerKind, Location, SourceError
from pdscan.sources.base import ReadOptions

# scheme -> the pdscan extra that installs its fsspec filesystem
EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs", "abfs": "azure", "abfss": "azure", "az": "azure",
          "hdfs": "hdfs"}
LOCAL_SCHEME = "file"
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://", re.ASCII)
# Streaming reads: a few MB a request is cheap against per-request latency, and bounds memory per open
# object (s3fs's default block is 50 MB, times every worker).
BLOCK_BYTES = 8 << 20
# Credentials the filesystem packages read from the environment: never shown, whatever message quotes them.
_SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AZURE_STORAGE_KEY", "AZURE_STORAGE_ACCOUNT_KEY",
                     "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_CLIENT_SECRET",
                     "AZURE_STORAGE_CLIENT_SECRET", "GOOGLE_OAUTH_ACCESS_TOKEN")
_MAX_IGNORE_BYTES = 1 << 20
# The filesystem packages and the clients under them. A logger with no handler anywhere above it falls to
# Python's last-resort handler, which prints warnings and tracebacks on stderr: gcsfs logs a traceback for
# every request it gives up on, beside pdscan's own error for the path, and such text is not scrubbed of
# credentials (a library may quote a URL that holds a SAS token). A NullHandler keeps them off stderr;
# logging that the application itself configures (a Dask worker's) still receives them.
_LIBRARY_LOGGERS = ("fsspec", "s3fs", "aiobotocore", "botocore", "gcsfs", "google", "adlfs", "azure", "pyarrow")
# HTTP statuses that mean the credentials were refused (an exception's ``status_code``, Azure's, or
# ``code``, gcsfs's), for packages that do not raise PermissionError for them.
_DENIED_STATUSES = (401, 403)


class RemoteError(OSError):
    """An object or prefix that cannot be read, with the reason in words (``strerror``), safe to show."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.strerror = reason


# ---------------------------------------------------------------- URLs

def scheme_of(text: str) -> str | None:
    """The lower-cased scheme of a remote URL (``s3``, ``gs``, ``file``...), or None for anything else."""
    found = _URL.match(text)
    if found is None:
        return None
    scheme = found.group("scheme").lower()
    return scheme if scheme in EXTRAS or scheme == LOCAL_SCHEME else None


def is_remote_url(text: str) -> bool:
    return scheme_of(text) is not None


def local_path(url: str) -> str:
    """The path of a ``file://`` URL: ``file:///var/log`` and ``file://localhost/var/log`` are ``/var/log``."""
    rest = url[url.index("://") + 3:]
    if rest.lower().startswith("localhost/"):
        rest = rest[len("localhost"):]
    return unquote(rest)


def _user_info_end(url: str) -> int:
    """Where the user information of ``scheme://user:secret@bucket/key`` ends (its ``@``), or -1.

    A secret may hold ``/`` (AWS secret keys do), so the user information runs to the last ``@`` of the
    URL, not to the first ``/``; an ``@`` that comes after a ``:`` makes it credentials. This errs on the
    safe side: a key such as ``s3://bkt/a:b@c`` is refused rather than a secret being shown."""
    start = url.index("://") + 3
    at = url.rfind("@", start)
    return at if at >= 0 and ":" in url[start:at] else -1


def has_credentials(url: str) -> bool:
    """A password or key in the user information (``s3://KEY:SECRET@bucket``), or a query string (an
    Azure SAS token, ``?sig=``): refused. ``abfs://container@account...`` and ``hdfs://user@host``
    name a container or a user, not a secret, and are accepted."""
    return _user_info_end(url) >= 0 or "?" in url or "#" in url


def redact(url: str) -> str:
    """The URL with its user information and query hidden: ``s3://***@bucket/logs/``."""
    if _URL.match(url) is None:
        return url
    end = _user_info_end(url)
    shown = url if end < 0 else url[:url.index("://") + 3] + "***" + url[end:]
    for mark in ("?", "#"):
        if mark in shown:
            shown = shown[:shown.index(mark)] + mark + "***"
    return shown


def _scrubbed(text: str) -> str:
    """A message with every credential the environment holds removed, in case a library quoted one."""
    for name in _SECRET_VARIABLES:
        value = os.environ.get(name)
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text


def install_hint(scheme: str) -> str:
    extra = EXTRAS.get(scheme, "remote")
    return f"pip install 'pdscan[{extra}]'"


def reason(exc: BaseException, scheme: str = "") -> str:
    """Why a remote path cannot be read, in words: never a credential, whatever the library said."""
    if isinstance(exc, RemoteError):
        return exc.strerror
    if isinstance(exc, ImportError):
        return f"{scheme}:// paths need a filesystem package that is not installed: {install_hint(scheme)}"
    if isinstance(exc, FileNotFoundError):
        return "not found (no such bucket, container or object)"
    if isinstance(exc, PermissionError) or _http_status(exc) in _DENIED_STATUSES:
        return "access denied (check the credentials the environment gives)"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return _scrubbed(f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)


def _http_status(exc: BaseException) -> int | None:
    for name in ("status_code", "code"):
        value = getattr(exc, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


# ---------------------------------------------------------------- filesystems and objects

def _quiet_library_logs() -> None:
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())


def filesystem(url: str):
    """(fsspec filesystem, path within it) for a URL; credentials and endpoints come from the environment
    (and fsspec's own configuration: ``FSSPEC_S3_ENDPOINT_URL`` and the like). Raises ImportError."""
    import fsspec.core

    _quiet_library_logs()
    return fsspec.core.url_to_fs(url)


def _mtime(details: dict) -> datetime | None:
    """The object's modification time, whatever the store calls it (S3 ``LastModified``, GCS
    ``updated``, Azure ``last_modified``, HDFS and local ``mtime``)."""
    for key in ("LastModified", "last_modified", "updated", "mtime", "modified", "created"):
        value = details.get(key)
        if value is None:
            continue
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(float(value), timezone.utc)
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return None


def _tag(details: dict) -> str:
    """What changes whenever the object's content does: the version id where the store keeps versions,
    else the ETag (S3, Azure), generation (GCS); empty when the store gives none (size and time then)."""
    for key in ("VersionId", "version_id", "generation", "ETag", "etag", "md5Hash"):
        value = details.get(key)
        if value not in (None, "", "null"):
            return str(value).strip('"')
    return ""


@dataclass(frozen=True)
class RemoteObject:
    """One object as the listing saw it: its identity for ``--state`` (no credential in it)."""

    url: str
    size: int
    tag: str = ""
    mtime: float | None = None  # seconds since the epoch, UTC

    @property
    def modified(self) -> datetime | None:
        return None if self.mtime is None else datetime.fromtimestamp(self.mtime, timezone.utc)

    @classmethod
    def of(cls, url: str, details: dict) -> RemoteObject:
        mtime = _mtime(details)
        return cls(url, int(details.get("size") or 0), _tag(details), None if mtime is None else mtime.timestamp())


def open_object(url: str, block_bytes: int = BLOCK_BYTES) -> tuple[BinaryIO, datetime | None]:
    """A seekable, read-only binary stream of the object and its modification time; RemoteError
    (an OSError) when it cannot be opened."""
    scheme = scheme_of(url) or ""
    try:
        fs, path = filesystem(url)
        handle = fs.open(path, "rb", block_size=block_bytes)
    except Exception as exc:  # noqa: BLE001 - every filesystem package raises its own kinds
        raise RemoteError(reason(exc, scheme)) from None
    return handle, _mtime(getattr(handle, "details", None) or {})


@dataclass(frozen=True)
class RemoteTask:
    """An object, or the objects of a rotation set read as one logical source (newest first), as
    ``files.FileTask`` is for local files; ``container`` is the object's URL or the set's base URL."""

    source: str
    container: str
    size: int
    members: tuple[RemoteObject, ...]
    kind: ClassVar[ContainerKind] = ContainerKind.FILE
    picklable: ClassVar[bool] = True

    def read(self, options: ReadOptions) -> Iterator[Block | SourceError]:
        for member in self.members:
            yield from read_object(self.source, self.container, member.url, options)


def read_object(source: str, container: str, url: str, options: ReadOptions) -> Iterator[Block | SourceError]:
    """The blocks of one object, reported under ``container`` (itself, or its rotation set)."""
    from pdscan.sources import readers
    from pdscan.sources.files import rotation_base

    try:
        handle, mtime = open_object(url)
    except RemoteError as exc:
        yield SourceError(source, container, exc.strerror, Location(path=url))
        return
    with handle:
        name = container.rstrip("/").rsplit("/", 1)[-1]
        reading = readers.Reading(source, container, options, member=None if url == container else url,
                                  name=rotation_base(name, set()) or name, mtime=mtime, path=url)
        yield from readers.read_stream(handle, reading)


# ---------------------------------------------------------------- planning

def plan_remote(url: str, options: ReadOptions) -> Iterator[RemoteTask | SourceError]:
    """Tasks for an object or a prefix (walked like a directory), and errors for what cannot be read."""
    scheme = scheme_of(url) or ""
    if has_credentials(url):
        yield SourceError(redact(url), "", "credentials in the URL are not accepted (process lists and reports would "
                                           "show them): give them through the environment the filesystem reads")
        return
    try:
        fs, root = filesystem(url)
        details = fs.info(root)
    except Exception as exc:  # noqa: BLE001 - every filesystem package raises its own kinds
        yield SourceError(url, url, reason(exc, scheme))
        return
    if details.get("type") != "directory":
        yield RemoteTask(url, url, int(details.get("size") or 0), (RemoteObject.of(url, details),))
        return
    try:
        listing = fs.find(root, withdirs=False, detail=True)
    except Exception as exc:  # noqa: BLE001
        yield SourceError(url, url, f"cannot list: {reason(exc, scheme)}")
        return
    base = url.rstrip("/")
    prefix = fs._strip_protocol(root).rstrip("/") + "/"
    objects: dict[str, dict] = {}
    for name, info in listing.items():
        name = str(info.get("name", name))
        if not name.startswith(prefix) or name.endswith("/"):
            continue  # a "folder" marker object, not data
        objects[name[len(prefix):]] = info
    rules = _ignore_rules(fs, prefix, objects, url)
    by_directory: dict[str, list[tuple[str, RemoteObject]]] = {}
    for rel in sorted(objects):
        if isinstance(rules.get(rel), SourceError):
            yield rules[rel]
        if _left_out(options, rules, rel):
            continue
        directory, _, name = rel.rpartition("/")
        by_directory.setdefault(directory, []).append((name, RemoteObject.of(f"{base}/{rel}", objects[rel])))
    for directory in sorted(by_directory):
        yield from _group_rotations(url, f"{base}/{directory}" if directory else base, by_directory[directory])


def _ignore_rules(fs, prefix: str, objects: dict[str, dict], url: str) -> dict:
    """Per directory (relative, "" for the top) the rules of its ``.pdscanignore``; an ignore file that
    cannot be read is kept under its own name as the error to report."""
    from pdscan.sources.files import IGNORE_FILE, parse_ignore_file

    rules: dict = {}
    for rel in objects:
        directory, _, name = rel.rpartition("/")
        if name != IGNORE_FILE:
            continue
        try:
            data = fs.cat_file(prefix + rel, start=0, end=_MAX_IGNORE_BYTES)
        except Exception as exc:  # noqa: BLE001
            rules[rel] = SourceError(url, f"{url.rstrip('/')}/{rel}", f"cannot read {IGNORE_FILE}: {reason(exc)}")
            continue
        rules[directory] = parse_ignore_file(data.decode("utf-8", "replace"), directory)
    return rules


def _left_out(options: ReadOptions, rules: dict, rel: str) -> bool:
    """As a local walk decides: ``.pdscanignore`` and ``--exclude`` prune directories, ``--include``
    selects files, ``--max-depth`` counts the directories below the prefix."""
    from pdscan.sources import files

    parts = rel.split("/")
    if parts[-1] == files.IGNORE_FILE:
        return True
    if options.max_depth is not None and len(parts) - 1 > options.max_depth:
        return True
    applying: tuple = ()
    for depth, name in enumerate(parts):
        own = rules.get("/".join(parts[:depth]))
        if isinstance(own, tuple):
            applying += own
        if files._left_out(options, applying, "/".join(parts[:depth + 1]), name, depth < len(parts) - 1):
            return True
    return False


def _group_rotations(source: str, directory: str, objects: list[tuple[str, RemoteObject]]) -> Iterator[RemoteTask]:
    """One task per object, or per rotation set (``app.log``, ``app.log.1``, ``app.log.2.gz``) as locally."""
    from pdscan.sources.files import _member_order, rotation_base

    present = {name for name, _ in objects}
    sets: dict[str, list[tuple[str, RemoteObject]]] = {}
    for name, item in objects:
        base = rotation_base(name, present)
        sets.setdefault(base if base is not None else name, []).append((name, item))
    for key, members in sets.items():
        if len(members) == 1 and members[0][0] == key:
            item = members[0][1]
            yield RemoteTask(source, item.url, item.size, (item,))
            continue
        members.sort(key=lambda member: _member_order(member[0]))
        yield RemoteTask(source, f"{directory}/{key}", sum(item.size for _, item in members),
                         tuple(item for _, item in members))


def task_pieces(task: RemoteTask, jobs: int, range_bytes: int) -> list | None:
    """The pieces of a remote task for ``jobs`` workers, as ``ranges.task_pieces`` cuts a local one:
    a rotation set's members, a large plain object's byte ranges (ranged GETs). None: whole."""
    from pdscan.sources.ranges import split_file

    if jobs <= 1:
        return None
    if len(task.members) == 1 and task.members[0].url == task.container:
        return split_file(task.source, task.container, task.container, task.size, jobs, range_bytes)
    pieces: list = []
    for member in task.members:
        pieces.extend(split_file(task.source, task.container, member.url, member.size, jobs, range_bytes)
                      or (RemoteTask(task.source, task.container, member.size, (member,)),))
    return pieces
