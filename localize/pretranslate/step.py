"""``localize pretranslate``: fill untranslated entries with machine translations, marked fuzzy.

For each language, the catalogs of its articles (and ``ui.po``) are read and
their untranslated entries collected (fuzzy ones too with ``include_fuzzy``;
translated ones never, nor plural entries). Each is filled:

1. from an exact match of the translation memory, as ``extract`` does
   (translated, with a note saying where it came from), without asking an engine;
2. else from the answers cache, when the engine answered this very text before;
3. else from the engine, in batches of consecutive segments of one article (so
   that an LLM sees its title and neighbours), several batches at once.

A machine translation is written fuzzy, with a translator comment naming the
engine and model (``# Machine translation: deepl``), so that nothing is
published before a person confirms it. One whose markup does not survive
(a token lost, or the E2xx/E3xx checks fail it) is not written: the report
says why. An engine error stops the run; what was translated by then is still
written, each catalog replaced atomically, and every answer is in the cache.
A dry run asks no engine and writes nothing: it counts what would be sent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from localize.cache import open_cache
from localize.catalog import catalog_path, catalog_slugs, read_catalog_if_present, read_if_present, save_catalog
from localize.checks import CatalogContext, check_catalog
from localize.config import Config
from localize.errors import LocalizeError
from localize.fetch import ApiPolicy, api_session
from localize.glossary import Glossary
from localize.files import UNCHANGED
from localize.language import parse_language
from localize.lock import hold_lock, lock_path
from localize.memory import LanguageMemory, MemoryStore
from localize.model import Catalog, Message
from localize.pretranslate.answers import Answers, open_answers
from localize.pretranslate.engines import Batch, Engine, EngineError, Languages, MAX_BATCH, make_engine
from localize.pretranslate.markup import MarkupLost, Protected, protect, restore
from localize.pretranslate.provenance import MACHINE_NOTE, machine_note
from localize.pretranslate.settings import ENGINES, EngineSettings
from localize.termbase import load_glossary
from localize.ui import ui_catalog_path
from localize.update import Match, exact_match

FUZZY = "fuzzy"
CONTEXT_SEGMENTS = 2  # segments before and after a batch that an LLM sees as context
_TITLE_KIND = "front matter: title"
_UI_TITLE = "the site's own strings: menus, notices, links"
_SUPERSEDED_NOTES = (MACHINE_NOTE, "Translation memory:")


@dataclass(frozen=True)
class PretranslatePolicy:
    """What a run may do: ``engine`` overrides the configured one; ``limit`` caps the segments
    sent to engines in the whole run; ``include_fuzzy`` replaces fuzzy suggestions too."""

    engine: str | None = None
    dry_run: bool = False
    limit: int | None = None
    include_fuzzy: bool = False


@dataclass(frozen=True)
class Rejected:
    """An engine's answer that was not written, and why."""

    path: Path
    line: int | None
    reason: str


@dataclass(frozen=True)
class CatalogResult:
    path: Path
    status: str  # "updated" or "unchanged"
    machine: int  # entries filled by an engine (fuzzy)
    memory: int  # entries filled from the translation memory (translated)


@dataclass(frozen=True)
class LanguageCost:
    """What a language costs: the segments and characters sent (or, in a dry run, to be sent)."""

    language: str
    engine: str  # the engine as the notes name it: "deepl", "openai (llama3.1)"
    segments: int = 0
    characters: int = 0
    cached: int = 0  # answered from the cache: free
    memory: int = 0  # exact matches of the translation memory: free
    held: int = 0  # left for another run by the limit


