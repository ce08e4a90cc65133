"""A body too large to be an upload is refused with 413 before it is read, with or without a
Content-Length, on every route (the staff form and the API alike)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from peelkit import Workspace, inspectors
from peelkit.web.app import create_app
from peelkit.web.limits import FORM_ALLOWANCE


@pytest.fixture
def client(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(inspectors, "MAX_UPLOAD_BYTES", 10_000)
    workspace = Workspace(f"sqlite:///{tmp_path / 'limits.db'}")
    with TestClient(create_app(workspace)) as test_client:
        yield test_client
    workspace.close()


@pytest.mark.parametrize("path", ["/api/v1/inspections/1/uploads", "/staff/inspections/1/upload"])
def test_a_body_with_a_length_beyond_the_cap_is_refused_unread(
    client: TestClient, path: str
) -> None:
    body = b"x" * (10_000 + FORM_ALLOWANCE + 1)
    response = client.post(path, content=body, headers={"Accept": "application/json"})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "upload_too_large"
    assert f"{10_000 + FORM_ALLOWANCE:,}" in error["message"]


def test_a_body_without_a_length_is_cut_off_at_the_cap(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"y" * 8_192  # 160 KiB in all, sent chunked (no Content-Length)

    # The sign-in route reads its body before anything else.
    response = client.post(
        "/api/v1/session", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "upload_too_large"


def test_a_body_within_the_cap_reaches_the_route(client: TestClient) -> None:
    # Not signed in: the route itself answers (401), so the limit let the body through.
    response = client.post("/api/v1/inspections/1/uploads", content=b"z" * 1_000)
    assert response.status_code == 401
