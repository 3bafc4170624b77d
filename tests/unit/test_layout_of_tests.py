"""How the tests are laid out, kept so: no module imports a test module.
Makers of records, images and archives live in tests/factories.py,
tests/images.py and tests/archives.py; HTTP helpers in tests/clients.py;
browser journeys in tests/browser/journeys.py; shared fixtures in the
conftest.py files."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(tree: ast.Module, package: str) -> list[str]:
    """Every module an `import` or `from ... import` names (relative ones resolved
    against `package`), and for `from a import b` also a.b, as b may be a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def imports_of_test_modules(root: Path, folder: str) -> list[str]:
    """'<file> imports <module>' for each import of a test_* module under root/folder."""
    bad = []
    for path in sorted((root / folder).rglob("*.py")):
        package = ".".join(path.relative_to(root).parent.parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module in dict.fromkeys(_imported_modules(tree, package)):
            if any(part.startswith("test_") for part in module.split(".")):
                bad.append(f"{path.relative_to(root).as_posix()} imports {module}")
                break
    return bad


def test_no_module_imports_a_test_module():
    bad = imports_of_test_modules(ROOT, "tests") + imports_of_test_modules(ROOT, "benchmarks")
    assert bad == [], "move what is shared out of the test modules (see this module's docstring):\n" + "\n".join(bad)


def test_the_check_sees_every_way_of_importing_a_test_module(tmp_path: Path):
    ways = [
        "from tests.unit.test_photos import photo",
        "import tests.unit.test_photos",
        "from tests.unit import test_photos",
        "from .test_photos import photo",
        "from . import test_photos",
        "def f():\n    from tests.unit.test_photos import photo\n",
    ]
    (tmp_path / "tests").mkdir()
    for i, line in enumerate(ways):
        (tmp_path / "tests" / f"m{i}.py").write_text(line + "\n")
    (tmp_path / "tests" / "fine.py").write_text(
        "import pytest\nfrom tests.factories import make_user\nfrom . import images\n"
    )
    bad = imports_of_test_modules(tmp_path, "tests")
    assert [line.split()[0] for line in bad] == [f"tests/m{i}.py" for i in range(len(ways))]
    assert bad[3] == "tests/m3.py imports tests.test_photos"
