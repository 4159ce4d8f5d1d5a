"""Advanced example pages (Directive 49): the campaign's examples by stage, record one, its page with the
four-stage timeline, move it on, edit its story, its photo and evidence. Managers write; signed-in users read."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from awards.campaigns import examples as services
from awards.campaigns import queries
from awards.campaigns.blueprint import bp
from awards.campaigns.permissions import load_campaign, load_example
from awards.campaigns.states import EXAMPLE_STAGES
from awards.core import clock
from awards.core.forms import BAD_DATE, REQUIRED, VnDateField, perform
from awards.core.images import send_photo
from awards.core.params import page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.core.uploads import download
from awards.extensions import db

PER_PAGE = 30
PHOTO_HELP = _l("Không bắt buộc. Ảnh JPEG hoặc PNG; thông tin vị trí (GPS) và máy ảnh được xoá, ảnh được thu "
                "nhỏ còn tối đa 1200 điểm ảnh mỗi chiều.")
STORY_HELP = _l("Có thể dùng đoạn văn, danh sách, chữ đậm, nghiêng và liên kết; mã lệnh và định dạng khác bị "
                "loại bỏ. Để trống một dòng giữa hai đoạn văn.")
IMAGE_TYPES = {"accept": "image/jpeg,image/png"}


def _subject_choices():
    return [SelectChoice("person", _l("Cá nhân")), SelectChoice("unit", _l("Tập thể"))]


class ExampleForm(FlaskForm):
    subject_type = SelectField(_l("Loại đối tượng"), choices=_subject_choices, default="person")
    subject_code = StringField(_l("Mã đối tượng"), validators=[DataRequired(REQUIRED), Length(max=40)],
                               description=_l("Mã cá nhân hoặc mã đơn vị, thuộc phạm vi phong trào."))
    title = StringField(_l("Tên điển hình (thành tích, mô hình)"), validators=[DataRequired(REQUIRED),
                                                                               Length(max=300)])
    story_html = TextAreaField(_l("Câu chuyện, thành tích"), validators=[Optional(), Length(max=20000)],
                               description=STORY_HELP, render_kw={"rows": 8})
    photo = FileField(_l("Ảnh"), description=PHOTO_HELP, render_kw=IMAGE_TYPES)
    on = VnDateField(_l("Ngày phát hiện"), validators=[DataRequired(BAD_DATE)])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Ghi nhận điển hình"))


class StoryForm(FlaskForm):
    title = StringField(_l("Tên điển hình (thành tích, mô hình)"), validators=[DataRequired(REQUIRED),
                                                                               Length(max=300)])
    story_html = TextAreaField(_l("Câu chuyện, thành tích"), validators=[Optional(), Length(max=20000)],
                               description=STORY_HELP, render_kw={"rows": 10})
    photo = FileField(_l("Ảnh mới"), description=_l("Không bắt buộc: để trống thì giữ ảnh hiện có. JPEG hoặc PNG."),
                      render_kw=IMAGE_TYPES)
    submit = SubmitField(_l("Lưu thay đổi"))


class AdvanceForm(FlaskForm):
    to = HiddenField()
    on = VnDateField(_l("Ngày"), validators=[DataRequired(BAD_DATE)])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    evidence = FileField(_l("Minh chứng"), description=_l("Không bắt buộc: PDF, Word, Excel, JPEG hoặc PNG."))
    submit = SubmitField(_l("Chuyển giai đoạn"))


def _file(field) -> tuple[bytes | None, str]:
    """The uploaded bytes of a file field (None when nothing was chosen) and the name the browser sent."""
    storage = field.data
    if not storage or not getattr(storage, "filename", ""):
        return None, ""
    return storage.read() or None, storage.filename or ""


def campaign_url(campaign) -> str | None:
    """The campaign's own page, when the campaign pages provide one."""
    for endpoint in ("campaigns.campaign", "campaigns.detail", "campaigns.view"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, campaign_id=campaign.id)
    return None


