"""Route × role matrix: every route of the app, each role, the expected answer.

A new route without a line here fails `test_every_route_has_expectations`. Unit scope is checked with two
units: `unit_officer` manages unit BVA (where person P-IN works), `other_officer` manages BVB.
"""

import re
from datetime import date, timedelta

import pytest
from flask import url_for

from tests import factories

SIGNED_IN = ("admin", "staff", "unit_officer", "other_officer", "council_member")
ROLES = ("anonymous", *SIGNED_IN)
MANAGERS = ("admin", "staff")
WRITERS = (*MANAGERS, "unit_officer")  # writers of P-IN's people data (other_officer is out of scope)
READERS = (*WRITERS, "council_member")  # readers of P-IN
VIEWERS = (*MANAGERS, "council_member")  # of councils and sessions: the world's council member chairs "HD"
LATER = (date.today() + timedelta(days=30)).isoformat() + "T17:00:00+07:00"
OK = "ok"  # allowed: the action ran or was answered with a validation message (200, 201, 302, 400, 409)


def page(allowed=SIGNED_IN, status=200, anonymous=302):
    """A page: anonymous visitors go to the login page; others get `status` or 403."""
    return {"anonymous": anonymous, **{r: status if r in allowed else 403 for r in SIGNED_IN}}


def api(allowed=SIGNED_IN, status=200):
    return {"anonymous": 401, **{r: status if r in allowed else 403 for r in SIGNED_IN}}


def everyone(status):
    return dict.fromkeys(ROLES, status)


YEARS = {role: 2019 + i for i, role in enumerate(ROLES)}

