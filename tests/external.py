"""Test helpers that drive real external validators (proposed tests/external.py).

Nothing here imports gi, node or poppler: each tool runs as a subprocess, so the
project venv needs no system packages. Each helper raises `ToolMissingError` when its
tool is absent, so a test can `pytest.skip` locally but CI (which installs them)
fails loudly - see `require()`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

HERE = Path(__file__).resolve().parent
DEBIAN_PYTHON = "/usr/bin/python3"  # Debian's interpreter: the one that has python3-gi
LIBICAL_SCRIPT = HERE / "tools" / "libical_check.py"  # runs under DEBIAN_PYTHON, prints JSON
ICALJS_SCRIPT = HERE / "tools" / "icaljs_occurrences.cjs"  # runs under node, prints JSON
# where `.ci/run` put ical.js (npm install --prefix ...); override with ICALJS_PREFIX
ICALJS_PREFIX = Path(os.environ.get("ICALJS_PREFIX", HERE.parent / ".cache" / "icaljs"))


class ToolMissingError(RuntimeError):
    """An external validator is not installed on this machine."""


def require(exc: ToolMissingError) -> NoReturn:
    """In CI (CI=true) a missing tool is a failure; elsewhere the test is skipped."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"validator missing in CI: {exc}")
    pytest.skip(str(exc))


