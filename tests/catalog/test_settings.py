"""Staff change only what RULES.md marks as settings; every change is audited and takes effect."""

from sqlalchemy import select

from awards.catalog import services
from awards.core.audit import AuditEntry


def test_staff_change_a_threshold_and_review_days(client, login_as, csrf_token, api, db):
    login_as("staff")
    page = client.get("/catalog/CSTDCS")
    assert page.status_code == 200 and "Chiến sĩ thi đua cơ sở" in page.get_data(as_text=True)
    response = client.post("/catalog/CSTDCS", data={
        "threshold": "85", "review_days": "7", "required_attachments": ["proposal", "report", "minutes"],
        "csrf_token": csrf_token("/catalog/CSTDCS")})
    assert response.status_code == 302
    item = {i["code"]: i for i in api.as_("staff").get("/api/v1/award-types").json["items"]}["CSTDCS"]
    assert item["threshold"] == 0.85 and item["review_days"] == 7
    assert item["required_attachments"] == ["proposal", "report", "minutes"]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "catalog.setting")).all()
    changed = {k: (e.before[k], e.after[k]) for e in entries for k in e.after}
    assert changed["award.CSTDCS.threshold"] == (0.8, 0.85)
    assert changed["award.CSTDCS.review_days"] == (5, 7)


def test_bad_settings_are_refused(client, login_as, csrf_token, db):
    login_as("staff")
    response = client.post("/catalog/CSTD_TINH", data={"threshold": "120", "review_days": "0",
                                                        "csrf_token": csrf_token("/catalog/CSTD_TINH")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Từ 1 đến 100." in html and "Từ 1 đến 60 ngày." in html
    assert services.award_type("CSTD_TINH").threshold == 0.9


def test_global_settings_quorum_and_quota(client, login_as, csrf_token, db):
    login_as("admin")
    response = client.post("/catalog/settings", data={
        "quorum": "80", "max_rounds": "2", "cstdcs_quota_percent": "15", "return_days": "5",
        "appraisal_days": "20", "forward_days": "10", "csrf_token": csrf_token("/catalog")})
    assert response.status_code == 302
    settings = services.global_settings()
    assert settings["quorum"] == 0.8 and settings["cstdcs_quota_percent"] == 15
    unchanged = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "catalog.setting")).all()
    assert {k for e in unchanged for k in e.after} == {"quorum", "cstdcs_quota_percent"}, "only real changes"


def test_open_vote_awards_keep_no_threshold(client, login_as, csrf_token, db):
    login_as("staff")
    client.post("/catalog/BK_TINH", data={"threshold": "50", "review_days": "5", "required_attachments": ["report"],
                                          "csrf_token": csrf_token("/catalog/BK_TINH")})
    assert services.award_type("BK_TINH").threshold is None


def test_settings_are_for_managers(client, login_as, csrf_token, db):
    login_as("council_member")
    assert client.get("/catalog").status_code == 200
    assert client.get("/catalog/CSTDCS").status_code == 403
    assert client.post("/catalog/settings", data={"csrf_token": csrf_token("/catalog")}).status_code == 403