# endpoint: (method, URL arguments, JSON or form body builder, expected status per role)
MATRIX = {
    "home.index": ("GET", {}, None, page(anonymous=200)),  # the public home
    "core.healthz": ("GET", {}, None, everyone(200)),
    "help.index": ("GET", {}, None, everyone(200)),
    "help.page": ("GET", {"name": "thuong-truc"}, None, everyone(200)),
    "help.image": ("GET", {"name": "tao-phong-trao.png"}, None, everyone(200)),
    "core.readyz": ("GET", {}, None, everyone(503)),  # the test schema comes from create_all: no revision
    "core.openapi": ("GET", {}, None, everyone(200)),
    "core.set_language": ("POST", {"code": "en"}, None, everyone(302)),
    "auth.login": ("GET", {}, None, {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "auth.logout": ("POST", {}, None, page(status=302)),
    "auth.account": ("GET", {}, None, page()),
    "auth.change_password": ("POST", {}, None, page(status=OK)),
    "auth.issue_own_token": ("POST", {}, None, page(status=OK)),
    "auth.revoke_token": ("POST", {"token_id": "owner_token"}, None, page(("admin",), status=302)),
    "auth.users": ("GET", {}, None, page(("admin",))),
    "auth.create_user": ("GET", {}, None, page(("admin",))),
    "auth.edit_user": ("GET", {"user_id": "owner"}, None, page(("admin",))),
    "auth.issue_user_token": ("POST", {"user_id": "owner"}, None, page(("admin",), status=OK)),
    "auth.end_user_sessions": ("POST", {"user_id": "owner"}, None, page(("admin",), status=302)),
    "auth.audit_log": ("GET", {}, None, page(("admin",))),
    "auth.change_email": ("POST", {}, None, page(status=OK)),
    "auth.confirm_email": ("GET", {"token": "lien-ket-sai"}, None, everyone(404)),  # a forged link
    "auth.forgot_password": ("GET", {}, None, everyone(200)),
    "auth.reset_password": ("GET", {"token": "lien-ket-sai"}, None, everyone(404)),
    "auth.login_code": ("GET", {}, None, everyone(302)),  # no password given in this browser: back to the login
    "auth.two_factor": ("GET", {}, None, page()),
    "auth.enable_two_factor": ("POST", {}, None, page(status=OK)),
    "auth.regenerate_recovery_codes": ("POST", {}, None, page(status=OK)),
    "auth.disable_two_factor": ("POST", {}, None, page(status=OK)),
    "auth.reset_user_two_factor": ("POST", {"user_id": "owner"}, None, page(("admin",), status=302)),
    "auth.sign_in_settings": ("GET", {}, None, page(("admin",))),
    "auth.my_sessions": ("GET", {}, None, page()),
    "auth.end_my_session": ("POST", {"session_id": 999999}, None, page(status=302)),
    "auth.end_other_sessions": ("POST", {}, None, page(status=302)),
    "auth.sign_out_everywhere": ("POST", {}, None, page(status=302)),
    "units.units": ("GET", {}, None, page()),
    "units.unit": ("GET", {"code": "BVA"}, None, page()),
    "units.create_unit": ("GET", {}, None, page(MANAGERS)),
    "units.edit_unit": ("GET", {"code": "BVA"}, None, page(MANAGERS)),
    "units.add_unit_evaluation": ("POST", {"code": "BVA"}, None, page(MANAGERS, status=OK)),
    "units.record_succession": ("POST", {"code": "BVA"}, None, page(MANAGERS, status=OK)),
    "units.people": ("GET", {}, None, page()),
    "units.lookup": ("GET", {}, None, page(anonymous=401)),  # the unit picker's JSON: a visitor gets 401, not a page
    "units.person": ("GET", {"code": "P-IN"}, None, page(READERS)),
    "units.create_person": ("GET", {}, None, page((*MANAGERS, "unit_officer", "other_officer"))),
    "units.edit_person": ("GET", {"code": "P-IN"}, None, page(WRITERS)),
    "units.add_person_evaluation": ("POST", {"code": "P-IN"}, None, page(WRITERS, status=OK)),
    "units.add_discipline": ("POST", {"code": "P-IN"}, None, page(WRITERS, status=OK)),
    "units.add_initiative": ("POST", {"code": "P-IN"}, None, page(WRITERS, status=OK)),
    "units.add_unit_discipline": ("POST", {"code": "BVA"}, None, page(WRITERS, status=OK)),
    "units.open_person_proceeding": ("POST", {"code": "P-IN"}, None, page(WRITERS, status=OK)),
    "units.open_unit_proceeding": ("POST", {"code": "BVA"}, None, page(WRITERS, status=OK)),
    "units.close_proceeding": ("POST", {"proceeding_id": "proceeding"}, None, page(WRITERS, status=OK)),
    "units.raise_initiative_scope": ("POST", {"initiative_id": "initiative"}, None, page(WRITERS, status=OK)),
    "units.import_people": ("GET", {}, None, page((*MANAGERS, "unit_officer", "other_officer"))),
    "units.import_template": ("GET", {}, None, page((*MANAGERS, "unit_officer", "other_officer"))),
    "units.import_sheet": ("GET", {"name": "units"}, None, page(MANAGERS)),  # staff with no unit, and the admin
    "units.import_sheet_template": ("GET", {"name": "person-ratings"}, None, page(MANAGERS)),
    "units_import_api.import_sheet": ("POST", {"name": "units"}, None, api(MANAGERS, OK)),
    "units_import_api.import_sheet_template": ("GET", {"name": "initiatives"}, None, api()),
    "setup.checklist": ("GET", {}, None, page(("admin",))),
    "auth_api.create_user": ("POST", {}, lambda r: {"username": f"api-{r}", "password": "mat-khau-2026",
                                                    "roles": ["staff"]}, api(("admin",), 201)),
    "auth_api.end_user_sessions": ("POST", {"username": "hoidong"}, None, api(("admin",), 200)),
    "units_api.create_unit": ("POST", {}, lambda r: {"code": f"N-{r}", "name": "Khoa Nội"}, api(MANAGERS, 201)),
    "units_api.get_unit": ("GET", {"code": "BVA"}, None, api()),
    "units_api.list_units": ("GET", {}, None, api()),
    "units.competence_page": ("GET", {"code": "BVA"}, None, page(("admin",))),  # the admin's competence table
    "units_api.get_competence": ("GET", {"code": "BVA"}, None, api()),
    "units_api.put_competence": ("PUT", {"code": "SYT"}, lambda r: {"award_codes": ["LDTT", "GIAY_KHEN"]},
                                 api(("admin",))),
    "units_api.add_unit_evaluation": ("POST", {"code": "BVA"}, lambda r: {"year": YEARS[r], "rating": "good"},
                                      api(MANAGERS, 201)),
    "units_api.record_succession": ("POST", {"code": "BVA"}, lambda r: {
        "successor_code": "BVA", "kind": "rename", "effective_on": f"{YEARS[r]}-01-01"}, api(MANAGERS, 201)),
    "units_api.create_person": ("POST", {}, lambda r: {
        "code": f"P-{r}", "full_name": "Võ Thị Yến", "gender": "female", "birth_date": "1990-01-02",
        "unit_code": "BVA"}, api(WRITERS, 201)),
    "units_api.get_person": ("GET", {"code": "P-IN"}, None, api(READERS)),
    "units_api.list_people": ("GET", {}, None, api()),
    "units_api.add_person_evaluation": ("POST", {"code": "P-IN"}, lambda r: {"year": YEARS[r], "rating": "good"},
                                        api(WRITERS, 201)),
    "units_api.add_discipline": ("POST", {"code": "P-IN"}, lambda r: {
        "year": YEARS[r], "level": "reprimand", "decided_on": f"{YEARS[r]}-05-01"}, api(WRITERS, 201)),
    "units_api.add_initiative": ("POST", {"code": "P-IN"}, lambda r: {
        "year": YEARS[r], "title": "Sáng kiến cải tiến quy trình", "scope": "unit"}, api(WRITERS, 201)),
    "units_api.add_unit_discipline": ("POST", {"code": "BVA"}, lambda r: {
        "year": YEARS[r], "level": "warning", "decided_on": f"{YEARS[r]}-05-01"}, api(WRITERS, 201)),
    "units_api.get_unit_facts": ("GET", {"code": "BVA"}, None, api(READERS)),
    "units_api.open_person_proceeding": ("POST", {"code": "P-IN"}, lambda r: {
        "kind": "complaint", "opened_on": "2025-10-01"}, api(WRITERS, 201)),
    "units_api.open_unit_proceeding": ("POST", {"code": "BVA"}, lambda r: {
        "kind": "investigation", "opened_on": "2025-10-01"}, api(WRITERS, 201)),
    "units_api.close_proceeding": ("POST", {"proceeding_id": "proceeding"}, lambda r: {
        "closed_on": "2025-11-01", "closing_note": "Đã xác minh"}, api(WRITERS, OK)),
    "units_api.raise_initiative_scope": ("POST", {"initiative_id": "initiative"}, lambda r: {
        "scope": "provincial", "recognised_on": "2025-04-01"}, api(WRITERS, OK)),
    "archive.search": ("GET", {}, None, page()),
    "archive.create_record": ("GET", {}, None, page(MANAGERS)),
    "archive.record": ("GET", {"record_id": "record"}, None, page()),
    "archive.revoke_record": ("POST", {"record_id": "record"}, None, page(MANAGERS, status=OK)),
    "archive.correct_record": ("POST", {"record_id": "record"}, None, page(MANAGERS, status=OK)),
    "archive.person_history": ("GET", {"code": "P-IN"}, None, page()),
    "archive.unit_history": ("GET", {"code": "BVA"}, None, page()),
    "archive.eligibility_page": ("GET", {"subject_type": "person", "subject_code": "P-IN", "award_code": "LDTT",
                                         "year": 2025}, None, page(READERS)),
    "archive.override_check": ("POST", {}, None, page(MANAGERS, status=302)),
    "archive.withdraw_override": ("POST", {"override_id": "override"}, None, page(MANAGERS, status=302)),
    "catalog.award_types": ("GET", {}, None, page()),
    "catalog.award_settings": ("GET", {"code": "CSTDCS"}, None, page(MANAGERS)),
    "catalog.global_settings": ("POST", {}, None, page(MANAGERS, status=302)),
    "catalog_api.list_award_types": ("GET", {}, None, api()),
    "catalog_api.get_award_type": ("GET", {"code": "KNC_R"}, None, api()),
    "catalog_api.create_award_type": ("POST", {}, lambda r: {
        "code": f"KT_{r.upper()}", "name": "Khen thưởng thử", "subject": "individual", "ballot": "none",
        "threshold": None, "conditions": [{"rule": "no_discipline", "params": {"years": 1}}]}, api(("admin",), 201)),
    "catalog.new_award_type": ("GET", {}, None, page(("admin",))),
    "catalog.edit_award_type": ("GET", {"code": "KNC_R"}, None, page(("admin",))),
    "catalog.award_type_active": ("POST", {"code": "KNC_R"}, None, page(("admin",), status=302)),
    "archive.award_type_preview": ("GET", {"code": "KNC_R"}, None, page(MANAGERS)),
    "calendar.index": ("GET", {}, None, page()),  # everyone signed in reads the working calendar
    "calendar.remove": ("POST", {"day": "2026-01-02"}, None,  # no such entry: 404 for those who may edit
                        {"anonymous": 302, **{r: 404 if r in MANAGERS else 403 for r in SIGNED_IN}}),
    "calendar_api.calendar_year": ("GET", {"year": 2026}, None, api()),
    "calendar_api.add_calendar_day": ("POST", {}, lambda r: {"day": "2026-01-02", "kind": "day_off",
                                                             "reason": "Hoán đổi", "source": "Văn bản thử"},
                                      api(MANAGERS, OK)),
    "calendar_api.remove_calendar_day": ("DELETE", {"day": "2026-01-09"}, None,
                                         {"anonymous": 401, **{r: 404 if r in MANAGERS else 403 for r in SIGNED_IN}}),
    "archive_api.create_record": ("POST", {}, lambda r: {
        "subject_type": "person", "subject_code": "P-IN", "award_code": "GIAY_KHEN", "year": 2024,
        "decision_number": f"QĐ-{r}", "decision_date": "2025-01-02", "issuer": "Sở Y tế"}, api(MANAGERS, 201)),
    "archive_api.get_record": ("GET", {"record_id": "record"}, None, api()),
    "archive_api.revoke_record": ("POST", {"record_id": "record"}, lambda r: {
        "reason": "Kiểm tra quyền", "decision_number": f"TH-{r}", "decision_date": "2025-02-01"}, api(MANAGERS, OK)),
    "archive_api.list_records": ("GET", {}, None, api()),
    "archive_api.correct_record": ("POST", {"record_id": "record"}, lambda r: {
        "reason": "Kiểm tra quyền", "period_from": 2024, "period_to": 2024}, api(MANAGERS, OK)),
    "archive_api.get_eligibility": ("GET", {"subject_type": "person", "subject_code": "P-IN", "award_code": "LDTT",
                                            "year": 2025}, None, api(READERS)),
    "archive.import_form": ("GET", {}, None, page(MANAGERS)),
    "archive.start_import": ("POST", {}, None, page(MANAGERS, status=OK)),
    "archive.import_template": ("GET", {}, None, page(MANAGERS)),
    "archive.import_job": ("GET", {"job_id": "job"}, None, page(MANAGERS)),
    "archive.import_status": ("GET", {"job_id": "job"}, None, page(MANAGERS)),
    "archive.export": ("GET", {}, None, page()),
    "archive_public.search": ("GET", {}, None, everyone(200)),
    "archive_api.import_archive_records": ("POST", {}, None, api(MANAGERS, OK)),
    "archive_api.archive_import_template": ("GET", {}, None, api()),
    "campaigns_api.create_campaign": ("POST", {}, lambda r: {
        "title": f"Phong trào {r}", "kind": "thematic", "year": 2026, "organizer_unit_code": "SYT",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "registration_deadline": "2026-03-31",
        "nomination_deadline": "2026-12-15", "award_codes": ["LDTT"]}, api(MANAGERS, 201)),
    "campaigns_api.get_campaign": ("GET", {"campaign_id": "campaign"}, None, api()),
    "campaigns_api.list_campaigns": ("GET", {}, None, api()),
    "campaigns_api.launch_campaign": ("POST", {"campaign_id": "draft_campaign"}, None, api(MANAGERS, OK)),
    "campaigns_api.close_campaign": ("POST", {"campaign_id": "campaign"}, None, api(MANAGERS, OK)),
    "campaigns_api.register": ("POST", {"campaign_id": "campaign"}, lambda r: {
        "unit_code": "BVA", "collective_award_codes": ["TTLDTT"],
        "individuals": [{"person_code": "P-IN", "award_code": "LDTT"}]}, api(WRITERS, 201)),
    "campaigns_api.list_registrations": ("GET", {"campaign_id": "campaign"}, None, api()),
    "campaigns_api.reopen": ("POST", {"campaign_id": "campaign"}, lambda r: {
        "unit_code": "BVA", "until": (date.today() + timedelta(days=5)).isoformat(), "reason": "Bổ sung"},
        api(MANAGERS, 201)),
    "campaigns.examples": ("GET", {"campaign_id": "campaign"}, None, page()),
    "campaigns.create_example": ("GET", {"campaign_id": "campaign"}, None, page(MANAGERS)),
    "campaigns.example": ("GET", {"example_id": "example"}, None, page()),
    "campaigns.advance_example": ("POST", {"example_id": "example"}, None, page(MANAGERS, status=OK)),
    "campaigns.edit_example": ("GET", {"example_id": "example"}, None, page(MANAGERS)),
    "campaigns.example_photo": ("GET", {"example_id": "example"}, None, page()),
    "campaigns.example_evidence": ("GET", {"stage_id": "example_stage"}, None, page()),
    "campaigns_public.honour_board": ("GET", {}, None, everyone(200)),
    "campaigns_public.honour_photo": ("GET", {"example_id": "example"}, None, everyone(200)),
    "campaigns.register": ("GET", {"campaign_id": "campaign", "unit": "BVA"}, None,
                           page((*MANAGERS, "unit_officer"))),
    "notifications.inbox": ("GET", {}, None, page()),
    "notifications.mark_read": ("POST", {"notification_id": "admin_note"}, None,
                                {"anonymous": 302, "admin": 302, **{r: 404 for r in SIGNED_IN if r != "admin"}}),
    "notifications.mark_all_read": ("POST", {}, None, page(status=302)),
    "notifications.save_preference": ("POST", {}, None, page(status=302)),
    "campaigns.index": ("GET", {}, None, page()),
    "campaigns.create": ("GET", {}, None, page(MANAGERS)),
    "campaigns.edit": ("GET", {"campaign_id": "campaign"}, None, page(MANAGERS)),
    "campaigns.launch": ("POST", {"campaign_id": "draft_campaign"}, None, page(MANAGERS, status=OK)),
    "campaigns.close": ("POST", {"campaign_id": "campaign"}, None, page(MANAGERS, status=OK)),
    "campaigns.detail": ("GET", {"campaign_id": "campaign"}, None, page()),
    "campaigns.remind": ("POST", {"campaign_id": "campaign"}, None, page(MANAGERS, status=302)),
    "campaigns.reopen": ("POST", {"campaign_id": "campaign"}, None, page(MANAGERS, status=OK)),
    "campaigns.export_registrations": ("GET", {"campaign_id": "campaign"}, None, page(MANAGERS)),
    "campaigns.add_review": ("GET", {"campaign_id": "campaign"}, None, page(MANAGERS)),
    "campaigns.file": ("GET", {"upload_id": 999_999}, None, page(status=404)),
    "campaigns_public.index": ("GET", {}, None, everyone(200)),
    "campaigns_public.detail": ("GET", {"campaign_id": "campaign"}, None, everyone(200)),
    "campaigns_public.launch_document": ("GET", {"campaign_id": "campaign"}, None, everyone(404)),
    "nominations_api.create_nomination": ("POST", {}, lambda r: {
        "subject_type": "person", "subject_code": "P-IN", "award_code": "LDTT", "year": YEARS[r]},
        api(WRITERS, 201)),
    "nominations_api.get_nomination": ("GET", {"nomination_id": "nomination"}, None,
                                       {**api(READERS), "other_officer": 404}),
    "nominations_api.list_nominations": ("GET", {}, None, api()),
    "nominations_api.add_attachment": ("POST", {"nomination_id": "nomination"}, None,
                                       {**api(WRITERS, OK), "other_officer": 404}),
    "nominations_api.submit": ("POST", {"nomination_id": "nomination"}, None,
                               {**api(WRITERS, OK), "other_officer": 404}),
    "nominations_api.return_nomination": ("POST", {"nomination_id": "nomination"}, lambda r: {"reason": "Bổ sung"},
                                          api(MANAGERS, OK)),
    "nominations_api.appraise": ("POST", {"nomination_id": "nomination"}, lambda r: {"result": "pass"},
                                 api(MANAGERS, OK)),
    "nominations_api.withdraw": ("POST", {"nomination_id": "nomination"}, lambda r: {"reason": "Rút hồ sơ"},
                                 {**api(WRITERS, OK), "other_officer": 404}),
    "nominations_api.forward": ("POST", {"nomination_id": "nomination"}, lambda r: {}, api(MANAGERS, OK)),
    "nominations_api.forward_many": ("POST", {}, lambda r: {}, api(MANAGERS, OK)),
    "nominations_api.outcome": ("POST", {"nomination_id": "nomination"}, lambda r: {"result": "not_awarded"},
                                api(MANAGERS, OK)),
    "nominations_api.outcomes": ("POST", {}, lambda r: {"result": "not_awarded"}, api(MANAGERS, OK)),
    "nominations.index": ("GET", {}, None, page()),
    "nominations.create": ("GET", {}, None, page((*WRITERS, "other_officer"))),
    "nominations.subjects": ("GET", {}, None, page((*WRITERS, "other_officer"))),
    "nominations.detail": ("GET", {"nomination_id": "nomination"}, None, {**page(READERS), "other_officer": 404}),
    "nominations.download_attachment": ("GET", {"nomination_id": "nomination", "attachment_id": 999_999}, None,
                                        {**page(READERS, status=404), "other_officer": 404}),
    "nominations.add_attachment": ("POST", {"nomination_id": "nomination"}, None,
                                   {**page(WRITERS, status=OK), "other_officer": 404}),
    "nominations.submit": ("POST", {"nomination_id": "nomination"}, None,
                           {**page(WRITERS, status=OK), "other_officer": 404}),
    "nominations.withdraw": ("POST", {"nomination_id": "nomination"}, None,
                             {**page(WRITERS, status=OK), "other_officer": 404}),
    "nominations.bulk": ("GET", {}, None, page((*WRITERS, "other_officer"))),
    "nominations.proposal_docx": ("GET", {"unit": "BVA", "year": 2025}, None, page(WRITERS)),
    "nominations.nominee_list_docx": ("GET", {"unit": "BVA", "year": 2025}, None, page(WRITERS)),
    "nominations.queue": ("GET", {}, None, page(MANAGERS)),
    # issue 18 on the pages: the world's dossier is a draft, so forwarding and its batch's documents are refused
    "nominations.forwarding": ("GET", {}, None, page(MANAGERS)),
    "nominations.forward_batch": ("POST", {}, None, page(MANAGERS, status=OK)),
    "nominations.forward_one": ("POST", {"nomination_id": "nomination"}, None, page(MANAGERS, status=OK)),
    "nominations.forwarded_batch": ("GET", {"ids": "nomination"}, None, page(MANAGERS, status=400)),
    "nominations.forwarded_proposal_docx": ("GET", {"ids": "nomination"}, None, page(MANAGERS, status=400)),
    "nominations.forwarded_list_docx": ("GET", {"ids": "nomination"}, None, page(MANAGERS, status=400)),
    "nominations.awaiting": ("GET", {}, None, page(MANAGERS)),
    "nominations.record_answers": ("POST", {}, None, page(MANAGERS, status=OK)),
    "nominations.record_answer": ("GET", {"nomination_id": "nomination"}, None, page(MANAGERS)),
    "nominations.answer_file": ("GET", {"nomination_id": "nomination"}, None,
                                {**page(READERS, status=404), "other_officer": 404}),
    "nominations.appraise_page": ("GET", {"nomination_id": "nomination"}, None, page(MANAGERS)),
    "nominations.bulk_appraise": ("POST", {}, None, page(MANAGERS, status=OK)),
    "nominations.override_line": ("POST", {"nomination_id": "nomination"}, None, page(MANAGERS, status=OK)),
    "announcements_api.publish": ("POST", {}, lambda r: {"title": "Công khai", "nomination_ids": [],
                                                       "opens_on": "2026-01-01", "closes_on": "2026-01-20"},
                                  api(MANAGERS, OK)),
    "announcements_api.list_announcements": ("GET", {}, None, api(MANAGERS)),
    "announcements_api.public_announcement": ("GET", {"announcement_id": "announcement"}, None, everyone(200)),
    # public, 5 per minute from one address: the sixth role's request in the same minute is refused
    "announcements_api.send_feedback": ("POST", {"announcement_id": "announcement"}, lambda r: {
        "nomination_id": 0, "name": "Lê Dân", "contact": "0912345678", "content": "Ý kiến"},
        {**everyone(400), "council_member": 429}),
    "announcements_api.list_feedback": ("GET", {"announcement_id": "announcement"}, None, api(MANAGERS)),
    "announcements_api.resolve_feedback": ("POST", {"feedback_id": "feedback"}, lambda r: {"resolution": "Xong"},
                                           api(MANAGERS, OK)),
    "announcements_api.issue_decision": ("POST", {}, lambda r: {
        "number": f"QĐ-{r}", "signed_on": "2026-01-05", "signer": "Giám đốc", "issuer": "Sở Y tế",
        "nomination_ids": [0]}, api(MANAGERS, OK)),
    "announcements_api.get_decision": ("GET", {"decision_id": "decision"}, None, api(MANAGERS)),
    "announcements_api.public_decisions": ("GET", {}, None, everyone(200)),
    "announcements_public.index": ("GET", {}, None, everyone(200)),
    "announcements_public.announcement": ("GET", {"announcement_id": "announcement"}, None, everyone(200)),
    # the form posted empty: Vietnamese errors (400); 5 per minute from one address, so the sixth role gets 429
    "announcements_public.send_feedback": ("POST", {"announcement_id": "announcement"}, None,
                                           {**everyone(400), "council_member": 429}),
    "announcements_public.feedback_sent": ("GET", {"announcement_id": "announcement"}, None, everyone(302)),
    "announcements_public.results": ("GET", {}, None, everyone(200)),
    "announcements_public.decision": ("GET", {"decision_id": "decision"}, None, everyone(200)),
    "announcements_public.feed": ("GET", {}, None, everyone(200)),
    "announcements.index": ("GET", {}, None, page(MANAGERS)),
    "announcements.create": ("GET", {}, None, page(MANAGERS)),
    "announcements.detail": ("GET", {"announcement_id": "announcement"}, None, page(MANAGERS)),
    "announcements.cases": ("GET", {}, None, page(MANAGERS)),
    "announcements.case": ("GET", {"feedback_id": "feedback"}, None, page(MANAGERS)),
    "announcements.assign": ("POST", {"feedback_id": "feedback"}, None, page(MANAGERS, status=OK)),
    "announcements.add_note": ("POST", {"feedback_id": "feedback"}, None, page(MANAGERS, status=OK)),
    "announcements.resolve": ("POST", {"feedback_id": "feedback"}, None, page(MANAGERS, status=OK)),
    "announcements.decision_list": ("GET", {}, None, page(MANAGERS)),
    "announcements.issue_decision": ("GET", {}, None, page(MANAGERS)),
    "announcements.decision": ("GET", {"decision_id": "decision"}, None, page(MANAGERS)),
    "announcements.decision_docx": ("GET", {"decision_id": "decision"}, None, page(MANAGERS)),
    "prizes.base_salaries": ("GET", {}, None, page(MANAGERS)),
    "prizes.remove_base_salary": ("POST", {"row_id": 999_999}, None, page(MANAGERS, status=404)),
    "prizes.ledger_index": ("GET", {}, None, page(MANAGERS)),
    "prizes.ledger": ("GET", {"unit_code": "SYT"}, None, page(MANAGERS)),  # the Sở: an awarding unit
    "prizes.ledger_xlsx": ("GET", {"unit_code": "SYT"}, None, page(MANAGERS)),
    "prizes.add_allocation": ("POST", {"unit_code": "SYT"}, None, page(MANAGERS, status=OK)),  # empty form: 400
    "prizes.add_adjustment": ("POST", {"unit_code": "SYT"}, None, page(MANAGERS, status=OK)),
    "prizes_api.list_base_salaries": ("GET", {}, None, api(MANAGERS)),
    "prizes_api.add_base_salary": ("POST", {}, lambda r: {"effective_from": f"{YEARS[r]}-07-01", "amount": 2_340_000,
                                                          "source": "Nghị định thử"}, api(MANAGERS, OK)),
    "prizes_api.get_ledger": ("GET", {"unit_code": "SYT"}, None, api(MANAGERS)),
    "prizes_api.add_allocation": ("POST", {"unit_code": "SYT"}, lambda r: {
        "entry_date": "2026-01-15", "amount": 1_000_000, "source": "QĐ giao dự toán"}, api(MANAGERS, OK)),
    "prizes_api.add_adjustment": ("POST", {"unit_code": "SYT"}, lambda r: {
        "entry_date": "2026-01-15", "amount": -1_000, "note": "Điều chỉnh"}, api(MANAGERS, OK)),
    "announcements.certificates_docx": ("GET", {"decision_id": "decision"}, None, page(MANAGERS)),
    "announcements.certificate_docx": ("GET", {"decision_id": "decision", "item_id": 999_999}, None,
                                       page(MANAGERS, status=404)),
    # signing (issue 24): no file posted → the page says so (302 back), the API 400; no key configured → 302 back
    "signing.upload_signed_file": ("POST", {"decision_id": "decision"}, None, page(MANAGERS, status=302)),
    "signing.sign_decision": ("POST", {"decision_id": "decision"}, None, page(MANAGERS, status=302)),
    "signing.signed_file": ("GET", {"signed_file_id": 999_999}, None, page(MANAGERS, status=404)),
    "signing.print_certificates": ("GET", {"decision_id": "decision"}, None, page(MANAGERS)),
    "signing.layouts": ("GET", {}, None, page(MANAGERS)),
    "signing.layout": ("GET", {"award_code": "LDTT"}, None, page(MANAGERS)),
    "signing.test_print": ("GET", {"award_code": "LDTT"}, None, page(MANAGERS)),
    "signing_public.signed_pdf": ("GET", {"decision_id": "decision"}, None, everyone(404)),  # not signed yet
    "signing_public.verify_form": ("GET", {}, None, everyone(200)),
    "signing_public.verify": ("POST", {}, None, everyone(400)),  # neither a number nor a file
    "signing_api.upload_signed_file": ("POST", {"decision_id": "decision"}, None, api(MANAGERS, 400)),
    "signing_api.verify": ("POST", {}, None, everyone(400)),
    "reports_api.summary": ("GET", {"year": 2025}, None, api(MANAGERS)),
    "reports_api.annual": ("GET", {"year": 2025}, None, api(MANAGERS)),
    "reports_api.half_year": ("GET", {"year": 2025, "half": 1}, None, api(MANAGERS)),
    "reports.dashboard": ("GET", {"year": 2025}, None, page(MANAGERS)),
    "reports.annual_xlsx": ("GET", {"year": 2025}, None, page(MANAGERS)),
    "reports.half_year_xlsx": ("GET", {"year": 2025, "half": 2}, None, page(MANAGERS)),
    "reports.statistics_xlsx": ("GET", {"year": 2025}, None, page(MANAGERS)),
    "reports.start_export": ("POST", {}, None, page(MANAGERS, status=OK)),
    "reports.export_job": ("GET", {"job_id": "export_job"}, None, page(MANAGERS)),
    "reports.export_status": ("GET", {"job_id": "export_job"}, None, page(MANAGERS)),
    "reports.export_download": ("GET", {"job_id": "export_job"}, None, page(MANAGERS)),
    "reports.unit_report": ("GET", {"unit": "BVA", "year": 2025}, None, page(MANAGERS)),
    "reports.unit_reports": ("GET", {"year": 2025}, None, page(MANAGERS)),
    "reports_api.unit_reports": ("GET", {"year": 2025}, None, api(MANAGERS)),
    "reports_api.submit_unit_report": ("POST", {}, lambda r: {"unit_code": "BVA", "year": YEARS[r],
                                                              "narrative": "Báo cáo năm"}, api(MANAGERS, OK)),
    "reports.unit_report_workbook": ("GET", {"unit": "BVR", "year": 2025}, None, page(MANAGERS)),
    "reports.combined_workbook": ("GET", {"year": 2025}, None, page(MANAGERS)),
    "reports.set_unit_report_deadline": ("POST", {"year": 2025}, None, page(MANAGERS, status=OK)),
    "reports_api.unit_report_workbook": ("GET", {"code": "BVR", "year": 2025}, None, api(MANAGERS)),
    "reports_api.combined_workbook": ("GET", {"year": 2025}, None, api(MANAGERS)),
    "reports_api.unit_report_deadlines": ("GET", {"year": 2025}, None, api(MANAGERS)),
    "reports_api.set_unit_report_deadline": ("PUT", {}, lambda r: {"year": YEARS[r], "half": 0,
                                                                   "deadline": f"{YEARS[r]}-12-20"}, api(MANAGERS)),
    "council_api.create_council": ("POST", {}, lambda r: {
        "code": f"HD-{r}", "name": "Hội đồng TĐKT", "unit_code": "SYT", "chair_username": "hoidong"},
        api(MANAGERS, 201)),
    "council_api.list_councils": ("GET", {}, None, api(VIEWERS)),
    "council_api.create_session": ("POST", {}, lambda r: {
        "council_code": "HD", "title": f"Phiên {r}", "nomination_ids": [], "closes_at": LATER}, api(MANAGERS, 201)),
    "council_api.list_sessions": ("GET", {}, None, api(VIEWERS)),
    "council_api.get_session": ("GET", {"session_id": "session"}, None, api(VIEWERS)),
    "council_api.set_agenda": ("POST", {"session_id": "session"}, lambda r: {"nomination_ids": []},
                               api(MANAGERS)),
    "council_api.open_session": ("POST", {"session_id": "session"}, None, api(VIEWERS, OK)),
    "council_api.cast_ballot": ("POST", {"session_id": "open_session"}, lambda r: {"votes": []},
                                {**api(("council_member",), 201)}),
    "council_api.declare_recusal": ("POST", {"session_id": "open_session"}, lambda r: {
        "nomination_id": 0, "reason": "Người thân"}, api(("council_member",), OK)),
    "council_api.close_session": ("POST", {"session_id": "open_session"}, None, api(VIEWERS, OK)),
    "council_api.results": ("GET", {"session_id": "open_session"}, None, api(VIEWERS, OK)),
    "council_api.receipts": ("GET", {"session_id": "open_session"}, None, api(VIEWERS, OK)),
    "council_api.second_round": ("POST", {"session_id": "open_session"}, lambda r: {
        "nomination_ids": [1], "closes_at": LATER}, api(VIEWERS, OK)),
    "council.councils": ("GET", {}, None, page(VIEWERS)),
    "council.council": ("GET", {"code": "HD"}, None, page(VIEWERS)),
    "council.create_council": ("GET", {}, None, page(MANAGERS)),
    "council.edit_council": ("GET", {"code": "HD"}, None, page(MANAGERS)),
    "council.account_lookup": ("GET", {"q": "hoi"}, None, page(MANAGERS, anonymous=401)),  # the account picker's JSON
    "council.sessions": ("GET", {}, None, page(VIEWERS)),
    "council.create_session": ("GET", {}, None, page(MANAGERS)),
    "council.session": ("GET", {"session_id": "session"}, None, page(VIEWERS)),
    "council.edit_session": ("POST", {"session_id": "session"}, None, page(MANAGERS, status=OK)),
    "council.add_items": ("POST", {"session_id": "session"}, None, page(MANAGERS, status=OK)),
    "council.move_item": ("POST", {"session_id": "session", "nomination_id": 999_999, "direction": "up"}, None,
                          page(MANAGERS, status=404)),
    "council.remove_item": ("POST", {"session_id": "session", "nomination_id": 999_999}, None,
                            page(MANAGERS, status=404)),
    "council.open_session": ("POST", {"session_id": "session"}, None, page(VIEWERS, status=OK)),
    "council.close_session": ("GET", {"session_id": "open_session"}, None, page(VIEWERS)),
    "council.cast_ballot": ("POST", {"session_id": "open_session"}, None, page(("council_member",), status=OK)),
    "council.declare_recusal": ("POST", {"session_id": "open_session"}, None, page(("council_member",), status=OK)),
    "council.item": ("GET", {"session_id": "open_session", "nomination_id": 999_999}, None, page(VIEWERS, status=404)),
    "council.mark_reviewed": ("POST", {"session_id": "open_session", "nomination_id": 999_999}, None,
                              page(VIEWERS, status=404)),
    "council.add_comment": ("POST", {"session_id": "open_session", "nomination_id": 999_999}, None,
                            page(VIEWERS, status=404)),
    "council.results": ("GET", {"session_id": "open_session"}, None, page(VIEWERS, status=409)),
    "council.second_round": ("POST", {"session_id": "open_session"}, None, page(VIEWERS, status=OK)),
    "council.minutes_docx": ("GET", {"session_id": "open_session"}, None, page(VIEWERS, status=409)),
    "council.minutes_xlsx": ("GET", {"session_id": "open_session"}, None, page(VIEWERS, status=409)),
    # issue 24: every document as PDF, the notification letter, the templates (mẫu văn bản) of the secretariat
    "council.minutes_pdf": ("GET", {"session_id": "open_session"}, None, page(VIEWERS, status=409)),
    "nominations.proposal_pdf": ("GET", {"unit": "NOPE", "year": 2025}, None,
                                 {**page(WRITERS, status=404), "other_officer": 404}),
    "nominations.nominee_list_pdf": ("GET", {"unit": "BVA", "year": "abc"}, None, page(WRITERS, status=400)),
    "announcements.decision_pdf": ("GET", {"decision_id": 999_999}, None, page(MANAGERS, status=404)),
    "announcements.certificates_pdf": ("GET", {"decision_id": 999_999}, None, page(MANAGERS, status=404)),
    "announcements.notice_docx": ("GET", {"decision_id": "decision", "unit_code": "BVD"}, None, page(MANAGERS)),
    "announcements.notice_pdf": ("GET", {"decision_id": "decision", "unit_code": "BVA"}, None,
                                 page(MANAGERS, status=404)),
    "announcements_api.decision_document_pdf": ("GET", {"decision_id": 999_999}, None, api(MANAGERS, 404)),
    "documents.templates": ("GET", {}, None, page(MANAGERS)),
    "documents.kind": ("GET", {"kind": "quyet_dinh"}, None, page(MANAGERS)),
    "documents.download": ("GET", {"kind": "thong_bao"}, None, page(MANAGERS)),
    "documents.preview": ("GET", {"kind": "thong_bao", "fmt": "docx"}, None, page(MANAGERS)),
    "documents.upload": ("POST", {"kind": "quyet_dinh"}, None, page(MANAGERS, status=400)),  # no file: 400
    "documents.activate": ("POST", {"version_id": 999_999}, None, page(MANAGERS, status=404)),
    "documents.use_builtin": ("POST", {"kind": "quyet_dinh"}, None, page(MANAGERS, status=302)),
    "documents.save_profile": ("POST", {}, None, page(MANAGERS, status=404)),  # no unit: nothing to save
    "documents_api.list_templates": ("GET", {}, None, api(MANAGERS, 400)),  # kind is required
    "documents_api.upload_template": ("POST", {}, None, api(MANAGERS, 400)),
    "documents_api.activate_template": ("POST", {"version_id": 999_999}, None, api(MANAGERS, 404)),
    # issue 25: cụm, khối thi đua — the secretariat runs them; a member unit's officer (BVA) sees its cluster, signs
    # and scores itself; the officer of BVB (not a member) and council members are refused
    "clusters.index": ("GET", {}, None, page(("admin", "staff", "unit_officer", "other_officer"))),
    "clusters.create": ("GET", {}, None, page(MANAGERS)),
    "clusters.edit": ("GET", {"cluster_id": "cluster"}, None, page(MANAGERS)),
    "clusters.criteria": ("GET", {"cluster_id": "cluster"}, None, page(MANAGERS)),
    "clusters.detail": ("GET", {"cluster_id": "cluster"}, None, page(WRITERS)),
    "clusters.sign": ("POST", {"cluster_id": "cluster", "unit_code": "BVA"}, None, page(WRITERS, status=OK)),
    "clusters.act": ("POST", {"cluster_id": "cluster", "action": "lock"}, None, page(MANAGERS, status=OK)),
    "clusters.score": ("GET", {"cluster_id": "cluster", "kind": "self", "unit_code": "BVA"}, None, page(WRITERS)),
    "clusters.vote": ("GET", {"cluster_id": "cluster"}, None, page(MANAGERS)),
    "clusters.copy": ("POST", {"cluster_id": "cluster"}, None, page(MANAGERS, status=OK)),
    "clusters.export": ("GET", {"cluster_id": "cluster"}, None, page(WRITERS)),
    "clusters.minutes": ("GET", {"cluster_id": "cluster"}, None, page(WRITERS, status=404)),  # no vote yet
    "clusters_api.create_cluster": ("POST", {}, lambda r: {
        "name": f"Cụm {r}", "kind": "cluster", "year": 2025, "member_codes": ["BVA", "BVB"]}, api(MANAGERS, OK)),
    "clusters_api.get_cluster": ("GET", {"cluster_id": "cluster"}, None, api(WRITERS)),
    "clusters_api.sign_pledge": ("POST", {"cluster_id": "cluster"}, lambda r: {"unit_code": "BVA"},
                                 api(WRITERS, OK)),
    "clusters_api.submit_scores": ("POST", {"cluster_id": "cluster"}, lambda r: {
        "unit_code": "BVA", "kind": "self", "points": []}, api(WRITERS, OK)),
    "clusters_api.act": ("POST", {"cluster_id": "cluster"}, lambda r: {"action": "lock"}, api(MANAGERS, OK)),
    "clusters_api.record_vote": ("POST", {"cluster_id": "cluster"}, lambda r: {
        "voted_on": "2026-01-10", "voters": 2, "counts": [{"unit_code": "BVA", "votes_for": 2, "votes_against": 0}]},
        api(MANAGERS, OK)),
}

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(scope="module")
def read_world(app):
    """One world and one signed-in client per role for every GET of the matrix: reading changes nothing that
    another GET reads, so it is built once per module (the POSTs below get a fresh world each)."""
    from tests.conftest import empty_database

    with app.app_context():
        from awards.extensions import db

        built = _build_world(db)
        built["clients"] = {role: _client_for(app, role, built) for role in ROLES}
        yield built
        empty_database()


@pytest.fixture
def world(app, db):
    from tests.conftest import empty_database

    if db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["units"])):
        empty_database()  # the readers' world, still there after the last GET
    return _build_world(db)


