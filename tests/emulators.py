"""Storage emulators on loopback for the remote-path tests: Google Cloud Storage (the Python package
``gcp-storage-emulator``, served from a thread of the test process, as moto's S3 server is) and Azure
Blob Storage (Azurite, a Node program that scripts/azurite.sh installs with npm, run as a child process).

An emulator that cannot be had skips its tests with the reason on a developer's machine; under CI
(``CI=true``) it fails them instead, since there the test extra and scripts/azurite.sh must have
provided it and a skip would hide a store going untested.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

# Azurite's well-known development account (published in Azure's documentation; not a secret anywhere,
# but the tests treat its key as one, to check that no output shows it).
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
_STARTUP_SECONDS = 30


def unavailable(reason: str):
    """Skip, or fail under CI, where every store must be tested."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: not skipped)", pytrace=False)
    pytest.skip(reason)


def need_modules(*names: str, extra: str = "the test extra") -> None:
    missing = [name for name in names if importlib.util.find_spec(name) is None]
    if missing:
        unavailable(f"needs {', '.join(missing)} ({extra} installs them)")


# ---------------------------------------------------------------- Google Cloud Storage

class GcsEmulator:
    """gcp-storage-emulator's HTTP server on a free loopback port, its objects in memory."""

    def __init__(self) -> None:
        from gcp_storage_emulator.server import create_server

        self._server = create_server("127.0.0.1", 0, in_memory=True)

    def __enter__(self) -> "GcsEmulator":
        self._server.start()
        # Port 0 lets the system choose; the package keeps the bound server on its API thread.
        httpd = getattr(getattr(self._server, "_api", None), "_httpd", None)
        if httpd is None:
            self._server.stop()
            unavailable("gcp-storage-emulator changed: its bound port is not where tests/emulators.py looks")
        self.endpoint = "http://127.0.0.1:%d" % httpd.server_address[1]
        return self

    def __exit__(self, *exc) -> None:
        self._server.stop()


# ---------------------------------------------------------------- Azure Blob Storage

def find_azurite() -> str | None:
    """The azurite-blob that scripts/azurite.sh installed (or $PDSCAN_AZURITE, or one on PATH)."""
    named = os.environ.get("PDSCAN_AZURITE")
    if named and os.access(named, os.X_OK):
        return named
    cache = Path(os.environ.get("PDSCAN_AZURITE_DIR")
                 or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pdscan/azurite")
    cached = cache / "node_modules/.bin/azurite-blob"
    if os.access(cached, os.X_OK):
        return str(cached)
    return shutil.which("azurite-blob")


class Azurite:
    """Azurite's blob service as a child process on a free loopback port (it prints the port it got),
    objects in memory, no telemetry (it would try to reach the internet), no request log."""

    def __init__(self, executable: str, workdir: Path) -> None:
        self.log = workdir / "azurite.log"
        workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            self._process = subprocess.Popen(
                [executable, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
                 "--disableTelemetry", "--skipApiVersionCheck", "--silent"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
                start_new_session=True)  # its own process group: node's children end with it

    def __enter__(self) -> "Azurite":
        marker = "listens on http://127.0.0.1:"
        deadline = time.monotonic() + _STARTUP_SECONDS
        while True:
            text = self.log.read_text(errors="replace")
            if marker in text:
                port = text.split(marker, 1)[1].split()[0].strip().rstrip("/")
                self.endpoint = f"http://127.0.0.1:{int(port)}"
                return self
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.close()
                unavailable(f"Azurite did not start (exit status {self._process.returncode}): {text.strip()[-500:]}")
            time.sleep(0.05)

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
                f"BlobEndpoint={self.endpoint}/{AZURITE_ACCOUNT};")

    def close(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()

    def __exit__(self, *exc) -> None:
        self.close()
