"""Advanced examples (Directive 49): four stages in order, photos cleaned of metadata, the public honour board."""

import io
from datetime import date, datetime

import pytest
from PIL import Image

from awards.campaigns import examples
from awards.campaigns import services as campaign_services
from awards.campaigns.models import AdvancedExample, ExampleStage
from awards.core import clock
from awards.core.images import clean_photo
from awards.core.uploads import UnsupportedFile
from awards.units.queries import unit_by_code
from tests import factories

TODAY = date(2026, 6, 30)
PLAN = {"kind": "regular", "year": 2026, "organizer_unit_code": "SYT", "award_codes": ["LDTT", "TTLDTT"],
        "starts_on": date(2026, 1, 1), "registration_deadline": date(2026, 3, 31), "ends_on": date(2026, 12, 31),
        "nomination_deadline": date(2026, 12, 15)}
EVIL = ('<p>Chị <strong>An</strong> cứu người.</p><script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">x</a>')


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 6, 30, 10, 0, tzinfo=clock.VIETNAM))


@pytest.fixture
def world(db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=top, kind="hospital")
    factories.person(code="CB1", full_name="Nguyễn Thị An", unit=bva, birth_date=date(1981, 2, 3))
    elsewhere = factories.unit(code="KHAC", name="Sở Giáo dục")
    factories.person(code="NGOAI", full_name="Trần Văn Ngoài", unit=elsewhere)
    campaign = campaign_services.create_campaign(title="Phong trào “Cán bộ y tế vì nhân dân”", launch=True, by=None,
                                                 **PLAN)
    db.session.commit()
    return campaign


def jpeg(size=(300, 200), exif=True, orientation=None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    info = Image.Exif()
    if exif:
        info[0x010F] = "Canon"  # Make
        info[0x0110] = "EOS 5D"  # Model
        gps = info.get_ifd(0x8825)
        gps.update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)})
    if orientation:
        info[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=info.tobytes())
    return out.getvalue()


def png(mode="RGBA", colour=(0, 128, 0, 100), size=(80, 60)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def make(campaign, code="CB1", subject_type="person", title="Mô hình “Bệnh viện không khói thuốc”", **kw):
    example = examples.create_example(campaign, subject_type=subject_type, subject_code=code, title=title,
                                      story_html=kw.pop("story_html", "Câu chuyện"), on=kw.pop("on", date(2026, 2, 1)),
                                      by=None, **kw)
    return example


def advance_to(example, last, by=None):
    days = {"nurtured": date(2026, 3, 1), "summarised": date(2026, 4, 1), "replicated": date(2026, 5, 1)}
    for stage in ("nurtured", "summarised", "replicated"):
        examples.advance_example(example, to=stage, on=days[stage], note=f"Ghi chú {stage}", by=by)
        if stage == last:
            break


def post(client, path, csrf, **data):
    return client.post(path, data={"csrf_token": csrf, **data}, content_type="multipart/form-data")


# --- photos -------------------------------------------------------------------------------------------------------

def test_jpeg_loses_its_exif_and_is_resized():
    original = jpeg((3000, 2000))
    assert b"Exif" in original and Image.open(io.BytesIO(original)).getexif().get(0x010F) == "Canon"
    data, kind = clean_photo(original)
    assert kind == "jpeg" and b"Exif" not in data and b"Canon" not in data
    cleaned = Image.open(io.BytesIO(data))
    assert not cleaned.getexif() and cleaned.format == "JPEG" and cleaned.mode == "RGB"
    assert cleaned.size == (1200, 800)


def test_exif_orientation_is_applied_before_it_is_dropped():
    data, _kind = clean_photo(jpeg((300, 200), exif=False, orientation=6))
    cleaned = Image.open(io.BytesIO(data))
    assert cleaned.size == (200, 300) and not cleaned.getexif()


def test_png_with_transparency_stays_png_and_opaque_png_becomes_jpeg():
    data, kind = clean_photo(png())
    assert kind == "png" and Image.open(io.BytesIO(data)).mode == "RGBA"
    _data, kind = clean_photo(png("RGB", (0, 128, 0)))
    assert kind == "jpeg"


@pytest.mark.parametrize("data", [b"hello, not a picture", b"%PDF-1.4 fake", b"\xff\xd8\xff\xe0 truncated jpeg"])
def test_anything_but_a_real_picture_is_refused(data):
    with pytest.raises(UnsupportedFile) as caught:
        clean_photo(data)
    assert caught.value.status == 415


def test_a_decompression_bomb_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (10000, 5000)).save(out, format="PNG")  # 50 megapixels, a few kilobytes
    with pytest.raises(UnsupportedFile) as caught:
        clean_photo(out.getvalue())
    assert "quá lớn" in caught.value.message


