"""The grain of a report is decided once, where the context is built: the section modules ask the
context's grain view (:mod:`iid_analysis.report.grain`) and never test the grain themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import iid_analysis.report.sections as sections_package
from iid_analysis.report.grain import GrainView, LevelGrain, MaturityGrain

SECTIONS = Path(sections_package.__file__).parent
GRAIN_NAMES = {"GRAIN", "MATURITY_GRAIN", "LEVEL_GRAIN", "GRAIN_LEVEL", "GRAIN_MATURITY"}
GRAIN_PARTS = {"maturity", "headline", "plan", "region"}
"""The context's fields that only one grain fills: testing them for None tests the grain."""


def _is_grain_part(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr in GRAIN_PARTS
            and isinstance(node.value, ast.Name) and node.value.id == "ctx")


def grain_tests(source: str) -> list[str]:
    """Where ``source`` tests the grain: a comparison with an attribute called ``grain``, a test
    of a part only one grain has (``ctx.maturity is not None``), or any use of a grain constant
    (``line: code``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Attribute) and o.attr == "grain" or _is_grain_part(o)
                   for o in operands):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and node.id in GRAIN_NAMES:
            found.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.alias) and (node.asname or node.name) in GRAIN_NAMES:
            found.append(f"{node.lineno}: import {node.name}")
    return found


@pytest.mark.parametrize("source", [
    "if ctx.grain == MATURITY_GRAIN:\n    pass\n",
    "x = 1 if ctx.grain != 'maturity' else 2\n",
    "from ...feasibility.maturity_grain import GRAIN\n",
    "facts = {'grain': GRAIN_MATURITY}\n",
    "lever = None if ctx.headline is None else ctx.headline.urusan\n",
    "if ctx.maturity is not None:\n    pass\n",
])  # fmt: skip
def test_the_check_sees_a_grain_test(source):
    assert grain_tests(source)


def test_the_check_passes_code_that_asks_the_view():
    assert grain_tests("tag = ctx.grain_view.data_file\nf = ctx.grain_view.choose(a, b)\n") == []


@pytest.mark.parametrize("path", sorted(SECTIONS.glob("*.py")), ids=lambda p: p.name)
def test_no_section_module_tests_the_grain(path):
    assert grain_tests(path.read_text(encoding="utf-8")) == [], (
        f"{path.name} tests the grain: ask ctx.grain_view (report/grain.py) instead"
    )


def _members(cls) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")} | set(
        getattr(cls, "__annotations__", {})
    )


@pytest.mark.parametrize("view", [LevelGrain, MaturityGrain])
def test_each_grain_answers_the_whole_interface(view):
    wanted = {n for n in _members(GrainView)} - {"_is_protocol"}
    assert wanted <= _members(view)


def test_each_grain_chooses_its_own_builder():
    # choose() reads nothing but the view's class, so a view without its parts is enough here.
    level = object.__new__(LevelGrain)
    maturity = object.__new__(MaturityGrain)
    assert level.choose(level="L", maturity="M") == "L"
    assert maturity.choose(level="L", maturity="M") == "M"
    assert (level.key, maturity.key) == ("level", "maturity")
