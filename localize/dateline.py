"""An article's date and time zone as its front matter gives them, read the way static-site generators read them.

The one reading of ``date`` and ``timezone`` that extract, merge, check and
status share. A newsroom's Markdown also feeds Jekyll or Hugo, so what they
publish is accepted here:

* YAML and TOML dates and datetimes, as their parsers build them;
* Jekyll's ``2023-01-29 18:30:22 -0800`` (Ruby's ``Time.parse``, through
  ``Jekyll::Utils.parse_date``), with or without seconds or an offset, and with
  the year repeated before the offset as ``date`` prints it
  (``2023-01-29 18:30:22 2023 -0800``), which ``Time.parse`` passes over;
* Hugo's layouts (its ``time.AsTime``): ``2023-01-29T18:30:22Z``,
  ``2023-01-29T18:30:22-08:00``, ``2023-01-29T18:30:22-0800``,
  ``2023-01-29T18:30:22``, ``2023-01-29``, ``29 Jan 2023``, and the RFC 1123,
  RFC 822 and ``time.String`` forms (``2023-01-29 18:30:22 -0800 PST``).

A time without an offset is the wall time in the article's ``timezone`` when
it has one; a ``timezone`` is an IANA name (``Europe/Kyiv``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EXAMPLES = "2022-06-27, 2022-06-27 11:43 +0300 or 2022-06-27T11:43:00+03:00"

_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?:[ \t]+(?P<repeated_year>\d{4}))?"  # the year again, as `date` prints it
    r"[ \t]*(?P<zone>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
    r"(?(zone)(?:[ \t]+[A-Z]{3,5})?)"  # Go's time.String: the offset, then the zone's abbreviation
    r")?"
)
_DAY_MONTH_YEAR = re.compile(r"(?P<day>\d{1,2})[ \t]+(?P<month>[A-Za-z]{3,9})\.?,?[ \t]+(?P<year>\d{4})")
_MONTH_DAY_YEAR = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?[ \t]+(?P<day>\d{1,2}),?[ \t]+(?P<year>\d{4})")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}


class DateError(ValueError):
    """Why a value is not a date (or a zone), when there is more to say than that it is not."""


def parse_date(value: object) -> date | datetime:
    """The date or datetime ``value`` means; ``DateError`` says why it means none.

    A datetime is aware when the value gives an offset, naive otherwise.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        raise DateError("a time without a day")
    if not isinstance(value, str):
        raise DateError(f"it is {_kind(value)}")
    text = value.strip()
    if (found := _ISO.fullmatch(text)) is not None:
        return _from_iso(found)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if (found := pattern.fullmatch(text)) is not None and found["month"].lower() in _MONTHS:
            return _built(date, int(found["year"]), _MONTHS[found["month"].lower()], int(found["day"]))
    if re.search(r"[A-Za-z]{3}", text) and re.search(r"\d{1,2}:\d{2}", text):
        # RFC 1123, RFC 822, RFC 850, ANSI C and Ruby's forms, as mail headers carry them.
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    raise DateError()


def parse_zone(value: object) -> tzinfo:
    """The time zone an IANA name (``Europe/Kyiv``) names; ``DateError`` when it names none."""
    if not isinstance(value, str) or not value.strip():
        raise DateError(f"{_kind(value)}, not a name")
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError("unknown time zone") from None


def _from_iso(found: re.Match[str]) -> date | datetime:
    year, month, day = int(found["year"]), int(found["month"]), int(found["day"])
    if found["hour"] is None:
        return _built(date, year, month, day)
    if found["repeated_year"] is not None and int(found["repeated_year"]) != year:
        raise DateError(f"two years, {year} and {found['repeated_year']}")
    fraction = (found["fraction"] or "0")[:6].ljust(6, "0")
    zone = _offset(found["zone"])
    return _built(
        datetime, year, month, day, int(found["hour"]), int(found["minute"]), int(found["second"] or 0),
        int(fraction), tzinfo=zone,
    )


def _offset(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    if text in ("Z", "z", "UTC", "GMT"):
        return timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"offset {text} out of range")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def _built(kind, *fields, **named):
    try:
        return kind(*fields, **named)
    except ValueError as error:
        raise DateError(str(error)) from None


def _kind(value: object) -> str:
    """What a front-matter value is, for a person: "a number", "a list"."""
    if value is None:
        return "an empty value"
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "an empty string", list: "a list", dict: "a mapping"}
    return kinds.get(type(value), f"a {type(value).__name__}")
