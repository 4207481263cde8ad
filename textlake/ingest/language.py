"""Language: ISO 639-1 code and probability per document, from py3langid's bundled model (offline)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

UNDETERMINED = "und"


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    score: float


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# Character n-gram identification settles long before this; more text only costs time (~1 ms per 1,000).
def detect_language(text: str, sample_chars: int = 1_000) -> LanguageGuess:
    """The most probable language of `text` (its first `sample_chars` characters); 'und' without letters."""
    sample = text[:sample_chars]
    if not any(ch.isalpha() for ch in sample):
        return LanguageGuess(UNDETERMINED, 0.0)
    code, score = _identifier().classify(sample)
    if len(code) != 2:  # py3langid's 'zxx' ("no linguistic content") is no ISO 639-1 code
        return LanguageGuess(UNDETERMINED, 0.0)
    return LanguageGuess(code, round(float(score), 4))
