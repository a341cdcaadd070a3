"""A sweep of hostile and careless command lines over every subcommand and option.

The options are read from the command line's own parser (:func:`iid_analysis.cli.build_parser`),
so an option added tomorrow is swept tomorrow: every path option must have a role in
:data:`iid_analysis.cli.PATH_ROLES` and every subcommand a base command line here
(:data:`BASE`), or the sweep fails and says which.

Each case runs one command with one hostile value and checks the promises: it ends within
``--timeout`` seconds (no hang), exits 2 with exactly one line on stderr naming the command
(``iid-analysis CMD: error: ...``) and no traceback, and leaves every file as it was: nothing
written, nothing replaced, no temporary file left, raw data untouched.

Usage::

    python scripts/sweep.py            # every case, each in its own process (a minute or more)
    python scripts/sweep.py --fast     # the quick cases, in this process (what `make test` runs)
    python scripts/sweep.py --list     # the cases, not run

Exit status 1 when a promise is broken (one line per broken promise), else 0.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from iid_analysis import cli
from iid_analysis.config import EXAMPLE_INNOVATIONS_FILE, EXAMPLE_SPD_FILE, RAW_DATA_DIR

EXIT_USAGE = 2

BASE: dict[str, list[str]] = {
    "init": ["{out}/project"],
    "template": ["--year", "2023", "--output", "{out}/template.xlsx"],
    "collect": ["{ws}/filled", "--year", "2023", "--output-dir", "{out}/collected"],
    "score": ["--year", "2023", "--spd", "{ws}/spd.csv", "--innovations", "{ws}/innovations.csv",
              "--output-dir", "{out}/scored"],
    "import": ["{ws}/innovations.csv", "--year", "2023"],
    "forecast": ["--region", "Kota Mojokerto", "--target-year", "2025"],
    "plan": ["--year", "2023", "--spd", "{ws}/spd.csv", "--innovations", "{ws}/innovations.csv",
             "--target", "90"],
    "report": ["--region", "Kota Mojokerto", "--target-year", "2024", "--output-dir",
               "{out}/reports"],
    "batch": ["--regions", "{ws}/regions.txt", "--target-year", "2024", "--no-progress",
              "--output-dir", "{out}/batch"],
}  # fmt: skip
"""A command line of each subcommand that is valid (or fails late): a case changes one option."""

ALIASES = {"importfile": "import"}

ACCEPTED_EXTREMES: dict[tuple[str, str], set[str]] = {
    ("plan", "--budget"): {"huge"},  # a budget of 1e12 is no budget: the plan runs
    ("plan", "--time-budget"): {"huge"},  # bounded by the search itself, not by the option
    ("batch", "--workers"): {"huge"},  # capped at the jobs and the cores (documented)
    ("batch", "--timeout"): {"huge"},  # a cell may run that long: a long timeout is no error
    ("report", "--timeout"): {"huge"},
    # the base line imports a CSV, which has no sheets: --sheet does not apply
    ("import", "--sheet"): {"control characters", "very long"},
}
"""Extreme numbers an option rightly accepts (decided, not overlooked): such a case must end
without a traceback or a hang, and may exit 0."""

DIAGNOSTIC_FILES: dict[str, tuple[str, ...]] = {
    "report": ("*.failed.ipynb",),
    "batch": ("*.failed.ipynb",),
}
"""Files a command keeps on purpose when it fails: the executed notebook of a failed report,
kept to show where it failed (docs/reports.md). Nothing else may appear."""


@dataclass(frozen=True)
class Case:
    """One command line and what it must do: exit 2 with one error line, change nothing."""

    command: str
    option: str
    what: str
    argv: tuple[str, ...]
    fast: bool = True
    may_succeed: bool = False

    @property
    def label(self) -> str:
        return f"{self.command} {self.option} <{self.what}>"


@dataclass
class Outcome:
    case: Case
    broken: list[str] = field(default_factory=list)


# --- the hostile values ---------------------------------------------------------------------
def make_workspace(ws: Path) -> dict[str, Path]:
    """Good inputs and hostile things to give instead, in ``ws``."""
    ws.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE_SPD_FILE, ws / "spd.csv")
    shutil.copy(EXAMPLE_INNOVATIONS_FILE, ws / "innovations.csv")
    (ws / "regions.txt").write_text("Kota Mojokerto\n", encoding="utf-8")
    (ws / "filled").mkdir(exist_ok=True)
    hostile = ws / "hostile"
    hostile.mkdir(exist_ok=True)
    things = {
        "missing": hostile / "missing.csv",
        "folder": hostile / "a_folder",
        "loop": hostile / "loop_a",
        "random-bytes": hostile / "random.bin",
        "empty": hostile / "empty.csv",
    }
    things["folder"].mkdir(exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.symlink(hostile / "loop_b", hostile / "loop_a")
        os.symlink(hostile / "loop_a", hostile / "loop_b")
    things["random-bytes"].write_bytes(hashlib.sha512(b"sweep").digest() * 64 + b"\xff\xfe\x00")
    things["empty"].write_bytes(b"")
    if hasattr(os, "mkfifo"):
        things["fifo"] = hostile / "pipe.csv"
        with contextlib.suppress(FileExistsError):
            os.mkfifo(things["fifo"])
    return things


INPUT_FILE_CASES = ("fifo", "loop", "folder", "missing", "random-bytes", "empty")
INPUT_DIR_CASES = ("fifo", "loop", "missing", "random-bytes")
SLOW_INPUT_CASES = {"random-bytes", "empty"}
"""Cases that may pass the first check and fail only when the file is read (in a report, inside
its notebook): run in the full sweep, not in ``--fast``."""


def output_values(out: Path, ws: Path) -> dict[str, str]:
    """Places an output must never go."""
    return {
        "raw-data": str(RAW_DATA_DIR / "sweep_output"),
        "under-a-file": str(ws / "spd.csv" / "below"),
        "proc": "/proc/self/sweep",
        "over-an-input": str(ws / "innovations.csv"),
    }


# --- building the cases from the parser -----------------------------------------------------
def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # noqa: SLF001 - argparse has no public list of subparsers
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return {n: p for n, p in action.choices.items() if n not in ALIASES}
    return {}


def _exclusive_with(parser: argparse.ArgumentParser, action: argparse.Action) -> set[str]:
    found: set[str] = set()
    for group in parser._mutually_exclusive_groups:  # noqa: SLF001
        if action in group._group_actions:  # noqa: SLF001
            found |= {a.option_strings[0] for a in group._group_actions if a is not action}
    return found


def _with_option(
    base: list[str], parser: argparse.ArgumentParser, action: argparse.Action, value: str
) -> list[str]:
    """``base`` with ``action`` set to ``value`` (replaced if there, else added), options
    exclusive with it dropped."""
    argv = list(base)
    if not action.option_strings:  # a positional: the first positional value of base
        positional_index = next(i for i, a in enumerate(argv) if not a.startswith("-")
                                and (i == 0 or not argv[i - 1].startswith("--")))  # fmt: skip
        argv[positional_index] = value
        return argv
    drop = _exclusive_with(parser, action) | set(action.option_strings)
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in drop:
            skip = True
            continue
        kept.append(arg)
    return [*kept, action.option_strings[0], value]


def option_name(action: argparse.Action) -> str:
    return action.option_strings[0] if action.option_strings else action.dest.upper()


def build_cases(ws: Path, out: Path, things: dict[str, Path]) -> tuple[list[Case], list[str]]:
    """Every case, and the problems that stop some from being built (an option without a role,
    a subcommand without a base command line)."""
    parser = cli.build_parser()
    cases: list[Case] = []
    problems: list[str] = []
    outputs = output_values(out, ws)
    for command, sub in subcommands(parser).items():
        if command not in BASE:
            problems.append(f"{command}: no base command line in scripts/sweep.py BASE")
            continue
        base = [a.format(ws=ws, out=out) for a in BASE[command]]
        for action in sub._actions:  # noqa: SLF001
            if action.dest == "help" or action.nargs == 0:
                continue
            name = option_name(action)

            def case(what: str, value: str, fast: bool = True) -> None:
                argv = (command, *_with_option(base, sub, action, value))  # noqa: B023
                accepted = what in ACCEPTED_EXTREMES.get((command, name), set())  # noqa: B023
                cases.append(Case(command, name, what, argv, fast, accepted))  # noqa: B023

            if action.type in (int, float):
                case("not a number", "abc")
                case("number with a letter", "12x")
                for what, value in (("nan", "nan"), ("inf", "inf"), ("negative", "-1"),
                                    ("huge", "1e12" if action.type is float else "10" * 7)):
                    if action.type is int and what in ("nan", "inf"):
                        continue
                    case(what, value, fast=False)
            if action.type is None and action.choices is None and action.nargs is None:
                case("control characters", "Kota\x1b[31m Merah\u202e", fast=False)
                case("very long", "Kota " + "x" * 20_000, fast=False)
            if action.type is not Path and not (
                isinstance(action.type, type) and issubclass(action.type, Path)
            ):
                continue
            role = cli.path_role(command, action.dest)
            if role is None:
                problems.append(
                    f"{command} {name}: a path option without a role in iid_analysis.cli.PATH_ROLES"
                )
                continue
            if role == cli.INPUT_FILE:
                for what in INPUT_FILE_CASES:
                    if what in things:
                        case(what, str(things[what]), fast=what not in SLOW_INPUT_CASES)
            elif role == cli.INPUT_DIR:
                for what in INPUT_DIR_CASES:
                    if what in things:
                        case(what, str(things[what]), fast=what not in SLOW_INPUT_CASES)
            else:
                for what, value in outputs.items():
                    case(f"output {what}", value)
    return cases, problems


# --- running and checking -------------------------------------------------------------------
def snapshot(*roots: Path) -> dict[str, str]:
    """Every file under ``roots``: path -> sha256 (a FIFO or a loop by its kind)."""
    found: dict[str, str] = {}
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_symlink():
                found[str(path)] = "symlink -> " + os.readlink(path)
            elif path.is_fifo():
                found[str(path)] = "fifo"
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                found[str(path)] = "folder"
    return found


class _Timeout(Exception):
    pass


def run_in_process(argv: tuple[str, ...], timeout: float) -> tuple[int | None, str]:
    """(exit status or None on a hang, stderr) of ``cli.main(argv)`` in this process."""

    def alarm(signum, frame):  # noqa: ARG001
        raise _Timeout

    err = io.StringIO()
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                status = cli.main(list(argv))
            except SystemExit as exc:  # argparse
                status = exc.code if isinstance(exc.code, int) else 1
            except _Timeout:
                status = None
            except Exception:  # noqa: BLE001 - a traceback is what the sweep looks for
                import traceback

                traceback.print_exc()
                status = 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return status, err.getvalue()


def run_in_subprocess(argv: tuple[str, ...], timeout: float, cwd: Path) -> tuple[int | None, str]:
    """(exit status or None on a hang, stderr) of the console script's code in a new process."""
    code = "import sys; from iid_analysis.cli import main; sys.argv[0] = 'iid-analysis'; " \
        "sys.exit(main())"
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True,
            timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        return None, stderr or ""
    return done.returncode, done.stderr


