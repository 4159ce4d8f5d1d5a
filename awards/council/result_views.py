"""After the close: the results (quorum, each dossier's count, who took part, recusals, the counted receipts with
a check), a second round for narrow misses, and the minutes as .docx and .xlsx."""

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from awards.catalog import services as catalog
from awards.core.forms import perform
from awards.core.params import ids_arg
from awards.core.permissions import roles_required
from awards.council import minutes, queries, rules, voting
from awards.council.blueprint import bp
from awards.council.forms import SecondRoundForm
from awards.council.models import CouncilSession
from awards.council.permissions import VIEWERS, load_session, may_run
from awards.extensions import db

_NOT_HEX = re.compile(r"[^0-9A-F]")


def normalized_receipt(text: str) -> str:
    """A receipt as typed (any case, with or without dashes or spaces) in its printed form ABCD-EF01-2345-6789."""
    digits = _NOT_HEX.sub("", (text or "").upper())
    if len(digits) != 16:
        return (text or "").strip().upper()[:40]
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def percent(share: float) -> str:
    """A share as Vietnamese write a percentage: 2/3 → 66,7; 0.8 → 80."""
    return f"{share * 100:.1f}".removesuffix(".0").replace(".", ",")


def _results_page(session: CouncilSession, status: int = 200, form=None, chosen=()):
    tally = voting.results(session)  # 409 (the error page shows why) before the close
    members = tally["members"]
    voters = queries.voters(session)
    seats = list(session.members)
    receipts = queries.receipts(session)
    typed = (request.args.get("receipt") or "").strip()
    check = normalized_receipt(typed) if typed else None
    settings = catalog.global_settings()
    follow_up = db.session.scalar(select(CouncilSession).where(CouncilSession.previous_id == session.id))
    eligible = [row for row in tally["items"] if row["second_round"]]
    may_second = (may_run(current_user, session) and session.round < int(settings["max_rounds"])
                  and bool(eligible) and follow_up is None)
    context = {"session": session, "council": session.council, "tally": tally,
               "quorum_needed": rules.at_least(session.quorum or 0, members),
               "quorum_percent": percent(session.quorum or 0), "awards": catalog.award_types(),
               "present": [m for m in seats if m.user_id in voters],
               "absent": [m for m in seats if m.user_id not in voters],
               "recusals": queries.recusals(session), "receipts": receipts, "check": check,
               "check_found": check in receipts if check else None, "eligible": eligible, "may_second": may_second,
               "follow_up": follow_up, "max_rounds": settings["max_rounds"], "chosen": set(chosen),
               "positions": {i.nomination_id: i.position for i in session.items}}
    if may_second:
        context["second_form"] = form or SecondRoundForm(formdata=None)
    return render_template("council/results.html", **context), status


@bp.get("/sessions/<int:session_id>/results")
@roles_required(*VIEWERS)
def results(session_id):
    return _results_page(load_session(session_id, current_user))


@bp.post("/sessions/<int:session_id>/second-round")
@roles_required(*VIEWERS)
def second_round(session_id):
    session = load_session(session_id, current_user)
    if not may_run(current_user, session):
        abort(403)
    form = SecondRoundForm()
    chosen = ids_arg()
    if not form.validate_on_submit():
        return _results_page(session, 400, form, chosen)
    if not chosen:
        flash(_("Chưa chọn hồ sơ nào để bỏ phiếu lại."), "warning")
        return _results_page(session, 400, form, chosen)
    outcome = perform(lambda: voting.open_second_round(session, nomination_ids=chosen, closes_at=form.closes_at.data,
                                                       by=current_user), form, success=lambda second: _(
        "Đã mở vòng bỏ phiếu thứ %(n)s. Các thành viên Hội đồng đã được thông báo.", n=second.round))
    if not outcome:
        return _results_page(load_session(session_id, current_user), outcome.status, form, chosen)
    return redirect(url_for("council.session", session_id=outcome.value.id))


def _download(session_id: int, build, mime: str, extension: str) -> Response:
    session = load_session(session_id, current_user)
    data = build(minutes.minutes_of(session))  # 409 before the close
    db.session.commit()  # the record of the generation (awards.documents), for the .docx
    return Response(data, mimetype=mime, headers={
        "Content-Disposition": f"attachment; filename=bien-ban-phien-{session.id}.{extension}",
        "Cache-Control": "no-store"})


@bp.get("/sessions/<int:session_id>/minutes.docx")
@roles_required(*VIEWERS)
def minutes_docx(session_id):
    return _download(session_id, minutes.to_docx, minutes.DOCX_MIME, "docx")


@bp.get("/sessions/<int:session_id>/minutes.xlsx")
@roles_required(*VIEWERS)
def minutes_xlsx(session_id):
    return _download(session_id, minutes.to_xlsx, minutes.XLSX_MIME, "xlsx")
