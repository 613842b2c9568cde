"""Remote paths (``s3://``) against a real S3-compatible server on loopback (moto's standalone server,
reached by s3fs over HTTP), whose reports must be those of a local scan of the same files; errors
are per source; the secret key is never in any output; ``--state`` knows objects by their identity."""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdscan.cli import main
from pdscan.scanner import ScanConfig, _assembled, _parts, run_task, scan
from pdscan.sources import remote
from pdscan.sources.ranges import RangeTask

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
DATA = ROOT / "tests/data"
HAS_S3 = importlib.util.find_spec("s3fs") is not None and importlib.util.find_spec("moto") is not None
pytestmark = pytest.mark.skipif(not HAS_S3, reason="needs s3fs and moto[server] (the test extra installs them)")

ACCESS_KEY = "AKIAPDSCANTESTKEY01"
SECRET = "pdscan-test-secret/Kx9+QvZ2wT7"  # must never be printed, stored or sent to a report
BUCKET = "bkt"
FORMATS = ("json", "ndjson", "csv", "sarif", "markdown", "table", "html")


@dataclass
class S3:
    fs: object  # s3fs.S3FileSystem with the test's credentials and endpoint
    endpoint: str


def _clear_s3fs_cache() -> None:
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()  # an instance keeps the endpoint of the environment it was made in


@pytest.fixture(scope="module")
def s3():
    """moto's S3 server on a free loopback port; credentials and endpoint only in the environment,
    where s3fs (botocore) reads them: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``."""
    if not HAS_S3:
        pytest.skip("needs s3fs and moto[server]")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the test's stderr
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "FSSPEC_S3_ENDPOINT_URL"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
        env.setenv("AWS_ENDPOINT_URL", endpoint)
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_CONFIG_FILE", os.devnull)  # nothing of the machine's own AWS set-up
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        _clear_s3fs_cache()
        import s3fs

        fs = s3fs.S3FileSystem()
        fs.mkdir(BUCKET)
        try:
            yield S3(fs, endpoint)
        finally:
            _clear_s3fs_cache()
            server.stop()


@pytest.fixture(scope="module")
def tree(s3, tmp_path_factory) -> Path:
    """sample_data's logs (a rotation set with a gzipped member, JSON lines, a service log) and exports
    (CSV, TSV), with a .pdscanignore, here and uploaded under s3://bkt/sample_data/; each local file's
    modification time is its object's (records without a time of their own are dated by it)."""
    root = tmp_path_factory.mktemp("remote") / "sample_data"
    shutil.copytree(SAMPLE / "logs", root / "logs")
    shutil.copytree(SAMPLE / "exports", root / "exports")
    shutil.copy(SAMPLE / "pdscan.yaml", root.parent / "pdscan.yaml")  # beside, not scanned (not uploaded)
    (root / "exports/.pdscanignore").write_text("orders.tsv\n")
    for path in sorted(root.rglob("*")):
        if path.is_file():
            s3.fs.put_file(str(path), f"{BUCKET}/sample_data/{path.relative_to(root)}")
    for key, info in s3.fs.find(f"{BUCKET}/sample_data", detail=True).items():
        local = root / key[len(f"{BUCKET}/sample_data/"):]
        os.utime(local, (info["LastModified"].timestamp(),) * 2)
    return root


def _cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["scan", "--quiet", "--jobs", "1", *args], env=env)


def _report(*args: str) -> tuple[int, dict]:
    result = _cli(*args, "--format", "json")
    assert result.exit_code in (0, 1, 3), result.output
    report = json.loads(result.stdout)
    report["summary"].pop("seconds")
    return result.exit_code, report


def _as_remote(report: dict, local_root: Path) -> dict:
    return json.loads(json.dumps(report).replace(str(local_root), f"s3://{BUCKET}/sample_data"))


def test_an_s3_prefix_reports_what_the_same_local_files_report(s3, tree):
    declarations = ("--declarations", str(tree.parent / "pdscan.yaml"))
    code, local = _report(str(tree), *declarations)
    remote_code, on_s3 = _report(f"s3://{BUCKET}/sample_data", *declarations)
    assert local["findings"] and {"declared", "retention_exceeded"} <= {f["verdict"] for f in local["findings"]}
    assert {f["container"].rsplit("/", 1)[-1] for f in on_s3["findings"]} >= {
        "access.log", "app.jsonl", "service.log", "customers.csv"}
    assert not any("orders.tsv" in f["container"] for f in on_s3["findings"])  # .pdscanignore applied
    assert on_s3 == _as_remote(local, tree)
    assert remote_code == code == 1


