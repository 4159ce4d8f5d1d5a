"""Forwarding upward and the answer from outside on the pages (issue 18): "Trình cấp trên" (one batch, its tờ trình
and list downloaded for exactly those dossiers, or one from the dossier page), "Chờ kết quả cấp trên" (the working
days waiting; one answer with its file recorded once for many dossiers), the dossier page's levels — and every
refusal through the page and the API leaving the dossier as it was."""

import io
import re
from datetime import date, datetime

import pytest
from docx import Document

from awards.archive.models import AwardRecord
from awards.core import clock
from awards.core.uploads import Upload
from awards.extensions import db as _db
from awards.nominations import queries, services
from awards.nominations.models import Nomination, OutsideAnswer, OutsideAnswerItem
from tests.units.test_levels import Province

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> "
       b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
ANSWER = {"result": "awarded", "decision_number": "215/QĐ-UBND", "decision_date": "02/03/2026",
          "issuer": "Chủ tịch UBND tỉnh Thái An"}


class Desk:
    """A browser-like client signed in through the login form as `user`, posting with the form's CSRF token."""

    def __init__(self, app, user):
        self.client, self.user = app.test_client(), user
        html = self.client.get("/login").get_data(as_text=True)
        signed = self.client.post("/login", data={"username": user.username, "password": "mat-khau-2026",
                                                  "csrf_token": CSRF.search(html).group(1)})
        assert signed.status_code == 302

    def token(self) -> str:
        return CSRF.search(self.client.get("/account").get_data(as_text=True)).group(1)

    def get(self, path, **kw):
        return self.client.get(path, **kw)

    def post(self, path, data=None, csrf=True, **kw):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.token()
        return self.client.post(path, data=data, **kw)


@pytest.fixture
def province(api, db, at, app):
    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    province = Province(api)
    province.staff_syt = api.as_("staff", unit=province.units["SYT"])
    province.desk = {code: Desk(app, user) for code, user in (
        ("BVA", province.staff_a.user), ("BVB", province.staff_b.user), ("SYT", province.staff_syt.user))}
    return province


def _passed(province, unit_code="BVA", award="BK_TINH"):
    """A dossier its level's council has passed (councils are tested in tests/council and tests/units)."""
    dossier = province.dossier(unit_code, award=award, status="appraised")
    nomination = _db.session.get(Nomination, dossier.id)
    nomination.status = "passed"
    _db.session.commit()
    return dossier.id


def _status(nid) -> tuple[str, str]:
    _db.session.expire_all()
    nomination = _db.session.get(Nomination, nid)
    return nomination.status, nomination.handling_unit_code


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_ready_list_agrees_with_the_service(province):
    """What "Trình cấp trên" lists is exactly what services.forward accepts, for each desk."""
    ids = [_passed(province), _passed(province, award="CSTD_TINH"), _passed(province, award="CSTDCS"),
           _passed(province, "BVB"), _passed(province, "SYT"),
           province.dossier("BVA", award="BK_TINH", status="appraised").id,  # a vote is due first
           province.dossier("BVA-NOI", award="BK_TINH", status="submitted").id]
    for desk in (province.staff_a.user, province.staff_b.user, province.staff_syt.user, province.central.user):
        listed = {n.id for n in queries.ready_to_forward(desk)}
        accepted = set()
        for nid in ids:
            savepoint = _db.session.begin_nested()
            try:
                services.forward(_db.session.get(Nomination, nid), by=desk)
                accepted.add(nid)
            except Exception:  # noqa: BLE001 — any refusal counts as not accepted
                pass
            savepoint.rollback()
        assert listed == accepted, desk.username
    assert {n.id for n in queries.ready_to_forward(province.staff_a.user)} == {ids[0], ids[1]}


