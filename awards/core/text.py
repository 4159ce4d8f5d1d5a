"""Vietnamese text folding: the one place that decides how names are matched."""

import functools
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


# Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …), foreign letters where Latin puts them;
# tones only break ties, in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô",
             "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: n for n, letter in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=8192)  # names share their words (Nguyễn, Thị, Văn, …): a list of 300 reads ~600 once
def _word_key(word: str) -> tuple[tuple, tuple]:
    """(letters, tones) of one word: letters by the Vietnamese alphabet, tones to break ties."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", word.casefold()):
        parts = unicodedata.normalize("NFD", char)
        tone = next((_TONE_RANK[m] for m in parts if m in _TONE_RANK), 0)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_RANK))
        letters.append(_LETTER_RANK.get(base, 100 + ord(base[0]) if base else 0))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def name_sort_key(full_name: str | None) -> tuple:
    """Sort people the Vietnamese way: by given name (the last word), then family name (the first), then the
    middle names; letters in Vietnamese order: 'Trần Văn Ánh' < 'Lê Thị Ăn' < 'Nguyễn Văn Bình'."""
    words = normalize(full_name).split(" ") if full_name else [""]
    ordered = [words[-1], words[0], *words[1:-1]] if len(words) > 1 else words
    keys = [_word_key(w) for w in ordered]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)
