"""Catalog pages: the award types with their current settings; staff change the settings (audited); an admin
adds award types and composes their conditions from catalog.blocks (issue 25)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.catalog import blocks, rules, services
from awards.catalog.blueprint import bp
from awards.catalog.forms import ATTACHMENT_LABELS, ActiveForm, AwardSettingsForm, AwardTypeForm, GlobalSettingsForm
from awards.catalog.types import DEFAULTS, VOTING_LABELS
from awards.core.forms import perform
from awards.core.permissions import MANAGERS, Role, roles_required
from awards.extensions import db


def _percent(value):
    return None if value is None else round(float(value) * 100, 1)


@bp.get("")
@roles_required()
def award_types():
    return render_template("catalog/award_types.html", awards=services.award_types(inactive=True),
                           rulesets=rules.RULESETS, blocks=blocks.BLOCKS,
                           settings=services.global_settings(), ATTACHMENT_LABELS=ATTACHMENT_LABELS,
                           global_form=_global_form())


def _global_form(formdata=None):
    settings = services.global_settings()
    return GlobalSettingsForm(formdata=formdata, data={**settings, "quorum": _percent(settings["quorum"])})


@bp.route("/<code>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def award_settings(code):
    award = services.award_types().get(code) or abort(404)
    if not award.builtin:
        return redirect(url_for("catalog.edit_award_type", code=code))
    form = AwardSettingsForm(data={"ballot": str(award.ballot), "threshold": _percent(award.threshold),
                                   "review_days": award.review_days,
                                   "required_attachments": list(award.required_attachments)})
    form.ballot.choices = [c for c in form.ballot.choices if c.value in award.voting_choices]
    if form.validate_on_submit():
        values = {"ballot": form.ballot.data,
                  "threshold": float(form.threshold.data) / 100 if form.threshold.data is not None else None,
                  "review_days": form.review_days.data, "required_attachments": form.required_attachments.data}
        if form.ballot.data != "secret" and DEFAULTS[code].threshold is None:
            values.pop("threshold")  # open votes pass on a majority of ballots cast, not a share of members
        if perform(lambda: services.change_settings(values, prefix=f"award.{code}.", by=current_user),
                   success=_("Đã lưu thiết lập của %(a)s.", a=award.name)):
            return redirect(url_for("catalog.award_types"))
    return render_template("catalog/award_settings.html", award=award, default=DEFAULTS[code], form=form,
                           VOTING_LABELS=VOTING_LABELS), (
        400 if form.errors else 200)


@bp.post("/settings")
@roles_required(*MANAGERS)
def global_settings():
    form = GlobalSettingsForm()
    if not form.validate_on_submit():
        flash(_("Thiết lập chung chưa hợp lệ: %(e)s", e="; ".join(f"{form[k].label.text}: {v[0]}" for k, v in
                                                                    form.errors.items())), "danger")
        return redirect(url_for("catalog.award_types"))
    quota = form.cstdcs_quota_percent.data
    values = {"quorum": float(form.quorum.data) / 100, "max_rounds": form.max_rounds.data,
              "cstdcs_quota_percent": float(quota) if quota is not None else None,
              "return_days": form.return_days.data, "appraisal_days": form.appraisal_days.data,
              "forward_days": form.forward_days.data}
    services.change_settings(values, by=current_user)
    db.session.commit()
    flash(_("Đã lưu thiết lập chung."), "success")
    return redirect(url_for("catalog.award_types"))


# --- award types an admin adds (issue 25) -------------------------------------------------------------------

MAX_CONDITIONS = 20


def conditions_from(formdata) -> list[dict]:
    """The condition rows as posted (cond-<n>-rule, cond-<n>-<block>-<param>, cond-<n>-article/-text/-confirmed),
    in row order; a row without a block is left out. The service checks them and names a wrong one."""
    rows = []
    numbers = sorted({int(key.split("-")[1]) for key in formdata if key.startswith("cond-")
                      and key.split("-")[1].isdigit() and key.endswith("-rule")})
    for n in numbers[:MAX_CONDITIONS + 1]:
        rule = (formdata.get(f"cond-{n}-rule") or "").strip()
        if not rule:
            continue
        block = blocks.BLOCKS.get(rule)
        params = {}
        for param in block.params if block else ():
            value = (formdata.get(f"cond-{n}-{rule}-{param.name}") or "").strip()
            if value != "":
                params[param.name] = value
        article = (formdata.get(f"cond-{n}-article") or "").strip()
        basis = {"article": article, "text": (formdata.get(f"cond-{n}-text") or "").strip(),
                 "confirmed": bool(formdata.get(f"cond-{n}-confirmed"))} if article else None
        rows.append({"rule": rule, "params": params, "basis": basis})
    return rows


def _values(form: AwardTypeForm, conditions: list[dict]) -> dict:
    return {"name": form.name.data, "subject": form.subject.data, "form": form.award_form.data,
            "level": form.level.data, "decided_by": form.decided_by.data, "ballot": form.ballot.data,
            "threshold": float(form.threshold.data) / 100 if form.threshold.data is not None else None,
            "review_days": form.review_days.data, "required_attachments": form.required_attachments.data,
            "period_years": form.period_years.data,
            "prize_coefficient": float(form.prize_coefficient.data) if form.prize_coefficient.data is not None
            else None, "basis": form.basis.data, "notes": form.notes.data, "conditions": conditions}


def _type_page(form, conditions, award=None, status=200):
    codes = services.award_types(inactive=True)
    return render_template("catalog/award_type_form.html", form=form, award=award, conditions=conditions,
                           blocks=blocks.BLOCKS, award_codes=codes, active_form=ActiveForm()), status


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.admin)
def new_award_type():
    form = AwardTypeForm()
    conditions = conditions_from(request.form) if request.method == "POST" else []
    if form.validate_on_submit():
        values = {"code": form.code.data, **_values(form, conditions)}
        outcome = perform(lambda: services.create_award_type(by=current_user, **values), form,
                          success=lambda row: _("Đã thêm loại khen thưởng %(a)s.", a=row.name))
        if outcome:
            return redirect(url_for("catalog.edit_award_type", code=outcome.value.code))
        return _type_page(form, conditions, status=outcome.status)
    return _type_page(form, conditions, status=400 if form.errors else 200)


@bp.route("/types/<code>/edit", methods=["GET", "POST"])
@roles_required(Role.admin)
def edit_award_type(code):
    award = services.stored_types().get(code) or abort(404)
    form = AwardTypeForm(data={
        "code": award.code, "name": award.name, "subject": award.subject, "award_form": award.form,
        "level": award.level, "decided_by": award.decided_by, "ballot": award.ballot,
        "threshold": round(award.threshold * 100, 1) if award.threshold is not None else None,
        "review_days": award.review_days, "required_attachments": list(award.required_attachments),
        "period_years": award.period_years, "prize_coefficient": award.prize_coefficient, "basis": award.basis,
        "notes": award.notes})
    form.code.render_kw = {"readonly": True}
    conditions = conditions_from(request.form) if request.method == "POST" else list(award.conditions)
    if request.method == "POST":
        form.code.data = award.code  # the code never changes
    if form.validate_on_submit():
        values = _values(form, conditions)
        outcome = perform(lambda: services.change_award_type(code, by=current_user, **values), form,
                          success=_("Đã lưu %(a)s.", a=award.name))
        if outcome:
            return redirect(url_for("catalog.edit_award_type", code=code))
        return _type_page(form, conditions, award, outcome.status)
    return _type_page(form, conditions, award, 400 if form.errors else 200)


@bp.post("/types/<code>/active")
@roles_required(Role.admin)
def award_type_active(code):
    award = services.stored_types().get(code) or abort(404)
    form = ActiveForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        perform(lambda: services.set_award_type_active(code, active, by=current_user),
                success=_("Đã cho dùng lại %(a)s.", a=award.name) if active
                else _("Đã ngừng sử dụng %(a)s: hồ sơ và khen thưởng đã có vẫn giữ nguyên.", a=award.name))
    return redirect(url_for("catalog.edit_award_type", code=code))