@dataclass(frozen=True)
class PretranslateReport:
    languages: tuple[LanguageCost, ...] = ()
    catalogs: tuple[CatalogResult, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    problems: tuple[LocalizeError, ...] = ()  # catalogs that could not be read
    error: EngineError | None = None  # what stopped the run, after writing what was done

    @property
    def failed(self) -> bool:
        return self.error is not None or bool(self.problems)


@dataclass
class _Work:
    """One catalog of the run: where it is, what its entries need."""

    path: Path
    shown: Path
    title: str
    messages: tuple[Message, ...]
    candidates: list[int] = field(default_factory=list)  # indexes into messages
    memory: dict[int, Match] = field(default_factory=dict)
    protected: dict[int, Protected] = field(default_factory=dict)


def pretranslate(
    config: Config,
    *,
    languages: tuple[str, ...] = (),
    paths: tuple[Path, ...] = (),
    policy: PretranslatePolicy = PretranslatePolicy(),
    environ: Mapping[str, str] | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> PretranslateReport:
    """Pre-translate the catalogs of ``languages`` (all by default), or those under ``paths``."""
    environ = os.environ if environ is None else environ
    codes = tuple(parse_language(code).code for code in (languages or config.languages))
    settings = config.pretranslate
    wanted = [path.resolve() for path in paths]
    costs: list[LanguageCost] = []
    results: list[CatalogResult] = []
    rejected: list[Rejected] = []
    problems: list[LocalizeError] = []
    budget = [policy.limit if policy.limit is not None else -1]  # -1: no limit
    session = api_session(ApiPolicy(timeout=settings.timeout, retries=settings.retries, backoff=settings.backoff,
                                    connections=settings.concurrency))
    with hold_lock(lock_path(config.project_dir), shared=policy.dry_run, on_wait=on_wait), session:
        with open_cache(config.project_dir) as cache, open_answers(config.project_dir) as answers:
            store = MemoryStore(cache)
            for code in codes:
                engine_settings = _engine_settings(settings.engine_for(code), policy.engine)
                try:
                    engine = make_engine(engine_settings, session=session, timeout=settings.timeout, environ=environ)
                except EngineError as error:
                    return PretranslateReport(tuple(costs), tuple(results), tuple(rejected), tuple(problems), error)
                run = _LanguageRun(config, code, engine, engine_settings, answers, policy, budget)
                works = [work for work in run.collect(wanted, problems)]
                memory = _memory(config, store, code, problems) if works else None
                run.plan(works, memory)
                cache.commit()
                error = None
                if not policy.dry_run:
                    error = run.translate(works, concurrency=settings.concurrency, batch_size=settings.batch)
                costs.append(run.cost())
                if not policy.dry_run:
                    for work in works:
                        result = run.write(work, rejected, problems)
                        if result is not None:
                            results.append(result)
                if error is not None:
                    return PretranslateReport(tuple(costs), tuple(results), tuple(rejected), tuple(problems), error)
    return PretranslateReport(tuple(costs), tuple(results), tuple(rejected), tuple(problems))


def glossary_terms(glossary: Glossary, texts: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The glossary terms (source term, required translation) that occur in ``texts``,
    each once: they go into every LLM request of the texts (``Batch.glossary``), so that
    the machine uses the newsroom's translation (Київ, not Киев)."""
    found: dict[str, str] = {}
    for text in texts:
        for term in glossary.terms_in(text):
            if term.approved:
                found.setdefault(term.term, term.translation)
    return tuple(found.items())


def _engine_settings(configured: EngineSettings, override: str | None) -> EngineSettings:
    if override is None or override == configured.engine:
        return configured
    if override not in ENGINES:
        raise LocalizeError(f"unknown engine {override!r}: use one of {', '.join(ENGINES)}")
    return EngineSettings(engine=override)


def _memory(config: Config, store: MemoryStore, code: str, problems: list[LocalizeError]) -> LanguageMemory | None:
    from localize.steps.memory import language_memory

    try:
        return language_memory(config, store, code)
    except LocalizeError as error:
        problems.append(error)  # a catalog the memory cannot read: go on without the memory
        return None


class _LanguageRun:
    """One language of a run: its catalogs, their entries, and the engine's answers."""

    def __init__(self, config: Config, code: str, engine: Engine, settings: EngineSettings, answers: Answers,
                 policy: PretranslatePolicy, budget: list[int]) -> None:
        self.config = config
        self.code = code
        self.engine = engine
        self.answers = answers
        self.policy = policy
        self.budget = budget
        language = parse_language(code)
        source = parse_language(config.source_language)
        self.languages = Languages(source.code, language.code, source.english_name, language.english_name,
                                   settings.target)
        self.key = (engine.name, engine.model, source.code, engine.target_code(self.languages))
        self.note = machine_note(engine.name, engine.model)
        self.glossary = load_glossary(config, language.code)
        self.translated: dict[str, str] = {}  # protected text: the engine's answer
        self.queue: dict[str, None] = {}  # protected texts to send, in order
        self.sent_segments = 0
        self.sent_characters = 0
        self.cached = 0
        self.from_memory = 0
        self.held = 0

    # -- what there is to do --------------------------------------------------------------

    def collect(self, wanted: list[Path], problems: list[LocalizeError]):
        """The catalogs of the language (within ``wanted``, when given) that have entries to fill."""
        paths = [catalog_path(self.config, self.code, slug) for slug in catalog_slugs(self.config, self.code)]
        paths.append(ui_catalog_path(self.config, self.code))
        for path in paths:
            if wanted and not any(path.resolve() == place or place in path.resolve().parents for place in wanted):
                continue
            shown = self.config.relative(path)
            try:
                catalog = read_catalog_if_present(self.config, path)
            except LocalizeError as error:
                problems.append(error)
                continue
            if catalog is None:
                continue
            work = _Work(path, shown, _title(catalog, path), catalog.messages)
            work.candidates = [index for index, message in enumerate(catalog.messages) if self._wanted(message)]
            if work.candidates:
                yield work

    def _wanted(self, message: Message) -> bool:
        if message.obsolete or message.msgid_plural or not message.msgid:
            return False
        if not message.msgstr:
            return True  # untranslated, even when flagged fuzzy (msgfmt counts it so)
        return self.policy.include_fuzzy and message.fuzzy

    def plan(self, works: list[_Work], memory: LanguageMemory | None) -> None:
        """Fill from the memory and the cache; queue the rest for the engine, within the limit."""
        for work in works:
            for index in work.candidates:
                message = work.messages[index]
                match = memory.exact(message.msgid) if memory is not None else None
                if match is not None:
                    work.memory[index] = match
                    self.from_memory += 1
                    continue
                protected = protect(message.msgid, xml=self.engine.xml)
                work.protected[index] = protected
                if protected.text in self.translated or protected.text in self.queue:
                    continue
                known = self.answers.get(self.key, protected.text)
                if known is not None:
                    self.translated[protected.text] = known
                    self.cached += 1
                elif self.budget[0] == 0:
                    self.held += 1
                else:
                    self.queue[protected.text] = None
                    self.sent_segments += 1
                    self.sent_characters += len(protected.text)
                    if self.budget[0] > 0:
                        self.budget[0] -= 1

    def cost(self) -> LanguageCost:
        return LanguageCost(self.code, self.note.removeprefix(MACHINE_NOTE).strip(), self.sent_segments,
                            self.sent_characters, self.cached, self.from_memory, self.held)

    # -- asking the engine ----------------------------------------------------------------

    def batches(self, works: list[_Work], size: int) -> list[Batch]:
        """The queued texts in batches of consecutive segments of one catalog, with their context."""
        size = min(size, MAX_BATCH.get(self.engine.name, size))
        found: list[Batch] = []
        taken: set[str] = set()
        for work in works:
            order = [index for index in work.candidates if index in work.protected]
            texts = []
            for index in order:
                text = work.protected[index].text
                if text in self.queue and text not in taken:
                    taken.add(text)
                    texts.append((index, text))
            for start in range(0, len(texts), size):
                chunk = texts[start:start + size]
                first, last = chunk[0][0], chunk[-1][0]
                found.append(Batch(
                    texts=tuple(text for _, text in chunk),
                    title=work.title,
                    before=self._neighbours(work.messages, range(first - 1, -1, -1)),
                    after=self._neighbours(work.messages, range(last + 1, len(work.messages))),
                    glossary=glossary_terms(self.glossary, tuple(text for _, text in chunk)),
                ))
        return found

    def translate(self, works: list[_Work], *, concurrency: int, batch_size: int) -> EngineError | None:
        """Send every batch, ``concurrency`` at a time; each answer goes to the cache as it arrives.

        The first error stops the batches not yet sent; those in flight are waited for and kept.
        """
        batches = self.batches(works, batch_size)
        self.sent_segments = self.sent_characters = 0  # from now on: what the engine answered
        error: EngineError | None = None
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            pending: dict[Future, Batch] = {}
            remaining = list(reversed(batches))
            while remaining or pending:
                while remaining and error is None and len(pending) < concurrency:
                    batch = remaining.pop()
                    pending[pool.submit(self.engine.translate, batch, self.languages)] = batch
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    batch = pending.pop(future)
                    try:
                        answer = future.result()
                    except EngineError as failure:
                        error = error or failure
                        continue
                    for text, translation in zip(batch.texts, answer):
                        self.sent_segments += 1
                        self.sent_characters += len(text)
                        self.translated[text] = translation
                        self.answers.put(self.key, text, translation)
                    self.answers.commit()
        return error

    def _neighbours(self, messages: tuple[Message, ...], indexes: range) -> tuple[str, ...]:
        """Up to CONTEXT_SEGMENTS segments along ``indexes``, in reading order, markup protected as in the batch."""
        found = []
        for index in indexes:
            message = messages[index]
            if message.obsolete or not message.msgid:
                continue
            found.append(protect(message.msgid, xml=self.engine.xml).text)
            if len(found) == CONTEXT_SEGMENTS:
                break
        return tuple(found) if indexes.step > 0 else tuple(reversed(found))

    # -- writing --------------------------------------------------------------------------

    def write(self, work: _Work, rejected: list[Rejected], problems: list[LocalizeError]) -> CatalogResult | None:
        """Apply what was found to the catalog as it is now on disk (a translator may have saved it
        meanwhile: only entries still untranslated are filled), and replace it atomically."""
        try:
            existing = read_if_present(self.config, work.path)
        except LocalizeError as error:
            problems.append(error)
            return None
        if existing is None:
            return None
        current = existing.catalog
        planned = {work.messages[index].key: index for index in work.candidates}
        messages = []
        machine = memory = 0
        for message in current.messages:
            index = planned.get(message.key)
            if index is None or not self._wanted(message):
                messages.append(message)  # not ours, or filled by a translator meanwhile
            elif index in work.memory:
                messages.append(exact_match(message, work.memory[index]))
                memory += 1
            elif (answer := self.translated.get(work.protected[index].text)) is None:
                messages.append(message)  # not sent: the limit, or the run stopped
            else:
                new, reason = self._machine_message(message, work.protected[index], answer, current)
                if reason is not None:
                    rejected.append(Rejected(work.shown, message.linenum or None, reason))
                else:
                    machine += 1
                messages.append(new)
        if not machine and not memory:
            return None  # nothing to add: another editor's layout of the file stays as it is
        updated = replace(current, messages=tuple(messages))
        changed = save_catalog(self.config, updated, existing).status != UNCHANGED
        return CatalogResult(work.shown, "updated" if changed else "unchanged", machine, memory)

    def _machine_message(self, old: Message, protected: Protected, answer: str,
                         catalog: Catalog) -> tuple[Message, str | None]:
        """The fuzzy entry for the engine's ``answer``, or why it cannot be written."""
        try:
            text = restore(answer, protected)
        except MarkupLost as lost:
            return old, f"not written: {lost}"
        if not text.strip():
            return old, "not written: the engine answered an empty translation"
        if "\0" in text:
            return old, "not written: the translation holds a NUL character"
        kept = [line for line in old.tcomment.splitlines() if not line.startswith(_SUPERSEDED_NOTES)]
        new = replace(
            old,
            msgstr=text,
            flags=(FUZZY, *(flag for flag in old.flags if flag != FUZZY)),
            tcomment="\n".join([*kept, self.note]),
            previous_msgid=None,
            previous_msgctxt=None,
            previous_msgid_plural=None,
        )
        # The checks look at translated entries only: judge the entry as it would be once confirmed.
        confirmed = replace(new, flags=tuple(flag for flag in new.flags if flag != FUZZY))
        findings = [
            finding for finding in check_catalog(
                Catalog(messages=(confirmed,), metadata=catalog.metadata),
                CatalogContext(path=Path("-"), source_language=self.config.source_language),
            )
            if finding.code[:2] in ("E2", "E3")
        ]
        if findings:
            return old, "not written: " + "; ".join(f"{finding.code} {finding.message}" for finding in findings)
        return new, None


def _title(catalog: Catalog, path: Path) -> str:
    for message in catalog.messages:
        if not message.obsolete and _TITLE_KIND in message.comment.splitlines():
            return message.msgid
    return _UI_TITLE if path.name == "ui.po" else ""
