"""The audit log is read in words: every action, outcome and object type the API's code can
record (read from its source, tests/console/audit_sources.py) has words in the console's
catalogue and a translation in every language, so a new action cannot reach the page as code."""

from __future__ import annotations

import pytest

from cxsuite.console.catalogue import msgids
from cxsuite.console.i18n import LANGUAGES, translations
from cxsuite.console.messages import AUDIT_ACTIONS, AUDIT_OBJECTS, AUDIT_OUTCOMES
from tests.console.audit_sources import actions, keyword_values

TABLES = {"outcome": AUDIT_OUTCOMES, "object_type": AUDIT_OBJECTS}


def test_every_recorded_action_has_words() -> None:
    found = actions()
    assert len(found) > 30, "the source reader found too few actions: is it still reading the API?"
    assert None not in found, f"an action that is not text in the code: {found.get(None)}"
    missing = {action: where for action, where in found.items() if action not in AUDIT_ACTIONS}
    assert not missing, f"audit actions without words (add them to AUDIT_ACTIONS in messages.py): {missing}"
    assert not set(AUDIT_ACTIONS) - set(found), "words for an action nothing records any more"


@pytest.mark.parametrize("keyword", sorted(TABLES))
def test_every_recorded_outcome_and_object_type_has_words(keyword: str) -> None:
    found = keyword_values(keyword)
    assert found and None not in found, keyword
    assert found == set(TABLES[keyword]), f"{keyword}: recorded {sorted(found)}, in words {sorted(TABLES[keyword])}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_audit_words_are_translated(language: str) -> None:
    known, catalogue = set(msgids()), translations(language)
    words = [*AUDIT_ACTIONS.values(), *AUDIT_OUTCOMES.values(), *AUDIT_OBJECTS.values()]
    assert not [w for w in words if w not in known]
    assert not [w for w in words if catalogue.gettext(w) == w], language
