"""Reading a file the user named: the path checked, the size bounded, the bytes read; every
failure as the project's own error, naming the file."""

from __future__ import annotations

import os
from pathlib import Path

from curriculum.errors import InputError, Problem

MiB = 1024 * 1024


def read_input(path: object, error: type[InputError], *, most: int) -> tuple[Path, bytes]:
    """The path and the bytes of an input file of at most `most` bytes.

    Raises
    ------
    InputError
        Of the type given: when `path` is not a path, or the file cannot be read or is
        larger than `most` (a catalog, programme or plan that large is a wrong file).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise error([Problem(repr(path), f"expected a file path, not {type(path).__name__}")])
    found = Path(path)
    try:
        size = found.stat().st_size
        if size <= most:  # a device or pipe says 0: what it gives is counted as it comes
            with found.open("rb") as stream:
                data = stream.read(most + 1)
            size = len(data)
    except OSError as exc:
        raise error([Problem(str(found), f"cannot read the file ({exc.strerror})")]) from None
    if size > most:
        shown = f"{size / MiB:,.1f} MiB" if size > most + 1 else f"more than {most / MiB:g} MiB"
        message = (
            f"the file is {shown}; expected at most {most / MiB:g} MiB (is it the right file?)"
        )
        raise error([Problem(str(found), message)])
    return found, data


def read_text(path: object, error: type[InputError], *, most: int) -> tuple[Path, str]:
    """The path and the text of a UTF-8 input file (a byte-order mark, as Notepad writes,
    is dropped) of at most `most` bytes; `error` naming the file (and the line of the first
    byte that is not UTF-8) otherwise."""
    found, raw = read_input(path, error, most=most)
    try:
        return found, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error([Problem(str(found), "the file is not UTF-8", line=line)]) from None
