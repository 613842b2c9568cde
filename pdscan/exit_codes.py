"""Exit codes: a contract with CI scripts. Documented in README.md."""
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # nothing to report
    FOUND = 1  # personal data found (scan: a violation under --fail-on)
    USAGE = 2  # usage or configuration error: bad option, catalog or declaration file
    INCOMPLETE = 3  # a source could not be read, and nothing else failed
    INTERRUPTED = 130  # Ctrl-C or SIGTERM before the report was written (128 + SIGINT, as shells say)
