"""The clients' HTTP: urllib3's Retry, proved on a local server (never the network)."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from requests.adapters import HTTPAdapter

from pipelines.lib.intake.sources import FetchError, get_json, http_session
from pipelines.lib.intake.sources.kolada import KoladaClient

ANSWER = {
    "count": 1,
    "values": [
        {
            "kpi": "N01951",
            "municipality": "0680",
            "period": 2019,
            "values": [{"gender": "T", "status": "", "value": 141081, "count": 1}],
        }
    ],
    "next_url": None,
}


class Script:
    """The answers the local server gives, in turn: (status, headers, body)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.seen: list[tuple[float, str]] = []


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # the session honours the environment's proxy settings; the local server is reached directly
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def serve():
    servers = []

    def start(answers) -> tuple[str, Script]:
        script = Script(answers)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                script.seen.append((time.monotonic(), self.path))
                status, headers, body = (
                    script.answers.pop(0) if script.answers else (599, {}, "script exhausted")
                )
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/v3", script

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


URL = "/data/kpi/N01951/municipality/0680/year/2019"


def test_429_with_retry_after_is_waited_for_then_retried(serve):
    base, script = serve([(429, {"Retry-After": "1"}, "Too Many Requests"), (200, {}, ANSWER)])
    kolada = KoladaClient(base_url=base, retries=4, backoff=0.01)
    frame = kolada.fetch_values(["N01951"], ["0680"], [2019])
    assert frame["varde"].to_list() == [141081.0]
    assert [path for _, path in script.seen] == ["/v3" + URL] * 2
    assert script.seen[1][0] - script.seen[0][0] >= 0.95  # waited the asked second


def test_5xx_are_retried_and_give_a_swedish_error_when_they_persist(serve):
    base, script = serve([(500, {}, "a"), (502, {}, "b"), (503, {}, "c"), (200, {}, ANSWER)])
    kolada = KoladaClient(base_url=base, retries=3, backoff=0.01)
    assert kolada.fetch_values(["N01951"], ["0680"], [2019]).height == 1
    assert len(script.seen) == 4  # the first attempt and three retries

    base, script = serve([(504, {}, "Gateway Timeout")] * 3)
    kolada = KoladaClient(base_url=base, retries=2, backoff=0.01)
    with pytest.raises(FetchError) as exc:
        kolada.fetch_values(["N01951"], ["0680"], [2019])
    assert len(script.seen) == 3
    message = str(exc.value)
    assert "Kolada" in message and "HTTP 504: Gateway Timeout" in message


def test_other_4xx_are_not_retried(serve):
    base, script = serve([(404, {}, "Not found"), (200, {}, ANSWER)])
    kolada = KoladaClient(base_url=base, retries=4, backoff=0.01)
    with pytest.raises(FetchError, match="avvisade.*HTTP 404"):
        kolada.fetch_values(["N01951"], ["0680"], [2019])
    assert len(script.seen) == 1


def test_no_contact_gives_a_swedish_error():
    with socket.socket() as free:  # a port nobody listens on once the socket is closed
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    base = f"http://127.0.0.1:{port}/v3"
    session = http_session(base, retries=2, backoff=0.01)
    with pytest.raises(FetchError, match="Kolada svarade inte på .*ConnectionError"):
        get_json(session, base, base + "/x", timeout=2, service="Kolada")


def test_session_verifies_tls_and_retries_only_towards_its_host():
    base = "https://api.kolada.se/v3"
    session = http_session(base, retries=4, backoff=1.0)
    assert session.verify is True
    adapter = session.get_adapter(base + "/data/kpi/N1/municipality/0680/year/2019")
    assert isinstance(adapter, HTTPAdapter)
    retry = adapter.max_retries
    assert retry.total == 4 and retry.backoff_factor == 1.0
    assert tuple(retry.status_forcelist) == (429, 500, 502, 503, 504)
    assert retry.respect_retry_after_header is True
    assert set(retry.allowed_methods) == {"GET"}
    # another host gets requests' default adapter, which does not retry
    assert session.get_adapter("https://elsewhere.invalid/").max_retries.total == 0
    with pytest.raises(FetchError, match="konfigurerade adressen"):
        get_json(session, base, "https://elsewhere.invalid/v3/x", timeout=1, service="Kolada")