def _build_world(db):
    """Two units under the Sở, a person in each, one account per role, an owner with a token."""
    top = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=top)
    bvb = factories.unit(code="BVB", name="Bệnh viện B", parent=top)
    factories.person(code="P-IN", full_name="Nguyễn Văn An", unit=bva)
    factories.person(code="P-OUT", full_name="Trần Thị Bình", unit=bvb)
    users = {
        "admin": factories.user("admin"),
        "staff": factories.user("staff"),
        "unit_officer": factories.user("unit_officer", unit=bva),
        "other_officer": factories.user("unit_officer", unit=bvb),
        "council_member": factories.user("council_member", username="hoidong"),
    }
    owner = factories.user("staff", username="owner")
    factories.token(owner)
    tokens = {role: factories.token(user) for role, user in users.items()}
    db.session.commit()
    from awards.archive import eligibility, services
    from awards.auth.models import ApiToken

    record = services.record_award(subject_type="person", subject_code="P-IN", award_code="LDTT", year=2024,
                                   decision_number="1/QĐ", decision_date=date(2025, 1, 5), issuer="Sở Y tế")
    from awards.units import services as unit_services

    person_in = unit_services.queries.person_by_code("P-IN")
    proceeding = unit_services.open_proceeding(person_in, kind="complaint", opened_on=date(2025, 9, 1), by=None)
    initiative = unit_services.add_initiative(person_in, year=2024, title="Sáng kiến", scope="unit", by=None)
    override = eligibility.override_check("person", "P-OUT", "LDTT", 2025, "rating_good_or_better",
                                          "Chờ văn bản xếp loại bổ sung", by=users["admin"])
    from awards.archive.models import ImportJob
    from awards.campaigns import services as campaign_services

    today = date.today()
    plan = {"kind": "regular", "year": today.year, "organizer_unit_code": "SYT", "award_codes": ["LDTT", "TTLDTT"],
            "starts_on": today - timedelta(days=10), "registration_deadline": today + timedelta(days=10),
            "ends_on": today + timedelta(days=200), "nomination_deadline": today + timedelta(days=180)}
    campaign = campaign_services.create_campaign(title="Phong trào thi đua năm", launch=True, by=None, **plan)
    draft = campaign_services.create_campaign(title="Phong trào chuyên đề", by=None, **plan)
    example = _replicated_example(campaign, today)
    from awards.notifications.services import notify

    admin_note = notify([users["admin"]], "test", "Thông báo thử")[0]
    from awards.nominations import services as nomination_services

    nomination = nomination_services.create_nomination(subject_type="person", subject_code="P-IN",
                                                       award_code="CSTDCS", year=2025, by=users["admin"])

    sessions = _council_sessions(users)
    publicity = _publicity(users, today)
    export_job = _export_job(users)
    _unit_report(users)
    cluster = _cluster(users)
    from awards.catalog import services as catalog_services

    catalog_services.create_award_type(code="KNC_R", name="Kỷ niệm chương thử", subject="individual", ballot="none",
                                       threshold=None, by=users["admin"], conditions=[
                                           {"rule": "years_of_service", "params": {"min_years": 20}}])
    job = ImportJob(status="done", filename="khen-thuong.xlsx", created_by_id=users["admin"].id)
    db.session.add(job)
    db.session.commit()
    owner_token = db.session.query(ApiToken).filter_by(user_id=owner.id).one()
    ids = {"nomination": nomination.id, "admin_note": admin_note.id, "example": example.id,
           "example_stage": example.stages[1].id,
           "campaign": campaign.id, "draft_campaign": draft.id, "job": job.id, "owner": owner.id,
           "owner_token": owner_token.id, "record": record.id, "proceeding": proceeding.id,
           "initiative": initiative.id,
           "override": override.id, "export_job": export_job, "cluster": cluster, **sessions, **publicity}
    return {"users": users, "tokens": tokens, "ids": ids}


