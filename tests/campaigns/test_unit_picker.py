"""The campaign form's organizer is typed (issue 21: the unit picker replaced a select of every unit)."""

from awards.campaigns.models import Campaign
from tests.campaigns.test_pages import field_errors, form, province, staff, text  # noqa: F401 (fixtures)


def test_organizer_typed_as_name_and_code_or_refused_when_unknown(client, db, staff):  # noqa: F811
    unknown = client.post("/campaigns/new", data={**form(organizer_unit_code="KHONG-CO"), "csrf_token": staff.token})
    assert unknown.status_code == 400 and "Không có đơn vị mã “KHONG-CO”" in field_errors(text(unknown))
    assert db.session.query(Campaign).count() == 0
    made = client.post("/campaigns/new", data={**form(organizer_unit_code="Bệnh viện A (BVA)"),
                                               "csrf_token": staff.token})
    assert made.status_code == 302, field_errors(text(made))
    campaign = db.session.query(Campaign).one()
    assert campaign.organizer.code == "BVA"
    edit = text(client.get(f"/campaigns/{campaign.id}/edit"))
    assert 'value="Bệnh viện A (BVA)"' in edit and "Bệnh viện A (BVA) — Sở Y tế" in edit
