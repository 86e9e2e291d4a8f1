"""Shared fixtures: the repository's folders, the committed reference cases, a skip naming what is
missing when the optional shared data are absent."""
import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("DISFER_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BINARY = pathlib.Path(os.environ.get("DISFER_BINARY_DIR", SOURCE / "build" / "release"))
SHARED = pathlib.Path(os.environ.get("DISFER_SHARED_DIR", SOURCE.parent / "shared"))


@pytest.fixture
def source_dir():
    return SOURCE


@pytest.fixture
def binary_dir():
    return BINARY


@pytest.fixture
def shared_file():
    def find(relative):
        path = SHARED / relative
        if not path.exists():
            pytest.skip("needs %s (the optional shared data), which is absent" % path)
        return path
    return find