def _council_sessions(users):
    """Council "HD" chaired by the council member: a draft session, and an open one with a dossier on it."""
    from datetime import datetime

    from awards.core import clock
    from awards.council import services, voting

    council = services.save_council(code="HD", name="Hội đồng TĐKT Sở Y tế", unit_code="SYT",
                                    chair_username="hoidong", members=[], by=users["admin"])
    closes = datetime.combine(date.today() + timedelta(days=30), datetime.min.time(), tzinfo=clock.VIETNAM)
    draft = services.create_session(council=council, title="Phiên nháp", nomination_ids=[], closes_at=closes,
                                    by=users["staff"])
    from awards.units.queries import unit_by_code

    bvc = factories.unit(code="BVC", parent=unit_by_code("SYT"))  # handled by the Sở, whose council this is
    dossier = factories.nomination(factories.person(code="P-HD", unit=bvc), "CSTDCS", by=users["admin"])
    opened = services.create_session(council=council, title="Phiên đang bỏ phiếu", nomination_ids=[dossier.id],
                                     closes_at=closes, by=users["staff"])
    voting.open_session(opened, by=users["staff"])
    return {"session": draft.id, "open_session": opened.id}


def _cluster(users):
    """A cụm of BVA and Bệnh viện K in 2025, led by BVA, scoring open (the officer of BVB is not a member)."""
    from awards.clusters import services
    from awards.units.queries import unit_by_code

    factories.unit(code="BVK", name="Bệnh viện K", parent=unit_by_code("SYT"))
    cluster = services.create_cluster(name="Cụm thi đua các bệnh viện", kind="cluster", year=2025,
                                      member_codes=["BVA", "BVK"], leader_code="BVA", by=users["staff"],
                                      criteria=[{"group": "", "text": "Chỉ tiêu", "weight": 1, "max_points": 10}])
    services.open_scoring(cluster, by=users["staff"])
    return cluster.id


