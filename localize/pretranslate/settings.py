"""``[tool.localize.pretranslate]``: which engine pre-translates, where it is and how hard to push it.

```toml
[tool.localize.pretranslate]
engine = "openai"                 # "openai" (any OpenAI-compatible chat API), "deepl" or "libretranslate"
url = "http://localhost:11434"    # the server; each engine has its public default
model = "llama3.1"                # the model, for "openai"
concurrency = 4                   # requests in flight at once
timeout = 120                     # seconds to wait for one answer
retries = 3                       # on 429, 5xx and refused connections (Retry-After is honoured)
backoff = 1.0                     # seconds before the second retry, doubled for each next one
batch = 20                        # segments per request

[tool.localize.pretranslate.language.uk]   # one language elsewhere
engine = "deepl"
target = "UK"                     # the language code as the engine spells it
```

API keys are never settings: they come from the environment variables the
services' own clients read (``OPENAI_API_KEY``, ``DEEPL_AUTH_KEY``, ``LT_API_KEY``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localize.errors import ConfigError
from localize.language import gettext_code

ENGINES = ("openai", "deepl", "libretranslate")
_ENGINE_KEYS = {"engine", "url", "model", "target"}
_KEYS = _ENGINE_KEYS | {"concurrency", "timeout", "retries", "backoff", "batch", "language"}


@dataclass(frozen=True)
class EngineSettings:
    """One engine as configured: its name, server URL ("" for the engine's default), model
    and the target language code it wants ("" for the one derived from the catalog's)."""

    engine: str = "openai"
    url: str = ""
    model: str = ""
    target: str = ""


@dataclass(frozen=True)
class PretranslateSettings:
    engine: EngineSettings = EngineSettings()
    languages: dict[str, EngineSettings] = field(default_factory=dict)
    concurrency: int = 4
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    batch: int = 20

    def engine_for(self, language: str) -> EngineSettings:
        return self.languages.get(language, self.engine)


def read_settings(table: Any, origin: Path) -> PretranslateSettings:
    """The settings of ``[tool.localize.pretranslate]``; a ConfigError names what is wrong."""
    where = "[tool.localize.pretranslate]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table", path=origin)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown setting in {where}: {', '.join(unknown)}", path=origin)
    engine = _engine(table, EngineSettings(), where, origin)
    overrides = table.get("language", {})
    if not isinstance(overrides, dict):
        raise ConfigError(f"{where}.language must be a table of languages", path=origin)
    languages = {}
    for code, override in overrides.items():
        place = f"{where}.language.{code}"
        if not isinstance(override, dict):
            raise ConfigError(f"{place} must be a table", path=origin)
        unknown = sorted(set(override) - _ENGINE_KEYS)
        if unknown:
            raise ConfigError(f"unknown setting in {place}: {', '.join(unknown)}", path=origin)
        # Another engine starts from its own defaults, not from the URL and model of the main one.
        base = engine if override.get("engine", engine.engine) == engine.engine else EngineSettings()
        languages[gettext_code(code)] = _engine(override, base, place, origin)

    def number(key: str, default: float, *, minimum: float, integer: bool) -> float:
        value = table.get(key, default)
        wrong = isinstance(value, bool) or not isinstance(value, int if integer else (int, float))
        if wrong or value < minimum:
            kind = "a whole number" if integer else "a number"
            raise ConfigError(f"{where} {key} must be {kind} of at least {minimum:g}", path=origin)
        return value

    return PretranslateSettings(
        engine=engine,
        languages=languages,
        concurrency=int(number("concurrency", 4, minimum=1, integer=True)),
        timeout=float(number("timeout", 120.0, minimum=0.01, integer=False)),
        retries=int(number("retries", 3, minimum=0, integer=True)),
        backoff=float(number("backoff", 1.0, minimum=0, integer=False)),
        batch=int(number("batch", 20, minimum=1, integer=True)),
    )


def _engine(table: dict[str, Any], base: EngineSettings, where: str, origin: Path) -> EngineSettings:
    values = {}
    for key in ("engine", "url", "model", "target"):
        value = table.get(key, getattr(base, key))
        if not isinstance(value, str):
            raise ConfigError(f"{where} {key} must be a string", path=origin)
        values[key] = value.strip()
    if values["engine"] not in ENGINES:
        raise ConfigError(
            f"{where} engine must be one of {', '.join(ENGINES)}, not {values['engine']!r}", path=origin
        )
    if values["url"] and not values["url"].lower().startswith(("http://", "https://")):
        raise ConfigError(f"{where} url must be an http:// or https:// URL", path=origin)
    return EngineSettings(**values)
