"""What a sync rejected, summarised for the log: a count per reason and the first examples.

Every rejected record is stored as a sync issue (the API lists them), so the log needs only the
shape of the problem. One line per rejected record once turned a bad file of 100,000 rows into
100,000 log lines; a stream now logs one summary. Reasons that differ only in their numbers or
quoted values ("line 43: score 11 outside 0-10", "line 44: score 12 outside 0-10") count as one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from cxsuite.connectors.contract import RecordError

EXAMPLES = 3
EXAMPLE_CHARS = 200
VARIABLE_PARTS = re.compile(r"'[^']*'|\"[^\"]*\"|\d+(?:[.,:]\d+)*")


def reason_kind(reason: str) -> str:
    """The reason with its numbers and quoted values replaced, so alike reasons group."""
    return VARIABLE_PARTS.sub("…", reason)[:EXAMPLE_CHARS]


@dataclass
class RejectSummary:
    """Counts per kind of reason and the first few rejected records, as reported."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, errors: Iterable[RecordError]) -> None:
        """Count a batch's rejected records."""
        for error in errors:
            self.counts[reason_kind(error.reason)] += 1
            if len(self.examples) < EXAMPLES:
                self.examples.append(f"{error.external_id[:60]}: {error.reason}"[:EXAMPLE_CHARS])

    @property
    def total(self) -> int:
        """Records rejected so far."""
        return sum(self.counts.values())

    def describe(self) -> str:
        """``3 rejected — line …: score … outside …-… ×3; first: BAD0: line 43: …``."""
        kinds = "; ".join(f"{kind} ×{count}" for kind, count in self.counts.most_common(10))
        more = f" (+{len(self.counts) - 10} other reasons)" if len(self.counts) > 10 else ""
        return f"{self.total} rejected — {kinds}{more}; first: {' | '.join(self.examples)}"
