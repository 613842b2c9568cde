"""Remote paths against real storage servers on loopback: S3 (moto's standalone server, reached by
s3fs over HTTP), Google Cloud Storage (gcp-storage-emulator, reached by gcsfs) and Azure Blob Storage
(Azurite, reached by adlfs). Each store's reports must be those of a local scan of the same files;
errors are per source; no credential is ever in any output; ``--state`` knows objects by their identity.
The servers, and how a missing one skips (or fails under CI), are in tests/emulators.py."""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from emulators import AZURITE_ACCOUNT, AZURITE_KEY, Azurite, GcsEmulator, find_azurite, need_modules, unavailable

from pdscan.cli import main
from pdscan.scanner import ScanConfig, _assembled, _parts, run_task, scan
from pdscan.sources import remote
from pdscan.sources.ranges import RangeTask

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
DATA = ROOT / "tests/data"

ACCESS_KEY = "AKIAPDSCANTESTKEY01"
SECRET = "pdscan-test-secret/Kx9+QvZ2wT7"  # must never be printed, stored or sent to a report
BUCKET = "bkt"
CONTAINER = "pdscan"
STORES = ("s3", "gs", "abfs")
FORMATS = ("json", "ndjson", "csv", "sarif", "markdown", "table", "html")


@dataclass
class Store:
    """A bucket (or container) on a server on loopback, with what the tests need to name things in it."""

    fs: object  # the store's fsspec filesystem, set up from the environment as pdscan's is
    root: str  # URL of the bucket, ending in "/": s3://bkt/, abfs://pdscan@account.dfs.core.windows.net/
    bucket: str  # the same in the filesystem's own paths: "bkt"
    missing: str  # URL of a prefix in a bucket that does not exist
    secrets: tuple[str, ...] = ()  # credentials the environment holds for it: never in any output

    @property
    def scheme(self) -> str:
        return self.root.split("://", 1)[0]

    def url(self, key: str = "") -> str:
        return self.root + key

    def path(self, key: str) -> str:
        return f"{self.bucket}/{key}"


def _clear_instance_caches() -> None:
    """An fsspec filesystem instance is cached by its arguments, and keeps the endpoint and credentials
    of the environment it was made in: none may outlive its server."""
    for module, name in (("s3fs", "S3FileSystem"), ("gcsfs", "GCSFileSystem"), ("adlfs", "AzureBlobFileSystem")):
        if module in sys.modules:  # not imported here: gcsfs must be imported only once its set-up is in place
            getattr(sys.modules[module], name).clear_instance_cache()


def _fsspec_config_from_environment(env: pytest.MonkeyPatch) -> None:
    """fsspec reads its ``FSSPEC_<PROTOCOL>_<OPTION>`` variables once, when imported: a pdscan process
    starts with them set, whereas this test process sets them after the import."""
    import fsspec.config

    fresh: dict = {}
    fsspec.config.set_conf_env(fresh)
    for protocol, options in fresh.items():
        env.setitem(fsspec.config.conf, protocol, {**fsspec.config.conf.get(protocol, {}), **options})


@pytest.fixture(scope="module")
def s3_store():
    """moto's S3 server on a free loopback port; credentials and endpoint only in the environment,
    where s3fs (botocore) reads them: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``."""
    need_modules("s3fs", "moto")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the test's stderr
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "FSSPEC_S3_ENDPOINT_URL"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
        env.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_CONFIG_FILE", os.devnull)  # nothing of the machine's own AWS set-up
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        _clear_instance_caches()
        import s3fs

        fs = s3fs.S3FileSystem()
        fs.mkdir(BUCKET)
        try:
            yield Store(fs, f"s3://{BUCKET}/", BUCKET, "s3://no-such-bucket/logs/", (SECRET, ACCESS_KEY))
        finally:
            _clear_instance_caches()
            server.stop()