def _export_job(users):
    """A finished report export with its (tiny) file."""
    from awards.core.xlsx import workbook_bytes
    from awards.reports.exports import keep_file
    from awards.reports.models import ExportJob

    upload = keep_file(workbook_bytes({"Tổng hợp": (["Chỉ tiêu"], [])}), "bao-cao.xlsx", users["staff"].id)
    job = ExportJob(kind="annual", year=2025, status="done", progress=100, upload=upload,
                    created_by_id=users["staff"].id)
    from awards.extensions import db

    db.session.add(job)
    db.session.flush()
    return job.id


def _unit_report(users):
    """Bệnh viện R, an awarding unit under the Sở, with its annual 2025 report submitted and its (tiny) workbook."""
    import hashlib

    from awards.core import clock
    from awards.core.xlsx import workbook_bytes
    from awards.extensions import db
    from awards.reports.exports import keep_file
    from awards.reports.models import UnitReport
    from awards.units.queries import unit_by_code

    bvr = factories.unit(code="BVR", name="Bệnh viện R", parent=unit_by_code("SYT"))
    bvr.decides_awards = True
    data = workbook_bytes({"Tổng hợp": (["Chỉ tiêu"], [])})
    upload = keep_file(data, "bao-cao-BVR-nam-2025.xlsx", users["staff"].id)
    db.session.add(UnitReport(unit_id=bvr.id, year=2025, half=0, status="submitted", narrative="Báo cáo năm",
                              submissions=1, submitted_at=clock.now(), workbook=upload,
                              workbook_sha256=hashlib.sha256(data).hexdigest(), awards_reported=0))
    db.session.flush()


