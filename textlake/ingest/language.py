"""Language: ISO 639-1 code and probability per document, from py3langid's bundled model (offline)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

UNDETERMINED = "und"

# py3langid reads a text byte by byte through an automaton whose state says which byte n-gram (a model
# feature) ends there. After any 6 bytes that state no longer depends on where the automaton started
# (tests/test_stages.py proves it for the installed model), so the state at every byte is the state reached
# from the start by the 6 bytes before it: 6 array lookups over the whole text instead of a Python loop per
# byte: 0.3 ms per document of 1,000 characters with the weights below, against py3langid's 0.7-0.8 ms.
SYNCHRONISING_BYTES = 6


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    score: float


class WindowedIdentifier(LanguageIdentifier):  # type: ignore[misc]  # py3langid has no type hints
    """py3langid's classifier, its byte walk done in numpy: the same features in the same order, so the
    same scores to the last bit."""

    def __init__(self, nb_ptc: Any, *args: Any, **kwargs: Any) -> None:
        # The model keeps its weights in float16; numpy widens the rows a text picks to float32 before
        # multiplying, which took longer than the multiplication. Widened once here (+28 MB, same products).
        super().__init__(np.asarray(nb_ptc, dtype=np.float32), *args, **kwargs)
        self._moves = np.asarray(self.tk_nextmove, dtype=np.int32).ravel()
        self._row_starts = np.asarray(self.tk_row, dtype=np.int32) << 8
        self._feature_of_state = np.asarray(self.tk_output, dtype=np.int32)

    def _raw_score(self, text: bytes) -> Any:
        data = np.frombuffer(text, dtype=np.uint8).astype(np.int32)
        states = np.zeros(len(data), dtype=np.int32)
        for back in range(min(SYNCHRONISING_BYTES, len(data)) - 1, -1, -1):
            states[back:] = self._moves[self._row_starts[states[back:]] + data[: len(data) - back]]
        features = self._feature_of_state[states]
        features = features[features >= 0]
        if not len(features):
            return super()._raw_score(b"")
        # py3langid sums the features in the order they first occur; so does this, for identical floats.
        found, first_at, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first_at, kind="stable")
        return np.log1p(counts[order].astype(np.float32)) @ np.take(self.nb_ptc, found[order], axis=0) + self.nb_pc


@cache
def language_identifier() -> WindowedIdentifier:
    """The classifier, loaded once per process (~1 s: py3langid's model file is LZMA-compressed)."""
    identifier: WindowedIdentifier = WindowedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


# Character n-gram identification settles long before this; more text only costs time.
def detect_language(text: str, sample_chars: int = 1_000) -> LanguageGuess:
    """The most probable language of `text` (its first `sample_chars` characters); 'und' without letters."""
    sample = text[:sample_chars]
    if not any(ch.isalpha() for ch in sample):
        return LanguageGuess(UNDETERMINED, 0.0)
    code, score = language_identifier().classify(sample)
    if len(code) != 2:  # py3langid's 'zxx' ("no linguistic content") is no ISO 639-1 code
        return LanguageGuess(UNDETERMINED, 0.0)
    return LanguageGuess(code, round(float(score), 4))
