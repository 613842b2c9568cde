"""Database URLs: recognise them, pick a driver the user need not name, and never show a password.

``redact`` and ``sanitize`` are written with plain string work, not a URL parser, so that they also
hide the password of a URL that does not parse: a bad URL must not leak in its own error message.
"""
from __future__ import annotations

import os
import re
from urllib.parse import quote, unquote

# scheme -> dialect+driver used when the URL names no driver: the drivers pdscan installs with itself
# (setup.cfg), psycopg 3 and PyMySQL, rather than SQLAlchemy's own defaults (psycopg2, mysqlclient).
_DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",  # the libpq spelling, which SQLAlchemy 2 no longer accepts
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
# A missing one of these means a broken install, so the hint is the README's install command first.
_BUNDLED_MODULES = frozenset({"psycopg", "pymysql"})
README_INSTALL = "python3 -m pip install ."
SCHEMES = ("sqlite", "postgresql", "postgres", "mysql", "mariadb")
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9]*)(?:\+(?P<driver>[A-Za-z0-9_]+))?://", re.ASCII)
_PASSWORD_PARAM = re.compile(r"(?i)([?&](?:password|passwd|pwd)=)([^&#]*)")
# DBAPI module -> what to pip-install for it
PIP_PACKAGES = {
    "psycopg2": "psycopg2-binary",
    "psycopg": '"psycopg[binary]"',
    "pg8000": "pg8000",
    "asyncpg": "asyncpg",
    "pymysql": "pymysql",
    "MySQLdb": "mysqlclient",
    "mysql": "mysql-connector-python",
    "mariadb": "mariadb",
}
_DRIVER_MODULES = {"psycopg2": "psycopg2", "psycopg": "psycopg", "pg8000": "pg8000", "asyncpg": "asyncpg",
                   "pymysql": "pymysql", "mysqldb": "MySQLdb", "mysqlconnector": "mysql",
                   "mariadbconnector": "mariadb"}


def scheme_of(text: str) -> tuple[str, str | None] | None:
    """``("postgresql", "psycopg2")`` for ``postgresql+psycopg2://…``; None if not a database URL."""
    found = _URL.match(text.strip())
    if found is None or found.group("scheme").lower() not in SCHEMES:
        return None
    driver = found.group("driver")
    return found.group("scheme").lower(), driver.lower() if driver else None


def is_database_url(text: str) -> bool:
    """``sqlite:///…``, ``postgresql[+driver]://…``, ``mysql[+driver]://…``, ``mariadb[+driver]://…``."""
    return scheme_of(text) is not None


def _named_driver(url: str) -> str:
    """``postgresql://`` -> ``postgresql+psycopg://``, ``mysql://`` -> ``mysql+pymysql://``,
    ``mariadb://`` -> ``mariadb+pymysql://``; a named driver is kept."""
    url = url.strip()
    parsed = scheme_of(url)
    if parsed is None:
        return url
    scheme, driver = parsed
    rest = url[url.index("://"):]
    if driver is not None:
        return f"{'postgresql' if scheme == 'postgres' else scheme}+{driver}{rest}"
    return _DEFAULT_DRIVERS.get(scheme, scheme) + rest


def with_driver(url: str) -> str:
    """The URL SQLAlchemy is given: the driver named (``postgresql://`` -> ``postgresql+psycopg://``,
    ``mysql://`` -> ``mysql+pymysql://``, ``mariadb://`` -> ``mariadb+pymysql://``; a named driver
    is kept), the password percent-encoded (any character may be in it), and ``MYSQL_PWD`` put in
    for a MySQL/MariaDB URL that names a user and no password."""
    full = _encoded_userinfo(_named_driver(url))
    parsed = scheme_of(full)
    password = _env_password(url)
    if password and parsed is not None and parsed[0] in ("mysql", "mariadb"):
        start = full.index("://") + 3
        at = full.find("@", start)
        if at > 0:
            full = full[:at] + ":" + quote(password, safe="") + full[at:]
    return full


def _driver_module(url: str) -> str | None:
    parsed = scheme_of(_named_driver(url))
    if parsed is None or parsed[1] is None:
        return None
    return _DRIVER_MODULES.get(parsed[1], parsed[1])


