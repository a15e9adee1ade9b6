"""The server connection (export/caldav/server.py) against a real Radicale: a wrong
password, a server nobody answers at, URLs that would expose a password, and no password
in any message or log line. The environment is isolated (conftest.py)."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from curriculum import Plan
from curriculum.errors import PublishError
from curriculum.export.caldav.credentials import PASSWORD_VARIABLE, Credentials
from curriculum.export.caldav.server import Server
from tests.export.caldav.radicale import PASSWORD, USER, Radicale, free_port


def secrets(password: str, user: str = USER) -> list[str]:
    """How a password could show: as it is, or inside a Basic authorization header."""
    return [password, base64.b64encode(f"{user}:{password}".encode()).decode()]


def test_a_wrong_password_is_one_clear_sentence_without_the_password(
    default_plan: Plan, server: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong horse battery"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PublishError) as failure:
        default_plan.publish("Training", url=server.url, user=USER, password=wrong, create=True)
    message = str(failure.value)
    assert message == (
        f"the server at {server.url} refused the user name or password of 'alice' (HTTP 401)"
    )
    assert failure.value.__cause__ is None and failure.value.__suppress_context__
    shown = " ".join([message, repr(failure.value), caplog.text, server.log.read_text()])
    for secret in [*secrets(wrong), *secrets(PASSWORD)]:
        assert secret not in shown
    assert server.writes() == []


def test_a_right_password_never_shows_in_the_client_logs(
    default_plan: Plan, server: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    default_plan.publish("Training", url=server.url, user=USER, create=True)
    assert caplog.records  # the client logged its work
    for secret in secrets(PASSWORD):
        assert secret not in caplog.text
        assert secret not in server.log.read_text()


def test_a_server_nobody_answers_at_is_reported_as_unreachable(default_plan: Plan) -> None:
    url = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    with pytest.raises(PublishError) as failure:
        default_plan.publish("Training", url=url, user=USER)
    assert str(failure.value) == f"cannot reach {url} to list the calendars: connection refused"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://cal.example.org/", "plain HTTP: the password would cross the network"),
        ("https://alice:hunter2@cal.example.org/", "the server URL holds a user name or password"),
        ("cal.example.org", "is not a server URL like https://"),
        ("https://[::1", "is not a server URL like https://"),  # was a ValueError traceback
    ],
)
def test_urls_that_would_expose_a_password_are_refused_before_any_request(
    url: str, words: str, default_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(PublishError) as failure:
        Server(url, Credentials(USER, PASSWORD, PASSWORD_VARIABLE))
    assert words in str(failure.value)
    assert "hunter2" not in str(failure.value)
    # publishing says so before it looks for a password (it used to say "no password for")
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent")
    with pytest.raises(PublishError) as failure:
        default_plan.publish("Training", url=url, dry_run=True)
    assert words in str(failure.value)


def test_https_certificates_are_verified(tmp_path: Path) -> None:
    # Radicale over TLS with a self-signed certificate for 127.0.0.1: the client trusts
    # only the system's authorities, so it refuses the connection (and sends no password)
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj"]
    names = ["/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    files = ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(["openssl", *request, *names, *files], check=True, capture_output=True)
    tls = {"ssl": "True", "certificate": str(cert), "key": str(key)}
    with Radicale(tmp_path / "r", {USER: PASSWORD}, server=tls) as running:
        assert running.url.startswith("https://")
        session = Server(running.url, Credentials(USER, PASSWORD, "test"), timeout=5)
        with closing(session), pytest.raises(PublishError) as failure:
            session.calendars()
        assert str(failure.value) == (
            f"cannot reach {running.url}: its TLS certificate could not be verified"
        )
        assert "PROPFIND" not in {method for method, _ in running.requests()}


def test_without_the_caldav_extra_publishing_says_what_to_install(
    default_plan: Plan, tmp_path: Path
) -> None:
    # a fresh interpreter in which `import caldav` fails, as where the extra is missing
    script = (
        "import sys; sys.modules['caldav'] = None\n"
        "from curriculum.cli import main\n"
        "sys.exit(main(['publish', sys.argv[1], '--caldav', 'https://cal.example.org/',"
        " '--calendar', 'Training', '--user', 'alice']))\n"
    )
    plan_file = tmp_path / "plan.csv"
    default_plan.to_csv(plan_file)
    done = subprocess.run(
        [sys.executable, "-c", script, str(plan_file)],
        capture_output=True,
        text=True,
        env={**os.environ, PASSWORD_VARIABLE: "pw"},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith('pip install "curriculum[caldav]"')