def test_a_batch_forwarded_on_the_page_with_its_proposal_and_list(province):
    first, second = _passed(province), _passed(province, award="CSTD_TINH")
    desk = province.desk["BVA"]
    page = _text(desk.get("/nominations/forwarding"))
    assert "Trình cấp trên" in page and f'value="{first}"' in page and f'value="{second}"' in page
    assert "Sở Y tế tỉnh Thái An" in page  # where each goes

    sent = desk.post("/nominations/forwarding", {"ids": [first, second], "note": "Tờ trình số 12/TTr-BVA"})
    assert sent.status_code == 302 and "/nominations/forwarding/sent" in sent.headers["Location"]
    assert _status(first) == ("submitted", "SYT") and _status(second) == ("submitted", "SYT")
    done = desk.get(sent.headers["Location"])
    html = _text(done)
    assert "Đã trình cấp trên 2 hồ sơ" in html and "Tải tờ trình (.docx)" in html
    links = re.findall(r'href="(/nominations/forwarding/(?:proposal|list)\.docx\?[^"]+)"', html)
    assert len(links) == 2

    names = {_db.session.get(Nomination, i).subject_name for i in (first, second)}
    proposal = desk.get(links[0].replace("&amp;", "&"))
    assert proposal.status_code == 200 and proposal.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(proposal.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kính gửi:" in text and "BỆNH VIỆN ĐA KHOA A" in _all_text(document)
    addressed = next(line for line in _all_text(document).splitlines() if "Kính gửi" in line)
    assert "Sở Y tế tỉnh Thái An" in addressed, "the batch goes to the Sở, not to whoever decides the award"
    assert names <= _cells(document)
    listing = Document(io.BytesIO(desk.get(links[1].replace("&amp;", "&")).data))
    assert names <= _cells(listing)
    assert "Tổng cộng: 2 (2 cá nhân)." in "\n".join(p.text for p in listing.paragraphs)
    # another hospital's desk cannot read that batch
    assert province.desk["BVB"].get(links[0].replace("&amp;", "&")).status_code == 403


def _cells(document) -> set[str]:
    return {cell.text for table in document.tables for row in table.rows for cell in row.cells}


def _all_text(document) -> str:
    return "\n".join([p.text for p in document.paragraphs] + sorted(_cells(document)))


def test_one_dossier_forwarded_from_its_page_arrives_with_its_earlier_steps(province):
    nid = _passed(province)
    desk = province.desk["BVA"]
    page = _text(desk.get(f"/nominations/{nid}"))
    assert f'action="/nominations/{nid}/forward"' in page and "data-confirm" in page
    forwarded = desk.post(f"/nominations/{nid}/forward")
    assert forwarded.status_code == 302 and _status(nid) == ("submitted", "SYT")
    # the Sở's desk sees the earlier level's steps, documents and the levels crossed; the hospital still reads it
    syt = _text(province.desk["SYT"].get(f"/nominations/{nid}"))
    assert "Các cấp hồ sơ đã qua" in syt and "Bệnh viện Đa khoa A" in syt and "Sở Y tế tỉnh Thái An" in syt
    assert syt.count("/attachments/") >= 1 and "Thẩm định hồ sơ" in syt
    assert province.desk["BVA"].get(f"/nominations/{nid}").status_code == 200
    assert f'action="/nominations/{nid}/forward"' not in _text(province.desk["BVA"].get(f"/nominations/{nid}"))


def test_refusals_through_the_page_and_the_api_leave_the_dossier_unchanged(province):
    decided = _passed(province, award="CSTDCS")  # the hospital decides it itself
    early = province.dossier("BVA", award="BK_TINH", status="appraised").id  # its council has not voted
    ready = _passed(province)
    desk, api = province.desk["BVA"], province.staff_a
    refused = desk.post("/nominations/forwarding", {"ids": [ready, decided]})
    assert refused.status_code == 409
    assert f"Không trình hồ sơ nào: hồ sơ #{decided}" in _text(refused) and "có thẩm quyền quyết định" in _text(refused)
    assert _status(ready) == ("passed", "BVA") and _status(decided) == ("passed", "BVA")  # all or none
    assert api.post(f"/api/v1/nominations/{decided}/forward", json={}).status_code == 409

    wrong_state = desk.post(f"/nominations/{early}/forward")
    assert wrong_state.status_code == 302
    assert "chưa thể quyết định khen thưởng" in _text(desk.get(wrong_state.headers["Location"]))
    assert _status(early) == ("appraised", "BVA")
    assert api.post(f"/api/v1/nominations/{early}/forward", json={}).status_code == 409

    other = province.desk["BVB"]  # another hospital's secretariat
    assert other.post(f"/nominations/{ready}/forward").status_code == 403
    assert other.post("/nominations/forwarding", {"ids": [ready]}).status_code == 403
    assert other.get(f"/nominations/{ready}").status_code == 403
    assert province.staff_b.post(f"/api/v1/nominations/{ready}/forward", json={}).status_code == 403
    assert _status(ready) == ("passed", "BVA")
    # without the form's token nothing moves
    assert desk.post("/nominations/forwarding", {"ids": [ready]}, csrf=False).status_code == 400
    assert desk.post(f"/nominations/{ready}/forward", csrf=False).status_code == 400
    assert _status(ready) == ("passed", "BVA")
    # an unknown dossier in the batch
    assert desk.post("/nominations/forwarding", {"ids": [ready, 999_999]}).status_code == 404


def _outside(province, count):
    """`count` dossiers of the Sở's own units forwarded to the province (the answer comes from outside)."""
    ids = [_passed(province, "SYT") for _ in range(count)]
    assert province.staff_syt.post("/api/v1/nominations/forward", json={"nomination_ids": ids}).status_code == 200
    sent = datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM)  # steps are stamped by the real clock: the app's day
    for nid in ids:
        _db.session.get(Nomination, nid).events[-1].at = sent
    _db.session.commit()
    return ids


