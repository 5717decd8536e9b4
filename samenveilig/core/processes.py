"""Stopping a command started in a session of its own (`subprocess.Popen(..., start_new_session=True)`) together
with everything it started: `serve` starts the live process, and granian forks its workers, which a signal to the
command alone can leave running, orphaned (the benchmarks and the tests start such commands)."""

import os
import signal
import subprocess
from contextlib import suppress


def stop_group(process: subprocess.Popen, grace_s: float = 30) -> None:
    """SIGTERM to the process group (each command stops what it started), SIGKILL to the group after `grace_s`,
    and SIGKILL to whatever is still left in the group once the command itself has ended."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(grace_s)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
