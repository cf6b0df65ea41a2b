"""JSON text as ``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)`` writes it.

With an indent, json writes in Python rather than in C: for the flat objects of text,
numbers and booleans we write by the thousand (every page's JSON-LD, every article
of a language's manifest), it was most of their cost. Those are written here, each
value by json's own encoders; anything else is json's to write.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring as json_string  # json.dumps(text, ensure_ascii=False)


def indented_json(data: object, *, depth: int = 0) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)``, each of its lines
    ``depth`` levels deeper (as an item of a list ``depth - 1`` levels deep writes it)."""
    pad = "  " * depth
    if type(data) is dict and all(type(key) is str for key in data):
        lines = []
        for key, value in sorted(data.items()):
            encoded = _json_scalar(value)
            if encoded is None:
                break
            lines.append(f"{pad}  {json_string(key)}: {encoded}")
        else:
            return f"{pad}{{\n" + ",\n".join(lines) + f"\n{pad}}}" if lines else f"{pad}{{}}"
    return pad + json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n" + pad)


def _json_scalar(value: object) -> str | None:
    """``value`` as ``json.dumps(value, ensure_ascii=False)`` writes it, for text, numbers, booleans
    and None; ``None`` for anything else."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is str:
        return json_string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return None
