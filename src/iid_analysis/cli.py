"""The ``iid-analysis`` command line.

Each subcommand lives in a module of :mod:`iid_analysis.commands` that defines ``ORDER`` (its
place in the help), ``register(subparsers)`` (adds its parser and sets ``handler``) and the
handler itself. Expected mistakes (:class:`IIDError`) print one line to stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import IIDError

EXIT_USAGE = 2


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or only the subcommand module named ``only``."""
    parser = argparse.ArgumentParser(
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
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_requested_module(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except IIDError as exc:
        print(f"iid-analysis {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"iid-analysis {args.command}: interrupted", file=sys.stderr)
        return 130


def _requested_module(argv: list[str]) -> str | None:
    """The command module named by the first argument, if there is one.

    Some command modules import heavy libraries (statsmodels, nbformat); loading only the one
    asked for keeps ``iid-analysis score`` quick to start. Every subcommand is registered under
    its module's name.
    """
    first = argv[0] if argv else ""
    names = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    return first if first in names and not first.startswith("_") else None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