# --- stages -------------------------------------------------------------------------------------------------------

def test_four_stages_in_order_with_dates_notes_and_evidence(client, world, login_as, csrf_token, db):
    login_as("staff")
    csrf = csrf_token(f"/campaigns/{world.id}/examples/new")
    created = post(client, f"/campaigns/{world.id}/examples/new", csrf, subject_type="person", subject_code="CB1",
                   title="Điều dưỡng tận tụy", story_html="Chị An chăm sóc người bệnh\n\nĐoạn hai", on="2026-02-01",
                   note="Phát hiện qua sơ kết quý I", photo=(io.BytesIO(jpeg()), "chan-dung.jpg"))
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    example = db.session.query(AdvancedExample).one()
    assert example.stage == "discovered" and example.unit.code == "BVA" and example.photo.kind == "jpeg"
    url = f"/campaigns/examples/{example.id}"
    steps = [("nurtured", "2026-03-01", None), ("summarised", "2026-04-02", (b"%PDF-1.4 bao cao", "bao-cao.pdf")),
             ("replicated", "2026-05-03", None)]
    for stage, on, evidence in steps:
        data = {"to": stage, "on": on, "note": f"Ghi chú {stage}"}
        if evidence:
            data["evidence"] = (io.BytesIO(evidence[0]), evidence[1])
        response = post(client, f"{url}/advance", csrf, **data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    rows = db.session.query(ExampleStage).filter_by(example_id=example.id).order_by(ExampleStage.id).all()
    assert [(r.stage, r.on.isoformat(), r.note) for r in rows] == [
        ("discovered", "2026-02-01", "Phát hiện qua sơ kết quý I"), ("nurtured", "2026-03-01", "Ghi chú nurtured"),
        ("summarised", "2026-04-02", "Ghi chú summarised"), ("replicated", "2026-05-03", "Ghi chú replicated")]
    page = client.get(url).get_data(as_text=True)
    assert "01/02/2026" in page and "02/04/2026" in page and "Ghi chú summarised" in page and "<p>Chị An" in page
    evidence = client.get(f"/campaigns/examples/evidence/{rows[2].id}")
    assert evidence.status_code == 200 and evidence.mimetype == "application/pdf"
    assert "attachment" in evidence.headers["Content-Disposition"]
    assert client.get(f"/campaigns/examples/evidence/{rows[1].id}").status_code == 404  # no evidence there
    from awards.core.audit import AuditEntry

    actions = {a.action for a in db.session.query(AuditEntry)}
    assert {"advancedexample.create", "advancedexample.stage", "advancedexample.replicated"} <= actions


def test_skipping_a_stage_or_going_back_is_409(client, world, login_as, csrf_token, db):
    example = make(world)
    db.session.commit()
    login_as("admin")
    url = f"/campaigns/examples/{example.id}/advance"
    csrf = csrf_token(f"/campaigns/examples/{example.id}")
    skip = post(client, url, csrf, to="summarised", on="2026-03-01")
    assert skip.status_code == 409 and "Không thể chuyển từ “Phát hiện” sang “Tổng kết”" in skip.get_data(as_text=True)
    assert post(client, url, csrf, to="nurtured", on="2026-03-01").status_code == 302
    back = post(client, url, csrf, to="discovered", on="2026-03-02")
    assert back.status_code == 409 and "Không thể chuyển từ “Bồi dưỡng” sang “Phát hiện”" in back.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AdvancedExample, example.id).stage == "nurtured"
    assert len(db.session.get(AdvancedExample, example.id).stages) == 2


def test_a_date_before_the_previous_stage_or_in_the_future_is_400(client, world, login_as, csrf_token, db):
    example = make(world, on=date(2026, 2, 10))
    db.session.commit()
    login_as("staff")
    url = f"/campaigns/examples/{example.id}/advance"
    csrf = csrf_token(f"/campaigns/examples/{example.id}")
    early = post(client, url, csrf, to="nurtured", on="2026-02-09")
    assert early.status_code == 400 and "trước ngày của giai đoạn trước (10/02/2026)" in early.get_data(as_text=True)
    future = post(client, url, csrf, to="nurtured", on="2026-07-01")
    assert future.status_code == 400 and "tương lai" in future.get_data(as_text=True)
    assert post(client, url, csrf, to="nurtured", on="2026-02-10").status_code == 302  # the same day is fine