def _publicity(users, today):
    """A list open for comment with one piece of feedback, and a decision awarding another dossier."""
    from awards.announcements import decisions, services

    bvd = factories.unit(code="BVD")
    listed = factories.nomination(factories.person(code="P-CK", unit=bvd), "LDTT", by=users["admin"])
    awarded = factories.nomination(factories.person(code="P-QD", unit=bvd), "LDTT", by=users["admin"])
    announcement = services.publish(title="Công khai danh sách", nomination_ids=[listed.id],
                                    opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=20),
                                    by=users["staff"])
    feedback = services.submit_feedback(announcement, nomination_id=listed.id, name="Lê Dân", contact="0912",
                                        content="Ý kiến")
    decision = decisions.issue_decision(number="1/QĐ-SYT", signed_on=today, signer="Giám đốc", issuer="Sở Y tế",
                                        nomination_ids=[awarded.id], by=users["staff"])
    return {"announcement": announcement.id, "feedback": feedback.id, "decision": decision.id}


def _replicated_example(campaign, today):
    """An advanced example with a photo, moved through all four stages with evidence."""
    import io

    from PIL import Image

    from awards.campaigns import examples

    photo = io.BytesIO()
    Image.new("RGB", (4, 4)).save(photo, "JPEG")
    example = examples.create_example(campaign, subject_type="person", subject_code="P-IN", title="Điển hình",
                                      story_html="", on=today - timedelta(days=5), photo=photo.getvalue(),
                                      photo_name="a.jpg", by=None)
    for offset, stage in enumerate(("nurtured", "summarised", "replicated")):
        examples.advance_example(example, to=stage, on=today - timedelta(days=4 - offset), note="",
                                 evidence=b"%PDF-1.4 x", evidence_name="x.pdf", by=None)
    return example