@pytest.fixture(scope="module")
def gs_store():
    """gcp-storage-emulator on a free loopback port, reached as gcsfs documents for an emulator: the
    endpoint in ``STORAGE_EMULATOR_HOST``, anonymous access (``FSSPEC_GCS_TOKEN=anon``: an emulator
    checks no token), and ``GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false``: otherwise gcsfs asks every bucket's
    layout of the Storage Control API over gRPC, which emulators do not serve, and waits a minute for
    each answer that never comes."""
    need_modules("gcsfs", "gcp_storage_emulator")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false")  # read when gcsfs is imported: before that
        import gcsfs
        import gcsfs.core

        if gcsfs.GCSFileSystem is not gcsfs.core.GCSFileSystem:
            pytest.fail("gcsfs was imported before GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false was set: its "
                        "bucket-layout probes would make each request wait a minute", pytrace=False)
        for name in ("GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT", "FSSPEC_GS", "FSSPEC_GCS"):
            env.delenv(name, raising=False)
        with GcsEmulator() as server:
            env.setenv("STORAGE_EMULATOR_HOST", server.endpoint)
            env.setenv("FSSPEC_GCS_TOKEN", "anon")
            _fsspec_config_from_environment(env)
            _clear_instance_caches()
            fs = gcsfs.GCSFileSystem()
            fs.mkdir(BUCKET)
            try:
                yield Store(fs, f"gs://{BUCKET}/", BUCKET, "gs://no-such-bucket/logs/")
            finally:
                _clear_instance_caches()


@pytest.fixture(scope="module")
def abfs_store(tmp_path_factory):
    """Azurite's blob service on a free loopback port, reached by adlfs through the connection string
    of Azurite's development account in ``AZURE_STORAGE_CONNECTION_STRING``. URLs name the container
    and account as for Azure (``abfs://container@account.dfs.core.windows.net/``); the connection
    string says where the account is."""
    need_modules("adlfs")
    executable = find_azurite()
    if executable is None:
        unavailable("needs Azurite: `bash scripts/azurite.sh` installs it with npm (node and npm were "
                    "not there, or the install failed), or set PDSCAN_AZURITE to an azurite-blob")
    with pytest.MonkeyPatch.context() as env, Azurite(executable, tmp_path_factory.mktemp("azurite")) as server:
        for name in ("AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_KEY",
                     "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_CLIENT_ID", "AZURE_STORAGE_CLIENT_SECRET",
                     "AZURE_STORAGE_TENANT_ID", "AZURE_STORAGE_ANON"):
            env.delenv(name, raising=False)
        env.setenv("AZURE_STORAGE_CONNECTION_STRING", server.connection_string)
        _clear_instance_caches()
        import adlfs

        fs = adlfs.AzureBlobFileSystem()
        fs.mkdir(CONTAINER)
        account = f"{AZURITE_ACCOUNT}.dfs.core.windows.net"
        try:
            yield Store(fs, f"abfs://{CONTAINER}@{account}/", CONTAINER, f"abfs://no-such-container@{account}/logs/",
                        (AZURITE_KEY, server.connection_string))
        finally:
            _clear_instance_caches()


@pytest.fixture(scope="module", params=STORES)
def store(request) -> Store:
    return request.getfixturevalue(f"{request.param}_store")


def _local_copy(root: Path) -> Path:
    """sample_data's logs (a rotation set with a gzipped member, JSON lines, a service log) and exports
    (CSV, TSV), with a .pdscanignore, under ``root``/sample_data, and its declarations beside it."""
    tree = root / "sample_data"
    shutil.copytree(SAMPLE / "logs", tree / "logs")
    shutil.copytree(SAMPLE / "exports", tree / "exports")
    shutil.copy(SAMPLE / "pdscan.yaml", root / "pdscan.yaml")  # beside, not scanned (not uploaded)
    (tree / "exports/.pdscanignore").write_text("orders.tsv\n")
    return tree


@pytest.fixture(scope="module")
def tree(store, tmp_path_factory) -> Path:
    """The local copy, uploaded under <bucket>/sample_data/; each local file's modification time is
    its object's (records without a time of their own are dated by it)."""
    root = _local_copy(tmp_path_factory.mktemp(f"remote-{store.scheme}"))
    for path in sorted(root.rglob("*")):
        if path.is_file():
            store.fs.put_file(str(path), store.path(f"sample_data/{path.relative_to(root).as_posix()}"))
    prefix = store.path("sample_data/")
    for key, info in store.fs.find(prefix, detail=True).items():
        modified = remote.RemoteObject.of(key, info).mtime
        assert modified is not None, info
        os.utime(root / key[len(prefix):], (modified, modified))
    return root


