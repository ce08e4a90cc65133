"""The API's write side under /api/v1/: the session, inspections, their items and transitions,
accounts and the audit log. (Being written.)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
