"""Resolve the date expressions of a sentence against the article's publication date.

News copy dates events relative to the day it is written ("on Tuesday", "last week", "earlier
this month"); taking the crawl date instead is a classic event-data error. Each resolution
carries a precision (day, week, month, year) and the first day of that period. Weekdays refer
back to the most recent such day on or before publication, or forward when the action is in the
future; a month named without a year is the most recent one (or the next one, in the future).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ahocorasick

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip

_MONTH = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_YEAR = r"(?:,?\s+(?P<y>\d{4})\b)?"
_WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PATTERNS = [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    ("month_day", _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b" + _YEAR),
    ("day_month", r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + _YEAR),
    ("relative_day", r"\b(?P<rel>yesterday|today|tomorrow|tonight)\b"),
    ("days_ago", r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven)\s+days\s+ago\b"),
    ("period", r"\b(?P<which>last|this|next|earlier\s+this|later\s+this|earlier\s+in\s+the|past)"
     r"\s+(?P<unit>week|month|year)\b"),
    ("weekday", r"\b(?:(?P<mod>last|next|this|on|since|by|from|until)\s+)?" + _WEEKDAY + r"\b"),
    ("month_year", r"\b(?:(?P<mod>last|next|this|in|since|by|until|early|late|mid-?)\s+)?"
     + _MONTH + r"(?:\s+(?P<y>\d{4}))?\b"),
]  # fmt: skip
_DATE_RE = re.compile(  # matched on lower-cased text: IGNORECASE costs a third of the time
    "|".join(f"(?P<{name}>{rx.replace('(?P<', f'(?P<{name}_')})" for name, rx in _PATTERNS)
)
# every date expression contains one of these; most sentences contain none, and a substring
# test is far cheaper than the full expression
_KEYWORDS = (
    *WEEKDAYS,
    *(m for m in MONTHS if len(m) == 3),
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
    "week",
    "month",
    "year",
    "ago",
)
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# where a date expression can start: a digit or one of these words at a word boundary
# (every alternative of _DATE_RE but "month day" opens with \b), or a month's first three
# letters anywhere ("month day" has no \b: a word ending in "dec 5" matches as 5 December)
_OPENERS = (
    "yesterday", "today", "tomorrow", "tonight", "two", "three", "four", "five", "six",
    "seven", "last", "this", "next", "earlier", "later", "past", "on", "since", "by", "from",
    "until", "in", "early", "late", "mid", *WEEKDAYS,
)  # fmt: skip
_MONTH_PREFIXES = tuple(m for m in MONTHS if len(m) == 3)


def _openers() -> Any:
    automaton = ahocorasick.Automaton()
    for word in _OPENERS:
        automaton.add_word(word, (len(word), True))
    for word in _MONTH_PREFIXES:
        automaton.add_word(word, (len(word), False))
    automaton.make_automaton()
    return automaton


_OPENER_INDEX = _openers()


def _date_matches(lower: str) -> Iterator[re.Match[str]]:
    """``_DATE_RE.finditer(lower)``, trying the expression only where a match can start.

    ``finditer`` tries the eight alternatives at every character of the sentence, which made
    date finding an eighth of the coder's time; every match starts at a digit or at one of
    the words above, so trying exactly those positions, left to right and past each match,
    gives the same matches (the expression cannot match empty).
    """
    starts = {m.start() for m in _DIGIT.finditer(lower)}
    for end, (length, bounded) in _OPENER_INDEX.iter(lower):
        start = end - length + 1
        if bounded and start > 0 and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
            continue  # inside a word: the \b its alternatives open with fails here
        starts.add(start)
    last_end = 0
    for pos in sorted(starts):
        if pos < last_end:
            continue
        match = _DATE_RE.match(lower, pos)
        if match is not None:
            yield match
            last_end = match.end()


_DIGIT = re.compile(r"\d")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a sentence, resolved (or not, when nothing anchors it)."""

    start: int
    end: int
    text: str
    value: date | None
    precision: str | None


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(
    kind: str, groups: dict[str, str | None], pub: date | None, future: bool
) -> tuple[date | None, str | None]:
    def g(name: str) -> str | None:
        return groups.get(f"{kind}_{name}")

    if kind == "iso":
        return _safe_date(int(g("y") or 0), int(g("m") or 0), int(g("d") or 0)), DAY
    if kind in ("month_day", "day_month"):
        month = MONTHS[(g("month") or "").lower()]
        day = int(g("d") or 0)
        if g("y"):
            return _safe_date(int(g("y") or 0), month, day), DAY
        if pub is None:
            return None, DAY
        value = _safe_date(pub.year, month, day)
        if value is None:
            return None, DAY
        # a date more than a week after publication is last year's, unless announced ahead
        if not future and value > pub + timedelta(days=7):
            value = _safe_date(pub.year - 1, month, day)
        elif future and value < pub - timedelta(days=7):
            value = _safe_date(pub.year + 1, month, day)
        return value, DAY
    if pub is None:
        if kind == "month_year" and g("y"):
            return date(int(g("y") or 0), MONTHS[(g("month") or "").lower()], 1), MONTH
        return None, None
    if kind == "relative_day":
        rel = (g("rel") or "").lower()
        offset = {"yesterday": -1, "tomorrow": 1}.get(rel, 0)
        return pub + timedelta(days=offset), DAY
    if kind == "days_ago":
        raw = (g("n") or "").lower()
        n = _NUMBERS.get(raw) or int(raw)
        return pub - timedelta(days=n), DAY
    if kind == "period":
        which = " ".join((g("which") or "").lower().split())
        unit = (g("unit") or "").lower()
        step = {"last": -1, "past": -1, "next": 1}.get(which, 0)
        if unit == "week":
            return _week_start(pub) + timedelta(weeks=step), WEEK
        if unit == "month":
            return _month_shift(pub, step), MONTH
        return date(pub.year + step, 1, 1), YEAR
    if kind == "weekday":
        target = WEEKDAYS[(g("wd") or "").lower()]
        mod = (g("mod") or "").lower()
        back = (pub.weekday() - target) % 7
        if mod == "next" or (future and mod != "last"):
            ahead = (target - pub.weekday()) % 7
            return pub + timedelta(days=ahead or (7 if mod == "next" else 0)), DAY
        if mod == "last" and back == 0:
            back = 7
        return pub - timedelta(days=back), DAY
    if kind == "month_year":
        month = MONTHS[(g("month") or "").lower()]
        if g("y"):
            return date(int(g("y") or 0), month, 1), MONTH
        mod = (g("mod") or "").lower()
        if mod == "next" or (future and mod not in ("last", "since")):
            year = pub.year if month >= pub.month else pub.year + 1
            if mod == "next" and month == pub.month:
                year += 1
            return date(year, month, 1), MONTH
        if mod == "last":
            year = pub.year if month < pub.month else pub.year - 1
            return date(year, month, 1), MONTH
        year = pub.year if month <= pub.month else pub.year - 1
        return date(year, month, 1), MONTH
    return None, None


def find_dates(text: str, pub: date | None, *, future: bool = False) -> list[DateMention]:
    """Every date expression in *text*, resolved against *pub* (None: only absolute dates)."""
    out: list[DateMention] = []
    lower = text.lower()
    if not any(k in lower for k in _KEYWORDS) and not _ISO_DATE.search(lower):
        return out
    for match in _date_matches(lower):
        kind = match.lastgroup or ""
        if kind == "month_year":
            # "may" and "march" are mostly verbs/nouns unless capitalised
            word_start = match.start("month_year_month")
            word = text[word_start : match.end("month_year_month")]
            if word.lower() in ("may", "march") and not word[:1].isupper():
                continue
        groups = match.groupdict()
        value, precision = _resolve(kind, groups, pub, future)
        out.append(
            DateMention(
                match.start(), match.end(), text[match.start() : match.end()], value, precision
            )
        )
    return out
