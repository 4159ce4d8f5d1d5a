"""Public pages never show a birth date or an ethnicity: the demo province, whose public announcements, results,
decisions, honour board and archive name people, crawled without signing in (docs/PERSONAL-DATA.md)."""

from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from awards.demo.cli import load_demo
from awards.nominations.models import Nomination
from awards.units.models import Person

BIRTH = date(1979, 11, 23)
ETHNICITY = "Chơ Ro"
LIMIT = 120
pytestmark = pytest.mark.slow  # loads the demo province, as tests/demo/ does

SKIP = (".pdf", ".xlsx", ".docx", ".jpg", ".png", ".webp", ".css", ".js", ".ico", ".svg", "/login", "/logout")


def _links(html: str):
    import re

    return re.findall(r'href="([^"#]+)', html)


def _public(path: str) -> bool:
    return (path == "/" or path.startswith("/public") or path.startswith("/api/v1/public")) \
        and not path.endswith(SKIP)


def test_no_public_page_shows_a_birth_date_or_an_ethnicity(client, db):
    load_demo(db.session)
    nominees = db.session.scalars(select(Person).join(Nomination, Nomination.person_id == Person.id)
                                  .where(Nomination.status.in_(("public_review", "awarded")))).unique().all()
    assert nominees, "the demo should list people publicly"
    for person in nominees:
        person.birth_date, person.ethnicity, person.ethnic_minority = BIRTH, ETHNICITY, True
    db.session.commit()
    names = {person.full_name for person in nominees}

    seen, queue, shown_names = set(), ["/", "/public/announcements", "/public/results", "/public/archive",
                                       "/api/v1/public/decisions"], set()
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype.startswith(("text/html", "application/json")):
            continue
        body = response.get_data(as_text=True)
        for text in ("23/11/1979", "1979-11-23", "23-11-1979", ETHNICITY, "Dân tộc thiểu số"):
            assert text not in body, (path, text)
        shown_names |= {name for name in names if name in body}
        for link in _links(body):
            target = urlsplit(urljoin("http://localhost" + path, link))
            if target.netloc == "localhost" and _public(target.path):
                queue.append(target.path + (f"?{target.query}" if target.query and "page=" in target.query else ""))
    assert shown_names, "the crawl should reach pages that name the demo's nominees"
    assert len(seen) > 5, seen
