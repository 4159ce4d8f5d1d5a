"""What later steps know about a dossier, for the pages of earlier ones: the council's review page shows the
public feedback so far, though announcements come after the council in the dependency order."""

from collections.abc import Callable

from awards.nominations.models import Nomination

# each returns the public feedback on a dossier: objects with reference, created_at, content, status, outcome
FEEDBACK_SOURCES: list[Callable[[Nomination], list]] = []


def public_feedback(nomination: Nomination) -> list:
    return [item for source in FEEDBACK_SOURCES for item in source(nomination)]
