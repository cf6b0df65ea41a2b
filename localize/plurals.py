"""Plural-Forms: the formula a new catalog gets, and the formulas a catalog may carry.

A catalog's ``Plural-Forms`` header is a contract with the program that reads
the catalog, not a copy of CLDR: catalogs in the wild, written by msginit,
Poedit, Weblate or Lokalize, give French and Brazilian Portuguese
``nplurals=2; plural=(n > 1);`` while recent CLDR releases add a third form for
millions. So the product owns its formulas. A new catalog gets gettext's
formula for its language (the table msginit uses), the same bytes on every
machine whatever Babel release is installed; CLDR's, through Babel, only where
gettext has none. A catalog is accepted when its formula does on integers what
any formula of the ecosystem for its language does: gettext's, the
alternatives Weblate offers, or CLDR's.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

_ONE_FORM = "nplurals=1; plural=0;"
_NOT_ONE = "nplurals=2; plural=(n != 1);"
_MORE_THAN_ONE = "nplurals=2; plural=(n > 1);"
_EAST_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)

# gettext's table (gettext-tools/src/plural-table.c, which msginit uses), then the
# languages its manual's node "Plural forms" adds: the formula a new catalog gets.
GETTEXT_PLURAL_FORMS: dict[str, str] = {
    **dict.fromkeys(("ja", "vi", "ko", "zh", "th", "id", "ms", "lo", "my"), _ONE_FORM),
    **dict.fromkeys(
        ("en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it", "bg", "el", "fi", "et", "he",
         "eo", "hu", "tr", "ca"),
        _NOT_ONE,
    ),
    "pt_BR": _MORE_THAN_ONE,
    "fr": _MORE_THAN_ONE,
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr", "bs"), _EAST_SLAVIC),
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
}

# Other formulas that editors and platforms write for a language and that programs
# read correctly (Weblate lists them as alternatives; older CLDR releases derived them).
_ONE_MANY_OTHER = "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
_ZERO_ONE_MANY_OTHER = "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"

ALTERNATIVE_PLURAL_FORMS: dict[str, tuple[str, ...]] = {
    # CLDR 42 and later: a "many" form for millions ("un million de personnes"), as Weblate writes it.
    **dict.fromkeys(("es", "it", "ca", "pt"), (_ONE_MANY_OTHER,)),
    **dict.fromkeys(("fr", "pt_BR"), (_ZERO_ONE_MANY_OTHER,)),
    "br": (_MORE_THAN_ONE,),
    "cy": ("nplurals=2; plural=(n==2) ? 1 : 0;",
           "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"),
    "fil": (_MORE_THAN_ONE,),
    "he": ("nplurals=3; plural=n==1 ? 0 : n==2 ? 2 : 1;",
           "nplurals=3; plural=(n == 1) ? 0 : ((n == 2) ? 1 : 2);",
           "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n > 10 && n % 10 == 0) ? 2 : 3));"),
    "jv": (_NOT_ONE,),
    "ka": (_ONE_FORM,),
    "kw": ("nplurals=3; plural=(n == 1) ? 0 : ((n == 2) ? 1 : 2);",
           "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n == 3) ? 2 : 3;"),
    "lt": ("nplurals=4; plural=n==1 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : "
           "n%10==0 || (n%100>10 && n%100<20) ? 2 : 3;",),
    "lv": ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",),
    "se": ("nplurals=3; plural=(n != 1);",),
    "sl": ("nplurals=4; plural=(n%100==1 ? 1 : n%100==2 ? 2 : n%100==3 || n%100==4 ? 3 : 0);",),
    "ro_MD": ("nplurals=3; plural=(n == 1) ? 0 : ((n == 0 || n != 1 && n % 100 >= 1 && n % 100 <= 19) ? 1 : 2);",),
}

_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)

# Numbers on which plural rules differ: all up to 200, then the turns of hundreds,
# thousands and millions (where recent CLDR rules add a form).
_SAMPLES = tuple(range(0, 201)) + tuple(
    base * multiple + offset
    for base in (1000, 10000, 100000, 1000000)
    for multiple in (1, 2, 5)
    for offset in (0, 1, 2, 5, 11, 21, 101)
)


@dataclass(frozen=True)
class PluralRule:
    """A parsed ``Plural-Forms`` value: how many forms, and which form a number takes."""

    nplurals: int
    form: Callable[[int], int]

    def behaves_like(self, other: PluralRule) -> bool:
        """Whether both rules sort the integers into the same forms, whatever they number them.

        gettext's Arabic rule numbers its forms otherwise than CLDR's (100 is
        form 5 in one, 4 in the other); each form still holds the same numbers.
        """
        if self.nplurals != other.nplurals:
            return False
        mine_to_other: dict[int, int] = {}
        other_to_mine: dict[int, int] = {}
        try:
            for n in _SAMPLES:
                mine, theirs = self.form(n), other.form(n)
                if not 0 <= mine < self.nplurals:
                    return False
                if mine_to_other.setdefault(mine, theirs) != theirs or other_to_mine.setdefault(theirs, mine) != mine:
                    return False
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            return False
        return True


    @lru_cache(maxsize=64)  # the rules are few (parse_plural_forms gives the same one back) and catalogs many
    def frequent_forms(self) -> frozenset[int] | None:
        """The forms that hold many numbers, as msgfmt --check (check_plural_eval) tells them:
        given to at least 5 of the numbers 0 to 1000. Their translations must keep every
        placeholder; a form for one number alone ("one file") may leave it out."""
        uses: Counter[int] = Counter()
        try:
            for n in range(1001):
                uses[self.form(n)] += 1
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            return None
        return frozenset(form for form, count in uses.items() if count >= 5)


@lru_cache(maxsize=256)  # every catalog of a language states the same rule: compile it once (c2py is slow)
def parse_plural_forms(value: str) -> PluralRule | None:
    """The rule a ``Plural-Forms`` value states, or None when gettext could not read it."""
    match = _PLURAL_FORMS.match(value)
    if match is None:
        return None
    try:
        return PluralRule(int(match.group(1)), gettext.c2py(match.group(2)))
    except (ValueError, SyntaxError, RecursionError):
        return None


def default_plural_forms(code: str) -> str:
    """The ``Plural-Forms`` a new catalog in ``code`` gets: gettext's, else CLDR's."""
    for key in _lookup_keys(code):
        if key in GETTEXT_PLURAL_FORMS:
            return GETTEXT_PLURAL_FORMS[key]
    return _cldr_plural_forms(code) or _NOT_ONE


def accepted_plural_forms(code: str) -> tuple[str, ...]:
    """Every formula the gettext ecosystem writes for ``code``: gettext's, the alternatives, CLDR's."""
    found: list[str] = [default_plural_forms(code)]
    found += next((ALTERNATIVE_PLURAL_FORMS[key] for key in _lookup_keys(code) if key in ALTERNATIVE_PLURAL_FORMS), ())
    cldr = _cldr_plural_forms(code)
    if cldr:
        found.append(cldr)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=256)  # asked for every catalog; each answer evaluates the rules on a thousand numbers
def fits_language(rule: PluralRule, code: str) -> bool:
    """Whether ``rule`` does on integers what some accepted formula for ``code`` does."""
    return any(
        accepted is not None and rule.behaves_like(accepted)
        for accepted in map(parse_plural_forms, accepted_plural_forms(code))
    )


def _lookup_keys(code: str) -> Iterable[str]:
    """``pt_BR`` then ``pt``; ``sr_Latn_RS`` then ``sr_Latn`` then ``sr``."""
    parts = code.replace("-", "_").split("@")[0].split("_")
    return ["_".join(parts[:end]) for end in range(len(parts), 0, -1)]


def _cldr_plural_forms(code: str) -> str | None:
    # babel.messages (its catalog, dates, numbers) is loaded only when CLDR is asked: a run that makes
    # no catalog needs none of it.
    from babel.messages.plurals import get_plural

    try:
        return get_plural(Locale.parse(code.replace("-", "_").split("@")[0])).plural_forms
    except (UnknownLocaleError, ValueError, TypeError):
        return None