def _client_for(app, role, world):
    client = app.test_client()
    if role != "anonymous":
        html = client.get("/login").get_data(as_text=True)
        user = world["users"][role]
        response = client.post("/login", data={"username": user.username, "password": "mat-khau-2026",
                                               "csrf_token": CSRF.search(html).group(1)})
        assert response.status_code == 302
    return client


def _url(app, endpoint, args, world):
    values = {k: world["ids"].get(v, v) for k, v in args.items()}
    with app.test_request_context():
        return url_for(endpoint, **values)


def _csrf(client):
    html = client.get("/login").get_data(as_text=True)
    match = CSRF.search(html)
    if match is None:  # signed in: /login redirects, the account page has forms
        match = CSRF.search(client.get("/account").get_data(as_text=True))
    return match.group(1)


def test_every_route_has_expectations(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    missing = sorted(endpoints - MATRIX.keys())
    assert not missing, f"routes without a line in the route × role matrix: {missing}"


READS = sorted(e for e, (method, *_) in MATRIX.items() if method == "GET")
WRITES = sorted(e for e, (method, *_) in MATRIX.items() if method != "GET")


@pytest.mark.parametrize("endpoint", READS)
def test_page_or_api_read_answers_each_role_as_expected(app, read_world, endpoint):
    _check_endpoint(app, read_world, endpoint, clients=read_world["clients"])


@pytest.mark.parametrize("endpoint", WRITES)
def test_route_answers_each_role_as_expected(app, world, endpoint):
    _check_endpoint(app, world, endpoint)


def _check_endpoint(app, world, endpoint, clients=None):
    method, args, body, expected = MATRIX[endpoint]
    url = _url(app, endpoint, args, world)
    seen = {}
    for role in ROLES:
        if endpoint.split(".")[0].endswith("_api"):
            headers = {"Authorization": f"Bearer {world['tokens'][role]}"} if role != "anonymous" else {}
            response = app.test_client().open(url, method=method, headers=headers,
                                              json=body(role) if body else None)
        else:
            client = clients[role] if clients else _client_for(app, role, world)
            data = {"csrf_token": _csrf(client)} if method == "POST" else None
            response = client.open(url, method=method, data=data)
        seen[role] = response.status_code
    wanted = {r: expected[r] for r in ROLES}
    got = {r: (OK if wanted[r] == OK and seen[r] in (200, 201, 302, 400, 409) else seen[r]) for r in ROLES}
    assert got == wanted, f"{method} {url}"


def test_wrong_level_staff_get_403_on_another_hospitals_dossier(app, world):
    """The "wrong level" column (CONTRACT §5): hospitals A and B decide awards; a staff user bound to B gets 403
    on A's dossier through the API and the pages (appraise, return) and does not see it in its queue; A's does."""
    from awards.extensions import db
    from awards.units import services as unit_services
    from awards.units.queries import unit_by_code

    for code in ("BVA", "BVB"):
        unit = unit_by_code(code)
        unit_services.update_unit(unit, name=unit.name, parent_code="SYT", kind=unit.kind, grassroots=False,
                                  decides_awards=True, by=world["users"]["admin"])
    dossier = factories.nomination(factories.person(unit=unit_by_code("BVA")), "LDTT", status="submitted",
                                   by=world["users"]["admin"])
    for role, code in (("staff_a", "BVA"), ("staff_b", "BVB")):
        world["users"][role] = factories.user("staff", unit=unit_by_code(code))
        world["tokens"][role] = factories.token(world["users"][role])
    db.session.commit()
    seen = {}
    for role in ("staff_b", "staff_a"):  # B first: its refusals change nothing A then does
        headers = {"Authorization": f"Bearer {world['tokens'][role]}"}
        api_client = app.test_client()
        client = _client_for(app, role, world)
        queue = client.get("/nominations/queue").get_data(as_text=True)
        seen[role] = (
            api_client.get(f"/api/v1/nominations/{dossier.id}", headers=headers).status_code,
            api_client.post(f"/api/v1/nominations/{dossier.id}/return", headers=headers,
                            json={"reason": "Bổ sung minh chứng"}).status_code,
            client.get(f"/nominations/{dossier.id}/appraise").status_code,
            client.post(f"/nominations/{dossier.id}/appraise", data={
                "csrf_token": _csrf(client), "action": "return", "return-reason": "Bổ sung"}).status_code,
            f"/nominations/{dossier.id}/appraise" in queue)
    # A returned it through the API: its page's second return is refused as the wrong state (409), not 403
    assert seen == {"staff_b": (403, 403, 403, 403, False), "staff_a": (200, 200, 200, 409, True)}
    # issue 18's pages: B's desk may neither forward A's dossier nor answer for it, page or API; A's desk is
    # refused only for the dossier's state (a flash on its page, 409 through the API)
    for role, expected in (("staff_b", (403, 403, 403, 403, 403)), ("staff_a", (302, 200, 409, 409, 200))):
        headers = {"Authorization": f"Bearer {world['tokens'][role]}"}
        client = _client_for(app, role, world)
        api_client = app.test_client()
        got = (client.post(f"/nominations/{dossier.id}/forward", data={"csrf_token": _csrf(client)}).status_code,
               client.get(f"/nominations/{dossier.id}/outcome").status_code,
               api_client.post(f"/api/v1/nominations/{dossier.id}/forward", headers=headers, json={}).status_code,
               api_client.post(f"/api/v1/nominations/{dossier.id}/outcome", headers=headers,
                               json={"result": "not_awarded", "reason": "Không"}).status_code,
               client.get(f"/nominations/{dossier.id}").status_code)
        assert got == expected, role


def test_anonymous_pages_redirect_to_login_with_next(client, db):
    response = client.get("/people")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


NAMES_CODES = {"catalog.award_types"}  # the catalog: the one page that pairs each name with its code (imports, API)
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text without tags, scripts, styles and attributes."""
    import html as html_lib

    return html_lib.unescape(TAGS.sub(" ", html))


@pytest.mark.parametrize("role", ["anonymous", "staff", "unit_officer", "council_member"])
def test_no_page_shows_the_rule_file_or_a_bare_award_code(app, read_world, role):
    """Issue 19, friction 8: an award is its Vietnamese name and its article, never "LDTT" or "RULES.md §6"."""
    from awards.catalog.types import DEFAULTS

    bare = re.compile(r"(?<![\w/-])(" + "|".join(map(re.escape, DEFAULTS)) + r")(?![\w/-])")
    found = {}
    for endpoint in READS:
        method, args, _body, expected = MATRIX[endpoint]
        if endpoint.split(".")[0].endswith("_api") or expected.get(role) != 200 or endpoint in NAMES_CODES:
            continue
        response = read_world["clients"][role].get(_url(app, endpoint, args, read_world))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text = visible_text(response.get_data(as_text=True))
        problems = sorted(set(bare.findall(text)) | ({"RULES"} if "RULES" in text else set()))
        if problems:
            found[endpoint] = problems
    assert not found, "\n".join(f"{e}: {', '.join(p)}" for e, p in found.items())
