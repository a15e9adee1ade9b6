"""Generalised BACP (CSPLib prob064) data, as in the MiniZinc Challenge 2016/17 `gbac` model.

- `read` / `parse`: a lenient reader of the challenge's data files (`*-gbac.dzn`);
- `objective` / `violations`: the challenge model's objective and hard constraints,
  computed from a plan (one period per course) independently of any solver.

The model (`gbac.mzn`, by Jean-Noël Monette, modified by Gustav Björdal) reads, 1-based:

- every course gets one period in ``1..n_periods``;
- for every curriculum and period, the number of the curriculum's courses in that period
  lies in ``min_courses..max_courses``;
- for every pair ``(a, b)`` of ``precedes``: ``period_of[a] < period_of[b]``;
- ``objective = w1 * sum(delta[k, p]**2) + w2 * undesirable_violation`` where
  ``delta[k, p] = max(load[k, p] - ceil(T_k / P), floor(T_k / P) - load[k, p], 0)``,
  ``T_k`` is the summed load of curriculum ``k``, ``P`` the number of periods, and
  ``undesirable_violation`` counts the rows ``(course, period)`` of ``undesirable`` that the
  plan realises.

Everything here is 0-based: course ``i`` of the file is ``i - 1``, period ``p`` is ``p - 1``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Instance


@dataclass(frozen=True)
class Instance:
    """One GBACP instance, 0-based.

    Attributes
    ----------
    name : str
        Usually the file's stem, e.g. ``"UD2-gbac"``.
    n_periods : int
        Number of periods ``P``.
    min_courses, max_courses : int
        Bounds on the number of a curriculum's courses in one period.
    course_load : tuple of int
        Load (credits) of each course; its length is the number of courses.
    curricula : tuple of tuple of int
        Courses of each curriculum, sorted, 0-based, without repeats.
    precedences : tuple of (int, int)
        Pairs ``(a, b)``: course ``a`` in a strictly earlier period than course ``b``.
    undesirable : tuple of (int, int)
        Rows ``(course, period)``, in file order; repeats are kept (the model counts each row).
    w1, w2 : int
        Weights of the balance term and of the undesirable term.
    stated_optimum : int or None
        An optimum stated in the file's header comment (``optimal cost = N``), if any.
    """

    name: str
    n_periods: int
    min_courses: int
    max_courses: int
    course_load: tuple[int, ...]
    curricula: tuple[tuple[int, ...], ...]
    precedences: tuple[tuple[int, int], ...]
    undesirable: tuple[tuple[int, int], ...]
    w1: int
    w2: int
    stated_optimum: int | None = None

    @property
    def n_courses(self) -> int:
        """Number of courses."""
        return len(self.course_load)

    @property
    def n_curricula(self) -> int:
        """Number of curricula."""
        return len(self.curricula)

    @property
    def total_load(self) -> tuple[int, ...]:
        """Summed course load ``T_k`` of each curriculum."""
        return tuple(sum(self.course_load[c] for c in cur) for cur in self.curricula)

    @property
    def band(self) -> tuple[tuple[int, int], ...]:
        """``(floor(T_k / P), ceil(T_k / P))`` of each curriculum: its deviation-free loads."""
        p = self.n_periods
        return tuple((t // p, -(-t // p)) for t in self.total_load)


# --------------------------------------------------------------------------------------------
# Reading .dzn data

_TOKEN = re.compile(r"\s*(?:(-?\d+)|([A-Za-z_]\w*)|(\.\.|\[\||\|\]|[\[\]{}(),|]))")
_STATED = re.compile(r"optim\w*\s+(?:cost|value|objective)\s*[=:]\s*(-?\d+)", re.IGNORECASE)


def _strip_comments(text: str) -> tuple[str, str]:
    """Remove ``/* ... */`` (an unclosed one runs to its line's end) and ``%`` comments.

    Returns
    -------
    tuple of str
        The text without comments, and the comments' text joined by newlines.
    """
    out: list[str] = []
    notes: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':  # a string literal: keep it whole, `%` inside is not a comment
            j = text.find('"', i + 1)
            j = n if j < 0 else j + 1
            out.append(text[i:j])
            i = j
        elif ch == "%":
            j = text.find("\n", i)
            j = n if j < 0 else j
            notes.append(text[i + 1 : j])
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:  # never closed: end the comment at the end of its line
                j = text.find("\n", i)
                j = n if j < 0 else j
                notes.append(text[i + 2 : j])
                i = j
            else:
                notes.append(text[i + 2 : j])
                out.append(" ")
                i = j + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out), "\n".join(notes)


class _Parser:
    """Recursive-descent reader of the right-hand sides of `.dzn` assignments.

    Values are ``int``, ``list`` (1d array literal), ``frozenset`` (set literal, ranges
    expanded), ``range`` (``a..b``), ``str`` (a bare identifier, e.g. an index-set name) or,
    for 2d arrays (``array2d(...)`` or ``[| ... |]``), a list of row lists.
    """

    def __init__(self, text: str, where: str) -> None:
        self.tokens: list[str] = []
        self.where = where
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise ValueError(f"{where}: cannot read {text[pos : pos + 20]!r}")
            self.tokens.append(m.group(m.lastindex or 0))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def _peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        tok = self._peek()
        if tok is None or (expected is not None and tok != expected):
            raise ValueError(f"{self.where}: expected {expected or 'a value'}, got {tok!r}")
        self.i += 1
        return tok

    def value(self) -> object:
        """Read one whole value; trailing tokens are an error."""
        v = self._expr()
        if self._peek() is not None:
            raise ValueError(f"{self.where}: unexpected {self._peek()!r}")
        return v

    def _expr(self) -> object:
        v = self._atom()
        if self._peek() == "..":
            self._take()
            hi = self._atom()
            if not isinstance(v, int) or not isinstance(hi, int):
                raise ValueError(f"{self.where}: a range needs integer ends")
            return range(v, hi + 1)
        return v

    def _atom(self) -> object:
        tok = self._take()
        if tok == "[":
            return self._items("]")
        if tok == "{":
            items = self._items("}")
            out: set[int] = set()
            for it in items:
                if isinstance(it, range):
                    out.update(it)
                elif isinstance(it, int):
                    out.add(it)
                else:
                    raise ValueError(f"{self.where}: a set holds integers, got {it!r}")
            return frozenset(out)
        if tok == "[|":
            return self._rows()
        if tok.lstrip("-").isdigit():
            return int(tok)
        if re.fullmatch(r"array\d+d", tok) and self._peek() == "(":
            self._take("(")
            args = self._items(")")
            return self._reshape(tok, args)
        if tok.isidentifier():
            return tok
        raise ValueError(f"{self.where}: unexpected {tok!r}")

    def _items(self, close: str) -> list[object]:
        items: list[object] = []
        while self._peek() != close:
            items.append(self._expr())
            if self._peek() == ",":
                self._take()
            elif self._peek() != close:
                raise ValueError(f"{self.where}: expected ',' or {close!r}, got {self._peek()!r}")
        self._take(close)
        return items

    def _rows(self) -> list[list[object]]:
        rows: list[list[object]] = [[]]
        while True:
            tok = self._peek()
            if tok == "|]":
                self._take()
                break
            if tok == "|":
                self._take()
                rows.append([])
            elif tok == ",":
                self._take()
            else:
                rows[-1].append(self._expr())
        return [r for r in rows if r]

    def _reshape(self, fn: str, args: list[object]) -> list[list[object]]:
        if fn != "array2d" or len(args) != 3 or not isinstance(args[2], list):
            raise ValueError(f"{self.where}: only array2d(rows, cols, [...]) is read")
        flat = args[2]
        cols = len(args[1]) if isinstance(args[1], range) else None
        rows = len(args[0]) if isinstance(args[0], range) else None
        if cols is None:
            if rows is None or rows == 0:
                raise ValueError(f"{self.where}: array2d with no literal index set")
            cols = len(flat) // rows
        if cols <= 0 or len(flat) % cols:
            raise ValueError(f"{self.where}: {len(flat)} values do not fill rows of {cols}")
        if rows is not None and rows * cols != len(flat):
            raise ValueError(f"{self.where}: {len(flat)} values for a {rows}x{cols} array")
        return [flat[i : i + cols] for i in range(0, len(flat), cols)]


def _int(data: dict[str, object], key: str, where: str) -> int:
    v = data.get(key)
    if not isinstance(v, int):
        raise ValueError(f"{where}: `{key}` must be an integer, got {v!r}")
    return v


def _int_list(v: object, key: str, where: str) -> list[int]:
    if not isinstance(v, list) or not all(isinstance(x, int) for x in v):
        raise ValueError(f"{where}: `{key}` must be an array of integers")
    return [x for x in v if isinstance(x, int)]


def _pairs(data: dict[str, object], key: str, where: str) -> list[tuple[int, int]]:
    """A 2-column table given as a 2d array or, leniently, as a flat 1d array of pairs."""
    v = data.get(key, [])
    if not isinstance(v, list):
        raise ValueError(f"{where}: `{key}` must be an array")
    if v and all(isinstance(r, list) for r in v):
        flat: list[int] = []
        for r in v:
            if not isinstance(r, list) or len(r) != 2:
                raise ValueError(f"{where}: `{key}` rows must be pairs")
            flat += _int_list(r, key, where)
    else:
        flat = _int_list(v, key, where)
    if len(flat) % 2:
        raise ValueError(f"{where}: `{key}` has an odd number of values")
    return list(zip(flat[0::2], flat[1::2]))


def parse(text: str, name: str = "<gbacp>") -> Instance:
    """Parse the text of a challenge `gbac` data file.

    Lenient: ``%`` and ``/* */`` comments anywhere (an unclosed ``/*`` ends at its line's
    end), any whitespace, a missing final ``;``, set literals with ranges (``{1, 3..5}``),
    2d arrays as ``array2d(ix, 1..2, [...])`` or ``[| a, b | c, d |]`` (or even a flat 1d
    array of pairs), unknown extra assignments (ignored). Counts (``n_courses``,
    ``n_curricula``, ``n_precedences``, ``n_undesirables``) are checked when present and
    inferred when absent; ``min_courses`` defaults to 0, ``max_courses`` to no limit,
    ``w1``/``w2`` to 1.

    Parameters
    ----------
    text : str
        The file's contents.
    name : str
        The instance's name.

    Returns
    -------
    Instance
        The instance, 0-based.

    Raises
    ------
    ValueError
        On syntax the reader cannot follow, a missing ``n_periods``, ``course_load`` or
        ``courses_of``, a count that disagrees with its data, or an index out of range.
    """
    body, notes = _strip_comments(text)
    data: dict[str, object] = {}
    for stmt in body.split(";"):
        stmt = stmt.strip()
        if not stmt:
            continue
        key, eq, rhs = stmt.partition("=")
        key = key.strip()
        if not eq or not key.isidentifier():
            raise ValueError(f"{name}: not an assignment: {stmt[:40]!r}")
        data[key] = _Parser(rhs, f"{name}: {key}").value()

    for key in ("n_periods", "course_load", "courses_of"):
        if key not in data:
            raise ValueError(f"{name}: `{key}` is missing")
    n_periods = _int(data, "n_periods", name)
    loads = _int_list(data["course_load"], "course_load", name)
    n_courses = _int(data, "n_courses", name) if "n_courses" in data else len(loads)

    raw_cur = data["courses_of"]
    if not isinstance(raw_cur, list) or not all(isinstance(s, frozenset) for s in raw_cur):
        raise ValueError(f"{name}: `courses_of` must be an array of sets")
    curricula = [sorted(c - 1 for c in s) for s in raw_cur if isinstance(s, frozenset)]
    n_curricula = _int(data, "n_curricula", name) if "n_curricula" in data else len(curricula)

    precedences = [(a - 1, b - 1) for a, b in _pairs(data, "precedes", name)]
    undesirable = [(c - 1, p - 1) for c, p in _pairs(data, "undesirable", name)]

    checks = [
        ("n_courses", n_courses, len(loads)),
        ("n_curricula", n_curricula, len(curricula)),
        ("n_precedences", data.get("n_precedences", len(precedences)), len(precedences)),
        ("n_undesirables", data.get("n_undesirables", len(undesirable)), len(undesirable)),
    ]
    for key, stated, found in checks:
        if stated != found:
            raise ValueError(f"{name}: `{key}` = {stated!r} but the data has {found}")
    if n_periods < 1:
        raise ValueError(f"{name}: n_periods must be positive")
    for k, cur in enumerate(curricula):
        if cur and not (cur[0] >= 0 and cur[-1] < n_courses):
            raise ValueError(f"{name}: curriculum {k + 1} names a course out of range")
    for a, b in precedences:
        if not (0 <= a < n_courses and 0 <= b < n_courses):
            raise ValueError(f"{name}: precedence ({a + 1}, {b + 1}) out of range")
    for c, p in undesirable:
        if not (0 <= c < n_courses and 0 <= p < n_periods):
            raise ValueError(f"{name}: undesirable ({c + 1}, {p + 1}) out of range")

    stated = _STATED.search(notes)
    return Instance(
        name=name,
        n_periods=n_periods,
        min_courses=_int(data, "min_courses", name) if "min_courses" in data else 0,
        max_courses=_int(data, "max_courses", name) if "max_courses" in data else n_courses,
        course_load=tuple(loads),
        curricula=tuple(tuple(c) for c in curricula),
        precedences=tuple(precedences),
        undesirable=tuple(undesirable),
        w1=_int(data, "w1", name) if "w1" in data else 1,
        w2=_int(data, "w2", name) if "w2" in data else 1,
        stated_optimum=int(stated.group(1)) if stated else None,
    )


def read(path: str | Path) -> Instance:
    """Read a challenge `gbac` data file (see `parse`), named after the file's stem."""
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), name=path.stem)


# --------------------------------------------------------------------------------------------
# Checking a plan


def _check_shape(instance: Instance, period_of: Sequence[int]) -> None:
    if len(period_of) != instance.n_courses:
        raise ValueError(f"plan has {len(period_of)} periods for {instance.n_courses} courses")
    for c, p in enumerate(period_of):
        if not 0 <= p < instance.n_periods:
            raise ValueError(f"course {c} has period {p}, not in 0..{instance.n_periods - 1}")


def balance_terms(instance: Instance, period_of: Sequence[int]) -> list[list[int]]:
    """``delta[k][p]``: how far curriculum ``k``'s load in period ``p`` (0-based, as in
    `period_of`) lies outside its band, ``>= 0``; ValueError for a plan of the wrong shape."""
    _check_shape(instance, period_of)
    out: list[list[int]] = []
    for cur, (lo, hi) in zip(instance.curricula, instance.band):
        load = [0] * instance.n_periods
        for c in cur:
            load[period_of[c]] += instance.course_load[c]
        out.append([max(v - hi, lo - v, 0) for v in load])
    return out


def objective(instance: Instance, period_of: Sequence[int]) -> int:
    """The challenge objective of a plan (0-based period of each course):
    ``w1 * sum(delta**2) + w2 * undesirable``, hard constraints unchecked (`violations`)."""
    norm = sum(d * d for row in balance_terms(instance, period_of) for d in row)
    bad = sum(1 for c, p in instance.undesirable if period_of[c] == p)
    return instance.w1 * norm + instance.w2 * bad


def violations(instance: Instance, period_of: Sequence[int]) -> list[str]:
    """The plan's broken hard constraints, one message each with the file's 1-based
    numbers (empty: feasible): periods in range, ``min_courses..max_courses`` courses of each
    curriculum in each period, each precedence ``(a, b)`` with ``a`` strictly first."""
    out: list[str] = []
    if len(period_of) != instance.n_courses:
        return [f"plan has {len(period_of)} entries for {instance.n_courses} courses"]
    for c, p in enumerate(period_of):
        if not isinstance(p, int) or not 0 <= p < instance.n_periods:
            out.append(f"course {c + 1}: period {p!r} is not one of 1..{instance.n_periods}")
    if out:
        return out
    for k, cur in enumerate(instance.curricula):
        count = [0] * instance.n_periods
        for c in cur:
            count[period_of[c]] += 1
        for p, n in enumerate(count):
            if not instance.min_courses <= n <= instance.max_courses:
                out.append(
                    f"curriculum {k + 1}, period {p + 1}: {n} courses, "
                    f"not in {instance.min_courses}..{instance.max_courses}"
                )
    for a, b in instance.precedences:
        if not period_of[a] < period_of[b]:
            out.append(
                f"precedence: course {a + 1} (period {period_of[a] + 1}) not before "
                f"course {b + 1} (period {period_of[b] + 1})"
            )
    return out