def check(case: Case, status: int | None, err: str, before: dict, after: dict) -> list[str]:
    broken = []
    lines = err.strip().splitlines()
    if status is None:
        broken.append("did not end (hang)")
    if "Traceback" in err:
        broken.append("printed a traceback")
    if "\x1b" in err or "\u202e" in err:
        broken.append("a raw control character reached the terminal")
    if case.may_succeed and status == 0:
        return broken
    if status is not None and status != EXIT_USAGE:
        broken.append(f"exit status {status}, not {EXIT_USAGE}")
    if len(lines) != 1:
        broken.append(f"printed {len(lines)} lines on stderr, not one")
    elif not lines[0].startswith(f"iid-analysis {case.command}: error: "):
        broken.append(f"the line does not start 'iid-analysis {case.command}: error:'")
    changed = {p for p, _ in set(before.items()) ^ set(after.items())}
    kept = DIAGNOSTIC_FILES.get(case.command, ())
    changed = {p for p in changed
               if not any(fnmatch.fnmatch(Path(p).name, k) for k in kept)
               and not any(Path(q).is_relative_to(p) and q not in before for q in after
                           if any(fnmatch.fnmatch(Path(q).name, k) for k in kept))}  # fmt: skip
    if changed:
        broken.append(f"changed files: {', '.join(sorted(changed))[:300]}")
    return broken


