"""Which journey stage and touchpoint a feedback answer, ticket or interaction belongs to.

Order of precedence, first match wins:

1. the record's own ``journey_stage`` (when the source named one that is in the journey);
2. the consultant's rules for the project, in the order given (``GET/PUT
   /projects/{id}/journey-mapping``);
3. the defaults below, per source, channel, type or metric, feedback touchpoint and the
   customer's CRM lifecycle stage;
4. otherwise the record is counted as *not attributed* (shown as such, never guessed).

A rule matches when every field it sets equals the record's (case-insensitive); fields left out
match anything. The touchpoint shown is the record's own touchpoint, else the rule's
``touchpoint``, else the record's channel (or type). Defaults naming a stage the project's
journey does not have are skipped, so a renamed journey simply needs its own rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.scoring import project_inputs
from cxsuite.scoring.journey import current, project_for

Source = Literal["feedback", "ticket", "interaction"]
MAX_RULES = 200
FIELD_LIMIT = 100


class MappingRule(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Records matching every field set here belong to ``stage`` (at ``touchpoint`` if given).

    ``type`` is an interaction's type (call, email, meeting…) or a feedback answer's metric
    (nps, csat, ces); ``touchpoint`` matches a feedback answer's recorded touchpoint;
    ``lifecycle`` the customer's CRM lifecycle stage; ``linked_ticket`` a feedback answer about
    a support ticket.
    """

    stage: str
    source: Source | None = None
    channel: str | None = None
    type: str | None = None
    touchpoint: str | None = None
    lifecycle: str | None = None
    linked_ticket: bool | None = None
    touchpoint_name: str | None = None


