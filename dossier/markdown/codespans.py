"""Python-Markdown's code spans, found in logarithmic instead of linear time.

``BacktickInlineProcessor.find_code_spans`` reads from each backtick run to the end of
the paragraph, in Python, whenever the run has no closing run of its length, and after
such a run it skips to a point inside the next run, which then has none either: a
paragraph of 20,000 characters of "`` `" took 2.7 s, and the time grows with the
square of the length. This one answers the same question from an index of the
paragraph's runs (built once per string, in C), with exactly the same results, which
tests/test_markdown_limits.py checks against the original on random text.
"""

from __future__ import annotations

import bisect
import re

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

BACKTICK_PRIORITY = 190  # Python-Markdown's own
_RUN = re.compile(r"`+")


class RunIndex:
    """The maximal backtick runs of one string."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.by_length: dict[int, list[int]] = {}
        for i, m in enumerate(_RUN.finditer(text)):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.by_length.setdefault(m.end() - m.start(), []).append(i)
        # best[j]: the first of the longest runs among runs j, j+1, …
        self.best: list[int] = [0] * (len(self.starts) + 1)
        self.best[-1] = -1
        for j in range(len(self.starts) - 1, -1, -1):
            after = self.best[j + 1]
            length = self.ends[j] - self.starts[j]
            keep = after >= 0 and self.ends[after] - self.starts[after] > length
            self.best[j] = after if keep else j


class IndexedBacktickInlineProcessor(BacktickInlineProcessor):
    def __init__(self) -> None:
        super().__init__(BACKTICK_RE)
        self._index: RunIndex | None = None

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        index = self._index
        if index is None or index.text is not text:
            index = self._index = RunIndex(text)
        j = bisect.bisect_right(index.starts, start) - 1
        if j < 0 or index.ends[j] <= start:  # not on a backtick: the original's 0 ticks
            return start, None
        ticks = index.ends[j] - start
        after = index.ends[j]
        same = index.by_length.get(ticks, [])
        k = bisect.bisect_right(same, j)
        if k < len(same):
            return after, index.starts[same[k]]
        best = index.best[j + 1]
        longest = index.ends[best] - index.starts[best] if best >= 0 else 0
        if 0 < longest < ticks:
            return after - (ticks - longest), index.ends[best] - longest
        return after + ticks, None
