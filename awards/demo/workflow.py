"""The demo's work in progress (CONTRACT §1: nominations in several states): this year's dossiers from draft
to awarded, a council of five with a closed session and a draft one, a public list with one open feedback
case, and a decision — all through the real services, so every page has something true to show.

Every level (issue 18): the two deciding hospitals each run their own council and decide a CSTĐCS in their own
series and gold book; a hospital's Bằng khen tỉnh is forwarded to the Sở, which appraises it; what the Sở
proposes to the province waits as `forwarded`, and one answer from the province is recorded."""

from datetime import date, datetime, time, timedelta

from awards.announcements import decisions
from awards.announcements import services as announcements
from awards.archive.eligibility import override_check
from awards.auth import services as auth_services
from awards.core import clock, workdays
from awards.council import services as council_services
from awards.council import voting
from awards.nominations import services as nominations
from awards.nominations.eligibility import checklist_of

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
COUNCIL_PASSWORD = "demo-council-2026"
SUMMARY = ("Hoàn thành xuất sắc nhiệm vụ chuyên môn; tham gia tích cực phòng, chống dịch bệnh tại cơ sở; "
           "có sáng kiến cải tiến quy trình khám bệnh được áp dụng tại đơn vị.")


def _dossier(person, award, year, status, staff, n):
    """A dossier for `person` brought to draft, submitted, returned or appraised through the real workflow."""
    dossier = nominations.create_nomination(subject_type="person", subject_code=person.code, award_code=award,
                                            year=year, summary=SUMMARY, by=staff)
    if status == "draft":
        return dossier
    for kind in sorted(nominations.required_attachments(dossier)):
        nominations.add_attachment(dossier, data=PDF + f"% {n} {kind}\n".encode(), filename=f"{kind}.pdf",
                                   kind=kind, by=staff)
    nominations.submit(dossier, by=staff)
    if status == "returned":
        nominations.return_for_supplement(dossier, reason="Bổ sung biên bản bình xét của đơn vị.", by=staff)
    elif status == "appraised":
        # this year's rating is on paper only (the archive holds the years before): the appraiser says so in
        # writing on each line it leaves open, as a dossier passes only on a green checklist
        for line in checklist_of(dossier).blockers:
            override_check("person", person.code, award, year, line.rule,
                           f"Đã đối chiếu kết quả xếp loại năm {year} của đơn vị (bản giấy).", by=staff)
        nominations.appraise(dossier, result="pass", note="Đủ điều kiện, đủ hồ sơ.", by=staff)
    return dossier


def _council(units, by_unit, staff, chair):
    """Hội đồng TĐKT Sở Y tế: the demo council account chairs it; four more members from the Sở's staff."""
    members, bound = [], {staff.person_id, chair.person_id}
    free = [p for p in by_unit["SYT-TCCB"] + by_unit["SYT-NVY"] if p.id not in bound]
    for n, person in enumerate(free[:4], start=2):
        members.append(auth_services.create_user(f"council{n}", COUNCIL_PASSWORD, ["council_member"],
                                                 full_name=person.full_name, person=person))
    roles = ["vice_chair", "secretary", "member", "member"]
    return council_services.save_council(
        code="HD-SYT", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT", chair_username=chair.username,
        members=[(m.username, role) for m, role in zip(members, roles, strict=True)], by=staff), [chair, *members]


