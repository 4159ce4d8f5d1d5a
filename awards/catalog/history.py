"""What the rules read: a subject's history as plain data, built by queries and by tests alike."""

from dataclasses import dataclass, field

RATING_ORDER = {"not_done": 0, "done": 1, "good": 2, "excellent": 3}
SCOPE_ORDER = {"unit": 0, "provincial": 1, "national": 2}
DISCIPLINE_ORDER = {"reprimand": 0, "warning": 1, "dismissal": 2}


@dataclass(frozen=True)
class AwardHeld:
    """An award in the archive. Only regular, unrevoked awards count toward a chain (NĐ 152 Art 4)."""

    code: str
    year: int
    kind: str = "regular"  # regular | adhoc | thematic
    revoked: bool = False
    record_id: int | None = None

    @property
    def counts(self) -> bool:
        return not self.revoked and self.kind == "regular"


@dataclass(frozen=True)
class InitiativeFact:
    """A recognised initiative; `used_by` names the award it already served (CV 5007/BNV-TĐKT)."""

    id: int
    year: int
    scope: str  # unit | provincial | national
    title: str = ""
    used_by: str | None = None


@dataclass(frozen=True)
class DisciplineFact:
    year: int
    level: str  # reprimand | warning | dismissal


@dataclass
class PersonHistory:
    ratings: dict[int, str] = field(default_factory=dict)  # year → rating
    awards: list[AwardHeld] = field(default_factory=list)
    initiatives: list[InitiativeFact] = field(default_factory=list)
    disciplines: list[DisciplineFact] = field(default_factory=list)
    frozen_reason: str | None = None  # under investigation, unresolved complaint (RULES §4)
    name: str = ""


@dataclass(frozen=True)
class MemberYear:
    """One member of a collective in the year: their rating, titles held that year, discipline."""

    rating: str | None
    titles: frozenset[str] = frozenset()  # regular, unrevoked award codes of that year
    discipline: str | None = None  # the heaviest level that year
    female: bool = False


@dataclass
class UnitHistory:
    ratings: dict[int, str] = field(default_factory=dict)
    awards: list[AwardHeld] = field(default_factory=list)
    members: dict[int, list[MemberYear]] = field(default_factory=dict)  # year → members
    frozen_reason: str | None = None
    name: str = ""