@pytest.mark.parametrize("subject_type, code", [("person", "NGOAI"), ("unit", "KHAC"), ("unit", "SYT"),
                                                ("person", "KHONG-CO")])
def test_a_subject_outside_the_campaign_is_400(client, world, login_as, csrf_token, db, subject_type, code):
    login_as("staff")
    path = f"/campaigns/{world.id}/examples/new"
    response = post(client, path, csrf_token(path), subject_type=subject_type, subject_code=code, title="Điển hình",
                    on="2026-02-01")
    assert response.status_code == 400
    assert "không thuộc phạm vi phong trào" in response.get_data(as_text=True) or "Không có" in response.get_data(
        as_text=True)
    assert db.session.query(AdvancedExample).count() == 0


def test_a_unit_can_be_the_example(world, db):
    example = make(world, code="BVA", subject_type="unit", title="Tập thể khoa Nội")
    assert example.person is None and example.name == "Bệnh viện A" and example.stages[0].stage == "discovered"


def test_a_text_file_named_photo_jpg_is_415(client, world, login_as, csrf_token, db):
    login_as("staff")
    path = f"/campaigns/{world.id}/examples/new"
    response = post(client, path, csrf_token(path), subject_type="person", subject_code="CB1", title="Điển hình",
                    on="2026-02-01", photo=(io.BytesIO(b"just some text\n"), "photo.jpg"))
    assert response.status_code == 415 and "JPEG hoặc PNG" in response.get_data(as_text=True)
    assert db.session.query(AdvancedExample).count() == 0


