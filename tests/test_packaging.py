"""A wheel built from the repo installs into a fresh virtual environment and imports there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EDGE_MODULES = ("fastapi", "uvicorn", "psycopg", "redis", "jinja2", "starlette")


def packages_on_disk() -> set[str]:
    found = set()
    for init in (ROOT / "asw_guard").rglob("__init__.py"):
        found.add(".".join(init.parent.relative_to(ROOT).parts))
    found.add("asw_guard_adapters")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), ROOT],
        check=True,
        capture_output=True,
    )
    return next(out.glob("asw_guard-*.whl"))


def test_every_package_and_data_file_is_in_the_wheel(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.rsplit("/", 1)[0].replace("/", ".") for n in names if n.endswith("__init__.py")}
    assert packages_on_disk() <= shipped
    for data in ("policy/ready/uk-default.yaml", "store/migrations/0001_initial.sql", "py.typed"):
        assert f"asw_guard/{data}" in names


@pytest.mark.slow
def test_wheel_installs_and_imports_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    install = subprocess.run(
        [py, "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    probe = (
        "import importlib.util, asw_guard, asw_guard_adapters;"
        f"missing = [m for m in {EDGE_MODULES!r} if importlib.util.find_spec(m)];"
        "assert not missing, missing;"
        "print(asw_guard.__version__)"
    )
    out = subprocess.run(
        [py, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert out.returncode == 0, out.stderr
    cli = subprocess.run(
        [venv / "bin" / "asw-guard", "version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert cli.stdout.strip() == out.stdout.strip()
