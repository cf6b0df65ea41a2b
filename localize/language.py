"""Language codes, validated and described by CLDR through Babel."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from localize.errors import LanguageError
from localize.plurals import default_plural_forms, parse_plural_forms


@dataclass(frozen=True)
class Language:
    """A language as the catalogs and pages need it."""

    code: str
    english_name: str
    plural_forms: str  # what a new catalog's header says: see localize.plurals
    nplurals: int
    direction: str  # "ltr" or "rtl"


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
    return Language(
        code=normalized,
        english_name=locale.english_name or normalized,
        plural_forms=plural_forms,
        nplurals=rule.nplurals,
        direction=locale.text_direction,
    )
