"""The machine translation engines, each speaking its own wire protocol through ``localize.fetch``.

* ``openai``: ``POST {url}/v1/chat/completions``, which OpenAI, ollama, vLLM and
  llama.cpp's server all speak. Each request carries the article's title, the
  segments around the batch and (when a glossary is given) its terms, and asks
  for a JSON array of translations, which is validated.
* ``deepl``: ``POST /v2/translate`` with ``Authorization: DeepL-Auth-Key``, a
  ``text`` array, ``tag_handling=xml`` and ``ignore_tags=x`` for the markup tokens,
  the title as ``context`` (not billed). 456 is an exhausted quota, 403 a refused key.
* ``libretranslate``: ``POST /translate`` with ``q`` as an array, ``format=html``
  (tags kept) and ``api_key`` when one is set.

API keys come from the environment variables the services' own clients read,
go into a header or the body of a request and nowhere else.
Retries with backoff (Retry-After honoured) happen in the session (``fetch.api_session``);
what is left after them is an EngineError: one line saying what went wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from localize.errors import LocalizeError
from localize.fetch import ApiResponse, FetchError, Session, is_loopback, post_api
from localize.pretranslate.settings import EngineSettings

# The environment variables each service's own clients read.
KEY_VARIABLES = {"openai": "OPENAI_API_KEY", "deepl": "DEEPL_AUTH_KEY", "libretranslate": "LT_API_KEY"}
DEFAULT_URLS = {
    "openai": "https://api.openai.com",
    "deepl": "https://api.deepl.com",
    "libretranslate": "https://libretranslate.com",
}
DEEPL_FREE_URL = "https://api-free.deepl.com"  # for keys ending in ":fx", as DeepL's clients choose
MAX_BATCH = {"deepl": 50}  # DeepL takes at most 50 texts per request


class EngineError(LocalizeError):
    """An engine could not be reached, refused us, ran out of quota or answered nonsense."""


@dataclass(frozen=True)
class Batch:
    """Segments to translate together (markup already protected), with what helps an LLM:
    the article's title, the segments before and after the batch, and glossary terms
    (pairs of source term and required translation)."""

    texts: tuple[str, ...]
    title: str = ""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    glossary: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Languages:
    """The languages of a request: the project's codes and English names, and the codes
    the engine wants (``target`` from the settings when the derived one is wrong)."""

    source: str
    target: str
    source_name: str
    target_name: str
    engine_target: str = ""


class Engine(Protocol):
    name: str
    model: str
    xml: bool  # whether the text sent is XML (markup tokens are tags, the rest escaped)

    def target_code(self, languages: Languages) -> str: ...

    def translate(self, batch: Batch, languages: Languages) -> list[str]: ...


def make_engine(
    settings: EngineSettings, *, session: Session, timeout: float, environ: Mapping[str, str]
) -> Engine:
    """The engine the settings name, with its key from ``environ``.

    The URL comes from the content tree, which takes contributions: a key is never
    sent in clear text over the network (http:// to another machine).
    """
    key = environ.get(KEY_VARIABLES[settings.engine], "").strip()
    address = urlsplit(settings.url)
    if key and address.scheme == "http" and not is_loopback(address.hostname or ""):
        raise EngineError(
            f"{settings.engine}: {KEY_VARIABLES[settings.engine]} is set, and {settings.url} is plain http on another "
            "machine: the key would travel unencrypted; use https:// (or a server on this machine)"
        )
    if settings.engine == "openai":
        return ChatCompletions(settings, session=session, timeout=timeout, key=key)
    if settings.engine == "deepl":
        return DeepL(settings, session=session, timeout=timeout, key=key)
    return LibreTranslate(settings, session=session, timeout=timeout, key=key)


class _HttpEngine:
    name = ""
    xml = True

    def __init__(self, settings: EngineSettings, *, session: Session, timeout: float, key: str) -> None:
        self.settings = settings
        self.session = session
        self.timeout = timeout
        self.key = key
        self.model = settings.model
        self.base = (settings.url or DEFAULT_URLS[self.name]).rstrip("/")

    def require_key(self) -> None:
        if not self.key:
            raise EngineError(f"{self.name}: set {KEY_VARIABLES[self.name]} in the environment to the service's API key")

    def post(self, url: str, body: object, headers: dict[str, str]) -> ApiResponse:
        try:
            return post_api(url, session=self.session, timeout=self.timeout, json=body, headers=headers)
        except FetchError as error:
            raise EngineError(f"{self.name}: {error.message}") from None

    def failure(self, response: ApiResponse, url: str, reason: str) -> EngineError:
        """One line: the engine, what the status means, and the server's own words."""
        said = _server_message(response)
        return EngineError(
            f"{self.name}: {reason} (HTTP {response.status} from {url})" + (f": {said}" if said else "")
        )

    def statuses(self, response: ApiResponse, url: str, variable: str) -> None:
        status = response.status
        if status in (401, 403):
            raise self.failure(response, url, f"authentication refused; check {variable}")
        if status == 429:
            raise self.failure(response, url, "too many requests, still refused after retries")
        if status == 404:
            raise self.failure(response, url, "not found; check the url (and model) in [tool.localize.pretranslate]")
        if status >= 500:
            raise self.failure(response, url, "the server failed, still after retries")
        if status != 200:
            raise self.failure(response, url, "request refused")

    def malformed(self, url: str, what: str) -> EngineError:
        return EngineError(f"{self.name}: malformed answer from {url}: {what}")


class ChatCompletions(_HttpEngine):
    """Any OpenAI-compatible chat-completions API; asks for a JSON array of translations."""

    name = "openai"
    xml = False

    def __init__(self, settings: EngineSettings, *, session: Session, timeout: float, key: str) -> None:
        super().__init__(settings, session=session, timeout=timeout, key=key)
        self.base = self.base.removesuffix("/v1")
        if not self.model:
            raise EngineError("openai: set model in [tool.localize.pretranslate] (such as model = \"llama3.1\")")

    def target_code(self, languages: Languages) -> str:
        return languages.engine_target or languages.target_name

    def translate(self, batch: Batch, languages: Languages) -> list[str]:
        if self.base == DEFAULT_URLS["openai"]:
            self.require_key()  # a local server (ollama, llama.cpp) needs none
        url = f"{self.base}/v1/chat/completions"
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": _instructions(languages.source_name, self.target_code(languages))},
                {"role": "user", "content": json.dumps(_request_object(batch), ensure_ascii=False)},
            ],
        }
        response = self.post(url, body, headers)
        if response.status == 429 and _error_code(response) == "insufficient_quota":
            raise self.failure(response, url, "quota exhausted")
        self.statuses(response, url, KEY_VARIABLES[self.name])
        data = response.json()
        try:
            content = data["choices"][0]["message"]["content"]  # type: ignore[index]
        except (TypeError, KeyError, IndexError):
            raise self.malformed(url, "no choices[0].message.content") from None
        if not isinstance(content, str):
            raise self.malformed(url, "the message content is not text")
        return self._translations(content, len(batch.texts), url)

    def _translations(self, content: str, count: int, url: str) -> list[str]:
        """The JSON array of the answer, checked: ``count`` strings."""
        text = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content.strip())
        try:
            found = json.loads(text)
        except ValueError:
            start, end = text.find("["), text.rfind("]")
            try:
                found = json.loads(text[start:end + 1]) if 0 <= start < end else None
            except ValueError:
                found = None
        if isinstance(found, dict):
            lists = [value for value in found.values() if isinstance(value, list)]
            found = lists[0] if len(lists) == 1 else None
        if not isinstance(found, list):
            raise self.malformed(url, f"not a JSON array of translations: {_shorten(content)}")
        if len(found) != count or not all(isinstance(item, str) for item in found):
            raise self.malformed(url, f"{count} translation(s) asked for, {len(found)} answered")
        return found


