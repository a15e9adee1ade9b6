"""The wheel ships the bundled catalog, the review's references and py.typed, and works when
installed."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import curriculum.inputs.catalog
from curriculum.inputs.catalog import bundled_catalog_path, read_catalog
from tests.builders import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the working tree (hatchling from this venv, no network)."""
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=120,
    )
    (found,) = out.glob("curriculum-*.whl")
    return found


def test_wheel_contains_catalog_and_py_typed(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "curriculum/data/modules.csv" in names
        assert "curriculum/data/evidence.toml" in names
        assert "curriculum/py.typed" in names
        assert "curriculum/inputs/catalog.py" in names
        packaged = archive.read("curriculum/data/modules.csv")
        evidence = archive.read("curriculum/data/evidence.toml")
    assert packaged == (ROOT / "data" / "modules.csv").read_bytes()
    assert evidence == (ROOT / "data" / "evidence.toml").read_bytes()
    assert not any(name.startswith(("tests/", "src/")) for name in names)


def test_installed_wheel_reads_bundled_catalog(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        timeout=120,
    )
    # `curriculum` must come from the wheel; pandas and friends from this venv, appended
    # after the new venv's own site-packages (a plain path entry: no editable .pth runs).
    dev_site = sysconfig.get_paths()["purelib"]
    script = (
        "import sys\n"
        f"sys.path.append({dev_site!r})\n"
        "import curriculum.inputs.catalog as c\n"
        "catalog = c.read_catalog()\n"
        "print(c.__file__)\n"
        "print(c.bundled_catalog_path())\n"
        "print(len(catalog))\n"
    )
    result = subprocess.run(
        [str(python), "-I", "-c", script],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    module_file, catalog_path, count = result.stdout.split("\n")[:3]
    assert Path(module_file).is_relative_to(tmp_path)
    assert Path(catalog_path).is_relative_to(venv)
    assert Path(catalog_path).parts[-3:] == ("curriculum", "data", "modules.csv")
    assert int(count) >= 30


def test_editable_install_finds_bundled_catalog() -> None:
    path = bundled_catalog_path()
    assert path.is_file()
    assert len(read_catalog()) >= 30
    if Path(curriculum.inputs.catalog.__file__).resolve().is_relative_to(ROOT / "src"):
        # An editable install reads the repository's own file, so edits show at once.
        assert path.resolve() == (ROOT / "data" / "modules.csv").resolve()