class JourneyMapping(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The consultant's rules (tried before the defaults)."""

    rules: list[MappingRule] = []


class JourneyMappingOut(msgspec.Struct, kw_only=True):
    """The consultant's rules, the defaults applied after them, and who last changed them."""

    rules: list[MappingRule]
    defaults: list[MappingRule]
    updated_by: UUID | None = None
    updated_at: datetime | None = None


_LIFECYCLE = {"subscriber": "awareness", "lead": "consideration", "marketingqualifiedlead": "consideration",
              "salesqualifiedlead": "consideration", "opportunity": "purchase", "customer": "usage_service",
              "evangelist": "advocacy"}
_TOUCHPOINTS = {"website": "consideration", "checkout": "purchase", "onboarding": "onboarding",
                "support_ticket": "usage_service", "renewal": "retention"}
DEFAULT_RULES: tuple[MappingRule, ...] = (
    *(MappingRule(source="feedback", touchpoint=t, stage=s) for t, s in _TOUCHPOINTS.items()),
    MappingRule(source="feedback", linked_ticket=True, stage="usage_service", touchpoint_name="support"),
    MappingRule(source="ticket", stage="usage_service", touchpoint_name="support"),
    *(MappingRule(source="interaction", lifecycle=lc, stage=s) for lc, s in _LIFECYCLE.items()),
    *(MappingRule(source="feedback", lifecycle=lc, stage=s) for lc, s in _LIFECYCLE.items()),
    MappingRule(source="feedback", type="nps", stage="retention", touchpoint_name="relationship_survey"),
    MappingRule(source="interaction", type="chat", stage="usage_service"),
)


# What a record with neither touchpoint nor channel is shown as (an interaction shows its type).
_FALLBACK_TOUCHPOINT = {"feedback": "survey", "ticket": "support"}


@dataclass(frozen=True)
class RecordKey:
    """What attribution looks at in a (grouped) record."""

    source: Source
    journey_stage: str | None = None
    channel: str | None = None
    type: str | None = None
    touchpoint: str | None = None
    lifecycle: str | None = None
    linked_ticket: bool = False


def _same(wanted: str | None, actual: str | None) -> bool:
    return wanted is None or (actual or "").strip().lower() == wanted.strip().lower()


def _matches(rule: MappingRule, key: RecordKey) -> bool:
    return (rule.source in (None, key.source) and _same(rule.channel, key.channel)
            and _same(rule.type, key.type) and _same(rule.touchpoint, key.touchpoint)
            and _same(rule.lifecycle, key.lifecycle)
            and rule.linked_ticket in (None, key.linked_ticket))


def attribute(key: RecordKey, stages: Sequence[str], rules: Sequence[MappingRule],
              ) -> tuple[str | None, str, str]:
    """``(stage or None, touchpoint, how)`` for one record; ``how`` is ``record``, ``rule``,
    ``default`` or ``none``."""
    known = set(stages)
    shown = key.touchpoint or key.channel or _FALLBACK_TOUCHPOINT.get(key.source) or key.type or ""
    if key.journey_stage and key.journey_stage in known:
        return key.journey_stage, shown, "record"
    for how, candidates in (("rule", rules), ("default", DEFAULT_RULES)):
        for rule in candidates:
            if rule.stage in known and _matches(rule, key):
                return rule.stage, key.touchpoint or rule.touchpoint_name or shown, how
    return None, shown, "none"


def check(stages: Iterable[str], data: JourneyMapping) -> None:
    """Known stages, bounded text and count; 422 naming each field otherwise."""
    known = set(stages)
    problems: list[FieldProblem] = []
    if len(data.rules) > MAX_RULES:
        problems.append(FieldProblem("body.rules", "too many rules", MAX_RULES))
    for i, rule in enumerate(data.rules[:MAX_RULES]):
        where = f"body.rules[{i}]"
        if rule.stage not in known:
            problems.append(FieldProblem(f"{where}.stage", f"no stage {rule.stage!r} in the journey"))
        for name in ("channel", "type", "touchpoint", "lifecycle", "touchpoint_name"):
            text = getattr(rule, name)
            if text is not None and not 0 < len(text.strip()) <= FIELD_LIMIT:
                problems.append(FieldProblem(f"{where}.{name}", "must be 1 to 100 characters", FIELD_LIMIT))
        if all(getattr(rule, n) is None for n in ("source", "channel", "type", "touchpoint", "lifecycle",
                                                    "linked_ticket")):
            problems.append(FieldProblem(where, "a rule needs at least one field to match on"))
    if problems:
        raise ValidationFailed("the journey mapping is not valid; see errors", problems=problems)


async def stored(tenant_id: UUID, project_id: UUID) -> JourneyMapping:
    """The project's rules (none when never set), inside the caller's transaction."""
    return (await project_inputs.read(tenant_id, project_id, "journey_mapping", JourneyMapping,
                                      JourneyMapping()))[0]


async def get_mapping(db: Database, principal: Principal, project_id: UUID) -> JourneyMappingOut:
    """The rules and the defaults that follow them."""
    async with db.transaction(principal.tenant_id, write=False):
        await project_for(principal, project_id, Action.PROJECT_READ)
        mapping, meta = await project_inputs.read(principal.tenant_id, project_id, "journey_mapping",
                                                  JourneyMapping, JourneyMapping())
    return JourneyMappingOut(rules=mapping.rules, defaults=list(DEFAULT_RULES), updated_by=meta.updated_by,
                             updated_at=meta.updated_at)


async def put_mapping(db: Database, principal: Principal, project_id: UUID, data: JourneyMapping,
                      ) -> JourneyMappingOut:
    """Replace the rules after :func:`check` against the current journey."""
    journey = await current(db, principal, project_id, Action.JOURNEY_EDIT)
    check([s.key for s in journey.stages], data)
    async with db.transaction(principal.tenant_id, principal.user_id):
        await project_for(principal, project_id, Action.JOURNEY_EDIT)
        meta = await project_inputs.write(principal.tenant_id, project_id, "journey_mapping", data,
                                          principal.user_id)
    return JourneyMappingOut(rules=data.rules, defaults=list(DEFAULT_RULES), updated_by=meta.updated_by,
                             updated_at=meta.updated_at)