def _instructions(source: str, target: str) -> str:
    return (
        f"You translate news articles from {source} into {target} for a newsroom. The user sends a JSON object: "
        '"title" is the headline of the article, "before" and "after" are the segments around the ones to '
        'translate (context only, do not translate them), "glossary" gives terms and the translation they must '
        'have, and "segments" is the list to translate. Each segment is Markdown: keep the **, *, _ and ~~ '
        'markers around the words they mark. Keep every <x id="N"/> tag exactly as written, each one once: they '
        "stand for links, code and other markup, and may move with the words they belong to. "
        "Answer with a JSON array of strings and nothing else: the translation of each segment, in order."
    )


def _request_object(batch: Batch) -> dict[str, object]:
    request: dict[str, object] = {"title": batch.title}
    if batch.before:
        request["before"] = list(batch.before)
    if batch.after:
        request["after"] = list(batch.after)
    if batch.glossary:
        request["glossary"] = {term: translation for term, translation in batch.glossary}
    request["segments"] = list(batch.texts)
    return request


class DeepL(_HttpEngine):
    """DeepL API v2, with XML tag handling for the markup tokens."""

    name = "deepl"

    def __init__(self, settings: EngineSettings, *, session: Session, timeout: float, key: str) -> None:
        super().__init__(settings, session=session, timeout=timeout, key=key)
        if not settings.url and key.endswith(":fx"):
            self.base = DEEPL_FREE_URL

    def target_code(self, languages: Languages) -> str:
        if languages.engine_target:
            return languages.engine_target
        code = languages.target.replace("_", "-").upper()
        return _DEEPL_TARGETS.get(code, code)

    def translate(self, batch: Batch, languages: Languages) -> list[str]:
        self.require_key()
        url = f"{self.base}/v2/translate"
        body: dict[str, object] = {
            "text": list(batch.texts),
            "source_lang": languages.source.split("_")[0].upper(),
            "target_lang": self.target_code(languages),
            "tag_handling": "xml",
            "ignore_tags": ["x"],
        }
        if batch.title:
            body["context"] = batch.title
        response = self.post(url, body, {"Authorization": f"DeepL-Auth-Key {self.key}"})
        if response.status == 456:
            raise self.failure(response, url, "quota exhausted")
        self.statuses(response, url, KEY_VARIABLES[self.name])
        data = response.json()
        translations = data.get("translations") if isinstance(data, dict) else None
        if not isinstance(translations, list) or len(translations) != len(batch.texts):
            raise self.malformed(url, f"{len(batch.texts)} translation(s) asked for, "
                                      f"{len(translations) if isinstance(translations, list) else 'none'} answered")
        texts = [item.get("text") if isinstance(item, dict) else None for item in translations]
        if not all(isinstance(text, str) for text in texts):
            raise self.malformed(url, "a translation without text")
        return texts  # type: ignore[return-value]