def _cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["scan", "--quiet", "--jobs", "1", *args], env=env)


def _report(*args: str, env: dict | None = None) -> tuple[int, dict]:
    result = _cli(*args, "--format", "json", env=env)
    assert result.exit_code in (0, 1, 3), result.output
    report = json.loads(result.stdout)
    report["summary"].pop("seconds")
    return result.exit_code, report


def _as_remote(report: dict, local_root: Path, store: Store) -> dict:
    return json.loads(json.dumps(report).replace(str(local_root), store.url("sample_data")))


def test_a_prefix_reports_what_the_same_local_files_report(store, tree):
    declarations = ("--declarations", str(tree.parent / "pdscan.yaml"))
    code, local = _report(str(tree), *declarations)
    remote_code, found = _report(store.url("sample_data"), *declarations)
    assert local["findings"] and {"declared", "retention_exceeded"} <= {f["verdict"] for f in local["findings"]}
    assert {f["container"].rsplit("/", 1)[-1] for f in found["findings"]} >= {
        "access.log", "app.jsonl", "service.log", "customers.csv"}
    assert not any("orders.tsv" in f["container"] for f in found["findings"])  # .pdscanignore applied
    assert found == _as_remote(local, tree, store)
    assert remote_code == code == 1


def test_one_object_and_walk_options_as_locally(store, tree):
    key = "logs/nginx/access.log.2.gz"
    _, local = _report(str(tree / key))
    _, found = _report(store.url(f"sample_data/{key}"))
    assert found["findings"] and found == _as_remote(local, tree, store)
    for options in (("--include", "*.csv"), ("--max-depth", "1"), ("--exclude", "nginx")):
        _, local = _report(str(tree), *options)
        _, found = _report(store.url("sample_data/"), *options)
        found["findings"] = [dict(f, source=f["source"].rstrip("/")) for f in found["findings"]]
        assert found == _as_remote(local, tree, store), options


def test_missing_bucket_and_key_are_errors_of_their_source_and_the_scan_goes_on(store, tree):
    clean = store.url("sample_data/exports/delivery_requests.csv")
    missing_key = store.url("no/such.log")
    code, report = _report(store.missing, missing_key, clean, "--fail-on", "never")
    errors = {e["source"]: e for e in report["errors"]}
    assert set(errors) == {store.missing, missing_key}
    assert all(e["severity"] == "error" and "not found" in e["reason"] for e in errors.values()), errors
    assert report["summary"]["files"] == 1  # the readable object was scanned
    local_code, _ = _report(str(tree / "no/such.log"), str(tree / "exports/delivery_requests.csv"),
                            "--fail-on", "never")
    assert code == local_code == 3


def test_credentials_in_the_url_are_refused_and_not_shown(s3_store):
    result = _cli(f"s3://{ACCESS_KEY}:{SECRET}@{BUCKET}/sample_data/", "--format", "json")
    report = json.loads(result.stdout)
    assert report["errors"][0]["source"] == f"s3://***@{BUCKET}/sample_data/"
    assert "credentials in the URL" in report["errors"][0]["reason"]
    assert SECRET not in result.output and SECRET not in (result.stderr or "")
    sas = "abfs://c@acct.dfs.core.windows.net/x?sv=1&sig=abc"
    assert remote.redact(sas) == "abfs://c@acct.dfs.core.windows.net/x?***"
    assert remote.redact("s3://KEY:se/cr@et@bkt/a.log") == "s3://***@bkt/a.log"
    assert not remote.has_credentials("abfs://container@account.dfs.core.windows.net/logs/")