def sweep(
    *, fast: bool, timeout: float, only: str | None = None, workdir: Path | None = None,
    slow_only: bool = False, report=None,
) -> tuple[list[Outcome], list[str]]:
    """Run the cases (``fast``: the quick ones, in this process; ``slow_only``: only those
    ``fast`` leaves out) and return their outcomes and the problems of the sweep itself.
    ``report`` is called with each outcome as it comes."""
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix="iid-sweep-")) if own else Path(workdir)
    try:
        ws, out = root / "ws", root / "out"
        things = make_workspace(ws)
        out.mkdir(exist_ok=True)
        cases, problems = build_cases(ws, out, things)
        cases = [c for c in cases if (not fast or c.fast) and (only is None or c.command == only)
                 and not (slow_only and c.fast)]  # fmt: skip
        outcomes = []
        for case in cases:
            before = snapshot(ws, out, RAW_DATA_DIR)
            if fast:
                status, err = run_in_process(case.argv, timeout)
            else:
                status, err = run_in_subprocess(case.argv, timeout, root)
            after = snapshot(ws, out, RAW_DATA_DIR)
            outcomes.append(Outcome(case, check(case, status, err, before, after)))
            if report is not None:
                report(outcomes[-1])
            _restore(out)
        return outcomes, problems
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


def _restore(out: Path) -> None:
    """Empty ``out`` so that one broken case does not break the next."""
    for path in out.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="the quick cases, in this process")
    parser.add_argument("--list", action="store_true", help="list the cases, run nothing")
    parser.add_argument("--slow-only", action="store_true", help="only the cases --fast leaves out")
    parser.add_argument("--command", help="only this subcommand")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a case may take")
    args = parser.parse_args(argv)
    if args.list:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            cases, problems = build_cases(root / "ws", root / "out", make_workspace(root / "ws"))
        for case in cases:
            if (not args.fast or case.fast) and args.command in (None, case.command):
                print(case.label)
        for problem in problems:
            print(f"sweep: {problem}", file=sys.stderr)
        return 1 if problems else 0
    def show(outcome: Outcome) -> None:
        if outcome.broken:
            print(f"{outcome.case.label}: {'; '.join(outcome.broken)}", flush=True)

    outcomes, problems = sweep(fast=args.fast, timeout=args.timeout, only=args.command,
                               slow_only=args.slow_only, report=show)  # fmt: skip
    failed = [o for o in outcomes if o.broken]
    for problem in problems:
        print(f"sweep: {problem}")
    print(f"{len(outcomes)} cases, {len(outcomes) - len(failed)} held, {len(failed)} broke"
          + (f", {len(problems)} sweep problems" if problems else ""), file=sys.stderr)  # fmt: skip
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
