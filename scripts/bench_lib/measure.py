"""Running a program while measuring it, and the small statistics the report needs.

The machine may be shared with other work, so every timed run also records how
much CPU the rest of the machine used meanwhile (from /proc/stat): a run whose
"background" figure is high was measured under contention and says so.

Peak memory comes from GNU time (/usr/bin/time -f %M) wrapped around the
program. The rusage that os.wait4 gives for a direct child is no good for it:
Linux carries the peak RSS of the process image that exec replaced into the
child's figure, and Python's subprocess starts children with vfork, so every
child would "use" at least as much memory as this script.
"""
import math
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
GNU_TIME = '/usr/bin/time'


def busy_cpu_seconds():
    """CPU seconds the whole machine has spent busy since boot (None if unknown)."""
    try:
        with open('/proc/stat') as f:
            fields = f.readline().split()
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal ...
    values = [int(v) for v in fields[1:9]]
    busy = values[0] + values[1] + values[2] + values[5] + values[6] + values[7]
    return busy / CLOCK_TICKS


@dataclass
class Run:
    """One finished child process and what it cost."""
    argv: list
    returncode: int
    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_mb: float       # None when GNU time is missing
    background_cores: float  # other processes' CPU use during the run, in cores
    load_before: float       # 1-minute load average when the run started
    stdout: str = ''
    stderr: str = ''

    @property
    def cpu_s(self):
        return self.user_s + self.sys_s


def run_measured(argv, stdin_path=None, stdout_path=None, stderr_path=None):
    """Runs argv to completion; returns a Run with wall, CPU and peak RSS of the child.
    Raises RuntimeError when the program cannot be started.

    stdout and stderr go to files (named, or temporary) so that nothing has to be
    read while waiting; their text is kept on the Run when no path was given.
    """
    load_before = os.getloadavg()[0]
    timed = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryFile() as tmp_out, tempfile.TemporaryFile() as tmp_err, \
            tempfile.NamedTemporaryFile('r') as rss_file:
        command = [GNU_TIME, '-f', '%M', '-o', rss_file.name, '--'] + list(argv) if timed else argv
        out = open(stdout_path, 'wb') if stdout_path else tmp_out
        err = open(stderr_path, 'wb') if stderr_path else tmp_err
        stdin = open(stdin_path, 'rb') if stdin_path else subprocess.DEVNULL
        try:
            busy0 = busy_cpu_seconds()
            start = time.monotonic()
            try:
                proc = subprocess.Popen(command, stdin=stdin, stdout=out, stderr=err)
            except OSError as e:
                raise RuntimeError(f'cannot run {argv[0]}: {e.strerror}') from None
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - start
            busy1 = busy_cpu_seconds()
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            for handle, mine in ((out, stdout_path), (err, stderr_path), (stdin, stdin_path)):
                if mine:
                    handle.close()
        peak_kib = None
        if timed:
            # GNU time writes "Command exited with non-zero status N" before the figure.
            lines = rss_file.read().split()
            peak_kib = int(lines[-1]) if lines and lines[-1].isdigit() else None
        texts = []
        for handle, path in ((tmp_out, stdout_path), (tmp_err, stderr_path)):
            if path:
                texts.append('')
            else:
                handle.seek(0)
                texts.append(handle.read().decode('utf-8', 'replace'))
    cpu = usage.ru_utime + usage.ru_stime
    background = 0.0
    if busy0 is not None and busy1 is not None and wall > 0:
        background = max(0.0, (busy1 - busy0 - cpu) / wall)
    return Run(argv=[str(a) for a in argv], returncode=proc.returncode, wall_s=wall,
               user_s=usage.ru_utime, sys_s=usage.ru_stime,
               peak_rss_mb=None if peak_kib is None else peak_kib * 1024 / 1e6,
               background_cores=background, load_before=load_before,
               stdout=texts[0], stderr=texts[1])


def disk_bytes(path):
    """Apparent size in bytes of a file (with SQLite's -wal/-journal companions) or a folder tree."""
    if os.path.isdir(path):
        total = 0
        for folder, _, files in os.walk(path):
            for name in files:
                try:
                    total += os.lstat(os.path.join(folder, name)).st_size
                except OSError:
                    pass
        return total
    total = 0
    for suffix in ('', '-wal', '-journal', '-shm'):
        try:
            total += os.stat(path + suffix).st_size
        except OSError:
            pass
    return total


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
