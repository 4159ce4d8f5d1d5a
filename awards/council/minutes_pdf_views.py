"""The minutes of a closed session as PDF (issue 24): the .docx from the template in force for the council's
unit, converted by LibreOffice; the generation is recorded on the session."""

from flask import Response
from flask_login import current_user

from awards.core.permissions import roles_required
from awards.council import minutes
from awards.council.blueprint import bp
from awards.council.permissions import VIEWERS, load_session
from awards.extensions import db


@bp.get("/sessions/<int:session_id>/minutes.pdf")
@roles_required(*VIEWERS)
def minutes_pdf(session_id):
    session = load_session(session_id, current_user)
    data = minutes.to_pdf_bytes(minutes.minutes_of(session))  # 409 before the close
    db.session.commit()  # the record of the generation
    return Response(data, mimetype=minutes.PDF_MIME, headers={
        "Content-Disposition": f"attachment; filename=bien-ban-phien-{session.id}.pdf", "Cache-Control": "no-store"})
