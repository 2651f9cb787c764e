"""The core stays pure: only the report renderer touches docxtpl, only the UI touches Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pipia"
MODULES = sorted(PACKAGE.rglob("*.py"))

# Which top-level third-party packages each part of the package may import.
ALLOWED = {
    "ui": {"streamlit", "pandas", "matplotlib"},
    "report": {"docxtpl", "docx", "jinja2", "matplotlib", "lxml"},
    "store": {"sqlalchemy"},
    "exports": {"openpyxl", "icalendar"},
}
FORBIDDEN_IN_CORE = {"streamlit", "docxtpl", "docx", "sqlalchemy"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_modules_import_no_ui_or_rendering_library(module: Path) -> None:
    allowed = ALLOWED.get(part_of(module), set())
    assert not (imported_packages(module) & FORBIDDEN_IN_CORE) - allowed


# docxtpl's defaults silently delete text; one module sets it up safely and every render goes through it.
DOCXTPL_MODULE = PACKAGE / "report" / "render.py"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_report_renderer_imports_docxtpl(module: Path) -> None:
    assert module == DOCXTPL_MODULE or "docxtpl" not in imported_packages(module)


def test_nothing_prints_or_exits_outside_the_shells() -> None:
    shells = {"cli.py", "app.py"}
    for module in MODULES:
        if module.name in shells or part_of(module) == "ui":
            continue
        source = module.read_text(encoding="utf-8")
        assert "sys.exit(" not in source, module
        assert "print(" not in source, module


def _models() -> list[type[BaseModel]]:
    """Every pydantic model the package defines (the app's pages define none)."""
    import importlib  # noqa: PLC0415

    for module in MODULES:
        relative = module.relative_to(PACKAGE).with_suffix("")
        if part_of(module) != "ui" and relative.name != "__main__":
            importlib.import_module(".".join(("pipia", *relative.parts)).removesuffix(".__init__"))
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("pipia."):
                found.append(sub)
    return sorted(set(found), key=lambda m: f"{m.__module__}.{m.__qualname__}")


def test_every_model_builds_its_validator_when_first_used() -> None:
    """Models defer building their validators (a command pays only for the models it reads): a model whose
    fields pydantic cannot resolve would otherwise go unnoticed until a user's file reaches it."""
    models = _models()
    assert len(models) > 50
    unbuilt = [m.__qualname__ for m in models if not m.model_rebuild(force=True)]
    assert unbuilt == []
