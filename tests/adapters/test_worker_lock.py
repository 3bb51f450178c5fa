"""Two workers on one campaign: the second one waits its turn and says who holds the lock."""

import os
import subprocess
import sys
import textwrap

import pytest

from mailbot.adapters.worker_lock import WorkerBusyError, worker_lock


def test_second_worker_is_refused_while_the_first_holds_the_lock(tmp_path):
    """A second process cannot take the lock, and learns the holder's pid."""
    lock = tmp_path / ".mailbot.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(os.getcwd())!r})
        from pathlib import Path
        from mailbot.adapters.worker_lock import worker_lock
        with worker_lock(Path({str(lock)!r})):
            print("locked", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(WorkerBusyError, match=f"pid {holder.pid}"):
            with worker_lock(lock):
                pass
    finally:
        holder.kill()
        holder.wait()
    with worker_lock(lock):  # a killed holder leaves no stale lock behind
        pass
