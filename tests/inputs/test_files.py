"""Reading a file the user named (inputs/files.py): a path that is none, a file that cannot
be read and one far too large are each the reader's own error, naming the file."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum import PlanFileError, read_catalog, read_plan
from curriculum.errors import CatalogError, InputError, ProgramError
from curriculum.inputs.files import MiB, read_input


def test_bytes_come_back_with_the_path(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"id\n")
    assert read_input(str(path), CatalogError, most=3) == (path, b"id\n")


@pytest.mark.parametrize("error", [CatalogError, ProgramError, PlanFileError])
@pytest.mark.parametrize("value", [5, 1.5, b"modules.csv", ["a.csv"]])
def test_what_is_no_path_is_the_readers_error(error: type[InputError], value: object) -> None:
    with pytest.raises(error, match=f"expected a file path, not {type(value).__name__}"):
        read_input(value, error, most=MiB)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as stream:
        stream.truncate(65 * MiB)  # sparse: nothing is written, nothing need be read
    with pytest.raises(CatalogError, match=r"the file is 65\.0 MiB; expected at most 64 MiB"):
        read_catalog(huge)


def test_a_folder_or_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot read the file"):
        read_plan(tmp_path)
    with pytest.raises(CatalogError, match="cannot read the file"):
        read_catalog(tmp_path / "missing.csv")


def test_a_pipe_that_gives_more_than_the_limit_is_refused_as_too_large(tmp_path: Path) -> None:
    # Before: a device or pipe says it has 0 bytes, so /dev/zero was read in and called
    # "UTF-16 text"; now what it gives is counted. A pipe within the limit reads as a file.
    pipe = tmp_path / "catalog.csv"
    os.mkfifo(pipe)
    with _fed(pipe, b"x" * 100), pytest.raises(CatalogError, match="the file is more than"):
        read_input(pipe, CatalogError, most=10)
    with _fed(pipe, b"id\n"):
        assert read_input(pipe, CatalogError, most=10) == (pipe, b"id\n")


@contextlib.contextmanager
def _fed(pipe: Path, data: bytes) -> Iterator[None]:
    """`data` written into the pipe by another thread (which stops when the reader does)."""

    def write() -> None:
        with contextlib.suppress(BrokenPipeError):
            pipe.write_bytes(data)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield
    finally:
        writer.join()
