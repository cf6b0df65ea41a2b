"""The translation memory's index and lookups, on catalogs written to disk."""

from __future__ import annotations

from pathlib import Path

from localize.cache import file_state, open_cache
from localize.catalog import read_catalog
from localize.memory import MemoryStore, Source

HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def write(path: Path, *entries: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n".join(entries), encoding="utf-8")
    return path


def entry(msgid: str, msgstr: str, *, fuzzy: bool = False, obsolete: bool = False) -> str:
    text = f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'
    if obsolete:
        text = "".join(f"#~ {line}\n" for line in text.splitlines())
    return ("#, fuzzy\n" if fuzzy else "") + text


def sources(*paths: Path) -> list[Source]:
    return [Source(path.name, str(path), file_state(path)) for path in paths]


def read(source: Source):
    return read_catalog(Path(source.path))


def sync(store: MemoryStore, *paths: Path, read=read) -> list[int]:
    return store.sync("ru", sources(*paths), read=read, origin=lambda key: key.removesuffix(".po"))


def test_exact_lookup_prefers_the_translation_most_sources_agree_on(tmp_path):
    a = write(tmp_path / "a.po", entry("Follow us.", "Подписывайтесь."))
    b = write(tmp_path / "b.po", entry("Follow us.", "Следите за нами."))
    c = write(tmp_path / "c.po", entry("Follow us.", "Следите за нами."), entry("Unconfirmed.", "Не проверено.", fuzzy=True))
    d = write(tmp_path / "d.po", entry("Old text.", "Старый текст.", obsolete=True), entry("Empty.", ""))
    with open_cache(tmp_path) as cache:
        store = MemoryStore(cache)
        sync(store, a, b, c, d)
        memory = store.memory("ru", languages=("ru",), cutoff=0.75)
        match = memory.exact("Follow us.")
        assert (match.msgstr, match.origin) == ("Следите за нами.", "b")
        assert memory.exact("Unconfirmed.") is None  # fuzzy: nobody confirmed it
        assert memory.exact("Empty.") is None
        assert memory.exact("Old text.").msgstr == "Старый текст."  # obsolete, still a translator's work
        assert store.memory("uk", languages=("ru", "uk"), cutoff=0.75) is None


def test_similar_lookup(tmp_path):
    a = write(tmp_path / "a.po", entry("The mayor of Kyiv said on Monday that the metro works.", "Мэр Киева..."),
              entry("Short.", "Коротко."))
    with open_cache(tmp_path) as cache:
        store = MemoryStore(cache)
        sync(store, a)
        memory = store.memory("ru", languages=("ru",), cutoff=0.75)
        match = memory.similar("The mayor of Kyiv said on Tuesday that the metro works.", cutoff=0.75)
        assert match.msgid == "The mayor of Kyiv said on Monday that the metro works."
        assert 0.9 < match.similarity < 1 and match.origin == "a"
        assert memory.similar("The mayor of Kyiv said on Tuesday that the metro works.", cutoff=0.99) is None
        assert memory.similar("Something else entirely, and much longer than that.", cutoff=0.75) is None


def test_sync_reads_only_what_changed_and_reports_who_can_use_it(tmp_path):
    a = write(tmp_path / "a.po", entry("Follow us.", ""))
    b = write(tmp_path / "b.po", entry("Follow us.", ""), entry("Other.", ""))
    c = write(tmp_path / "c.po", entry("Other.", ""))
    parsed = []

    def counting(source):
        parsed.append(source.key)
        return read(source)

    with open_cache(tmp_path) as cache:
        store = MemoryStore(cache)
        sync(store, a, b, c, read=counting)
        assert parsed == ["a.po", "b.po", "c.po"]
        parsed.clear()
        assert sync(store, a, b, c, read=counting) == [] and parsed == []

        write(a, entry("Follow us.", "Подписывайтесь."))
        changed = sync(store, a, b, c, read=counting)
        assert parsed == ["a.po"]
        assert store.affected("ru", changed) == {"b.po"}
        assert store.affected("uk", changed) == set()

        c.unlink()
        sync(store, a, b, read=counting)
        assert cache.connection.execute("SELECT COUNT(*) FROM memory_files").fetchone()[0] == 2


def test_the_snapshot_of_texts_follows_the_index(tmp_path):
    a = write(tmp_path / "a.po", entry("The mayor of Kyiv said on Monday that the metro works.", "Мэр Киева..."))
    query = "The mayor of Kyiv said on Tuesday that the metro works."
    with open_cache(tmp_path) as cache:
        store = MemoryStore(cache)
        sync(store, a)
        assert store.memory("ru", languages=("ru",), cutoff=0.75).similar(query, cutoff=0.75).origin == "a"
        snapshot = store.snapshot
        assert snapshot.is_file()
        b = write(tmp_path / "b.po", entry("The mayor of Kyiv said on Tuesday that the metro works!", "Мэр!"))
        sync(store, a, b)
        cache.commit()
    with open_cache(tmp_path) as cache:  # a later run: the snapshot and the one text added since
        store = MemoryStore(cache)
        assert store.memory("ru", languages=("ru",), cutoff=0.75).similar(query, cutoff=0.75).origin == "b"
    snapshot.write_bytes(b"damaged")
    with open_cache(tmp_path) as cache:
        store = MemoryStore(cache)
        assert store.memory("ru", languages=("ru",), cutoff=0.75).similar(query, cutoff=0.75).origin == "b"
        cache.connection.execute("UPDATE meta SET value = 'another' WHERE key = 'memory_schema'")
        cache.commit()
    with open_cache(tmp_path) as cache:  # tables made anew, ids from 1 again: the old snapshot is not used
        store = MemoryStore(cache)
        sync(store, b)
        match = store.memory("ru", languages=("ru",), cutoff=0.75).similar(query, cutoff=0.75)
        assert match.origin == "b" and match.msgstr == "Мэр!"
