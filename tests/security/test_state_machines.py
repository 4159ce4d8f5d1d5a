"""Random sequences of real workflow actions (issue 10): dossiers, council sessions, public review, decisions
and revocations, through the real services on the test database (no mocks). A service may refuse an action
(its DomainError, as the API would answer 4xx); what must never happen is a move the transition table does
not allow, an awarded dossier without exactly one live archive record, a broken archive chain, or a closed
session whose tally changes afterwards.

Each hypothesis example starts from a freshly seeded province and empties the database at its end, as the
`db` fixture does between tests."""

from datetime import date, datetime, timedelta

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from awards.announcements import decisions
from awards.announcements import services as announcements
from awards.announcements.models import Announcement, DecisionItem, Feedback
from awards.archive import services as archive
from awards.archive.models import AwardRecord, Entry
from awards.core import clock
from awards.core.db import DomainError
from awards.council import queries as council_queries
from awards.council import services as council_services
from awards.council import voting
from awards.council.models import CouncilSession
from awards.extensions import db
from awards.nominations import services as nominations
from awards.nominations.models import Nomination, NominationEvent
from awards.nominations.states import TRANSITIONS
from tests import factories
from tests.conftest import empty_database

START = datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM)  # a Monday, before the real today (decision dates)
AWARDS = ("LDTT", "CSTDCS", "BK_TINH")  # no vote, a secret ballot (80% of all members), an open vote
CHOICES = st.sampled_from(["yes", "yes", "yes", "no", None])  # None: the item left out of the ballot
REASON = st.sampled_from(["Bổ sung minh chứng", "Không đủ điều kiện", "  "])  # a blank reason is refused
STATS = {"examples": 0, "steps": 0, "calls": 0, "done": 0, "refused": 0}