def load_workflow(rng, units, by_unit, accounts) -> dict:
    """This year's dossiers in every state; returns counts by status."""
    year = date.today().year  # the archive holds the five years before: these are this year's dossiers
    staff = next(a for a in accounts if a.has_role("staff"))
    chair = next(a for a in accounts if a.has_role("council_member"))
    council, members = _council(units, by_unit, staff, chair)
    # the Sở's own level: the units without a council of their own (the two hospitals handle theirs, below)
    pool = [p for code in ("CDC", "BVPHOI", "BVYDCT") for p in by_unit[code]]
    people = rng.sample(pool, 18)
    made = [_dossier(p, award, year, status, staff, n) for n, (p, (award, status)) in enumerate(zip(people, [
        ("LDTT", "draft"), ("LDTT", "draft"), ("CSTDCS", "submitted"), ("LDTT", "submitted"),
        ("CSTDCS", "returned"), ("CSTDCS", "appraised"), ("CSTDCS", "appraised"),
        *[("CSTDCS", "appraised")] * 5, *[("LDTT", "appraised")] * 6], strict=True))]
    voted, for_decision = made[7:12], made[12:]
    now = clock.now()
    session = council_services.create_session(council=council, title=f"Phiên xét danh hiệu thi đua năm {year}",
                                              nomination_ids=[d.id for d in voted],
                                              closes_at=now + timedelta(days=1), by=staff)
    voting.open_session(session, by=staff)
    for n, member in enumerate(members):
        votes = {d.id: "yes" for d in voted[:4]} | ({voted[4].id: "yes"} if n < 3 else {voted[4].id: "no"})
        voting.cast_ballot(session, votes=votes, by=member)
    voting.close_session(session, by=chair)
    council_services.create_session(council=council, title=f"Phiên xét bổ sung năm {year}",
                                    nomination_ids=[d.id for d in made[5:7]],
                                    closes_at=datetime.combine(date.today() + timedelta(days=14), time(17),
                                                               tzinfo=clock.VIETNAM), by=staff)
    passed = voted[:4]
    today = date.today()
    announcement = announcements.publish(
        title=f"Công khai danh sách đề nghị tặng danh hiệu Chiến sĩ thi đua cơ sở năm {year}",
        nomination_ids=[d.id for d in passed], opens_on=today - timedelta(days=2),
        closes_on=workdays.add_working_days(today, 10), by=staff)
    announcements.submit_feedback(announcement, nomination_id=passed[0].id, name="Trần Văn Bình",
                                  contact="0912 345 678", content="Đề nghị xác minh lại sáng kiến đã kê khai.")
    decisions.issue_decision(number="15/QĐ-SYT", signed_on=today, signer="Nguyễn Văn Minh",
                             issuer="Sở Y tế tỉnh Thái An", nomination_ids=[d.id for d in for_decision], by=staff)
    made += load_levels(rng, by_unit, accounts, staff, council, members, year)
    counts: dict[str, int] = {}
    for dossier in made:
        counts[dossier.status] = counts.get(dossier.status, 0) + 1
    return counts


def _hospital_council(code, name, by_unit, staff):
    """A hospital's own council (Hội đồng TĐKT of the unit): its director chairs it, two of its heads sit on it; a
    member steps back only from their own dossier (everyone works in the one hospital)."""
    heads = [p for p in by_unit[code] if p.position.startswith(("Giám đốc", "Phó Giám đốc"))]
    others = [p for p in by_unit[code] if p.id != staff.person_id and p not in heads]
    people = [*heads, *others][:3]
    users = [auth_services.create_user(f"hd-{code.lower()}-{n}", COUNCIL_PASSWORD, ["council_member"],
                                       full_name=p.full_name, person=p) for n, p in enumerate(people, start=1)]
    council = council_services.save_council(
        code=f"HD-{code}", name=f"Hội đồng Thi đua – Khen thưởng {name}", unit_code=code,
        chair_username=users[0].username, members=[(users[1].username, "vice_chair"), (users[2].username, "member")],
        recusal_scope="nominee", by=staff)
    return council, users


def _vote(council, members, dossiers, title, staff, chair):
    """A session of the council on these dossiers, every member voting yes, closed: each one passed."""
    session = council_services.create_session(council=council, title=title, nomination_ids=[d.id for d in dossiers],
                                              closes_at=clock.now() + timedelta(days=1), by=staff)
    voting.open_session(session, by=staff)
    for member in members:
        voting.cast_ballot(session, votes={d.id: "yes" for d in dossiers}, by=member)
    voting.close_session(session, by=chair)


