"""``json_text.indented_json`` writes what json.dumps(indent=2, sort_keys) writes, byte for byte."""

from __future__ import annotations

import enum
import json

import pytest

from localize.json_text import indented_json


class Level(enum.IntEnum):
    HIGH = 2


@pytest.mark.parametrize("data", [
    {"slug": "2015/kyiv", "published": True, "outdated": False, "date": None, "segments": 12,
     "percent_translated": 79.9, "title": 'Сирены "в" Киеве\\ </script> 😀 عربى 中文'},
    {"b": -0.0, "a": 1e300, "c": 10**30, "d": 0.1 + 0.2},
    {"nan": float("nan")},  # json writes NaN (not JSON): the general encoder says so
    {"level": Level.HIGH},  # an int of another type: json's to write
    {"nested": {"x": [1, 2]}, "flat": "text"},
    {1: "a key that is not text"},
    {},
    ["not", "an", "object"],
    "text",
])
@pytest.mark.parametrize("depth", [0, 2])
def test_indented_json_is_what_json_writes(data, depth):
    expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    pad = "  " * depth
    assert indented_json(data, depth=depth) == pad + expected.replace("\n", "\n" + pad)
