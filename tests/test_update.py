"""``localize.update`` as values: the rules, and two properties every update keeps.

* No translation is ever lost: each old msgstr is still in the catalog, in an
  active, fuzzy or obsolete entry.
* An update is idempotent: updating its result again changes nothing, so a
  second ``localize extract`` never rewrites a file.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from localize.language import parse_language
from localize.model import Catalog, Message
from localize.update import CatalogHeader, Match, UpdatePolicy, update, update_catalog

HEADER = CatalogHeader(project_name="news", language=parse_language("ru"), creation_date="2024-01-01 00:00+0000",
                       source_path="source_articles/a.md")


def template(*msgids: str) -> Catalog:
    return Catalog(messages=tuple(Message(msgid=msgid, comment="type: paragraph") for msgid in msgids))


def existing(*messages: Message) -> Catalog:
    return Catalog(messages=messages, metadata={"Language": "ru", "Content-Type": "text/plain; charset=UTF-8"})


def by_msgid(catalog: Catalog) -> dict[str, Message]:
    return {message.msgid: message for message in catalog.messages if not message.obsolete}


class FakeMemory:
    def __init__(self, translations: dict[str, tuple[str, str]]) -> None:
        self.translations = translations  # msgid -> (msgstr, origin)

    def exact(self, msgid: str) -> Match | None:
        found = self.translations.get(msgid)
        return Match(msgid, found[0], found[1]) if found else None

    def similar(self, msgid: str, *, cutoff: float) -> Match | None:
        from rapidfuzz import fuzz

        scored = [(fuzz.ratio(msgid, text) / 100, text) for text in self.translations if text != msgid]
        scored = [(score, text) for score, text in scored if score >= cutoff]
        if not scored:
            return None
        score, text = max(scored)
        return Match(text, self.translations[text][0], self.translations[text][1], similarity=score)


def test_fuzzy_of_a_fuzzy_keeps_the_text_the_translation_was_made_for():
    old = existing(Message(msgid="Second edit of a sentence.", msgstr="Перевод", flags=("fuzzy",),
                           previous_msgid="Original sentence."))
    result = update_catalog(template("Third edit of a sentence."), old, header=HEADER)
    entry = by_msgid(result)["Third edit of a sentence."]
    assert entry.fuzzy and entry.msgstr == "Перевод" and entry.previous_msgid == "Original sentence."


def test_the_catalog_wins_ties_and_the_memory_must_do_strictly_better():
    old = existing(Message(msgid="The mayor said on Monday.", msgstr="Мэр сказал в понедельник."))
    memory = FakeMemory({"The mayor said on Monday!": ("Мэр сказал!", "articles/other")})
    result = update(template("The mayor said on Monday?"), old, header=HEADER, memory=memory)
    entry = by_msgid(result.catalog)["The mayor said on Monday?"]
    assert entry.msgstr == "Мэр сказал в понедельник." and entry.previous_msgid == "The mayor said on Monday."
    assert entry.tcomment == ""

    memory = FakeMemory({"The mayor said on Monday?!": ("Мэр сказал?!", "articles/other")})
    result = update(template("The mayor said on Monday?!!"), old, header=HEADER, memory=memory)
    entry = by_msgid(result.catalog)["The mayor said on Monday?!!"]
    assert entry.msgstr == "Мэр сказал?!" and entry.tcomment.endswith("% match from articles/other")
    # The old message gave nothing, so it is kept as obsolete.
    assert [message.msgid for message in result.catalog.messages if message.obsolete] == ["The mayor said on Monday."]


def test_exact_match_from_the_memory_beats_a_fuzzy_one_from_the_catalog():
    old = existing(Message(msgid="Follow us on Telegram!", msgstr="Подписывайтесь!"))
    memory = FakeMemory({"Follow us on Telegram.": ("Подписывайтесь на Telegram.", "articles/b")})
    result = update(template("Follow us on Telegram."), old, header=HEADER, memory=memory)
    entry = by_msgid(result.catalog)["Follow us on Telegram."]
    assert entry.msgstr == "Подписывайтесь на Telegram." and not entry.fuzzy
    assert entry.tcomment == "Translation memory: exact match from articles/b"
    assert result.summary.reused == 1 and result.summary.obsoleted == 1


def test_untranslated_entries_are_filled_from_the_memory_but_not_fuzzy_ones():
    old = existing(
        Message(msgid="One.", msgstr=""),
        Message(msgid="Two.", msgstr="Два?", flags=("fuzzy",)),
        Message(msgid="Three.", msgstr="", tcomment="ask the desk"),
    )
    memory = FakeMemory({"One.": ("Один.", "ui"), "Two.": ("Два.", "ui"), "Three.": ("Три.", "ui")})
    result = update_catalog(template("One.", "Two.", "Three."), old, header=HEADER, memory=memory)
    found = by_msgid(result)
    assert found["One."].msgstr == "Один." and not found["One."].fuzzy
    assert found["Two."].msgstr == "Два?" and found["Two."].fuzzy
    assert found["Three."].tcomment == "ask the desk\nTranslation memory: exact match from ui"


def test_plurals_and_no_fuzzy():
    plural = Message(msgid="%(count)s photo", msgid_plural="%(count)s photos", msgstr_plural={0: "", 1: ""})
    old = existing(Message(msgid="%(count)s photo!", msgid_plural="%(count)s photos!", msgstr_plural={0: "ф", 1: "фф"}))
    result = update_catalog(Catalog(messages=(plural,)), old, header=HEADER)
    assert result.messages[0] == plural

    old = existing(Message(msgid="The mayor said on Monday.", msgstr="Мэр сказал."))
    result = update_catalog(template("The mayor said on Monday!"), old, header=HEADER,
                            policy=UpdatePolicy(fuzzy=False))
    assert by_msgid(result)["The mayor said on Monday!"].msgstr == ""


def test_merge_takes_consecutive_messages_only():
    old = existing(
        Message(msgid="Alpha paragraph one is here.", msgstr="A1"),
        Message(msgid="Beta paragraph stays.", msgstr="B"),
        Message(msgid="Gamma paragraph two is here.", msgstr="G2"),
    )
    merged = template("Alpha paragraph one is here. Gamma paragraph two is here.", "Beta paragraph stays.")
    result = update(merged, old, header=HEADER)
    entry = by_msgid(result.catalog)["Alpha paragraph one is here. Gamma paragraph two is here."]
    # Alpha and Gamma were not neighbours: no merge, and each half alone is too different.
    assert entry.msgstr == ""
    assert {message.msgid for message in result.catalog.messages if message.obsolete} == {
        "Alpha paragraph one is here.", "Gamma paragraph two is here."
    }


# -- properties ---------------------------------------------------------------------------

WORDS = ["Kyiv", "missiles", "hit", "the", "city", "on", "Monday", "said", "officials", "again"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(lambda words: " ".join(words) + ".")
messages = st.builds(
    lambda msgid, msgstr, fuzzy, obsolete, previous: Message(
        msgid=msgid, msgstr=msgstr, flags=("fuzzy",) if fuzzy and msgstr else (), obsolete=obsolete,
        previous_msgid=previous if fuzzy and msgstr else None,
    ),
    texts, st.sampled_from(["", "перевод", "другой перевод"]), st.booleans(), st.booleans(), st.none() | texts,
)


def unique(items: list[Message]) -> tuple[Message, ...]:
    seen, kept = set(), []
    for message in items:
        if message.msgid not in seen:
            seen.add(message.msgid)
            kept.append(message)
    return tuple(kept)


@given(st.lists(messages, max_size=8).map(unique), st.lists(texts, max_size=8).map(lambda found: list(dict.fromkeys(found))),
       st.booleans())
def test_no_translation_is_lost_and_a_second_update_changes_nothing(old_messages, new_msgids, with_memory):
    memory = FakeMemory({"Kyiv said.": ("Киев сказал.", "articles/x")}) if with_memory else None
    old = existing(*old_messages)
    first = update_catalog(template(*new_msgids), old, header=HEADER, memory=memory)

    kept = [message.msgstr for message in first.messages]
    for message in old_messages:
        if message.msgstr:
            assert any(message.msgstr in msgstr for msgstr in kept), message

    second = update_catalog(template(*new_msgids), first, header=HEADER, memory=memory)
    assert second == first
    assert [message.msgid for message in first.messages if not message.obsolete] == new_msgids


def test_update_catalog_keeps_its_signature_for_other_callers():
    result = update_catalog(template("A."), None, header=HEADER)
    assert isinstance(result, Catalog) and result.metadata["Language"] == "ru"
    assert replace(result.messages[0], comment="") == Message(msgid="A.")