def test_one_answer_with_its_file_is_recorded_once_for_a_batch(province, at):
    ids = _outside(province, 3)
    stray = _outside(province, 1)[0]
    at(datetime(2026, 3, 9, 9, 0, tzinfo=clock.VIETNAM))  # five working days later
    desk = province.desk["SYT"]
    waiting = _text(desk.get("/nominations/forwarded"))
    assert "Chờ kết quả cấp trên" in waiting and all(f'value="{i}"' in waiting for i in ids)
    assert re.findall(r'class="workdays">(\d+)<', waiting) == ["5"] * 4
    assert province.staff_syt.get(f"/api/v1/nominations/{ids[0]}").json["forwarded_workdays"] == 5

    done = desk.post("/nominations/forwarded", {**ANSWER, "ids": ids, "file": (io.BytesIO(PDF), "qd-215.pdf")},
                     content_type="multipart/form-data")
    assert done.status_code == 302, _text(done)[:2000]
    answers = _db.session.query(OutsideAnswer).all()
    assert len(answers) == 1 and answers[0].upload.kind == "pdf" and answers[0].upload.original_name == "qd-215.pdf"
    items = _db.session.query(OutsideAnswerItem).all()
    assert sorted(i.nomination_id for i in items) == ids and {i.answer_id for i in items} == {answers[0].id}
    assert _db.session.query(Upload).filter_by(sha256=answers[0].upload.sha256).count() == 1
    assert {_status(i)[0] for i in ids} == {"awarded"} and _status(stray)[0] == "forwarded"
    records = _db.session.query(AwardRecord).filter_by(decision_number="215/QĐ-UBND").all()
    assert len(records) == 3 and {r.issuer for r in records} == {"Chủ tịch UBND tỉnh Thái An"}
    assert {r.decision_date for r in records} == {date(2026, 3, 2)}
    # the dossier page shows the answer and its file, to the desk and to the proposing unit's officer
    page = _text(desk.get(f"/nominations/{ids[0]}"))
    assert "Quyết định số 215/QĐ-UBND ngày 02/03/2026 của Chủ tịch UBND tỉnh Thái An" in page
    file = desk.get(f"/nominations/{ids[0]}/answer-file")
    assert file.status_code == 200 and file.data == PDF and file.mimetype == "application/pdf"
    assert desk.get(f"/nominations/{stray}/answer-file").status_code == 404


