"""The package's shape: what keeps it changeable (issue 29).

Page makeup's files stay small enough to read whole, one module reads the
engine's private boxes, the cost reads counts rather than findings, and the
public API stays the five names it always was.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest
from conftest import ROOT

import emn_pdf

SOURCE = Path(emn_pdf.__file__).parent
#: What only the box reader may name: WeasyPrint's private page box and box tree.
ENGINE_BOXES = re.compile(r"\._page_box\b|formatting_structure|weasyprint\.layout")


def test_no_makeup_file_is_over_400_lines() -> None:
    lengths = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (SOURCE / "makeup").glob("*.py")
    }
    assert lengths and max(lengths.values()) <= 400, lengths


def test_one_module_reads_the_engines_boxes() -> None:
    readers = {
        path.relative_to(SOURCE).as_posix()
        for path in SOURCE.rglob("*.py")
        if ENGINE_BOXES.search(path.read_text(encoding="utf-8"))
    }
    assert len(readers) == 1 and next(iter(readers)).endswith("boxes.py"), readers


def test_the_cost_reads_no_finding_code() -> None:
    cost = next(SOURCE.rglob("makeup/cost.py")).read_text(encoding="utf-8")
    assert not re.findall(r"\b[EWI]1\d\d\b", cost)


def test_the_public_api_is_five_names() -> None:
    assert sorted(emn_pdf.__all__) == [
        "BuildReport",
        "Problem",
        "UserError",
        "build",
        "check",
    ]
    assert all(callable(getattr(emn_pdf, name)) for name in emn_pdf.__all__)


def test_the_cache_knows_every_module_of_every_sub_package() -> None:
    """A change to any module (makeup's layers included) rebuilds what it made."""
    from emn_pdf.machinery.cache import _own_code

    assert set(SOURCE.rglob("*.py")) <= set(_own_code())


@pytest.mark.parametrize(
    "script", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda path: path.stem
)
def test_every_benchmark_names_what_the_package_has(script: Path) -> None:
    """A benchmark is run by hand: a name of emn-pdf it imports that moved is
    found here (its other dependencies are installed by ``make bench``)."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "emn_pdf"
        ):
            module = importlib.import_module(str(node.module))
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(
                    f"{node.module}.{alias.name}"
                ), f"{script.name}: {node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("emn_pdf"):
                    importlib.import_module(alias.name)
