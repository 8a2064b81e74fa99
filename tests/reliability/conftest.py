"""Fixtures of the reliability tests: ``serve`` (uvicorn in a thread) comes from tests/api."""

from __future__ import annotations

from tests.api.conftest import serve

__all__ = ["serve"]
