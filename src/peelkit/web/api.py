"""The JSON API under /api/v1/: views as JSON (the shapes of docs/json-output.md)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