class Workflow(RuleBasedStateMachine):
    """The secretariat, a five-member council and a public acting in any order."""

    running = None  # the machine whose `now` the app's clock reads (the workflow_clock fixture)

    def __init__(self):
        super().__init__()
        STATS["examples"] += 1
        self.now = START
        Workflow.running = self
        province = factories.unit(code="SYT", name="Sở Y tế")
        self.hospital = factories.unit(code="BVA", name="Bệnh viện A", parent=province)
        self.staff = factories.user("staff")
        # four members of the Sở and one of the hospital, whom every hospital nominee's item recuses
        self.members = [factories.user("council_member", person=factories.person(
            unit=province if n < 4 else self.hospital)) for n in range(5)]
        council_services.save_council(code="HD", name="Hội đồng", unit_code="SYT",
                                      chair_username=self.members[0].username,
                                      members=[(m.username, "member") for m in self.members[1:]], by=self.staff)
        db.session.commit()
        self.dossiers: list[int] = []
        self.sessions: list[int] = []
        self.announcements: list[int] = []
        self.feedback: list[int] = []
        self.records: list[int] = []
        self.revoked: set[int] = set()
        self.closed_tallies: dict[int, dict] = {}
        self.decision_count = 0

    def teardown(self):
        empty_database(truncate=False)

    # ------------------------------------------------------------------------------------ helpers

    def attempt(self, service, /, *args, **kwargs):
        """Run one service call as a request would: commit when it succeeds, roll back when it refuses."""
        STATS["calls"] += 1
        try:
            result = service(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            STATS["refused"] += 1
            return None
        db.session.commit()
        STATS["done"] += 1
        return result if result is not None else True

    def pick(self, data, ids, *, prefer=None, model=Nomination):
        """One id, usually among those in a state where the action can succeed (refusals get tried too)."""
        if not ids:
            return None
        if prefer is not None and data.draw(st.integers(0, 3), label="prefer"):  # three times in four
            likely = [i for i in ids if prefer(db.session.get(model, i))]
            ids = likely or ids
        return data.draw(st.sampled_from(ids))

    def nomination(self, nomination_id) -> Nomination:
        return db.session.get(Nomination, nomination_id)

    def session(self, session_id) -> CouncilSession:
        return db.session.get(CouncilSession, session_id)

    def in_status(self, *statuses):
        return lambda n: n.status in statuses

    def some(self, data, ready, *, most=3):
        """A few dossiers for an agenda, a list or a decision: usually among the ready ones, sometimes any."""
        pool = ready if ready and data.draw(st.integers(0, 3), label="ready only") else self.dossiers
        return data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=most, unique=True))

    def due_a_vote(self, n: Nomination) -> bool:
        return n.award_code != "LDTT" and n.status in ("appraised", "public_review")

    def decidable(self, n: Nomination) -> bool:
        return decisions.why_not_decidable(n) is None

    # ------------------------------------------------------------------------------------ dossiers

    @initialize(awards=st.lists(st.sampled_from(AWARDS), max_size=4), session=st.booleans())
    def appraised_dossiers(self, awards, session):
        """A head start, so that twenty steps reach the council and the decision: a few appraised dossiers,
        and perhaps an open session over those due a vote."""
        for award in awards:
            self.new_dossier(award, "appraised")
        due = [n for n in self.dossiers if self.due_a_vote(self.nomination(n))]
        if session and due:
            created = self.attempt(council_services.create_session, council=council_queries.council_by_code("HD"),
                                   title="Phiên xét", nomination_ids=due, closes_at=self.now + timedelta(days=5),
                                   by=self.staff)
            assert created, "appraised dossiers due a vote make an agenda"
            self.sessions.append(created.id)
            self.open_session_now(created.id)

    @rule(award=st.sampled_from(AWARDS), stage=st.sampled_from(["draft", "submitted", "appraised"]), data=st.data())
    def create_dossier(self, award, stage, data):
        """A new dossier, taken on through submission and appraisal when `stage` says so (one commit each)."""
        reuse = [n for n in self.dossiers if self.nomination(n).subject_type == "person"]
        subject = None
        if reuse and data.draw(st.booleans(), label="same person"):  # a second dossier: refused if one is live
            subject = self.nomination(data.draw(st.sampled_from(reuse))).person
        self.new_dossier(award, stage, subject)

    def new_dossier(self, award, stage, subject=None):
        subject = subject or factories.person(unit=self.hospital)
        dossier = self.attempt(nominations.create_nomination, subject_type="person", subject_code=subject.code,
                               award_code=award, year=2025, by=self.staff)
        if not dossier:
            return
        self.dossiers.append(dossier.id)
        for n, kind in enumerate(sorted(nominations.required_attachments(dossier))):
            nominations.add_attachment(dossier, data=factories.PDF + f"{dossier.id}-{n}".encode(),
                                       filename=f"{kind}.pdf", kind=kind, by=self.staff)
        db.session.commit()
        submitted = stage != "draft" and self.attempt(nominations.submit, self.nomination(dossier.id), by=self.staff)
        if submitted and stage == "appraised":
            self.attempt(nominations.appraise, self.nomination(dossier.id), result="pass", note="", by=self.staff)

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data())
    def submit(self, data):  # also the resubmission of a returned dossier
        dossier_id = self.pick(data, self.dossiers, prefer=self.in_status("draft", "returned"))
        if dossier_id and self.attempt(nominations.submit, self.nomination(dossier_id), by=self.staff):
            assert self.nomination(dossier_id).status == "submitted"

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data(), reason=REASON)
    def return_for_supplement(self, data, reason):
        dossier_id = self.pick(data, self.dossiers, prefer=self.in_status("submitted"))
        if dossier_id and self.attempt(nominations.return_for_supplement, self.nomination(dossier_id),
                                       reason=reason, by=self.staff):
            assert self.nomination(dossier_id).status == "returned"

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data(), result=st.sampled_from(["pass", "pass", "pass", "fail"]))
    def appraise(self, data, result):
        dossier_id = self.pick(data, self.dossiers, prefer=self.in_status("submitted"))
        if dossier_id and self.attempt(nominations.appraise, self.nomination(dossier_id), result=result,
                                       note="Thẩm định", by=self.staff):
            assert self.nomination(dossier_id).status == ("appraised" if result == "pass" else "rejected")

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data(), reason=REASON)
    def withdraw(self, data, reason):
        dossier_id = self.pick(data, self.dossiers, prefer=lambda n: n.status not in ("withdrawn", "awarded"))
        if dossier_id and self.attempt(nominations.withdraw, self.nomination(dossier_id), reason=reason,
                                       by=self.staff):
            assert self.nomination(dossier_id).status == "withdrawn"

    # ------------------------------------------------------------------------------------ council

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data())
    def build_and_open_session(self, data):
        chosen = self.some(data, [n for n in self.dossiers if self.due_a_vote(self.nomination(n))], most=4)
        session = self.attempt(council_services.create_session, council=council_queries.council_by_code("HD"),
                               title="Phiên xét", nomination_ids=chosen, closes_at=self.now + timedelta(days=5),
                               by=self.staff)
        if session:
            self.sessions.append(session.id)
            if data.draw(st.integers(0, 3), label="open now"):
                self.open_session_now(session.id)

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def open_session(self, data):
        session_id = self.pick(data, self.sessions, prefer=lambda s: s.status == "draft", model=CouncilSession)
        if session_id:
            self.open_session_now(session_id)

    def open_session_now(self, session_id):
        if self.attempt(voting.open_session, self.session(session_id), by=self.staff):
            session = self.session(session_id)
            assert session.status == "open"
            assert all(i.nomination.status == "in_council" for i in session.items)

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def cast_ballots(self, data):
        """Some members vote, each once (a second ballot is refused), with random choices."""
        session_id = self.pick(data, self.sessions, prefer=lambda s: s.status == "open", model=CouncilSession)
        session = self.session(session_id)
        waiting = [m for m in self.members if not council_queries.has_voted(session, m)]
        pool = waiting if waiting and data.draw(st.integers(0, 3), label="members yet to vote") else self.members
        for member in data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5, unique=True)):
            session = self.session(session_id)
            votes = {}
            for item in session.items:
                choice = data.draw(CHOICES)
                if choice:
                    votes[item.nomination_id] = choice
            self.attempt(voting.cast_ballot, session, votes=votes, by=member)

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def recuse(self, data):
        session_id = self.pick(data, self.sessions, prefer=lambda s: s.status == "open", model=CouncilSession)
        if not session_id or not self.session(session_id).items:
            return
        session = self.session(session_id)
        item = data.draw(st.sampled_from(session.items))
        self.attempt(voting.declare_recusal, session, nomination_id=item.nomination_id, reason="Người thân",
                     by=data.draw(st.sampled_from(self.members)))

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def close_session(self, data):
        session_id = self.pick(data, self.sessions, prefer=lambda s: s.status == "open", model=CouncilSession)
        if session_id and self.attempt(voting.close_session, self.session(session_id), by=self.staff):
            session = self.session(session_id)
            self.closed_tallies[session_id] = self.tally(session)
            for item in session.items:
                assert item.nomination.status == ("passed" if item.passed else "failed")

    @precondition(lambda self: self.closed_tallies)
    @rule(data=st.data())
    def second_round(self, data):
        session_id = self.pick(data, list(self.closed_tallies))
        if not session_id:
            return
        failed = [i["nomination_id"] for i in self.closed_tallies[session_id]["items"] if not i["passed"]]
        chosen = data.draw(st.lists(st.sampled_from(failed or [0]), min_size=1, max_size=3, unique=True))
        second = self.attempt(voting.open_second_round, self.session(session_id), nomination_ids=chosen,
                              closes_at=self.now + timedelta(days=5), by=self.staff)
        if second:
            self.sessions.append(second.id)
            assert second.round == 2 and second.status == "open"

    def tally(self, session) -> dict:
        result = voting.results(session)
        return {"members": result["members"], "ballots_cast": result["ballots_cast"],
                "quorum_met": result["quorum_met"],
                "items": [{"nomination_id": r["nomination_id"], "yes": r["yes"], "no": r["no"], "blank": r["blank"],
                           "passed": r["passed"], "stored": r["item"].passed} for r in result["items"]]}

    # ------------------------------------------------------------------------------------ publicity

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data(), days=st.sampled_from([14, 21, 3]))  # 3 days: too short for 5 working days
    def publish(self, data, days):
        chosen = self.some(data, [n for n in self.dossiers if self.nomination(n).status in ("appraised", "passed")])
        today = self.now.date()
        announcement = self.attempt(announcements.publish, title="Công khai danh sách", nomination_ids=chosen,
                                    opens_on=today, closes_on=today + timedelta(days=days), by=self.staff)
        if announcement:
            self.announcements.append(announcement.id)

    @precondition(lambda self: self.announcements)
    @rule(data=st.data())
    def submit_feedback(self, data):
        announcement_id = self.pick(data, self.announcements)
        if not announcement_id:
            return
        announcement = db.session.get(Announcement, announcement_id)
        item = data.draw(st.sampled_from(announcement.items))
        feedback = self.attempt(announcements.submit_feedback, announcement, nomination_id=item.nomination_id,
                                name="Nguyễn Văn Hải", contact="0912 345 678", content="Thành tích chưa đúng.")
        if feedback:
            self.feedback.append(feedback.id)

    @precondition(lambda self: self.feedback)
    @rule(data=st.data(), outcome=st.sampled_from([("dismissed", "none"), ("upheld", "none"), ("upheld", "return"),
                                                   ("upheld", "reject"), ("dismissed", "reject")]))
    def resolve_feedback(self, data, outcome):
        feedback_id = self.pick(data, self.feedback, prefer=lambda f: f.status == "open", model=Feedback)
        if feedback_id:
            self.attempt(announcements.resolve, db.session.get(Feedback, feedback_id), resolution="Đã xác minh",
                         outcome=outcome[0], action=outcome[1], by=self.staff)

    @rule(days=st.sampled_from([1, 2, 8, 15]))  # within a vote's window, past it, past a public review
    def advance_clock(self, days):
        self.now += timedelta(days=days)

    # ------------------------------------------------------------------------------------ decisions, archive

    @precondition(lambda self: self.dossiers)
    @rule(data=st.data())
    def issue_decision(self, data):
        chosen = self.some(data, [n for n in self.dossiers if self.decidable(self.nomination(n))])
        self.decision_count += 1
        decision = self.attempt(decisions.issue_decision, number=f"{self.decision_count}/QĐ-SYT",
                                signed_on=self.now.date(), signer="Giám đốc Sở", issuer="Sở Y tế",
                                nomination_ids=chosen, by=self.staff)
        if decision:
            self.records.extend(item.record_id for item in decision.items)
            assert all(self.nomination(n).status == "awarded" for n in chosen)

    @precondition(lambda self: self.records)
    @rule(data=st.data())
    def revoke(self, data):
        record_id = self.pick(data, self.records)
        if record_id and self.attempt(archive.revoke_record, db.session.get(AwardRecord, record_id),
                                      reason="Kê khai thành tích không đúng", decision_number=f"TH-{record_id}",
                                      decision_date=self.now.date(), by=self.staff):
            assert record_id not in self.revoked, "a revoked award was revoked again"
            self.revoked.add(record_id)

    # ------------------------------------------------------------------------------------ invariants

    @invariant()
    def count_steps(self):  # hypothesis checks the invariants once at the start, then after every step
        STATS["steps"] += 1

    @invariant()
    def only_table_transitions(self):
        events = db.session.execute(select(NominationEvent.nomination_id, NominationEvent.from_status,
                                           NominationEvent.status).order_by(NominationEvent.id)).all()
        current = {n.id: "draft" for n in db.session.scalars(select(Nomination))}
        for nomination_id, before, after in events:
            assert before == current[nomination_id], (nomination_id, before, current[nomination_id])
            assert after in TRANSITIONS[before], f"#{nomination_id}: {before} → {after} is not in the table"
            current[nomination_id] = after
        for nomination in db.session.scalars(select(Nomination)):
            assert nomination.status == current[nomination.id], (nomination.id, nomination.status)

    @invariant()
    def awarded_means_one_live_record(self):
        items = {i.nomination_id: i for i in db.session.scalars(select(DecisionItem))}
        for nomination in db.session.scalars(select(Nomination)):
            if nomination.status != "awarded":
                assert nomination.id not in items, f"#{nomination.id} is {nomination.status} but in a decision"
                continue
            assert nomination.id in items, f"#{nomination.id} awarded without a decision"
            live = [r for r in db.session.scalars(select(AwardRecord).where(
                AwardRecord.subject_type == nomination.subject_type,
                AwardRecord.subject_code == nomination.subject_code, AwardRecord.award_code == nomination.award_code,
                AwardRecord.year == nomination.year, AwardRecord.entry != Entry.revocation)) if r.live]
            expected = [] if items[nomination.id].record_id in self.revoked else [items[nomination.id].record_id]
            assert [r.id for r in live] == expected, f"#{nomination.id}: live records {[r.id for r in live]}"

    @invariant()
    def archive_chain_verifies(self):
        checked, broken, what = archive.verify_chain()
        assert broken is None, f"record {broken}: {what}"
        assert checked == len(self.records) + len(self.revoked)

    @invariant()
    def closed_tallies_never_change(self):
        for session_id, tally in self.closed_tallies.items():
            session = self.session(session_id)
            assert session.status == "closed"
            assert self.tally(session) == tally, f"session {session_id}'s tally changed after its close"


@pytest.fixture
def workflow_clock(monkeypatch):
    """The app's clock follows the running machine's `now` (the `advance_clock` rule moves it)."""
    monkeypatch.setattr(Workflow, "running", None)
    monkeypatch.setattr(clock, "now", lambda: (Workflow.running.now if Workflow.running else START)
                        .astimezone(clock.VIETNAM))


def test_workflows_keep_their_invariants(app, db, workflow_clock):
    # decisions and revocations are dated at the machine's today, which the archive refuses in the real future
    assert date.today() >= START.date()
    STATS.update(examples=0, steps=0, calls=0, done=0, refused=0)
    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=25, stateful_step_count=20, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck)))
    print(f"\nstate machine: {STATS['examples']} examples, {STATS['steps'] - STATS['examples']} steps, "
          f"{STATS['calls']} service calls ({STATS['done']} done, {STATS['refused']} refused)")
    assert STATS["done"] > STATS["examples"], "the machine hardly did anything: its rules need a look"
