"""Gold-book numbers (số sổ vàng) are unique within the issuing authority's book and never reused (RULES §8):
a decision's recipients continue after the book's highest number instead of starting from 1 again; numbers
already printed stay; two decisions issued at the same moment never share a number; a command lists the
existing duplicates for the secretariat to correct by decision."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from awards.archive import services as archive
from awards.archive.models import AwardRecord
from tests import factories

BODY = {"signed_on": "2026-03-20", "signer": "Giám đốc"}


def issue(desk, number, issuer, dossiers):
    response = desk.staff.post("/api/v1/decisions", json={**BODY, "number": number, "issuer": issuer,
                                                          "nomination_ids": [d.id for d in dossiers]})
    assert response.status_code == 201, response.json
    return [r["gold_book_number"] for r in response.json["recipients"]]


def entered(desk, gold, issuer="Sở Y tế", year=2024, number="12/QĐ-SYT"):
    """A record entered by hand with the number printed on its certificate."""
    person = factories.person(unit=desk.hospital)
    record = archive.record_award(subject_type="person", subject_code=person.code, award_code="LDTT", year=year,
                                  decision_number=number, decision_date=date(year + 1, 1, 10), issuer=issuer,
                                  gold_book_number=gold, by=desk.staff.user)
    desk.db.session.commit()
    return record


@pytest.mark.parametrize(("printed", "issuer", "first"), [
    pytest.param([], "Sở Y tế", "1", id="RULES-8-an-empty-book-starts-at-1"),
    pytest.param(["7", "40", "SV-99"], "Sở Y tế", "41", id="RULES-8-after-the-highest-printed-number"),
    pytest.param(["40"], "  sở  y tế ", "41", id="RULES-8-one-book-however-the-issuer-is-spelled"),
    pytest.param(["40"], "UBND tỉnh", "1", id="RULES-8-another-issuer-another-book"),
])
def test_a_decision_continues_its_issuers_book(desk, db, printed, issuer, first):
    for n, gold in enumerate(printed):
        entered(desk, gold, number=f"{n}/QĐ-SYT")
    dossiers = [desk.appraised("LDTT") for _n in range(2)]
    db.session.commit()
    numbers = issue(desk, "1/QĐ", issuer, dossiers)
    assert numbers == [first, str(int(first) + 1)]


def test_numbers_are_never_given_twice_nor_reused(desk, db):
    """RULES §8: a second decision of the same issuer continues; a revoked award's number is not given again;
    a number written by hand after the counter was set up is still passed."""
    first = issue(desk, "1/QĐ", "Sở Y tế", [desk.appraised("LDTT"), desk.appraised("LDTT")])
    record = db.session.scalar(select(AwardRecord).where(AwardRecord.decision_number == "1/QĐ",
                                                         AwardRecord.gold_book_number == "2"))
    archive.revoke_record(record, reason="Khai man thành tích", decision_number="9/QĐ-TH",
                          decision_date=date(2026, 3, 20), by=desk.staff.user)
    db.session.commit()
    second = issue(desk, "2/QĐ", "Sở Y tế", [desk.appraised("LDTT")])
    entered(desk, "100", number="77/QĐ-SYT")
    third = issue(desk, "3/QĐ", "Sở Y tế", [desk.appraised("LDTT")])
    assert (first, second, third) == (["1", "2"], ["3"], ["101"])


def test_two_decisions_at_the_same_moment_share_no_number(app, desk, db):
    """Two staff issue decisions of one issuer at once, each on its own connection: every number once, 1–6."""
    batches = [[desk.appraised("LDTT") for _n in range(3)] for _b in range(2)]
    db.session.commit()
    token, start = desk.staff.token, threading.Barrier(2)

    def post(n, nomination_ids):
        start.wait()
        client = app.test_client()
        return client.post("/api/v1/decisions", headers={"Authorization": f"Bearer {token}"}, json={
            **BODY, "number": f"{n}/QĐ-SYT", "issuer": "Sở Y tế", "nomination_ids": nomination_ids})

    ids = [[d.id for d in batch] for batch in batches]
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(post, [1, 2], ids))
    assert [a.status_code for a in answers] == [201, 201], [a.get_json() for a in answers]
    numbers = [r["gold_book_number"] for a in answers for r in a.get_json()["recipients"]]
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 7)]


def test_the_command_lists_existing_duplicates(app, desk, db):
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["archive", "gold-book-duplicates"])
    assert clean.exit_code == 0 and "OK no duplicated gold-book numbers" in clean.output
    entered(desk, "5", number="1/QĐ-SYT")
    entered(desk, "5", number="2/QĐ-SYT", issuer="SỞ Y TẾ")
    entered(desk, "5", number="3/QĐ-UBND", issuer="UBND tỉnh")  # another book: not a duplicate
    found = runner.invoke(args=["archive", "gold-book-duplicates"])
    assert found.exit_code == 1
    assert 'book="Sở Y tế" number=5: 2 records' in found.output
    assert "decision 1/QĐ-SYT" in found.output and "decision 2/QĐ-SYT" in found.output
    assert "3/QĐ-UBND" not in found.output
    numbers = issue(desk, "4/QĐ", "Sở Y tế", [desk.appraised("LDTT")])
    assert numbers == ["6"]  # the book goes on after its highest; the duplicates stay as printed
