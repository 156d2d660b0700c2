"""Layout-preserving text normalisation with a map back to the original offsets.

PLACEHOLDER: identity until issue 2 lands (Traditional→Simplified, pinyin artefacts, widths).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NormalizedText:
    """Normalised `text` plus `offsets`: `offsets[i]` is the original index of `text[i]`.

    `offsets` has `len(text) + 1` entries; the last one is `len(original)`.
    """

    text: str
    offsets: tuple[int, ...]
    original: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the smallest original span covering it."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str) -> NormalizedText:
    """Return the normalised text and its offset map (same function for training and prediction)."""
    return NormalizedText(text=text, offsets=tuple(range(len(text) + 1)), original=text)
