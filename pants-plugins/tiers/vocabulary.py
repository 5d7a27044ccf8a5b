"""The tier vocabulary, and the one answer to "what tier is this target?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TierVocabulary:
    """The configured tiers, and the words that would denote a tier if someone used them."""

    tiers: tuple[str, ...]
    tier_like_words: tuple[str, ...] = ()

    @property
    def hermetic_tier(self) -> str:
        """The first tier: the one that must not reach `[tiers].integration_only`."""
        return self.tiers[0]

    def tiers_in(self, tags: Iterable[str]) -> list[str]:
        """The tiers named among `tags`, sorted."""
        return sorted({t for t in tags if t in self.tiers})

    def tier_of(self, tags: Iterable[str]) -> str | None:
        """The target's tier: the one tier among its tags, or None if it has none or several."""
        tiers = self.tiers_in(tags)
        return tiers[0] if len(tiers) == 1 else None

    def misspelling_of(self, word: str) -> str | None:
        """The tier `word` most likely means, if it is not a tier itself."""
        if word in self.tiers:
            return None
        normalised = word.strip().lower().replace("-", "_")
        for tier in self.tiers:
            if normalised in (tier, f"{tier}s", f"{tier}_test", f"{tier}_tests"):
                return tier
        close = difflib.get_close_matches(normalised, self.tiers, n=1, cutoff=0.75)
        return close[0] if close else None

    def looks_like_tier(self, word: str) -> bool:
        return word not in self.tiers and (
            self.misspelling_of(word) is not None or word.lower() in self.tier_like_words
        )

    def mark(self, tier: str) -> str:
        return f"pytestmark = pytest.mark.{tier}"
