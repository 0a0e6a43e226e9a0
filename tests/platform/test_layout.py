"""The package layout: every folder is packaged, and `platform` stays the standard library."""

from __future__ import annotations

import platform
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = {"platform", "consent", "meetings", "notifications", "reports"}


def test_platform_is_the_stdlib():
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert Path(platform.__file__).parent != ROOT / "platform"
    assert callable(platform.system) and platform.system()
    assert "python" in Path(platform.__file__).parent.name.lower() or sys.prefix in platform.__file__ \
        or sys.base_prefix in platform.__file__


def test_every_package_folder_is_listed_in_pyproject():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(conf["packages"])
    mapping = conf["package-dir"]
    expected = set()
    for name, folder in mapping.items():
        base = ROOT / folder
        for py in base.rglob("*.py"):
            rel = py.parent.relative_to(base)
            if "__pycache__" in rel.parts or "templates" in rel.parts:
                continue
            expected.add(".".join([name, *rel.parts]))
    missing = sorted(expected - listed)
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"
    assert {f"w2.{d}" for d in DOMAINS} <= listed


def test_test_folders_are_packages():
    for folder in (ROOT / "tests").rglob("*"):
        if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("test_*.py")):
            assert (folder / "__init__.py").exists(), f"{folder} needs an __init__.py"
