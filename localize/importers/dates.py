"""Publication dates as sources give them, and as the front matter needs them.

Sources are vague in ways an editor can resolve and a program cannot guess:
a dateline such as "27 June, 11:43 AM" has neither a year nor a zone, and a
page may give a time without an offset. A ``DatePolicy`` carries what the
editor said (``--year``, ``--timezone``) and today's date; ``settle`` turns
what was found into a date the front matter can hold, and says in a note
what it assumed or left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localize.errors import LocalizeError

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan январь января январе січень січня",
        "february feb февраль февраля феврале лютий лютого",
        "march mar март марта марте березень березня",
        "april apr апрель апреля апреле квітень квітня",
        "may май мая мае травень травня",
        "june jun июнь июня июне червень червня",
        "july jul июль июля июле липень липня",
        "august aug август августа августе серпень серпня",
        "september sep sept сентябрь сентября сентябре вересень вересня",
        "october oct октябрь октября октябре жовтень жовтня",
        "november nov ноябрь ноября ноябре листопад листопада",
        "december dec декабрь декабря декабре грудень грудня",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

# Words a dateline may carry besides the date and the time.
_DATELINE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
    "at on updated published "
    "понедельник вторник среда четверг пятница суббота воскресенье г года в "
    "понеділок вівторок середа четвер пятниця пʼятниця п'ятниця субота неділя р року о".split()
)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_TIME_24 = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?!\d)")
_DATE_PATTERNS = (
    # 2022-06-27
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), ("year", "month", "day")),
    # 27.06.2022, 27/06/22, 27.06
    (re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?(?![\d./])"), ("day", "month", "year")),
    # 27 June 2022, 27 июня
    (re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH})\.?,?(?:\s+(\d{{4}}))?(?!\w)", re.IGNORECASE), ("day", "month", "year")),
    # June 27, 2022
    (re.compile(rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(\d{{4}}))?(?!\d)", re.IGNORECASE), ("month", "day", "year")),
)


@dataclass(frozen=True)
class FoundDate:
    """A date as a source gives it: perhaps without a year, perhaps without a time or offset."""

    month: int
    day: int
    year: int | None = None
    time: time | None = None  # aware when the source gave an offset


@dataclass(frozen=True)
class DatePolicy:
    """What the editor said about dates, and today's date for datelines without a year."""

    today: date
    year: int | None = None
    zone: str | None = None  # IANA name

    def __post_init__(self) -> None:
        if self.zone is not None:
            zone_info(self.zone)  # an unknown zone fails before anything is fetched


@dataclass(frozen=True)
class SettledDate:
    value: datetime | date | None
    timezone: str | None
    notes: tuple[str, ...] = ()


def zone_info(name: str) -> ZoneInfo:
    """The IANA zone ``name`` ("Europe/Kyiv"), or a LocalizeError saying it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LocalizeError(f"unknown time zone {name!r}: give an IANA name such as Europe/Kyiv") from None


def parse_dateline(line: str) -> FoundDate | None:
    """Read a dateline ("27 June, 11:43 AM", "27.06.2022 11:43", "June 27, 2022"), or None
    when ``line`` is not one: a headline that merely mentions a date is not a dateline."""
    rest, found_time = _take_time(line)
    for pattern, order in _DATE_PATTERNS:
        match = pattern.search(rest)
        if match is None:
            continue
        leftover = (rest[: match.start()] + " " + rest[match.end():]).lower()
        if any(word not in _DATELINE_WORDS for word in re.findall(r"[^\W\d_][\w'ʼ]*", leftover)):
            return None
        parts = dict(zip(order, match.groups(), strict=True))
        found = _found_date(parts, found_time)
        if found is not None:
            return found
    return None


def parse_iso(text: str) -> FoundDate | None:
    """Read an ISO 8601 date or date-time as pages give them in metadata, or None."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text)
        return FoundDate(year=day.year, month=day.month, day=day.day)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return FoundDate(year=moment.year, month=moment.month, day=moment.day, time=moment.timetz())


def settle(found: FoundDate | None, policy: DatePolicy) -> SettledDate:
    """The front matter's date for ``found``: a year and a zone supplied, or the time left out."""
    if found is None:
        return SettledDate(value=None, timezone=None)
    notes: list[str] = []
    year = found.year
    if year is None:
        year = policy.year if policy.year is not None else _latest_year(found, policy.today)
        if policy.year is None:
            notes.append(f"the dateline has no year: took {year}, the latest such day up to today (set it with --year)")
    try:
        day = date(year, found.month, found.day)
    except ValueError:
        return SettledDate(value=None, timezone=None, notes=(f"ignored an impossible date: {year}-{found.month:02}-{found.day:02}",))
    zone = zone_info(policy.zone) if policy.zone else None
    if found.time is None:
        return SettledDate(value=day, timezone=None, notes=tuple(notes))
    moment = datetime.combine(day, found.time)
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone) if zone else moment
    elif zone is not None:
        moment = moment.replace(tzinfo=zone)
    else:
        notes.append(f"the time {found.time:%H:%M} has no zone and was left out (give one with --timezone)")
        return SettledDate(value=day, timezone=None, notes=tuple(notes))
    return SettledDate(value=moment, timezone=policy.zone if zone else None, notes=tuple(notes))


def _take_time(line: str) -> tuple[str, time | None]:
    match = _TIME.search(line)
    if match is not None:
        hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
        found = time(hour, int(match.group(2)))
    else:
        match = _TIME_24.search(line)
        if match is None:
            return line, None
        found = time(int(match.group(1)), int(match.group(2)))
    return line[: match.start()] + " " + line[match.end():], found


def _found_date(parts: dict[str, str | None], found_time: time | None) -> FoundDate | None:
    month_text = parts["month"] or ""
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
    day = int(parts["day"] or 0)
    year_text = parts.get("year")
    year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return FoundDate(month=month, day=day, year=year, time=found_time)


def _latest_year(found: FoundDate, today: date) -> int:
    """The year of the latest ``found`` day not after ``today``: a dateline is read as recent news."""
    for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        try:
            if date(year, found.month, found.day) <= today:
                return year
        except ValueError:  # 29 February
            continue
    return today.year