def pip_package(url: str) -> str | None:
    """What to ``pip install`` for the driver this URL uses (after ``with_driver``)."""
    module = _driver_module(url)
    return None if module is None else PIP_PACKAGES.get(module, module)


def install_hint(url: str) -> str | None:
    """The command that installs this URL's driver, as the README gives it: pdscan's own install for
    the drivers that come with it (``python3 -m pip install .``), else ``pip install <package>``."""
    module = _driver_module(url)
    if module is None:
        return None
    command = f"pip install {pip_package(url)}"
    if module in _BUNDLED_MODULES:
        return f"{README_INSTALL} (the driver comes with pdscan), or {command}"
    return command


def _userinfo_span(url: str) -> tuple[int, int] | None:
    """Start and end of the password in ``scheme://user:password@host``, if there is one.

    The password may hold any character, raw ``@``, ``:``, ``/``, ``?`` or ``#`` included (users paste
    them unescaped): the user info ends at the last ``@`` of the URL, and the password starts after
    the first ``:`` of the user info. An ``@`` in the database name or a query parameter must then be
    written ``%40`` (README); a raw one is taken for part of the password, which errs on the safe
    side: it is hidden, never shown.
    """
    start = url.find("://")
    if start < 0:
        return None
    start += 3
    end = url.rfind("@", start)
    if end < 0:
        return None
    colon = url.find(":", start, end)
    if colon < 0:
        return None
    return colon + 1, end


# What may stay raw in the user info of a URL (RFC 3986 unreserved and sub-delims); ``%`` is kept so
# that a password the user percent-encoded already is not encoded twice.
_USERINFO_SAFE = "!$&'()*+,;=-._~%"
_ENV_PASSWORDS = {"postgresql": "PGPASSWORD", "mysql": "MYSQL_PWD", "mariadb": "MYSQL_PWD"}


def _encoded_userinfo(url: str) -> str:
    """The URL with raw ``@ : / ? #`` of its password percent-encoded, so that SQLAlchemy's parser
    reads the password the user meant instead of failing on a ``port`` such as ``ss@host``."""
    span = _userinfo_span(url)
    if span is None:
        return url
    password = url[span[0]:span[1]]
    encoded = quote(password, safe=_USERINFO_SAFE)
    return url if encoded == password else url[:span[0]] + encoded + url[span[1]:]


def _env_password(url: str) -> str | None:
    """The password the driver's own environment variable gives, for a URL that names none:
    ``PGPASSWORD`` (libpq reads it itself, so it is only needed here to keep it out of messages)
    or ``MYSQL_PWD`` (PyMySQL does not read it: it is put in the URL given to SQLAlchemy)."""
    parsed = scheme_of(url)
    if parsed is None or _userinfo_span(url) is not None:
        return None
    scheme = "postgresql" if parsed[0] == "postgres" else parsed[0]
    variable = _ENV_PASSWORDS.get(scheme)
    return os.environ.get(variable) or None if variable else None


def redact(url: str) -> str:
    """``postgresql://user:***@host/db``: the URL with its password (and ``password=`` parameters) hidden."""
    span = _userinfo_span(url)
    if span is not None:
        url = url[:span[0]] + "***" + url[span[1]:]
    return _PASSWORD_PARAM.sub(r"\1***", url)


def secrets(url: str) -> list[str]:
    """The passwords in a URL, as written, percent-decoded and percent-encoded, longest first."""
    found: list[str] = []
    span = _userinfo_span(url)
    if span is not None:
        found.append(url[span[0]:span[1]])
    found.extend(m.group(2) for m in _PASSWORD_PARAM.finditer(url))
    password = _env_password(url)
    if password:
        found.append(password)
    found += [unquote(s) for s in found]
    found += [quote(s, safe="") for s in found]  # as SQLAlchemy renders it back
    return sorted({s for s in found if s and s != "***"}, key=len, reverse=True)


def sanitize(message: str, url: str) -> str:
    """An error message safe to show: the URL redacted, any password text removed literally."""
    for form in {url, url.strip(), _named_driver(url), with_driver(url)}:
        if form:
            message = message.replace(form, redact(form))
    for secret in secrets(url):
        message = message.replace(secret, "***")
    return message
