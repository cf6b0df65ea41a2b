"""Runs the steps over a content tree and returns reports; prints nothing."""

from __future__ import annotations