def test_an_answer_for_one_dossier_and_its_refusals(province, app, monkeypatch):
    nid, other = _outside(province, 2)
    desk = province.desk["SYT"]
    form = _text(desk.get(f"/nominations/{nid}/outcome"))
    assert "Ghi kết quả cấp trên" in form and 'value="Chủ tịch UBND tỉnh (cấp tỉnh)"' in form
    # a refusal needs its reason (Vietnamese, on the field); nothing recorded
    no_reason = desk.post(f"/nominations/{nid}/outcome", {"result": "not_awarded"})
    assert no_reason.status_code == 400 and "Cần ghi lý do." in _text(no_reason)
    # an award needs its number, date and issuer
    bare = desk.post(f"/nominations/{nid}/outcome", {"result": "awarded"})
    assert bare.status_code == 400 and "Trường này là bắt buộc." in _text(bare)
    bad_date = desk.post(f"/nominations/{nid}/outcome", {**ANSWER, "decision_date": "31/02/2026"})
    assert bad_date.status_code == 400 and "Ngày không hợp lệ." in _text(bad_date)
    # a file named .pdf that is a web page; a file over the limit
    mislabeled = desk.post(f"/nominations/{nid}/outcome",
                           {**ANSWER, "file": (io.BytesIO(b"<html><script>x</script></html>"), "qd.pdf")},
                           content_type="multipart/form-data")
    assert mislabeled.status_code == 415 and "Chỉ nhận tệp PDF, PNG, JPG" in _text(mislabeled)
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    big = desk.post(f"/nominations/{nid}/outcome",
                    {**ANSWER, "file": (io.BytesIO(PDF + b"0" * (1024 * 1024 + 1)), "qd.pdf")},
                    content_type="multipart/form-data")
    assert big.status_code == 413
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 20)
    assert _status(nid)[0] == "forwarded" and _db.session.query(OutsideAnswer).count() == 0
    # the wrong level: a hospital's desk; without the token
    assert province.desk["BVA"].post(f"/nominations/{nid}/outcome", {**ANSWER}).status_code == 403
    assert province.staff_a.post(f"/api/v1/nominations/{nid}/outcome",
                                 json={**ANSWER, "decision_date": "2026-03-02"}).status_code == 403
    assert desk.post(f"/nominations/{nid}/outcome", {**ANSWER}, csrf=False).status_code == 400
    assert desk.post("/nominations/forwarded", {**ANSWER, "ids": [nid]}, csrf=False).status_code == 400
    assert _status(nid)[0] == "forwarded"

    refused = desk.post(f"/nominations/{nid}/outcome", {"result": "not_awarded", "reason": "Chưa đủ thời gian",
                                                        "decision_number": "45/UBND-VX"})
    assert refused.status_code == 302 and _status(nid)[0] == "not_awarded"
    page = _text(desk.get(f"/nominations/{nid}"))
    assert "Không được khen thưởng: Chưa đủ thời gian" in page
    # answered already: the page and the API refuse a second answer (409), the batch names the dossier
    again = desk.post("/nominations/forwarded", {**ANSWER, "ids": [other, nid]})
    assert again.status_code == 409 and f"hồ sơ #{nid}" in _text(again)
    assert _status(other)[0] == "forwarded"
    assert province.staff_syt.post(f"/api/v1/nominations/{nid}/outcome",
                                   json={**ANSWER, "decision_date": "2026-03-02"}).status_code == 409


def test_the_pages_are_the_secretariats(province, client, login_as):
    nid = _passed(province)
    login_as("unit_officer", unit=province.units["BVA"])
    for path in ("/nominations/forwarding", "/nominations/forwarded", f"/nominations/{nid}/outcome"):
        assert client.get(path).status_code == 403
    page = _text(client.get(f"/nominations/{nid}"))
    assert f'action="/nominations/{nid}/forward"' not in page


def test_the_menu_offers_the_pages_to_the_secretariat(province):
    home = _text(province.desk["BVA"].get("/"))
    assert 'href="/nominations/forwarding"' in home and 'href="/nominations/forwarded"' in home


