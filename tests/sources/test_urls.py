"""Database URLs: any character in a password, hidden everywhere, read as the user meant it."""
import pytest
from sqlalchemy.engine import make_url

from pdscan.sources.urls import redact, sanitize, secrets, with_driver

RAW = ["p@ss", "p:ss", "p/ss", "p?ss", "p#ss", "p@:/?#ss", "pa%40ss"]


@pytest.mark.parametrize("password", RAW)
def test_a_password_with_raw_url_characters_is_hidden_and_parsed(password):
    url = f"postgresql://app:{password}@db.example:5432/shop"
    assert redact(url) == "postgresql://app:***@db.example:5432/shop"
    parsed = make_url(with_driver(url))
    expected = "pa@ss" if password == "pa%40ss" else password  # an escape the user wrote is kept
    assert (parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == (
        "app", expected, "db.example", 5432, "shop")
    assert password not in sanitize(f"cannot connect to {url} with {password}", url)


def test_mysql_pwd_is_given_to_pymysql_and_never_shown(monkeypatch):
    monkeypatch.setenv("MYSQL_PWD", "env?secret")
    url = "mysql://app@db/shop"
    assert make_url(with_driver(url)).password == "env?secret"
    assert "env?secret" in secrets(url)
    assert "secret" not in sanitize(f"failed for {with_driver(url)}: env?secret", url)
    assert make_url(with_driver("mysql://app:own@db/shop")).password == "own"  # the URL's own wins


def test_pgpassword_is_left_to_libpq_but_still_scrubbed(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "pg-secret")
    url = "postgresql://app@db/shop"
    assert make_url(with_driver(url)).password is None
    assert "pg-secret" not in sanitize("auth failed: pg-secret", url)
