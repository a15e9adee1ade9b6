"""Atomic writes (export/atomic.py): whole files or nothing, with ordinary permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curriculum.export import atomic
from curriculum.export.atomic import write_atomically
from tests.builders import disk_full_while_writing


def test_new_file_gets_the_umask_permissions_not_private_ones(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "plan.ics", b"data")
    finally:
        os.umask(umask)
    assert (tmp_path / "plan.ics").stat().st_mode & 0o777 == 0o644


def test_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.csv"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]


def test_a_set_is_written_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {tmp_path / name: b"new" for name in ("plan.ics", "plan.csv", "report.html")}
    for path in files:
        path.write_bytes(b"old")
    disk_full_while_writing(monkeypatch, "plan.csv")  # the second of three
    with pytest.raises(OSError) as info:
        atomic.write_all_atomically(files)
    # the error names the file the user asked for, never the temporary one
    assert info.value.filename == str(tmp_path / "plan.csv")
    assert {path.read_bytes() for path in files} == {b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "plan.ics", "report.html"]
    monkeypatch.undo()
    atomic.write_all_atomically(files)
    assert {path.read_bytes() for path in files} == {b"new"}


def test_a_link_is_written_through_and_kept(tmp_path: Path) -> None:
    # e.g. feed.ics linked to the file a web server publishes: the link stays a link and
    # the published file gets the new calendar
    (tmp_path / "www").mkdir()
    served = tmp_path / "www" / "plan.ics"
    served.write_bytes(b"old")
    link = tmp_path / "feed.ics"
    link.symlink_to(served)
    write_atomically(link, b"new")
    assert link.is_symlink() and served.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.ics", "www"]
    assert [p.name for p in (tmp_path / "www").iterdir()] == ["plan.ics"]


@pytest.mark.parametrize("linked", [False, True])
def test_what_is_not_a_regular_file_is_never_replaced(tmp_path: Path, linked: bool) -> None:
    # Before: a pipe (or, run as root, /dev/null itself) was renamed over with a file.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    target = tmp_path / "plan.ics"
    if linked:
        target.symlink_to(pipe)
    else:
        target = pipe
    other = tmp_path / "plan.csv"
    with pytest.raises(OSError, match="not a regular file") as error:
        atomic.write_all_atomically({other: b"csv", target: b"calendar"})
    assert error.value.filename == str(target)
    assert pipe.is_fifo() and not other.exists()  # nothing of the set is written
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"pipe", target.name})


def test_a_folder_is_named_as_one(tmp_path: Path) -> None:
    # Before: "is not a regular file (a device, pipe or socket)" of plan.to_csv(a folder)
    with pytest.raises(IsADirectoryError, match="is a folder; give a file name in it"):
        write_atomically(tmp_path, b"csv")
    assert list(tmp_path.iterdir()) == []


def test_a_file_no_one_may_write_is_kept(tmp_path: Path) -> None:
    # Before: renamed over like any other (as root, or by its owner in their own folder).
    kept = tmp_path / "plan.ics"
    kept.write_bytes(b"published")
    kept.chmod(0o444)
    with pytest.raises(OSError, match="read-only") as error:
        write_atomically(kept, b"new")
    assert error.value.filename == str(kept)
    assert kept.read_bytes() == b"published"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]
