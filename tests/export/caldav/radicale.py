"""A real Radicale CalDAV server for the publishing tests: a subprocess on 127.0.0.1 with
htpasswd authentication on (plain passwords, no delay after a wrong one), the owner-only
rights and its storage in a temporary folder, so that it can be stopped and started
again on the same storage and port ("the server went away mid-publish").

Every request it serves is in its log (`requests()`), which is how the tests count the
requests that change something (PUT, DELETE, MKCALENDAR, PROPPATCH, ...).
"""

from __future__ import annotations

import base64
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

import pytest

from curriculum.export.caldav.credentials import PASSWORD_VARIABLE

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
_REQUEST = re.compile(
    r"\] (GET|HEAD|PUT|DELETE|POST|PROPFIND|PROPPATCH|REPORT|MKCALENDAR|MKCOL|MOVE|OPTIONS) request for '([^']*)'"
)
WRITES = frozenset({"PUT", "DELETE", "POST", "PROPPATCH", "MKCALENDAR", "MKCOL", "MOVE"})


USER = "alice"
PASSWORD = "s3cret pw:x"  # a space and a colon: passed whole, never split


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """An environment no developer's own settings can change: HOME and NETRC in `home` (no
    ~/.netrc of theirs is read), no proxy for 127.0.0.1, caldav's request dump off, and
    alice's password in CURRICULUM_CALDAV_PASSWORD."""
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NETRC", str(home / ".netrc"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("PYTHON_CALDAV_COMMDUMP", raising=False)
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)


def strict_server(root: Path) -> Radicale:
    """Radicale with users alice and bob and strict preconditions: a PUT over an existing
    event without If-Match is refused (412), so a blind overwrite would show."""
    return Radicale(
        root, {USER: PASSWORD, "bob": "bobs pw"}, storage={"strict_preconditions": "True"}
    )


def free_port() -> int:
    """A port nobody listens on now (Radicale refuses port 0, so the test picks one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Radicale:
    """Radicale in a subprocess; a context manager that starts and stops it."""

    def __init__(self, root: Path, users: dict[str, str], **config: dict[str, str]) -> None:
        self.root = root
        self.users = users
        root.mkdir(parents=True, exist_ok=True)
        self.log = root / "radicale.log"
        self.config_file = root / "config"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        passwords = root / "users"
        passwords.write_text("".join(f"{user}:{word}\n" for user, word in users.items()))
        self.config: dict[str, dict[str, str]] = {
            "server": {"max_content_length": "100000000"},
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(passwords),
                "htpasswd_encryption": "plain",
                "delay": "0",
            },
            "rights": {"type": "owner_only"},
            "storage": {"filesystem_folder": str(root / "collections")},
            "web": {"type": "none"},
            "logging": {"level": "info"},
        }
        for section, options in config.items():
            self.config.setdefault(section, {}).update(options)

    @property
    def url(self) -> str:
        scheme = "https" if self.config["server"].get("ssl") == "True" else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"

    def __enter__(self) -> Radicale:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start (or start again, on the same storage and port); wait until it answers."""
        first = self.process is None and not self.config_file.exists()
        for _ in range(5):
            self.config["server"]["hosts"] = f"127.0.0.1:{self.port}"
            self.config_file.write_text(
                "".join(
                    f"[{section}]\n" + "".join(f"{k} = {v}\n" for k, v in options.items())
                    for section, options in self.config.items()
                )
            )
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "radicale", "--config", str(self.config_file)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._ready():
                return
            self.process = None
            if not first:  # the port must stay the same for a restart
                break
            self.port = free_port()  # taken meanwhile: another one
        raise RuntimeError(f"Radicale did not start:\n{self.log.read_text()[-2000:]}")

    def _ready(self, timeout: float = 30.0) -> bool:
        """Whether the process answers HTTP (any answer, 401 included) before it exits."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                _DIRECT.open(self.url, timeout=1).close()
            except urllib.error.HTTPError:
                return True
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, ssl.SSLError):  # TLS answered: a test certificate
                    return True
                time.sleep(0.05)
                continue
            except OSError:
                time.sleep(0.05)
                continue
            return True
        self.stop()
        raise RuntimeError(f"Radicale not ready after {timeout} s, see {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    # -- what the tests look at ---------------------------------------------------------

    def requests(self) -> list[tuple[str, str]]:
        """Every request served so far: (method, path)."""
        return _REQUEST.findall(self.log.read_text(errors="replace"))

    def writes(self) -> list[tuple[str, str]]:
        """The requests served so far that can change something."""
        return [(method, path) for method, path in self.requests() if method in WRITES]

    def stored(self, user: str, calendar: str) -> dict[str, bytes]:
        """The calendar's items as stored on disk (file name -> bytes), server up or not."""
        folder = self.root / "collections" / "collection-root" / user / calendar
        return {path.name: path.read_bytes() for path in sorted(folder.glob("*.ics"))}

    def get(self, user: str, path: str) -> tuple[bytes, str]:
        """A plain HTTP GET as `user` (no CalDAV client): the body and its ETag."""
        request = urllib.request.Request(self.url + path, headers=self._auth(user))
        with _DIRECT.open(request, timeout=10) as answer:
            return answer.read(), answer.headers.get("ETag", "")

    def put(self, user: str, path: str, body: bytes, etag: str | None = None) -> int:
        """A plain HTTP PUT as `user` (as another calendar client would); the status."""
        headers = {**self._auth(user), "Content-Type": "text/calendar; charset=utf-8"}
        if etag:
            headers["If-Match"] = etag
        request = urllib.request.Request(self.url + path, data=body, method="PUT", headers=headers)
        try:
            with _DIRECT.open(request, timeout=10) as answer:
                status: int = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        return status

    def _auth(self, user: str) -> dict[str, str]:
        token = base64.b64encode(f"{user}:{self.users[user]}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
