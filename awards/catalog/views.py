"""Catalog pages: the award types with their current settings; staff change the settings (audited)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.catalog import rules, services
from awards.catalog.blueprint import bp
from awards.catalog.forms import ATTACHMENT_LABELS, AwardSettingsForm, GlobalSettingsForm
from awards.catalog.types import DEFAULTS, VOTING_LABELS
from awards.core.forms import perform
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db


def _percent(value):
    return None if value is None else round(float(value) * 100, 1)


@bp.get("")
@roles_required()
def award_types():
    return render_template("catalog/award_types.html", awards=services.award_types(), rulesets=rules.RULESETS,
                           settings=services.global_settings(), ATTACHMENT_LABELS=ATTACHMENT_LABELS,
                           global_form=_global_form())


def _global_form(formdata=None):
    settings = services.global_settings()
    return GlobalSettingsForm(formdata=formdata, data={**settings, "quorum": _percent(settings["quorum"])})


@bp.route("/<code>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def award_settings(code):
    award = services.award_types().get(code) or abort(404)
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