def test_one_object_and_walk_options_as_locally(s3, tree):
    key = "logs/nginx/access.log.2.gz"
    _, local = _report(str(tree / key))
    _, on_s3 = _report(f"s3://{BUCKET}/sample_data/{key}")
    assert on_s3["findings"] and on_s3 == _as_remote(local, tree)
    for options in (("--include", "*.csv"), ("--max-depth", "1"), ("--exclude", "nginx")):
        _, local = _report(str(tree), *options)
        _, on_s3 = _report(f"s3://{BUCKET}/sample_data/", *options)
        on_s3["findings"] = [dict(f, source=f["source"].rstrip("/")) for f in on_s3["findings"]]
        assert on_s3 == _as_remote(local, tree), options


def test_missing_bucket_and_key_are_errors_of_their_source_and_the_scan_goes_on(s3, tree):
    clean = f"s3://{BUCKET}/sample_data/exports/delivery_requests.csv"
    code, report = _report("s3://no-such-bucket/logs/", f"s3://{BUCKET}/no/such.log", clean, "--fail-on", "never")
    errors = {e["source"]: e for e in report["errors"]}
    assert set(errors) == {"s3://no-such-bucket/logs/", f"s3://{BUCKET}/no/such.log"}
    assert all(e["severity"] == "error" and "not found" in e["reason"] for e in errors.values())
    assert report["summary"]["files"] == 1  # the readable object was scanned
    local_code, _ = _report(str(tree / "no/such.log"), str(tree / "exports/delivery_requests.csv"),
                            "--fail-on", "never")
    assert code == local_code == 3


def test_credentials_in_the_url_are_refused_and_not_shown(s3):
    result = _cli(f"s3://{ACCESS_KEY}:{SECRET}@{BUCKET}/sample_data/", "--format", "json")
    report = json.loads(result.stdout)
    assert report["errors"][0]["source"] == f"s3://***@{BUCKET}/sample_data/"
    assert "credentials in the URL" in report["errors"][0]["reason"]
    assert SECRET not in result.output and SECRET not in (result.stderr or "")
    sas = "abfs://c@acct.dfs.core.windows.net/x?sv=1&sig=abc"
    assert remote.redact(sas) == "abfs://c@acct.dfs.core.windows.net/x?***"
    assert remote.redact("s3://KEY:se/cr@et@bkt/a.log") == "s3://***@bkt/a.log"
    assert not remote.has_credentials("abfs://container@account.dfs.core.windows.net/logs/")


@pytest.mark.skipif(importlib.util.find_spec("adlfs") is not None, reason="adlfs is installed here")
def test_a_filesystem_package_not_installed_gives_the_extra_to_install():
    _, report = _report("abfs://container@account.dfs.core.windows.net/logs/")
    assert report["errors"][0]["reason"].endswith("pip install 'pdscan[azure]'")


def test_the_secret_key_is_in_no_output_format_nor_the_state(s3, tree, tmp_path):
    state = tmp_path / "state.json"
    sources = (f"s3://{BUCKET}/sample_data", "s3://no-such-bucket/x",
               "--declarations", str(tree.parent / "pdscan.yaml"))
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        result = _cli(*sources, "--format", fmt, "--output", str(out), "--state", str(state), "--show-values")
        assert result.exit_code == 1, result.output
        text = out.read_text(encoding="utf-8")
        assert "access.log" in text
        if fmt == "sarif":  # an object's URL is a URI already: not made a relative file reference
            assert f'"uri": "s3://{BUCKET}/sample_data/logs/nginx/access.log"' in text
        for secret in (SECRET, SECRET.replace("/", "%2F")):
            assert secret not in text and secret not in result.output and secret not in (result.stderr or "")
    stored = state.read_text(encoding="utf-8")
    assert SECRET not in stored and ACCESS_KEY not in stored
    assert json.loads(stored)["objects"]


def test_declarations_and_baselines_name_objects_by_their_url():
    from pdscan.declarations.model import path_matches
    from pdscan.identity import local_path, source_key

    url = "s3://bkt/logs/app.log"
    assert local_path(url, "/anywhere") == url and source_key("s3://bkt/logs/", "/anywhere") == "s3://bkt/logs/"
    assert path_matches("s3://bkt/logs/*.log", url) and path_matches("logs/*.log", url)
    assert not path_matches("s3://other/logs/*.log", url)


