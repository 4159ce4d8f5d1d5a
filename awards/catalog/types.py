"""The award types of CONTRACT §4 with their defaults from RULES.md; settings override some fields."""

from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l

from awards.core.states import LabelledEnum

INDIVIDUAL, COLLECTIVE, BOTH = "individual", "collective", "both"
TITLE, COMMENDATION = "title", "commendation"  # danh hiệu thi đua / hình thức khen thưởng
SUBJECTS = (INDIVIDUAL, COLLECTIVE, BOTH)
FORMS_OF_AWARD = (TITLE, COMMENDATION)
# grassroots | provincial | ministerial (a Minister's award: Bằng khen, Kỷ niệm chương of a Bộ) | national
LEVELS = ("grassroots", "provincial", "ministerial", "national")


class AttachmentKind(LabelledEnum):
    """A dossier document's role; the catalog names which ones an award requires."""

    proposal = "proposal", _l("Tờ trình")
    report = "report", _l("Báo cáo thành tích")
    minutes = "minutes", _l("Biên bản bình xét")
    evidence = "evidence", _l("Minh chứng (sáng kiến, xếp loại)")
    other = "other", _l("Tài liệu khác")


class Voting(LabelledEnum):
    """How the council handles an award (RULES §5, a setting per award type)."""

    secret = "secret", _l("Hội đồng bỏ phiếu kín")
    open = "open", _l("Hội đồng biểu quyết công khai")
    standing = "standing", _l("Thường trực Hội đồng thẩm định, trình Chủ tịch Hội đồng")
    none = "none", _l("Không qua Hội đồng")


ATTACHMENT_LABELS = AttachmentKind.labels()
VOTING_LABELS = Voting.labels()
COUNCIL_BALLOTS = ("secret", "open")  # the ways a council session votes on an item
# The awards the council must vote on, with thresholds of its total membership (NĐ 98 Art 30.7; RULES §5): their
# way of voting may be secret or open, never "no vote".
LAW_VOTE = frozenset({"CSTDCS", "CSTD_TINH", "CSTD_TQ", "CO_TINH", "CO_CP"})
ATTACHMENT_KINDS = ("report", "proposal", "minutes", "evidence", "other")  # the order error messages list them


@dataclass(frozen=True)
class AwardType:
    code: str
    name: str
    subject: str  # individual | collective
    form: str  # title | commendation
    level: str  # grassroots | provincial | ministerial | national
    decided_by: str  # who signs the decision
    ballot: str  # secret | open | standing | none (Voting)
    threshold: float | None  # secret ballots: share of the council's TOTAL membership voting yes
    required_attachments: tuple[str, ...]
    review_days: int  # public review period, working days
    basis: str  # the article that defines it
    notes: str = ""
    extra: dict = field(default_factory=dict, compare=False)
    # Huân chương and state honorary titles: the nominee list is public for at least 10 working days BEFORE the
    # council meets (NĐ 98 Art 46.2; NĐ 152 Art 44.2), so a session opens with the dossier only after its listing
    listing_before_council: bool = False
    # The prize as a multiple of the base salary (mức lương cơ sở); None = not set. Not verified for the built-in
    # types in this session, so they keep None (issue 25: the prize-money helper reads it through award_type()).
    prize_coefficient: float | None = None
    # An award type an admin added (catalog.models.StoredAwardType): builtin False, its composed conditions
    # ({rule, params, basis} each, catalog.blocks), the default achievement period in years, and whether it is
    # still offered (a type with awards or dossiers is deactivated, never deleted).
    builtin: bool = True
    conditions: tuple = field(default=(), compare=False)
    period_years: int = 1
    active: bool = True

    @property
    def subjects(self) -> tuple[str, ...]:
        """Who it is given to: a stored type may say both; the built-in Giấy khen and Bằng khen go to both."""
        if self.subject == BOTH or self.code in BOTH_SUBJECTS:
            return (INDIVIDUAL, COLLECTIVE)
        return (self.subject,)

    def for_subject_type(self, subject_type: str) -> bool:
        """Can a person ("person") or a collective ("unit") be nominated for it?"""
        return (INDIVIDUAL if subject_type == "person" else COLLECTIVE) in self.subjects

    @property
    def council_vote(self) -> bool:
        """A council session votes on it (secret or open); "standing" and "none" go straight to the decision."""
        return self.ballot in COUNCIL_BALLOTS

    @property
    def api_ballot(self) -> str:
        """CONTRACT §4's word: secret | open | none (the standing staff's appraisal is no council ballot)."""
        return self.ballot if self.council_vote else "none"

    @property
    def voting_choices(self) -> tuple[str, ...]:
        """The ways this award may be voted: the law's council votes keep a vote."""
        return COUNCIL_BALLOTS if self.code in LAW_VOTE else tuple(Voting)

    @property
    def majority(self) -> str | None:
        """How an open vote passes: more than half of the ballots cast (RULES §5, a setting)."""
        return "more_than_half_of_cast" if self.ballot == "open" else None