def load_levels(rng, by_unit, accounts, staff, council, members, year) -> list:
    """Dossiers at each level: BVĐK decides a CSTĐCS (01/QĐ-BVĐK, its own gold book) and forwards a Bằng khen tỉnh
    the Sở is appraising; BV Sản – Nhi's Bằng khen tỉnh crossed both councils and waits at the province
    (`forwarded`); the CDC's was answered by the province (awarded, in the archive); each hospital has one
    submitted dossier in its own queue."""
    desks = {a.unit_code: a for a in accounts if a.has_role("staff") and a.unit_code in ("BVDK", "BVSN")}
    bvdk, bvsn = desks["BVDK"], desks["BVSN"]
    hd_bvdk, bvdk_members = _hospital_council("BVDK", "Bệnh viện Đa khoa tỉnh Thái An", by_unit, bvdk)
    hd_bvsn, bvsn_members = _hospital_council("BVSN", "Bệnh viện Sản – Nhi tỉnh Thái An", by_unit, bvsn)
    ward = rng.sample(by_unit["BVDK-NGOAI"], 3)
    mothers = rng.sample([p for p in by_unit["BVSN"] if not p.position.startswith(("Giám đốc", "Phó Giám đốc",
                                                                                    "Trưởng phòng"))], 2)
    cdc = rng.choice([p for p in by_unit["CDC"] if not p.position.startswith("Giám đốc")])
    n = 100
    hospital_cstdcs = _dossier(ward[0], "CSTDCS", year, "appraised", bvdk, n)
    hospital_bk = _dossier(ward[1], "BK_TINH", year, "appraised", bvdk, n + 1)
    waiting_bvdk = _dossier(ward[2], "LDTT", year, "submitted", bvdk, n + 2)
    province_bk = _dossier(mothers[0], "BK_TINH", year, "appraised", bvsn, n + 3)
    waiting_bvsn = _dossier(mothers[1], "LDTT", year, "submitted", bvsn, n + 4)
    answered_bk = _dossier(cdc, "BK_TINH", year, "appraised", staff, n + 5)
    _vote(hd_bvdk, bvdk_members, [hospital_cstdcs, hospital_bk], f"Phiên xét thi đua, khen thưởng năm {year}",
          bvdk, bvdk_members[0])
    _vote(hd_bvsn, bvsn_members, [province_bk], f"Phiên xét đề nghị khen thưởng năm {year}", bvsn,
          bvsn_members[0])
    today = date.today()
    director = next(p for p in by_unit["BVDK"] if p.position == "Giám đốc bệnh viện")
    decisions.issue_decision(number="01/QĐ-BVĐK", signed_on=today, signer=f"{director.full_name} — Giám đốc",
                             issuer="Bệnh viện Đa khoa tỉnh Thái An", nomination_ids=[hospital_cstdcs.id], by=bvdk)
    nominations.forward(hospital_bk, note="Tờ trình số 12/TTr-BVĐK đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh",
                        by=bvdk)  # now in the Sở's queue, to appraise
    nominations.forward(province_bk, note="Tờ trình số 08/TTr-BVSN", by=bvsn)
    for line in checklist_of(province_bk).blockers:  # the Sở's appraiser, in writing, as at the hospital
        override_check("person", province_bk.subject_code, "BK_TINH", year, line.rule,
                       "Đã đối chiếu hồ sơ bệnh viện gửi lên.", by=staff)
    nominations.appraise(province_bk, result="pass", note="Đủ điều kiện trình UBND tỉnh.", by=staff)
    chair = next(m for m in members if m.has_role("council_member") and m.username == "council")
    _vote(council, members, [province_bk, answered_bk], f"Phiên xét đề nghị UBND tỉnh khen thưởng năm {year}",
          staff, chair)
    for dossier in (province_bk, answered_bk):
        nominations.forward(dossier, note="Tờ trình số 45/TTr-SYT đề nghị Chủ tịch UBND tỉnh tặng Bằng khen",
                            by=staff)
    nominations.record_outcome(answered_bk, result="awarded", decision_number="1234/QĐ-UBND",
                               decision_date=today, issuer="Chủ tịch UBND tỉnh Thái An", by=staff)
    return [hospital_cstdcs, hospital_bk, waiting_bvdk, province_bk, waiting_bvsn, answered_bk]
