"""Fictional wire stories and helpers shared by the dedup tests (no third-party text, no tests)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

HARBOUR = [
    "Port officials in the fictional city of Marlow Bay said on Tuesday that a cargo ship ran "
    "aground near the northern breakwater early in the morning, blocking the main channel for "
    "several hours while tugboats worked to free the vessel.",
    "The ship, the Aurora Finch, was carrying 412 containers of machinery and textiles from "
    "Kessington to the southern terminal when its steering failed, according to a statement "
    "from the harbour authority.",
    "Nobody was injured and there was no sign of a fuel leak, the authority said, adding that "
    "divers would inspect the hull before the vessel was allowed to continue its voyage.",
    "Harbour master Elena Vostrikova told reporters that traffic through the channel resumed "
    "shortly after noon and that about 14 ships had been delayed by the closure.",
    "Shipping analysts said the incident was unlikely to have a lasting effect on freight rates, "
    "though several exporters complained about the lack of a second navigable channel.",
    "The port handled a record volume of cargo last year and has asked the regional government "
    "for funds to dredge an alternative route, a request that is still under review.",
]

ELECTION = [
    "Voters in the fictional province of Westmarch re-elected governor Tomas Adler on Sunday, "
    "giving his Civic Union party 58 percent of the vote according to preliminary results "
    "published by the electoral commission.",
    "Turnout reached 61 percent, the commission said, up from 54 percent four years ago, with "
    "long queues reported at polling stations in the provincial capital of Dunmore.",
    "Adler's main rival, Marta Keel of the Green Coalition, won 31 percent and conceded defeat "
    "in a short speech to supporters late on Sunday evening.",
    "Observers from the neighbouring provinces said the vote was orderly and that they had "
    "received 12 complaints, none of which was serious enough to affect the outcome.",
    "The new provincial assembly will meet for the first time on March 3 to confirm the "
    "governor and elect its speaker.",
]


def election_sibling() -> list[str]:
    """Another province's result brief: the same template, other names and numbers."""
    swaps = {
        "Westmarch": "Eastvale",
        "Tomas Adler": "Irena Sollum",
        "Adler": "Sollum",
        "Civic Union": "Farmers League",
        "Marta Keel": "Oskar Brandt",
        "Green Coalition": "Liberal Bloc",
        "Dunmore": "Harwick",
        "58": "52",
        "61": "66",
        "54": "59",
        "31": "39",
        "12": "7",
        "March 3": "March 9",
    }
    out = []
    for para in ELECTION:
        swapped = para
        for old, new in swaps.items():
            swapped = swapped.replace(old, new)
        out.append(swapped)
    return out


FOLLOWUP = [
    "Divers who inspected the Aurora Finch found a crack in the rudder assembly, the Marlow Bay "
    "harbour authority said on Thursday, two days after the cargo ship ran aground near the "
    "northern breakwater.",
    "The vessel will remain at the southern terminal for repairs expected to last three weeks, "
    "and its owner has arranged for the containers to be moved onto another ship.",
    "Harbour master Elena Vostrikova said an investigation into the steering failure had been "
    "opened and that the crew was cooperating with inspectors.",
    "The port handled a record volume of cargo last year and has asked the regional government "
    "for funds to dredge an alternative route, a request that is still under review.",
]


def wrap(paras: list[str], *, header: str = "", footer: str = "", dateline: str = "") -> str:
    """An outlet's rendering of a story: its header and footer lines, an optional dateline."""
    body = list(paras)
    if dateline:
        body[0] = f"{dateline} {body[0]}"
    lines = ([header] if header else []) + body + ([footer] if footer else [])
    return "\n\n".join(lines)


def add_article(
    engine: Engine,
    url: str,
    body: str | None,
    *,
    outlet: str | None = None,
    final_url: str | None = None,
    published: datetime | None = None,
    authors: list[str] | None = None,
) -> int:
    """Insert an extracted article the way the extract stage leaves it; returns its id."""
    with engine.begin() as conn:
        return int(
            conn.execute(
                text(
                    "INSERT INTO articles (canonical_url, url, original_urls, final_url, outlet, "
                    "text, authors, published_at, status, extracted_at) VALUES (:url, :url, "
                    "ARRAY[:url], :final, :outlet, :text, :authors, :published, 'extracted', "
                    "clock_timestamp()) RETURNING id"
                ),
                {
                    "url": url,
                    "final": final_url or url,
                    "outlet": outlet,
                    "text": body,
                    "authors": authors,
                    "published": published or datetime(2026, 11, 20, 12, tzinfo=UTC),
                },
            ).scalar_one()
        )


def article(engine: Engine, article_id: int) -> dict[str, object]:
    """The dedup columns of one article."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                text(
                    "SELECT story_id, duplicate_of_id, dedup_method, dedup_score, wire_source, "
                    "deduped_at FROM articles WHERE id = :id"
                ),
                {"id": article_id},
            )
            .mappings()
            .one()
        )
    return dict(row)


# A short agency brief (under 100 words), a syndicated copy of it, and two short hard negatives:
# another town's brief on the same template, and a follow-up naming the same people.
BRIEF = [
    "The fictional town council of Brackenford voted 7 to 2 on Monday to close the Elm Street "
    "bridge for repairs from June 4, after engineers found corroded steel beams under its deck.",
    "Mayor Ilse Carrow said a temporary footbridge would open within 10 days and that buses "
    "would be rerouted through Mill Lane during the works, which are expected to cost 2.4 "
    "million crowns.",
]
BRIEF_COPY = [
    BRIEF[0].replace("corroded", "coroded"),  # a typo: a near copy, not the same text
    BRIEF[1].replace("Mill Lane", "Mill Lane,"),
]
BRIEF_SIBLING = [
    "The fictional town council of Ashwick voted 5 to 4 on Monday to close the Queen Street "
    "bridge for repairs from July 9, after engineers found corroded steel beams under its deck.",
    "Mayor Piet Lorrin said a temporary footbridge would open within 14 days and that buses "
    "would be rerouted through Tanner Row during the works, which are expected to cost 1.1 "
    "million crowns.",
]
BRIEF_FOLLOWUP = [
    "A temporary footbridge next to the closed Elm Street bridge in Brackenford opened on "
    "Friday, Mayor Ilse Carrow said, a week after the council voted to shut the crossing.",
    "Engineers will start replacing the corroded steel beams under the deck next month; the "
    "council expects the bridge to reopen to cars before the winter.",
]
COOKIE_FOOTER = (
    "We use cookies to improve your experience on our site. By continuing to browse, you agree "
    "to our use of cookies."
)
PROMO_FOOTER = "Subscribe now to the Valley Post for unlimited access to local news."


def slowed_dedup_worker(url: str, ids: list[int], barrier: Any, slowed: str, delay: float) -> None:
    """A separate OS process, as an Airflow worker would be: own engine, own connections.

    ``pipeline.stages.dedup.store.<slowed>`` sleeps *delay* seconds after it returns, widening the
    gap between a decision and its commit, where a race between two workers would strike. The
    processes start together at *barrier*, so each pair of copies is in flight at the same time.
    """
    import pipeline.stages.dedup.store as store
    from pipeline.config import get_settings
    from pipeline.db import make_engine
    from pipeline.stages.dedup import dedup_pending

    original = getattr(store, slowed)

    def slow(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)
        time.sleep(delay)
        return result

    setattr(store, slowed, slow)
    engine = make_engine(url)
    barrier.wait(timeout=60)
    dedup_pending(engine, get_settings(database_url=url), article_ids=ids)
    engine.dispose()
