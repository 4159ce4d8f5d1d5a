"""Every refusal of the dossier workflow, through the JSON API and through the pages: both refuse (the API with
its status and error code, the page with its status and the Vietnamese reason), and the dossier stays as it was.
The (state, action, role) table and the dossiers are test_workflow_table's; the rules' own refusals are added."""

import io
from dataclasses import dataclass, field

import pytest

from awards.nominations.models import Nomination
from awards.nominations.states import STATUS_LABELS
from tests import factories
from tests.nominations.test_workflow_table import ALLOWED_FROM, BODIES, PDF, STAFF_ONLY, STATES, _dossier_in
from tests.web import text_of, token_of, web

# the page that does each action, and its form (the appraisal page's three forms are prefixed)
PAGES = {"submit": ("submit", {}), "withdraw": ("withdraw", {"reason": BODIES["withdraw"]["reason"]}),
         "return": ("appraise", {"action": "return", "return-reason": BODIES["return"]["reason"]}),
         "appraise": ("appraise", {"action": "pass", "pass-reason": BODIES["appraise"]["note"]})}
WRONG_STATE = "không thể chuyển sang"


@dataclass
class Refusal:
    action: str
    state: str
    role: str = "staff"
    api: tuple[int, str] = (409, "wrong_state")  # status, error code
    page: tuple[int, str] = (409, WRONG_STATE)  # status, the reason shown
    dossier: str = "complete"  # complete | without_files | failing_checklist
    body: dict = field(default_factory=dict)  # replaces fields of the API body and the page form

    def __str__(self):
        return f"{self.action}-{self.state}-{self.role}-{self.dossier}-{'-'.join(self.body) or 'as-is'}"


def _table() -> list[Refusal]:
    rows = [Refusal(action, state) for action in sorted(ALLOWED_FROM) for state in STATES
            if state not in ALLOWED_FROM[action]]
    for action in sorted(ALLOWED_FROM):
        state = sorted(ALLOWED_FROM[action])[0]
        forbidden = (403, "Không có quyền")
        rows.append(Refusal(action, state, "council_member", (403, "forbidden"), forbidden))
        hidden = action not in STAFF_ONLY  # another unit's officer does not even see the dossier
        rows.append(Refusal(action, state, "other_officer", (404, "not_found") if hidden else (403, "forbidden"),
                            (404, "Không tìm thấy") if hidden else forbidden))
        if action in STAFF_ONLY:
            rows.append(Refusal(action, state, "unit_officer", (403, "forbidden"), forbidden))
    rows += [
        Refusal("appraise", "submitted", dossier="failing_checklist", api=(409, "not_eligible"),
                page=(409, "Chưa thể thẩm định đạt")),
        Refusal("submit", "draft", "unit_officer", dossier="without_files", api=(409, "incomplete_dossier"),
                page=(409, "Hồ sơ còn thiếu")),
        Refusal("return", "submitted", body={"reason": " ", "return-reason": " "}, api=(400, "validation_error"),
                page=(400, "Cần ghi lý do.")),
        Refusal("withdraw", "submitted", "unit_officer", body={"reason": ""}, api=(400, "validation_error"),
                page=(400, "Trường này là bắt buộc.")),
    ]
    return rows


def _dossier(refusal: Refusal, clients, db) -> int:
    if refusal.dossier == "complete":
        return _dossier_in(refusal.state, clients, db)
    person = factories.person(unit=clients["unit_officer"].user.unit)  # no rating: the checklist fails
    db.session.commit()
    nid = clients["unit_officer"].post("/api/v1/nominations", json={
        "subject_type": "person", "subject_code": person.code, "award_code": "LDTT", "year": 2025}).json["id"]
    if refusal.dossier == "failing_checklist":
        for kind in ("report", "proposal"):
            clients["unit_officer"].post(f"/api/v1/nominations/{nid}/attachments", content_type="multipart/form-data",
                                         data={"kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")})
    db.session.get(Nomination, nid).status = refusal.state
    db.session.commit()
    return nid


def _as_it_was(db, nid, state, events):
    db.session.expire_all()
    nomination = db.session.get(Nomination, nid)
    assert (nomination.status, len(nomination.events)) == (state, events)


@pytest.mark.parametrize("refusal", _table(), ids=str)
def test_api_and_page_refuse_alike(app, setting, db, refusal):
    nid = _dossier(refusal, setting, db)
    events = len(db.session.get(Nomination, nid).events)

    body = BODIES[refusal.action] and {**BODIES[refusal.action],
                                       **{k: v for k, v in refusal.body.items() if k in BODIES[refusal.action]}}
    response = setting[refusal.role].post(f"/api/v1/nominations/{nid}/{refusal.action}", json=body)
    assert (response.status_code, response.json["error"]["code"]) == refusal.api, response.json
    assert response.json["error"]["message"]
    _as_it_was(db, nid, refusal.state, events)

    client = web(app, setting[refusal.role].user)
    path, form = PAGES[refusal.action]
    form = {**form, **{k: v for k, v in refusal.body.items() if k in form}, "csrf_token": token_of(client, "/account")}
    page = client.post(f"/nominations/{nid}/{path}", data=form)
    status, reason = refusal.page
    assert page.status_code == status and reason in text_of(page), text_of(page)[:2000]
    if refusal.page[1] == WRONG_STATE:
        assert str(STATUS_LABELS[refusal.state]) in text_of(page)
    _as_it_was(db, nid, refusal.state, events)


def test_bulk_pass_refuses_a_failing_checklist_as_the_api_does(app, setting, db):
    """The bulk pass obeys the same guard: nothing passes while one chosen dossier has a failing line."""
    green = _dossier_in("submitted", setting, db)
    failing = _dossier(Refusal("appraise", "submitted", dossier="failing_checklist"), setting, db)
    client = web(app, setting["staff"].user)
    response = client.post("/nominations/queue/appraise", data={"ids": [green, failing], "confirm": "1",
                                                                "csrf_token": token_of(client, "/account")})
    assert response.status_code == 409 and f"#{failing}" in text_of(response)
    api = setting["staff"].post(f"/api/v1/nominations/{failing}/appraise", json=BODIES["appraise"])
    assert (api.status_code, api.json["error"]["code"]) == (409, "not_eligible")
    for nid in (green, failing):
        _as_it_was(db, nid, "submitted", len(db.session.get(Nomination, nid).events))