def test_a_council_result_travels_with_the_dossier_but_no_ballot(province):
    """The Sở reads the hospital council's count in the history; nothing on the page says who voted what."""
    from tests.units.test_levels import _passed_by_hospital_council

    dossier = province.dossier("BVA", award="BK_TINH", status="appraised", by=province.staff_a.user)
    _passed_by_hospital_council(province, [dossier])
    assert province.desk["BVA"].post(f"/nominations/{dossier.id}/forward").status_code == 302
    page = _text(province.desk["SYT"].get(f"/nominations/{dossier.id}"))
    assert "thành viên đồng ý" in page and "Hội đồng thông qua" in page
    assert "receipt" not in page.lower() and "biên nhận" not in page.lower()
    assert page.count(f"/nominations/{dossier.id}/attachments/") >= 1


def test_the_public_results_show_an_award_decided_outside_with_its_issuer(province, client):
    ids = _outside(province, 2)
    desk = province.desk["SYT"]
    assert desk.post("/nominations/forwarded", {**ANSWER, "ids": ids}).status_code == 302
    names = {_db.session.get(Nomination, i).subject_name for i in ids}
    html = client.get("/public/results").get_data(as_text=True)
    assert "Quyết định số 215/QĐ-UBND ngày 02/03/2026" in html and "Chủ tịch UBND tỉnh Thái An" in html
    assert all(name in html for name in names)
    assert all(name in client.get("/public/results?year=2026&award=BK_TINH").get_data(as_text=True)
               for name in names)
    assert "215/QĐ-UBND" not in client.get("/public/results?year=2025").get_data(as_text=True)


def test_the_sent_batch_page_reads_the_same_statements_for_two_dossiers_as_for_six(province, app, db):
    """"Đã trình cấp trên" names each dossier's level and checks who proposed it from its events: read for the
    whole batch at once, so a secretariat's batch of 200 costs what one of two does (issue 21: it read each
    dossier, its events and their levels one at a time)."""
    from sqlalchemy import event

    ids = [_passed(province) for _ in range(6)]
    sent = province.desk["BVA"].post("/nominations/forwarding", {"ids": ids, "note": "Tờ trình số 14/TTr-BVA"})
    assert sent.status_code == 302
    counts = {}
    for size in (2, 6):
        statements = []

        def listen(conn, cursor, statement, *args, seen=statements):
            seen.append(statement)

        query = "&".join(f"ids={i}" for i in ids[:size])
        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            page = province.desk["BVA"].get(f"/nominations/forwarding/sent?{query}")
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert page.status_code == 200 and f"Đã trình cấp trên {size} hồ sơ" in page.get_data(as_text=True)
        counts[size] = len(statements)
    assert counts[6] == counts[2], counts
    # the order ticked is the order shown; an unknown id is still a 404
    shown = re.findall(r'href="/nominations/(\d+)"', province.desk["BVA"].get(
        f"/nominations/forwarding/sent?ids={ids[3]}&ids={ids[1]}").get_data(as_text=True))
    assert [int(i) for i in shown[:2]] == [ids[3], ids[1]]
    assert province.desk["BVA"].get(f"/nominations/forwarding/sent?ids={ids[0]}&ids=999999").status_code == 404


def test_a_batch_is_viewable_exactly_when_each_of_its_dossiers_is(province):
    """permissions.can_view_all (one subtree read for a batch) answers what can_view answers dossier by dossier, for
    every desk, on dossiers at their own level, forwarded upward and of another hospital."""
    from awards.nominations.permissions import can_view, can_view_all

    ids = [_passed(province), _passed(province, "BVB"), province.dossier("BVA-NOI", award="LDTT").id]
    services.forward(_db.session.get(Nomination, ids[0]), by=province.staff_a.user)
    _db.session.commit()
    dossiers = [_db.session.get(Nomination, i) for i in ids]
    for desk in (province.staff_a.user, province.staff_b.user, province.staff_syt.user, province.central.user):
        for n in dossiers:
            assert can_view_all(desk, [n]) == can_view(desk, n), (desk.username, n.id)
        assert can_view_all(desk, dossiers) == all(can_view(desk, n) for n in dossiers), desk.username
    assert can_view_all(province.staff_a.user, [dossiers[0], dossiers[2]])  # its own, one forwarded upward
    assert not can_view_all(province.staff_a.user, dossiers)  # BVB's is not the hospital A's
