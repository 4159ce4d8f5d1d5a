"""Vietnamese text folding: the one place that decides how names are matched."""

import re
import unicodedata

from sqlalchemy import or_

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, without diacritics (đ → d included), single spaces: 'Đào Thị Ánh' → 'dao thi anh'."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()


def normalize(text: str | None) -> str:
    """Composed Unicode (NFC) with single spaces: how names are stored."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def word_start_patterns(query: str) -> tuple[str, str]:
    """LIKE patterns (escape '\\') for a folded query starting at a word of a folded name:
    'an' finds 'nguyen van an' and 'le anh' but not 'dao thi hanh'."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%", f"% {escaped}%"


def matches_word_start(column, query: str):
    """A SQL condition: `column` (already folded) has a word starting with the folded query."""
    first, inner = word_start_patterns(query)
    return or_(column.like(first, escape="\\"), column.like(inner, escape="\\"))
