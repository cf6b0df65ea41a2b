"""Language codes, validated and described by CLDR through Babel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from babel import Locale, UnknownLocaleError

from localize.errors import LanguageError
from localize.plurals import default_plural_forms, parse_plural_forms


@dataclass(frozen=True)
class Language:
    """A language as the catalogs and pages need it.

    Its English name and direction are CLDR's, looked up when first asked for:
    loading a locale's data takes some 40 ms, which a run that writes no
    catalog header and no page (a check answered from the cache) need not pay.
    ``described`` gives them instead (a pseudo-locale's: ``localize.pseudo``).
    """

    code: str
    plural_forms: str  # what a new catalog's header says: see localize.plurals
    nplurals: int
    described: tuple[str, str] | None = field(default=None, repr=False)  # (English name, direction)

    @cached_property
    def english_name(self) -> str:
        if self.described is not None:
            return self.described[0]
        return Locale.parse(self.code).english_name or self.code

    @cached_property
    def direction(self) -> str:
        """``ltr`` or ``rtl``."""
        if self.described is not None:
            return self.described[1]
        return Locale.parse(self.code).text_direction


def parse_language(code: str) -> Language:
    """Validate ``code`` (``ru``, ``pt_BR``, ``sr-Latn``) and describe it.

    The code is kept as written, with ``-`` turned into ``_`` as gettext
    folders use it; an unknown or malformed code is a LanguageError that
    says what is wrong.
    """
    normalized = code.strip().replace("-", "_")
    if not normalized:
        raise LanguageError("empty language code")
    try:
        locale = Locale.parse(normalized)
    except UnknownLocaleError:
        raise LanguageError(f"unknown language code {code!r}: CLDR has no such language") from None
    except (ValueError, TypeError):
        raise LanguageError(
            f"malformed language code {code!r}: expected a code such as 'ru', 'pt_BR' or 'sr_Latn'"
        ) from None
    if str(locale) != normalized:
        # Babel quietly drops parts it does not understand ("ru_RUU" -> error above,
        # but "ru_ru" -> "ru_RU"); insist on the canonical spelling so folder names agree.
        raise LanguageError(f"language code {code!r} should be written {str(locale)!r}")
    plural_forms = default_plural_forms(normalized)
    rule = parse_plural_forms(plural_forms)
    assert rule is not None, plural_forms  # our own table and Babel's formulas always parse
    return Language(code=normalized, plural_forms=plural_forms, nplurals=rule.nplurals)


def gettext_code(code: str) -> str:
    """A code as gettext folders and catalogs write it: ``pt-BR`` is ``pt_BR``."""
    return code.replace("-", "_")


def bcp47(code: str) -> str:
    """A gettext code as BCP 47 (HTML ``lang``, TMX, XLIFF, TBX) writes it: ``pt_BR`` is ``pt-BR``."""
    return code.replace("_", "-")


def primary_subtag(code: str) -> str:
    """The language alone, lower-cased: ``en`` for ``en-GB``, ``en_GB`` or ``EN``."""
    return gettext_code(code.strip()).split("_")[0].lower()


def same_language(one: str, other: str) -> bool:
    """Whether two codes name the same language and region, whatever their case and separator."""
    return gettext_code(one.strip()).lower() == gettext_code(other.strip()).lower()


def project_language(languages: Iterable[str], code: str) -> str | None:
    """The configured language a foreign file's code means (TMX, XLIFF, TBX).

    ``pt-BR`` is ``pt_BR``, and ``ru-RU`` is ``ru`` when ``ru`` is the only
    configured language without a region that it can mean; otherwise None.

    >>> project_language(("ru", "pt_BR"), "pt-br"), project_language(("ru", "uk"), "ru-RU")
    ('pt_BR', 'ru')
    >>> project_language(("pt_BR", "pt_PT"), "pt") is None, project_language(("ru",), "uk") is None
    (True, True)
    """
    known = tuple(languages)
    for candidate in known:
        if same_language(candidate, code):
            return candidate
    primary = primary_subtag(code)
    matches = [candidate for candidate in known if "_" not in candidate and primary_subtag(candidate) == primary]
    return matches[0] if len(matches) == 1 else None
