"""Customer quotes made safe to print: what a report quotes must not identify the customer.

:func:`anonymise` replaces with ``[…]`` (a mark every language reads the same way):

- e-mail addresses and web or ``www.`` links;
- phone numbers (7 or more digits, with ``+``, spaces, dots, dashes or brackets between them)
  and any other run of 6 or more digits (order, account and card numbers);
- ``@handles``;
- names it can detect: the words after "my name is", "I am", "I'm", "this is", "ask for",
  "speak to", "spoke to", "talked to", "thanks", "thank you"; after the titles Mr, Mrs, Ms, Miss,
  Dr; a sign-off at the end ("- Anna", "— Anna K."); and any name passed in ``known_names``
  (e.g. the customer's and the agent's names from the records);

then collapses white space and cuts the quote to :data:`QUOTE_LIMIT` characters at a word.
It does not recognise a name written without one of these cues in free text, so quotes are
short by design and the full text stays in the client's own systems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[…]"
_CUES = r"(my name is|i am|i'm|this is|ask for|speak to|spoke to|talked to|thanks|thank you)"
QUOTE_LIMIT = 160
_NAME = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ][\w'’.-]*)?"
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    re.compile(r"\+?\(?\d[\d\s().-]{5,}\d"),
    re.compile(r"(?<!\w)@\w+"),
    re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+" + _NAME),
    re.compile(r"(?i:\b" + _CUES + r"\s+)" + _NAME.replace(r"(?:\s+", r"(?:\s+(?=[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ])")),
    re.compile(r"(?:^|\s)[-–—~]\s*" + _NAME + r"\s*$"),
)


def anonymise(text: str, known_names: Iterable[str] = ()) -> str:
    """``text`` with identifying details replaced by :data:`MASK` (see module docstring)."""
    out = text
    for name in sorted({n.strip() for n in known_names if n and len(n.strip()) > 1}, key=len, reverse=True):
        out = re.sub(re.escape(name), MASK, out, flags=re.IGNORECASE)
    for pattern in _PATTERNS:
        out = pattern.sub(lambda m: _keep_cue(m.group(0)), out)
    out = re.sub(r"\s+", " ", out).strip()
    if len(out) > QUOTE_LIMIT:
        out = out[:QUOTE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return out


def _keep_cue(matched: str) -> str:
    """Keep the cue words ("my name is") and mask only what follows them."""
    cue = re.match(r"(?i)\s*" + _CUES + r"\s+", matched)
    if cue and not matched.lstrip().startswith(("-", "–", "—", "~")):
        return matched[:cue.end()] + MASK
    lead = " " if matched[:1].isspace() else ""
    return lead + MASK
