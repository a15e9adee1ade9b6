"""Reading an input text file, with the project's error for one that cannot be read."""

from __future__ import annotations

from pathlib import Path

from curriculum.errors import InputError, Problem


def read_text_file(path: str | Path, error: type[InputError]) -> str:
    """The text of a UTF-8 file (a leading byte order mark is dropped).

    Raises
    ------
    InputError
        Of the type given, naming the file: it cannot be read, or it is not UTF-8.
    """
    source = str(path)
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise error([Problem(source, f"cannot read the file ({exc.strerror})")]) from None
    except UnicodeDecodeError:
        raise error([Problem(source, "the file is not UTF-8")]) from None