def test_edit_replaces_story_and_photo_and_the_photo_is_served_as_an_image(client, world, login_as, csrf_token, db):
    example = make(world, photo=jpeg(), photo_name="a.jpg")
    db.session.commit()
    login_as("staff")
    path = f"/campaigns/examples/{example.id}/edit"
    assert client.get(path).status_code == 200
    response = post(client, path, csrf_token(path), title="Tên mới", story_html="<p>Mới <em>hơn</em></p>",
                    photo=(io.BytesIO(png()), "logo.png"))
    assert response.status_code == 302
    db.session.expire_all()
    example = db.session.get(AdvancedExample, example.id)
    assert example.title == "Tên mới" and example.story_html == "<p>Mới <em>hơn</em></p>"
    assert example.photo.kind == "png"
    photo = client.get(f"/campaigns/examples/{example.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert photo.headers["Content-Security-Policy"] == "default-src 'none'"
    assert "attachment" not in photo.headers.get("Content-Disposition", "")
    assert post(client, path, csrf_token(path), title="", story_html="x").status_code == 400


def test_list_filters_by_stage_with_counts(client, world, login_as, db):
    make(world, title="Điển hình thứ nhất")
    advance_to(make(world, title="Điển hình thứ hai"), "nurtured")
    db.session.commit()
    login_as("council_member")
    page = client.get(f"/campaigns/{world.id}/examples").get_data(as_text=True)
    assert "Điển hình thứ nhất" in page and "Điển hình thứ hai" in page and "Ghi nhận điển hình" not in page
    nurtured = client.get(f"/campaigns/{world.id}/examples?stage=nurtured").get_data(as_text=True)
    assert "Điển hình thứ hai" in nurtured and "Điển hình thứ nhất" not in nurtured
    empty = client.get(f"/campaigns/{world.id}/examples?stage=replicated").get_data(as_text=True)
    assert "Chưa có điển hình nào ở giai đoạn “Nhân rộng”" in empty


# --- honour board -------------------------------------------------------------------------------------------------

def test_honour_board_shows_only_replicated_examples_of_launched_campaigns(app, world, db):
    shown = make(world, title="Nhân rộng rồi", photo=jpeg(), photo_name="a.jpg")
    advance_to(shown, "replicated")
    waiting = make(world, title="Mới tổng kết", photo=jpeg(), photo_name="b.jpg")
    advance_to(waiting, "summarised")
    draft = campaign_services.create_campaign(title="Phong trào nháp", by=None, **PLAN)
    hidden = make(draft, title="Của phong trào nháp", photo=jpeg(), photo_name="c.jpg")
    advance_to(hidden, "replicated")
    db.session.commit()
    anonymous = app.test_client()
    response = anonymous.get("/public/honour-board")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nhân rộng rồi" in page and "Mới tổng kết" not in page and "Của phong trào nháp" not in page
    assert "Nguyễn Thị An" in page and "Bệnh viện A" in page and "01/05/2026" in page
    assert "1981" not in page and "CB1" not in page  # no birth date, no personal code
    assert anonymous.get(f"/public/honour-board/{shown.id}/photo").status_code == 200
    assert anonymous.get(f"/public/honour-board/{waiting.id}/photo").status_code == 404
    assert anonymous.get(f"/public/honour-board/{hidden.id}/photo").status_code == 404
    assert anonymous.get("/public/honour-board/999999/photo").status_code == 404


def test_a_hostile_story_is_stored_and_shown_without_its_script(app, world, db):
    example = make(world, story_html=EVIL)
    advance_to(example, "replicated")
    db.session.commit()
    assert "script" not in example.story_html and "onerror" not in example.story_html
    page = app.test_client().get("/public/honour-board").get_data(as_text=True)
    assert "<strong>An</strong> cứu người" in page
    for bad in ("<script>alert(1)</script>", "alert(1)", "onerror", "javascript:", "<img src=x"):
        assert bad not in page


def test_honour_board_empty_state(app, db):
    page = app.test_client().get("/public/honour-board").get_data(as_text=True)
    assert "Chưa có điển hình nào được nhân rộng" in page


# --- who may do what ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_only_managers_write(client, world, login_as, csrf_token, db, role):
    example = make(world, photo=jpeg(), photo_name="a.jpg")
    examples.advance_example(example, to="nurtured", on=date(2026, 3, 1), note="", evidence=b"%PDF-1.4 x",
                             evidence_name="x.pdf", by=None)
    db.session.commit()
    login_as(role, unit=unit_by_code("BVA") if role == "unit_officer" else None)
    csrf = csrf_token("/account")
    assert client.get(f"/campaigns/{world.id}/examples/new").status_code == 403
    assert post(client, f"/campaigns/{world.id}/examples/new", csrf, subject_type="person", subject_code="CB1",
                title="x", on="2026-02-01").status_code == 403
    assert post(client, f"/campaigns/examples/{example.id}/advance", csrf, to="summarised",
                on="2026-04-01").status_code == 403
    assert client.get(f"/campaigns/examples/{example.id}/edit").status_code == 403
    assert post(client, f"/campaigns/examples/{example.id}/edit", csrf, title="x").status_code == 403
    assert client.get(f"/campaigns/{world.id}/examples").status_code == 200
    page = client.get(f"/campaigns/examples/{example.id}")
    assert page.status_code == 200 and "Chuyển sang" not in page.get_data(as_text=True)
    assert client.get(f"/campaigns/examples/{example.id}/photo").status_code == 200
    assert client.get(f"/campaigns/examples/evidence/{example.stages[1].id}").status_code == 200


def test_anonymous_is_sent_to_login(client, world, db):
    example = make(world, photo=jpeg(), photo_name="a.jpg")
    db.session.commit()
    for path in (f"/campaigns/{world.id}/examples", f"/campaigns/{world.id}/examples/new",
                 f"/campaigns/examples/{example.id}", f"/campaigns/examples/{example.id}/edit",
                 f"/campaigns/examples/{example.id}/photo", f"/campaigns/examples/evidence/{example.stages[0].id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert client.get("/campaigns/999999/examples").status_code == 302


def test_a_draft_campaigns_examples_are_hidden_like_the_campaign(client, login_as, db):
    """A draft campaign is 404 to everyone but managers: its examples too, the list, the page, photo and evidence
    (the same predicate as the campaign's own page and the API)."""
    factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=unit_by_code("SYT"), kind="hospital")
    factories.person(code="CB1", full_name="Nguyễn Thị An", unit=bva)
    draft = campaign_services.create_campaign(title="Phong trào nháp", by=None, **PLAN)
    example = make(draft, photo=jpeg(), photo_name="a.jpg")
    examples.advance_example(example, to="nurtured", on=date(2026, 3, 1), note="", evidence=b"%PDF-1.4 x",
                             evidence_name="x.pdf", by=None)
    db.session.commit()
    paths = (f"/campaigns/{draft.id}", f"/campaigns/{draft.id}/examples", f"/campaigns/examples/{example.id}",
             f"/campaigns/examples/{example.id}/photo", f"/campaigns/examples/evidence/{example.stages[1].id}")
    login_as("unit_officer", unit=bva)
    assert [client.get(path).status_code for path in paths] == [404] * len(paths)
    client.delete_cookie("session")
    login_as("staff")
    assert [client.get(path).status_code for path in paths] == [200] * len(paths)