def _run(cmd: list[str], timeout: float = 120, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc.stdout


# --- (a) libical restriction check (RFC 5546 / iTIP) ------------------------------------


def libical_restriction_errors(ics: Path) -> dict[str, Any]:
    """Return {"ok", "method", "parse_errors", "restriction_errors"} from libical 3.0.

    Each error is {"component", "type" (INVALID-ITIP, VALUE-PARSE-ERROR ...), "message"}.
    """
    probe = (
        subprocess.run(
            [DEBIAN_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
            capture_output=True,
            text=True,
            check=False,
        )
        if Path(DEBIAN_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        raise ToolMissingError("libical GI bindings: apt-get install gir1.2-ical-3.0 python3-gi")
    # -I: isolated mode, so the venv's PYTHONPATH/site-packages never leak into Debian's python
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = _run([DEBIAN_PYTHON, "-I", str(LIBICAL_SCRIPT), str(ics)], env=env)
    return json.loads(out)  # type: ignore[no-any-return]


# --- (b) ical.js occurrences -------------------------------------------------------------


def icaljs_occurrences(ics: Path, max_per_event: int = 10000) -> list[dict[str, Any]]:
    """Every VEVENT occurrence as ical.js expands it (RRULE/RDATE/EXDATE/RECURRENCE-ID).

    Each item: {"uid", "summary", "start", "end", "recurrence_id", "overridden"?}; a
    time is {"utc": "2025-03-03T14:00:00Z", "epoch": int, "local", "tzid", "all_day",
    "floating"[, "unresolved_tzid"]} or, for all-day values, {"date": "2025-03-10", ...}.
    """
    node = shutil.which("node")
    if node is None or not (ICALJS_PREFIX / "node_modules" / "ical.js" / "package.json").exists():
        raise ToolMissingError(f"ical.js: npm install --prefix {ICALJS_PREFIX} ical.js")
    env = dict(os.environ, ICALJS_PREFIX=str(ICALJS_PREFIX), TZ="UTC")
    out = _run([node, str(ICALJS_SCRIPT), str(ics), str(max_per_event)], env=env)
    return json.loads(out)["occurrences"]  # type: ignore[no-any-return]


# --- (c) Chromium HTML -> PDF / PNG, and PDF inspection ------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-quic",
    "--hide-scrollbars",
    "--mute-audio",
]


def _chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        raise ToolMissingError("chromium: apt-get install chromium")
    return exe


def html_to_pdf(html: Path, pdf: Path, timeout: float = 120) -> Path:
    """Print with the page size from the page's CSS `@page { size: A4 }` (no CSS: US Letter)."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        _run(
            [
                _chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf.resolve()}",
                html.resolve().as_uri(),
            ],
            timeout=timeout,
        )
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {html}")
    return pdf


def html_screenshot(html: Path, png: Path, width: int = 1280, height: int = 1600) -> Path:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        _run(
            [
                _chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png.resolve()}",
                html.resolve().as_uri(),
            ]
        )
    return png


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    width_pt: float
    height_pt: float
    page_texts: list[str]

    @property
    def paper(self) -> str:
        w, h = sorted((round(self.width_pt), round(self.height_pt)))
        return {(595, 842): "A4", (612, 792): "Letter"}.get((w, h), f"{w}x{h}pt")


def pdf_info(pdf: Path) -> PdfInfo:
    """Page count, first-page size and per-page text, via pypdf (pure Python, in the venv)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    return PdfInfo(
        len(reader.pages),
        float(box.width),
        float(box.height),
        [(p.extract_text() or "").strip() for p in reader.pages],
    )


def pdf_page_count_poppler(pdf: Path) -> int:
    """Same count via poppler's pdfinfo (no Python dependency)."""
    if shutil.which("pdfinfo") is None:
        raise ToolMissingError("pdfinfo: apt-get install poppler-utils")
    for line in _run(["pdfinfo", str(pdf)]).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise RuntimeError("pdfinfo printed no page count")


def pdf_page_is_blank(pdf: Path, page: int, dpi: int = 30, threshold: int = 250) -> bool:
    """True if page (1-based) renders to all-white pixels (text-free *and* ink-free).

    Renders one grayscale page with pdftoppm to binary PGM and reads the bytes: no PIL.
    """
    if shutil.which("pdftoppm") is None:
        raise ToolMissingError("pdftoppm: apt-get install poppler-utils")
    proc = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    data = proc.stdout  # b"P5\n<w> <h>\n255\n" + w*h bytes of 8-bit gray
    magic, w, h = data.split(maxsplit=3)[:3]
    if magic != b"P5":
        raise RuntimeError("pdftoppm did not return a PGM image")
    pixels = data[-int(w) * int(h) :]  # the raster is the tail; the header is ASCII
    return min(pixels) >= threshold


def pdf_page_png(pdf: Path, page: int, out_stem: Path, dpi: int = 80) -> Path:
    """Render one PDF page to PNG (for a look with the file viewer)."""
    if shutil.which("pdftoppm") is None:
        raise ToolMissingError("pdftoppm: apt-get install poppler-utils")
    _run(
        [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(out_stem),
        ]
    )
    return out_stem.with_suffix(".png")


# --- (d) a spreadsheet: LibreOffice Calc opens a CSV and saves it again ------------------


def spreadsheet_round_trip(csv_file: Path, out_dir: Path) -> Path:
    """`csv_file` as LibreOffice Calc (headless, US English, detecting dates and times)
    opens it and saves it back as CSV; the saved file's path.

    What a user does when they edit a plan in a spreadsheet: times come back as '06:00:00
    PM', numbers as '1', flags as 'TRUE'.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        raise ToolMissingError("LibreOffice Calc: apt-get install libreoffice-calc-nogui")
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    # field separator, text delimiter, UTF-8 (76), from line 1, no column formats, US
    # English (1033), quoted fields not forced to text, detect special numbers (dates, times)
    options = "44,34,76,1,,1033,false,true"
    _run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            f"--infilter=CSV:{options}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out_dir),
            str(csv_file),
        ],
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return out_dir / csv_file.name


# --- (e) printed pages: the report and the handout -------------------------------------


def printed(html: str, paper: str, folder: Path) -> Path:
    """The page printed to PDF on `paper` ("A4" or "letter"), as a browser's print dialog
    would choose it (the page itself names no paper size)."""
    page = folder / f"page-{paper}.html"
    page.write_text(html.replace("</style>", f"@page {{ size: {paper}; }}</style>"), "utf-8")
    return html_to_pdf(page, folder / f"page-{paper}.pdf")


def assert_prints_without_an_empty_page(html: str, paper: str, folder: Path) -> str:
    """Printed on `paper`: every page has ink, and the last holds more than the footer.
    Returns the printed text, ligatures undone and spaces single. A missing tool skips, or
    fails in CI."""
    try:
        pdf = printed(html, paper, folder)
        info = pdf_info(pdf)
        blank = [page for page in range(1, info.pages + 1) if pdf_page_is_blank(pdf, page)]
    except ToolMissingError as missing:
        require(missing)
        raise
    assert info.paper == {"A4": "A4", "letter": "Letter"}[paper]
    assert blank == []
    last = info.page_texts[-1]
    footer = re.search(r"(Prepared with curriculum|Please keep this page).*", last, re.DOTALL)
    assert footer is not None
    assert last[: footer.start()].strip(), "the last page holds only the footer"
    return " ".join(unicodedata.normalize("NFKC", " ".join(info.page_texts)).split())
