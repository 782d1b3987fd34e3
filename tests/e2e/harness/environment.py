"""What a tracing test needs from the machine: root, tracefs, exclusive use."""

import fcntl
import os
import subprocess
import time

TRACEFS = "/sys/kernel/tracing"
LOCK_PATH = "/tmp/btc-e2e.lock"
LOCK_WAIT_SECONDS = 600


class EnvironmentError_(Exception):
    """The machine cannot run the test; the test must fail, never pass."""


def require_root():
    if os.geteuid() != 0:
        raise EnvironmentError_(
            "end-to-end tests load BPF programs and must run as root "
            f"(euid is {os.geteuid()}); run the suite with sudo. Refusing to pass without running."
        )


def ensure_tracefs():
    """Mounts tracefs when its events directory is missing (tracepoints need it)."""
    if os.path.isdir(os.path.join(TRACEFS, "events")):
        return
    result = subprocess.run(["mount", "-t", "tracefs", "tracefs", TRACEFS], capture_output=True, text=True)
    if result.returncode != 0 or not os.path.isdir(os.path.join(TRACEFS, "events")):
        raise EnvironmentError_(f"tracefs is not mounted at {TRACEFS} and mounting it failed: {result.stderr.strip()}")


class ExclusiveLock:
    """Serializes tracing tests across every build directory on this machine.

    Scripts filter on the workload's comm, so two suites running their
    workloads at the same time would see each other's events."""

    def __enter__(self):
        self._fd = os.open(LOCK_PATH, os.O_CREAT | os.O_RDWR, 0o666)
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EnvironmentError_(f"could not lock {LOCK_PATH} within {LOCK_WAIT_SECONDS}s") from None
                time.sleep(0.05)

    def __exit__(self, *exc):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        return False