@bp.get("/<int:campaign_id>/examples")
@roles_required()
def examples(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    stage = request.args.get("stage", "")
    stage = stage if stage in EXAMPLE_STAGES else ""
    page = db.paginate(queries.examples_stmt(campaign.id, stage or None), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    counts = services.stage_counts(campaign.id)
    return render_template("campaigns/examples.html", campaign=campaign, page=page, stage=stage, counts=counts,
                           total=sum(counts.values()), stages=EXAMPLE_STAGES, campaign_url=campaign_url(campaign),
                           args={"campaign_id": campaign.id, **({"stage": stage} if stage else {})})


@bp.route("/<int:campaign_id>/examples/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_example(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    form = ExampleForm()
    status = 200
    if not form.is_submitted():
        form.on.data = clock.today()
    if form.validate_on_submit():
        photo, photo_name = _file(form.photo)
        outcome = perform(lambda: services.create_example(
            campaign, subject_type=form.subject_type.data, subject_code=form.subject_code.data,
            title=form.title.data, story_html=form.story_html.data or "", on=form.on.data,
            note=form.note.data or "", photo=photo, photo_name=photo_name, by=current_user), form,
            file_field="photo", success=_("Đã ghi nhận điển hình tiên tiến ở giai đoạn “Phát hiện”."))
        if outcome:
            return redirect(url_for("campaigns.example", example_id=outcome.value.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("campaigns/example_form.html", form=form, campaign=campaign, example=None,
                           action=url_for("campaigns.create_example", campaign_id=campaign.id)), status


def _example_page(example, advance_form=None, status=200):
    stages = {s.stage: s for s in example.stages}
    upcoming = services.next_stage(example)
    if advance_form is None:
        advance_form = AdvanceForm(formdata=None)
        advance_form.on.data = clock.today()
    if upcoming:
        advance_form.to.data = upcoming
        advance_form.submit.label.text = _("Chuyển sang “%(s)s”", s=EXAMPLE_STAGES[upcoming])
    return render_template("campaigns/example.html", example=example, campaign=example.campaign, reached=stages,
                           stages=EXAMPLE_STAGES, upcoming=upcoming, advance_form=advance_form,
                           campaign_url=campaign_url(example.campaign)), status


@bp.get("/examples/<int:example_id>")
@roles_required()
def example(example_id):
    return _example_page(load_example(example_id, current_user))


@bp.post("/examples/<int:example_id>/advance")
@roles_required(*MANAGERS)
def advance_example(example_id):
    example = load_example(example_id, current_user)
    form = AdvanceForm()
    if not form.validate_on_submit():
        return _example_page(example, form, 400)
    evidence, evidence_name = _file(form.evidence)
    outcome = perform(lambda: services.advance_example(
        example, to=form.to.data or services.next_stage(example) or "", on=form.on.data, note=form.note.data or "",
        evidence=evidence, evidence_name=evidence_name, by=current_user), form, file_field="evidence",
        success=lambda stage: _("Đã chuyển điển hình sang giai đoạn “%(s)s”.", s=EXAMPLE_STAGES[stage.stage]))
    if not outcome:
        return _example_page(load_example(example_id, current_user), form, outcome.status)
    return redirect(url_for("campaigns.example", example_id=example_id))


@bp.route("/examples/<int:example_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_example(example_id):
    example = load_example(example_id, current_user)
    form = StoryForm(data={"title": example.title, "story_html": example.story_html})
    status = 200
    if form.validate_on_submit():
        photo, photo_name = _file(form.photo)
        outcome = perform(lambda: services.update_story(example, title=form.title.data,
                                                        story_html=form.story_html.data or "", photo=photo,
                                                        photo_name=photo_name, by=current_user),
                          form, file_field="photo", success=_("Đã lưu câu chuyện điển hình."))
        if outcome:
            return redirect(url_for("campaigns.example", example_id=example_id))
        status, example = outcome.status, load_example(example_id, current_user)
    elif form.is_submitted():
        status = 400
    return render_template("campaigns/example_form.html", form=form, campaign=example.campaign, example=example,
                           action=url_for("campaigns.edit_example", example_id=example.id)), status


@bp.get("/examples/<int:example_id>/photo")
@roles_required()
def example_photo(example_id):
    example = load_example(example_id, current_user)
    return send_photo(example.photo)


@bp.get("/examples/evidence/<int:stage_id>")
@roles_required()
def example_evidence(stage_id):
    stage = services.stage_by_id(stage_id) or abort(404)
    load_example(stage.example_id, current_user)
    if stage.evidence is None:
        abort(404)
    label = EXAMPLE_STAGES.get(stage.stage, stage.stage)
    return download(stage.evidence, stage.evidence.original_name or f"minh-chung-{label}")
