"""The ``iid-analysis`` command line.

Each subcommand lives in a module of :mod:`iid_analysis.commands` that defines ``ORDER`` (its
place in the help), ``register(subparsers)`` (adds its parser and sets ``handler``) and the
handler itself. Expected mistakes (:class:`IIDError`) print one line to stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import stat
import sys

from . import __version__, commands
from .errors import IIDError, UsageError
from .outputs import printable, remove_registered, stop_children

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (``iid-analysis CMD: error: ...``,
    pointing at ``--help``) instead of the whole usage; exit status 2."""

    def error(self, message: str):
        self.exit(
            EXIT_USAGE,
            f"{self.prog}: error: {printable(message)} (see {self.prog} --help)\n",
        )


INPUT_FILE = "input file"
INPUT_DIR = "input folder"
OUTPUT = "output"

PATH_ROLES: dict[str, str] = {
    "spd": INPUT_FILE,
    "innovations": INPUT_FILE,
    "profiles": INPUT_FILE,
    "costs": INPUT_FILE,
    "opds": INPUT_FILE,
    "params": INPUT_FILE,
    "regions": INPUT_FILE,
    "file": INPUT_FILE,
    "history": INPUT_FILE,
    "params_dir": INPUT_DIR,
    "output": OUTPUT,
    "output_dir": OUTPUT,
    "worklist": OUTPUT,
}
"""What each path option (by its ``dest``) is: an input file (checked by :func:`check_inputs`
before the command runs: exists, a regular file, not too large), an input folder, or an output
(checked by the command through :func:`iid_analysis.outputs.check_output_path`). A path option
missing here fails ``tests/commands/test_sweep.py``; :data:`COMMAND_PATH_ROLES` overrides per
command."""

COMMAND_PATH_ROLES: dict[tuple[str, str], str] = {
    ("init", "directory"): OUTPUT,
    ("collect", "directory"): INPUT_DIR,
}


def path_role(command: str, dest: str) -> str | None:
    """The role of the path option ``dest`` of ``command`` (None when unclassified)."""
    return COMMAND_PATH_ROLES.get((command, dest), PATH_ROLES.get(dest))


MAX_SEED = 2**32 - 1
"""Every command's --seed lies in 0..MAX_SEED (numpy's own range for a 32-bit seed)."""


MAX_REGION_LENGTH = 200
"""The longest --region any command takes (published names are under 60 characters)."""


def check_common_values(args: argparse.Namespace) -> None:
    """Bounds that hold for every command with the option (one rule, one message)."""
    seed = getattr(args, "seed", None)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UsageError(f"--seed must lie in 0..{MAX_SEED}, got {seed}")
    region = getattr(args, "region", None)
    if isinstance(region, str):
        if not region.strip():
            raise UsageError("--region is empty")
        if len(region) > MAX_REGION_LENGTH:
            raise UsageError(
                f"--region is {len(region)} characters long; a region name has at most "
                f"{MAX_REGION_LENGTH}"
            )
        if not region.isprintable():
            raise UsageError(
                f"--region {printable(region)!r} holds control or formatting characters"
            )


def check_inputs(command: str, args: argparse.Namespace) -> None:
    """Refuse, in one line, an input file option that is not a readable regular file (a FIFO
    or device would block, a symlink loop or a folder would fail later with a traceback) and
    an input folder option that is not a folder. Nothing is opened."""
    given = {
        dest: value for dest, value in vars(args).items()
        if isinstance(value, os.PathLike) and path_role(command, dest) in (INPUT_FILE, INPUT_DIR)
    }  # fmt: skip
    if not given:
        return
    from .inputs.files import check_input_file  # the check alone, not the readers

    for dest, path in given.items():
        if path_role(command, dest) == INPUT_FILE:
            check_input_file(path, printable(path))
            continue
        try:
            info = os.stat(path)
        except OSError as exc:
            why = exc.strerror
            raise UsageError(f"{printable(path)}: cannot open the folder ({why})") from None
        if not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{printable(path)}: not a folder")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or only the subcommand module named ``only``."""
    parser = OneLineParser(
        prog="iid-analysis",
        description="Indeks Inovasi Daerah (IID): scoring, forecasts, feasibility and reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_") and only in (None, info.name)
    ]
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 99), m.__name__)):
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; ``argv`` None means ``sys.argv`` and a real process (the console
    script), which also gets the signal handlers of :func:`install_signal_handlers`."""
    is_process = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_requested_module(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if is_process:
        install_signal_handlers(args.command)
    try:
        check_common_values(args)
        check_inputs(args.command, args)
        return int(args.handler(args) or 0)
    except IIDError as exc:
        print(f"iid-analysis {args.command}: error: {printable(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        if is_process:
            _exit_now(args.command, "interrupted", EXIT_INTERRUPTED)
        remove_registered()
        print(f"iid-analysis {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def install_signal_handlers(command: str) -> None:
    """SIGINT (Ctrl-C) and SIGTERM: remove this run's temporary files, print one line, exit at
    once (130, 143).

    Exiting at once (``os._exit``) skips the clean-up of half-finished kernel clients, event
    loops and worker pools, whose own tracebacks would otherwise fill the terminal; the
    kernels notice their parent is gone and stop, and batch workers die with their parent.
    """
    main_pid = os.getpid()

    def interrupted(signum, frame):  # noqa: ARG001 - the signature signal wants
        if os.getpid() != main_pid:  # a forked worker before it set its own handlers
            os._exit(EXIT_TERMINATED)
        if signum == signal.SIGINT:
            _exit_now(command, "interrupted", EXIT_INTERRUPTED)
        _exit_now(command, "terminated", EXIT_TERMINATED)

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)


def _exit_now(command: str, what: str, status: int):
    stop_children()  # first: a kernel whose folder vanished under it would complain
    remove_registered()
    try:
        sys.stdout.flush()
    except Exception:  # noqa: BLE001 - a closed or broken stdout must not stop the exit
        pass
    # On a terminal a progress bar may hold the current line: start a new one.
    try:
        start = "\n" if sys.stderr.isatty() else ""
    except (AttributeError, ValueError):  # no stderr, or closed
        start = ""
    os.write(2, f"{start}iid-analysis {command}: {what}\n".encode())
    os._exit(status)


def _requested_module(argv: list[str]) -> str | None:
    """The command module named by the first argument, if there is one.

    Some command modules import heavy libraries (statsmodels, nbformat); loading only the one
    asked for keeps ``iid-analysis score`` quick to start. Every subcommand is registered under
    its module's name, or under a name of :data:`MODULE_OF_COMMAND` (``import`` is a keyword).
    """
    first = argv[0] if argv else ""
    first = MODULE_OF_COMMAND.get(first, first)
    names = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    return first if first in names and not first.startswith("_") else None


MODULE_OF_COMMAND = {"import": "importfile"}
"""Subcommands whose module has another name."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