TITLE_DOSSIER = ("proposal", "report", "minutes")  # Law 84.1
CSTD_DOSSIER = ("proposal", "report", "minutes", "evidence")  # + proof of initiative or excellent rating

_HEAD = "Thủ trưởng cơ quan, đơn vị"
_PROVINCE = "Chủ tịch UBND tỉnh"
_PM = "Thủ tướng Chính phủ"

DEFAULTS: dict[str, AwardType] = {t.code: t for t in (
    AwardType("LDTT", "Lao động tiên tiến", INDIVIDUAL, TITLE, "grassroots", _HEAD, "none", None,
              ("proposal", "report"), 5, "Luật TĐKT 2022, Điều 24"),
    AwardType("CSTDCS", "Chiến sĩ thi đua cơ sở", INDIVIDUAL, TITLE, "grassroots", _HEAD, "secret", 0.8,
              CSTD_DOSSIER, 5, "Luật TĐKT 2022, Điều 23"),
    AwardType("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", INDIVIDUAL, TITLE, "provincial", _PROVINCE, "secret", 0.9,
              CSTD_DOSSIER, 5, "Luật TĐKT 2022, Điều 22"),
    AwardType("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", INDIVIDUAL, TITLE, "national", _PM, "secret", 0.9,
              CSTD_DOSSIER, 5, "Luật TĐKT 2022, Điều 21"),
    AwardType("TTLDTT", "Tập thể lao động tiên tiến", COLLECTIVE, TITLE, "grassroots", _HEAD, "none", None,
              ("proposal", "report"), 5, "Luật TĐKT 2022, Điều 28"),
    AwardType("TTLDXS", "Tập thể lao động xuất sắc", COLLECTIVE, TITLE, "provincial", _PROVINCE, "open", None,
              TITLE_DOSSIER, 5, "Luật TĐKT 2022, Điều 27"),
    AwardType("CO_TINH", "Cờ thi đua cấp tỉnh", COLLECTIVE, TITLE, "provincial", _PROVINCE, "secret", 0.8,
              TITLE_DOSSIER, 5, "Luật TĐKT 2022, Điều 26"),
    AwardType("CO_CP", "Cờ thi đua của Chính phủ", COLLECTIVE, TITLE, "national", _PM, "secret", 0.8,
              TITLE_DOSSIER, 5, "Luật TĐKT 2022, Điều 25"),
    AwardType("GIAY_KHEN", "Giấy khen", INDIVIDUAL, COMMENDATION, "grassroots", _HEAD, "none", None,
              ("proposal", "report"), 5, "Luật TĐKT 2022, Điều 75"),
    AwardType("BK_TINH", "Bằng khen cấp tỉnh", INDIVIDUAL, COMMENDATION, "provincial", _PROVINCE, "open", None,
              TITLE_DOSSIER, 5, "Luật TĐKT 2022, Điều 74"),
    AwardType("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", INDIVIDUAL, COMMENDATION, "national", _PM, "open",
              None, TITLE_DOSSIER, 5, "Luật TĐKT 2022, Điều 73"),
    AwardType("HCLD3", "Huân chương Lao động hạng Ba", INDIVIDUAL, COMMENDATION, "national", "Chủ tịch nước",
              "open", None, TITLE_DOSSIER, 10, "Luật TĐKT 2022, Điều 44", listing_before_council=True),
)}

# Giấy khen and Bằng khen go to collectives too (RULES §4 "collectives: …"); the subject is a default.
BOTH_SUBJECTS = {"GIAY_KHEN", "BK_TINH", "BK_TTG"}

# Settings RULES.md marks [setting]: per award type, and for the whole system.
AWARD_SETTINGS = ("ballot", "threshold", "review_days", "required_attachments")
GLOBAL_DEFAULTS = {
    "quorum": 2 / 3,  # share of members who must cast a ballot (RULES §5)
    "max_rounds": 2,  # voting rounds per nomination (RULES §5)
    "cstdcs_quota_percent": None,  # CSTĐCS ≤ n% of the unit's LĐTT; None = off (RULES §2, NĐ 91 only by law)
    "return_days": 5,  # processing clock, working days (RULES §6)
    "appraisal_days": 20,
    "forward_days": 10,  # sending the decision and results out, counted from the decision (not appraisal → council)
}


def with_settings(award: AwardType, overrides: dict) -> AwardType:
    """The award type with the stored settings applied (unknown keys ignored)."""
    values = {k: v for k, v in overrides.items() if k in AWARD_SETTINGS}
    if "required_attachments" in values:
        values["required_attachments"] = tuple(values["required_attachments"])
    return replace(award, **values)


def name_of(code: str) -> str:
    """A BUILT-IN award's name (pure: no database); pages that may show a stored type's code use
    catalog.services.award_name."""
    return DEFAULTS[code].name if code in DEFAULTS else code
