"""Run `samverka` commands in their own process against the test's database, for the fault tests."""

import os
import subprocess
import sys
import time
from collections.abc import Callable

from ..helpers import ROOT, subprocess_database_url


def env(settings_module: str = "config.settings.test") -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**base, "DJANGO_SETTINGS_MODULE": settings_module, "DATABASE_URL": subprocess_database_url()}


def worker_env() -> dict[str, str]:
    """The test settings run tasks at once; a worker needs the database queue, as in production (base settings)."""
    return env("config.settings.dev")


def start(*args: str, environ: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "samverka", *args],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], timeout: float = 120) -> None:
    """SIGKILL `process` as soon as `ready()` is true; fail if it ended first (the work was too short)."""
    deadline = time.monotonic() + timeout
    try:
        while not ready() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the process ended before it could be interrupted: give it more work"
        assert ready(), "the process did not reach the point to interrupt in time"
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -9
