"""The staff pages: sign in and out, the inspections being made, an inspection's forms,
transitions, uploads, accounts and the audit log. (Being written.)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
