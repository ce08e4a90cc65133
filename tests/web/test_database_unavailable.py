"""Issue 15 item 8: when the database cannot be reached, the API answers 503 with Retry-After and
the JSON error body (``database_unavailable``), pages answer a plain 503 page, and the app uses
the database again by itself once it is back, with no restart. Real faults: a PostgreSQL server
reached through a relay that is stopped and started, and a SQLite file whose folder cannot be
made until a file in its way is removed."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from peelkit.web.app import create_app
from tests.conftest import POSTGRES_ENV, _private_schema

INSPECTIONS = "/api/v1/inspections"
PUBLISHED = dt.date(2018, 3, 22)
DOWN = "the database is not available at the moment; try again shortly"


class Relay:
    """A TCP relay to a server. Started, the server is reachable at ``port``; stopped, nothing
    listens there and every connection it relayed is cut, as when the server goes away."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        self._spawn(self._accept, listener)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):  # shutdown wakes the accept() waiting on it
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            cut, self._sockets = self._sockets, []
        for sock in cut:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def _spawn(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, server]
            self._spawn(self._pump, client, server)
            self._spawn(self._pump, server, client)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


def _assert_unavailable(client: TestClient) -> None:
    """The API's 503 with its JSON body and Retry-After, and the page's plain 503."""
    answer = client.get(INSPECTIONS)
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "5"
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == {
        "error": {
            "code": "database_unavailable",
            "message": DOWN,
            "status": 503,
            "location": {
                "file": None,
                "sheet": None,
                "line": None,
                "row": None,
                "column": None,
                "field": None,
            },
        }
    }
    page = client.get("/", headers={"accept": "text/html"})
    assert page.status_code == 503
    assert page.headers["retry-after"] == "5"
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Temporarily unavailable</h1>" in page.text
    assert DOWN in page.text
    assert "<code>database_unavailable</code>" in page.text
    for answered in (answer.text, page.text):
        # The database's address stays in the server's log.
        assert "Traceback" not in answered
        assert "sqlite" not in answered and "postgresql" not in answered


def _assert_available(client: TestClient, forces: list[str]) -> None:
    answer = client.get(INSPECTIONS)
    assert answer.status_code == 200, answer.text
    assert [item["force"] for item in answer.json()["items"]] == forces
    assert client.get("/", headers={"accept": "text/html"}).status_code == 200


@pytest.mark.postgres
def test_postgresql_going_away_and_coming_back(open_workspace: Any) -> None:
    base = make_url(os.environ.get(POSTGRES_ENV) or "")
    with _private_schema() as url:
        builder = open_workspace(url)
        builder.add_inspection(
            force="Kent", framework="peel-2017", status="published", published=PUBLISHED
        )
        builder.close()
        relay = Relay(base.host or "127.0.0.1", base.port or 5432)
        relayed = make_url(url).set(host="127.0.0.1", port=relay.port)
        workspace = open_workspace(relayed.render_as_string(hide_password=False))
        try:
            with TestClient(create_app(workspace)) as client:
                _assert_unavailable(client)  # nothing listens at the port yet
                relay.start()
                _assert_available(client, ["kent"])
                relay.stop()  # the server goes away under open connections
                _assert_unavailable(client)
                relay.start()
                _assert_available(client, ["kent"])
        finally:
            relay.stop()


def test_a_sqlite_file_that_cannot_be_opened_until_its_folder_can_be_made(
    tmp_path: Path, open_workspace: Any
) -> None:
    in_the_way = tmp_path / "records"
    in_the_way.write_text("a file where the database's folder should be", encoding="utf-8")
    workspace = open_workspace(str(in_the_way / "record.sqlite"))
    with TestClient(create_app(workspace)) as client:
        _assert_unavailable(client)
        _assert_unavailable(client)  # still, while the file is there
        in_the_way.unlink()
        _assert_available(client, [])
        workspace.add_inspection(
            force="Kent", framework="peel-2017", status="published", published=PUBLISHED
        )
        _assert_available(client, ["kent"])
