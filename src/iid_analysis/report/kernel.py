"""The report's kernel: an IPython kernel whose own log goes to a file, not the terminal.

``python -m iid_analysis.report.kernel -f CONNECTION_FILE ...`` starts ``ipykernel_launcher``
with the same arguments. When the connection file is a report run's (``kernel.json`` in the
run's temporary folder), the kernel's standard error (its log: e.g. the ZMQError a kernel
interrupted by a timeout prints as it stops) goes to ``kernel.log`` beside it, so the command
prints its one line and nothing else; the folder, log included, is removed with the run.
Cell output never passes through this stream (it travels to the notebook).

When the kernel has stopped (its shutdown request answered), the process ends without the
interpreter's teardown of every loaded module: the command waits for the kernel's exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import runpy
import sys

RUN_CONNECTION_FILE = "kernel.json"
KERNEL_LOG = "kernel.log"


def _connection_file(argv: list[str]) -> str | None:
    for position, arg in enumerate(argv):
        if arg == "-f" and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith("--f=") or arg.startswith("-f="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    connection = _connection_file(sys.argv[1:])
    if connection and os.path.basename(connection) == RUN_CONNECTION_FILE:
        log = os.path.join(os.path.dirname(connection), KERNEL_LOG)
        descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(descriptor, 2)
        os.close(descriptor)
    sys.argv[0] = "ipykernel_launcher"
    status = 0
    try:
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    # The kernel has answered its shutdown request: run the exit handlers (IPython's history),
    # flush, and end the process without the interpreter's teardown of every module (0.4-0.6 s
    # with pandas, scipy and matplotlib loaded, while the report's command waits for the exit).
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