# Project codes DeepL spells otherwise: it wants a variant for English and Portuguese
# targets, and names Chinese scripts rather than regions.
_DEEPL_TARGETS = {"EN": "EN-US", "PT": "PT-PT", "ZH-CN": "ZH-HANS", "ZH-SG": "ZH-HANS", "ZH-TW": "ZH-HANT",
                  "ZH-HK": "ZH-HANT", "NO": "NB"}


class LibreTranslate(_HttpEngine):
    """LibreTranslate: ``q`` as an array, HTML format so that the tokens come back as tags."""

    name = "libretranslate"

    def target_code(self, languages: Languages) -> str:
        return languages.engine_target or languages.target.split("_")[0].lower()

    def translate(self, batch: Batch, languages: Languages) -> list[str]:
        url = f"{self.base}/translate"
        body: dict[str, object] = {
            "q": list(batch.texts),
            "source": languages.source.split("_")[0].lower(),
            "target": self.target_code(languages),
            "format": "html",
        }
        if self.key:
            body["api_key"] = self.key
        response = self.post(url, body, {})
        if response.status == 403 or (response.status == 400 and "api key" in _server_message(response).lower()):
            raise self.failure(response, url, f"authentication refused; check {KEY_VARIABLES[self.name]}")
        self.statuses(response, url, KEY_VARIABLES[self.name])
        data = response.json()
        found = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(found, str) and len(batch.texts) == 1:
            found = [found]
        if not isinstance(found, list) or len(found) != len(batch.texts) or not all(isinstance(t, str) for t in found):
            raise self.malformed(url, f"{len(batch.texts)} translation(s) asked for in translatedText")
        return found


def _server_message(response: ApiResponse) -> str:
    """The error text of the body as each API words it: {"error": {"message"}}, {"error": "..."}, {"message"}."""
    data = response.json()
    message = ""
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            message = str(error.get("message") or error.get("code") or "")
        elif isinstance(error, str):
            message = error
        elif isinstance(data.get("message"), str):
            message = data["message"]
    elif response.body and not response.headers.get("content-type", "").startswith("text/html"):
        message = response.body[:200].decode("utf-8", "replace")
    return _shorten(message)


def _error_code(response: ApiResponse) -> str:
    data = response.json()
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or error.get("type") or "")
    return ""


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
