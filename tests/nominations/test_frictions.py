"""Issue 19's frictions on the dossier pages: the appraiser passes a failing line in place and opens the files;
a new dossier's year, awards, person search, several files, and the warning before submitting a failing one."""

import re

import pytest

from awards.nominations.models import Nomination
from awards.units.services import add_person_evaluation
from tests import factories
from tests.nominations.test_appraisal import PDF, dossier


@pytest.fixture
def writer(db):
    user = factories.user("staff")
    db.session.commit()
    return user


# --- 1. overriding a failing line in place ----------------------------------------------------------------

def test_appraiser_overrides_a_failing_line_in_place_and_comes_back(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer, rating=None)
    db.session.commit()
    login_as("staff")
    path = f"/nominations/{nomination.id}/appraise"
    page = client.get(path).get_data(as_text=True)
    assert "Ghi ý kiến vượt qua dòng này (kèm lý do)" in page and "/archive/eligibility?" not in page
    assert 'name="rule" value="rating_good_or_better"' in page
    token = csrf_token(path)
    short = client.post(f"{path}/override", data={"csrf_token": token, "rule": "rating_good_or_better",
                                                  "reason": "ngắn"})
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.get_data(as_text=True)
    assert "Hồ sơ #%d" % nomination.id in short.get_data(as_text=True)  # still the appraisal page
    done = client.post(f"{path}/override", data={"csrf_token": token, "rule": "rating_good_or_better",
                                                 "reason": "Đơn vị đã xác nhận xếp loại bằng văn bản"})
    assert done.status_code == 302 and done.headers["Location"].startswith(path)
    back = client.get(path).get_data(as_text=True)
    assert "Đã ghi ý kiến thẩm định" in back and "Đơn vị đã xác nhận xếp loại bằng văn bản" in back
    assert 'name="rule" value="rating_good_or_better"' not in back
    passed = client.post(path, data={"csrf_token": token, "action": "pass", "pass-reason": ""})
    assert passed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == "appraised"


def test_override_is_for_managers_only(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer, rating=None)
    db.session.commit()
    login_as("unit_officer", unit=nomination.unit)
    response = client.post(f"/nominations/{nomination.id}/appraise/override",
                           data={"csrf_token": csrf_token("/nominations"), "rule": "rating_good_or_better",
                                 "reason": "Đơn vị tự xác nhận xếp loại"})
    assert response.status_code == 403


def test_attachments_open_from_the_appraisal_page(client, login_as, db, writer):
    nomination = dossier(writer)
    db.session.commit()
    login_as("staff")
    page = client.get(f"/nominations/{nomination.id}/appraise").get_data(as_text=True)
    links = re.findall(rf'href="(/nominations/{nomination.id}/attachments/\d+)"', page)
    assert links and len(links) == len(nomination.attachments)
    response = client.get(links[0])
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
