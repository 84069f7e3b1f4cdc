"""An import killed half-way (SIGKILL, SIGTERM) leaves only whole batches, and a second run completes it.

The import runs as `samverka import-organisations` in its own process against this test's database; the test
kills it once the first batches are committed.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from samverka.registry.generate import write_brreg_csv
from samverka.registry.models import Organisation

from ..helpers import ROOT, run_samverka, subprocess_database_url

ROWS = 1_500
BATCH = 150

pytestmark = pytest.mark.django_db(transaction=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=subprocess_database_url())
    return env


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_import_leaves_whole_batches_and_a_rerun_completes(tmp_path, signum):
    data = tmp_path / "enheter.csv"
    assert write_brreg_csv(data, ROWS, seed=11) == ROWS
    args = ["import-organisations", str(data), "--format", "brreg", "--batch-size", str(BATCH), "--no-progress"]

    process = subprocess.Popen(
        [sys.executable, "-m", "samverka", *args],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while Organisation.objects.count() < BATCH and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be interrupted: use a bigger file"
        process.send_signal(signum)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signum

    interrupted = Organisation.objects.count()
    assert 0 < interrupted < ROWS
    assert interrupted % BATCH == 0, f"{interrupted} rows: a batch was half-written"

    result = run_samverka(*args, env=_env(), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Organisation.objects.count() == ROWS
    assert f"{ROWS - interrupted} created" in result.stdout, result.stdout
    assert f"{interrupted} unchanged" in result.stdout, result.stdout