def test_credentials_the_store_refuses_are_access_denied_and_not_shown(abfs_store):
    wrong_key = "A" * 86 + "=="  # well-formed, but not the account's
    wrong = abfs_store.secrets[1].replace(AZURITE_KEY, wrong_key)
    _clear_instance_caches()  # the cached filesystem holds the right connection string
    try:
        result = _cli(abfs_store.url("sample_data/"), "--format", "json",
                      env={"AZURE_STORAGE_CONNECTION_STRING": wrong})
    finally:
        _clear_instance_caches()
    [error] = json.loads(result.stdout)["errors"]
    assert error["reason"] == "access denied (check the credentials the environment gives)"
    assert result.exit_code == 3 and wrong_key not in result.output and wrong_key not in (result.stderr or "")


def _in_a_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Python as a user runs pdscan: its own process, stderr as it is (in this one, pytest's log capture
    would take the libraries' records), the installed package (``cwd`` is not the checkout), and
    Google Cloud Storage at a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{port}", "FSSPEC_GCS_TOKEN": "anon",
           "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT": "false"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_the_filesystem_packages_log_nothing_on_stderr(tmp_path):
    need_modules("gcsfs")
    code = ("import logging, sys; from pdscan.sources import remote; remote.filesystem(sys.argv[1]); "
            "logging.getLogger('gcsfs').error('a traceback gcsfs would print'); "
            "logging.getLogger('azure.core.pipeline').warning('and one of Azure')")
    done = _in_a_process(["-c", code, "gs://bkt/x"], tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr


@pytest.mark.slow  # gcsfs retries for about half a minute before it gives up
def test_an_unreachable_store_is_an_error_of_its_path_with_nothing_else_on_stderr(tmp_path):
    need_modules("gcsfs")
    done = _in_a_process(["-m", "pdscan.cli", "scan", "--quiet", "--format", "json", "gs://bkt/logs/"], tmp_path)
    [error] = json.loads(done.stdout)["errors"]
    assert done.returncode == 3 and error["source"] == "gs://bkt/logs/" and "Cannot connect" in error["reason"]
    assert "Traceback" not in done.stderr and "gcsfs" not in done.stderr, done.stderr


def test_a_filesystem_package_not_installed_gives_the_extra_to_install(monkeypatch):
    need_modules("fsspec")
    import fsspec.registry  # noqa: F401  (the module, not the package's read-only view of its registry)

    monkeypatch.setitem(sys.modules, "adlfs", None)  # importing it raises ImportError, as when not installed
    monkeypatch.delitem(sys.modules["fsspec.registry"]._registry, "abfs", raising=False)  # classes imported so far
    _, report = _report("abfs://container@account.dfs.core.windows.net/logs/")
    assert report["errors"][0]["reason"].endswith("pip install 'pdscan[azure]'")


@pytest.mark.parametrize("store", [name for name in STORES if name != "gs"], indirect=True)  # gs: anonymous
def test_credentials_are_in_no_output_format_nor_the_state(store, tree, tmp_path):
    state = tmp_path / "state.json"
    sources = (store.url("sample_data"), store.missing, "--declarations", str(tree.parent / "pdscan.yaml"))
    secrets = {variant for secret in store.secrets for variant in (secret, secret.replace("/", "%2F"))}
    assert secrets
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        result = _cli(*sources, "--format", fmt, "--output", str(out), "--state", str(state), "--show-values")
        assert result.exit_code == 1, result.output
        text = out.read_text(encoding="utf-8")
        assert "access.log" in text
        if fmt == "sarif":  # an object's URL is a URI already: not made a relative file reference
            assert f'"uri": "{store.url("sample_data/logs/nginx/access.log")}"' in text
        for secret in secrets:
            assert secret not in text and secret not in result.output and secret not in (result.stderr or "")
    stored = state.read_text(encoding="utf-8")
    assert not any(secret in stored for secret in secrets)
    assert json.loads(stored)["objects"]


def test_declarations_and_baselines_name_objects_by_their_url():
    from pdscan.declarations.model import path_matches
    from pdscan.identity import local_path, source_key

    url = "s3://bkt/logs/app.log"
    assert local_path(url, "/anywhere") == url and source_key("s3://bkt/logs/", "/anywhere") == "s3://bkt/logs/"
    assert path_matches("s3://bkt/logs/*.log", url) and path_matches("logs/*.log", url)
    assert not path_matches("s3://other/logs/*.log", url)


def test_file_url_is_the_local_path(tmp_path):
    tree = _local_copy(tmp_path)
    assert _report(f"file://{tree}") == _report(str(tree))
    assert _report(f"file://localhost{tree}/exports/customers.csv") == _report(str(tree / "exports/customers.csv"))


def _scan(catalog, url: str, state: Path | None, jobs: int = 1):
    return scan(ScanConfig(sources=(url,), jobs=jobs, state_path=str(state) if state else None), catalog)


def _key(finding):
    return (finding.container, finding.field, finding.category)


def test_state_reads_an_unchanged_object_not_again_and_a_replaced_one_in_full(store, tree, catalog, tmp_path):
    store.fs.put_file(str(tree / "logs/app/service.log"), store.path("state-test/service.log"))
    store.fs.put_file(str(tree / "logs/app/app.jsonl"), store.path("state-test/app.jsonl"))
    url, state = store.url("state-test/"), tmp_path / "state.json"
    first = _scan(catalog, url, state)
    second = _scan(catalog, url, state)
    assert first.findings and sorted(second.findings, key=_key) == sorted(first.findings, key=_key)
    assert first.stats.bytes == store.fs.du(store.path("state-test")) and second.stats.bytes == 0
    replaced = (DATA / "apache_access.log").read_bytes()
    store.fs.pipe_file(store.path("state-test/service.log"), replaced)  # a new ETag or generation: read in full
    third = _scan(catalog, url, state)
    assert third.stats.bytes == len(replaced)
    assert sorted(third.findings, key=_key) == sorted(_scan(catalog, url, None).findings, key=_key)
    assert _scan(catalog, url, state).stats.bytes == 0


def test_state_does_not_remember_an_object_it_could_not_read(store, tree, catalog, tmp_path):
    store.fs.put_file(str(tree / "logs/app/service.log"), store.path("state-denied/service.log"))
    state = tmp_path / "state.json"
    listing = next(t for t in remote.plan_remote(store.url("state-denied/"), ScanConfig(sources=()).read))
    store.fs.rm_file(store.path("state-denied/service.log"))  # gone between listing and reading
    config = ScanConfig(sources=(), jobs=1, state_path=str(state))
    from pdscan import state as states
    from pdscan.scanner import _results

    loaded, _ = states.State.load(str(state))
    plan = states.planner(loaded, False, lambda f: f.examples)
    [(_, result)] = list(_results([listing], config, catalog, plan))
    assert result.errors and result.errors[0].incomplete
    loaded.save()
    assert "objects" not in json.loads(state.read_text())


def test_a_large_object_is_read_in_byte_ranges_merged_as_one_read(store, engine):
    body = b"".join((DATA / name).read_bytes() for name in ("apache_access.log", "real/beats-system-auth/auth.log")) * 3
    store.fs.pipe_file(store.path("big/app.log"), body)
    url = store.url("big/app.log")
    [task] = list(remote.plan_remote(url, ScanConfig(sources=()).read))
    config = ScanConfig(sources=(url,))
    whole = run_task(task, engine, config)
    parts = _parts(task, 2, range_bytes=20_000)
    runs = [run for part in parts for run in part.runs]
    assert len(runs) > 4 and all(isinstance(run, RangeTask) and run.path == url for run in runs)
    merged = _assembled(parts, {id(run): run_task(run, engine, config) for run in runs})
    assert whole.findings and merged.findings == tuple(sorted(whole.findings, key=lambda f: (f.field, f.category)))
    assert merged.values == whole.values and merged.bytes == whole.bytes == len(body)


def test_worker_processes_read_objects_as_one_process_does(store, tree):
    url = store.url("sample_data")
    assert _report(url, "--jobs", "2") == _report(url)


@pytest.mark.dask
@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="needs pdscan[dask]")
def test_a_cluster_reads_objects_as_a_local_run_does(store, tree):
    url = store.url("sample_data")
    declarations = ("--declarations", str(tree.parent / "pdscan.yaml"))
    assert _report(url, *declarations, "--scheduler", "local:2") == _report(url, *declarations)