def test_file_url_is_the_local_path(tree):
    assert _report(f"file://{tree}") == _report(str(tree))
    assert _report(f"file://localhost{tree}/exports/customers.csv") == _report(str(tree / "exports/customers.csv"))


def _scan(catalog, url: str, state: Path | None, jobs: int = 1):
    return scan(ScanConfig(sources=(url,), jobs=jobs, state_path=str(state) if state else None), catalog)


def _key(finding):
    return (finding.container, finding.field, finding.category)


def test_state_reads_an_unchanged_object_not_again_and_a_replaced_one_in_full(s3, tree, catalog, tmp_path):
    prefix = f"{BUCKET}/state-test"
    s3.fs.put_file(str(tree / "logs/app/service.log"), f"{prefix}/service.log")
    s3.fs.put_file(str(tree / "logs/app/app.jsonl"), f"{prefix}/app.jsonl")
    url, state = f"s3://{prefix}/", tmp_path / "state.json"
    first = _scan(catalog, url, state)
    second = _scan(catalog, url, state)
    assert first.findings and sorted(second.findings, key=_key) == sorted(first.findings, key=_key)
    assert first.stats.bytes == s3.fs.du(prefix) and second.stats.bytes == 0
    replaced = (DATA / "apache_access.log").read_bytes()
    s3.fs.pipe_file(f"{prefix}/service.log", replaced)  # a new ETag: replaced, read in full
    third = _scan(catalog, url, state)
    assert third.stats.bytes == len(replaced)
    assert sorted(third.findings, key=_key) == sorted(_scan(catalog, url, None).findings, key=_key)
    assert _scan(catalog, url, state).stats.bytes == 0


def test_state_does_not_remember_an_object_it_could_not_read(s3, tree, catalog, tmp_path):
    prefix = f"{BUCKET}/state-denied"
    s3.fs.put_file(str(tree / "logs/app/service.log"), f"{prefix}/service.log")
    state = tmp_path / "state.json"
    listing = next(t for t in remote.plan_remote(f"s3://{prefix}/", ScanConfig(sources=()).read))
    s3.fs.rm_file(f"{prefix}/service.log")  # gone between listing and reading
    config = ScanConfig(sources=(), jobs=1, state_path=str(state))
    from pdscan import state as states
    from pdscan.scanner import _results

    loaded, _ = states.State.load(str(state))
    plan = states.planner(loaded, False, lambda f: f.examples)
    [(_, result)] = list(_results([listing], config, catalog, plan))
    assert result.errors and result.errors[0].incomplete
    loaded.save()
    assert "objects" not in json.loads(state.read_text())


def test_a_large_object_is_read_in_byte_ranges_merged_as_one_read(s3, engine):
    body = b"".join((DATA / name).read_bytes() for name in ("apache_access.log", "real/beats-system-auth/auth.log")) * 3
    s3.fs.pipe_file(f"{BUCKET}/big/app.log", body)
    url = f"s3://{BUCKET}/big/app.log"
    [task] = list(remote.plan_remote(url, ScanConfig(sources=()).read))
    config = ScanConfig(sources=(url,))
    whole = run_task(task, engine, config)
    parts = _parts(task, 2, range_bytes=20_000)
    runs = [run for part in parts for run in part.runs]
    assert len(runs) > 4 and all(isinstance(run, RangeTask) and run.path == url for run in runs)
    merged = _assembled(parts, {id(run): run_task(run, engine, config) for run in runs})
    assert whole.findings and merged.findings == tuple(sorted(whole.findings, key=lambda f: (f.field, f.category)))
    assert merged.values == whole.values and merged.bytes == whole.bytes == len(body)


def test_worker_processes_read_objects_as_one_process_does(s3, tree):
    url = f"s3://{BUCKET}/sample_data"
    assert _report(url, "--jobs", "2") == _report(url)


@pytest.mark.dask
@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="needs pdscan[dask]")
def test_a_cluster_reads_objects_as_a_local_run_does(s3, tree):
    url = f"s3://{BUCKET}/sample_data"
    declarations = ("--declarations", str(tree.parent / "pdscan.yaml"))
    assert _report(url, *declarations, "--scheduler", "local:2") == _report(url, *declarations)
