"""Atomic file writes: a crash never leaves half a file where the user's file was, and the
files of one run are written as a set."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

WRITABLE = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over.

    The file gets the permissions a plain `open(path, "w")` would give (the old file's, or
    0o666 less the umask), not the private ones of a temporary file.
    """
    write_all_atomically({Path(path): data})


def write_all_atomically(files: Mapping[Path, bytes]) -> None:
    """Write several files as a set: every one to a temporary file beside it first (flushed
    to disk), and only when all of them are written, rename each over its target.

    When any write fails (a full disk, a folder that cannot be written), no target is
    touched, no temporary file is left, and the OSError names the target, not the
    temporary file. Only the renames come after that point; each is atomic. A target that
    is a symbolic link is written where it points (as `open` would), the link kept. A
    target `kept_in_place` names is an OSError before anything is written.
    """
    real = {target: _where(target) for target in files}
    for target in files:
        if problem := kept_in_place(target):
            code = errno.EISDIR if _where(target).is_dir() else errno.EPERM
            raise OSError(code, problem, str(target))
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            staged.append((_staged(real[target], data), real[target]))
        for temporary, target in staged:
            temporary.replace(target)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise


def kept_in_place(target: Path) -> str | None:
    """Why a file must not be written over, if it must not: it is a folder, or there but
    not a regular file (a device such as /dev/null, a pipe), which a rename would replace,
    or its permissions let no one write it (as root too): someone protected it."""
    where = _where(target)
    if where.is_dir():
        return "is a folder; give a file name in it"
    if where.exists() and not where.is_file():
        return "is not a regular file (a device, pipe or socket), which writing would replace"
    if where.is_file() and not where.stat().st_mode & WRITABLE:
        return "is read-only (no one may write it); make it writable, or write elsewhere"
    return None


def _where(target: Path) -> Path:
    """Where writing `target` writes: where it points, for a symbolic link."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def _staged(target: Path, data: bytes) -> Path:
    """`data` in a temporary file beside `target`, on disk, with the target's permissions."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), _mode_for(target))
            os.fsync(stream.fileno())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _mode_for(target: Path) -> int:
    """The existing file's permission bits, or the default for a new file."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
