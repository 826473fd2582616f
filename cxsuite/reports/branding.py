"""A consultancy's report branding: read, change, logo, and the :class:`Branding` a render uses.

Branding is tenant-wide (one look for every client of the consultancy). Until the owner saves
one, reports use :data:`DEFAULTS` with the tenant's name. Every value is validated on the way
in (colours through :func:`normalise_colour`, fonts from the bundled set, section keys against
the installed sections, the logo's bytes with Pillow), so the renderer can trust what it reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cxsuite.access.permissions import Action, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.audit.service import Actor, record
from cxsuite.db.session import Database
from cxsuite.errors import FieldProblem, ValidationFailed
from cxsuite.reports.document import BUNDLED_FONTS, Branding, Logo, normalise_colour
from cxsuite.reports.schemas import BrandingIn, BrandingOut
from cxsuite.reports.sections import Section, registry
from cxsuite.reports.tables import TenantBranding
from cxsuite.tenancy.tables import Tenant

DEFAULTS: dict[str, Any] = {
    "primary_colour": "#1f3a5f", "accent_colour": "#e07a1f", "heading_font": "Noto Serif",
    "body_font": "Noto Sans", "footer_text": "", "confidentiality": "", "default_language": "en",
    "section_order": "[]", "disabled_sections": "[]", "logo": None, "logo_mime": "", "updated_at": None,
}
LIST_FIELDS = ("section_order", "disabled_sections")


@dataclass(frozen=True)
class TenantLook:
    """What a render takes from the tenant: the brand, section choices and default language."""

    branding: Branding
    section_order: tuple[str, ...]
    disabled_sections: frozenset[str]
    default_language: str


async def _stored(tenant_id: UUID) -> dict[str, Any]:
    """The tenant's saved branding over the defaults (inside the caller's transaction)."""
    row = await TenantBranding.select().where(TenantBranding.tenant_id == tenant_id).first().run()
    values = {**DEFAULTS, **(row or {})}
    for name in LIST_FIELDS:
        values[name] = json.loads(values[name])
    return values


def _out(values: dict[str, Any], sections: Iterable[Section]) -> BrandingOut:
    return BrandingOut(
        primary_colour=values["primary_colour"], accent_colour=values["accent_colour"],
        heading_font=values["heading_font"], body_font=values["body_font"],
        footer_text=values["footer_text"], confidentiality=values["confidentiality"],
        default_language=values["default_language"], section_order=values["section_order"],
        disabled_sections=values["disabled_sections"], has_logo=values["logo"] is not None,
        logo_mime=values["logo_mime"], sections_available=[s.key for s in sections],
        fonts_available=list(BUNDLED_FONTS), updated_at=values["updated_at"])


async def get_branding(db: Database, principal: Principal, sections: Iterable[Section]) -> BrandingOut:
    """The branding reports use now (owners and consultants, who render them)."""
    require_tenant_wide(principal, Action.REPORT_RENDER)
    async with db.transaction(principal.tenant_id, write=False):
        return _out(await _stored(principal.tenant_id), sections)


def _check_sections(data: BrandingIn, sections: list[Section]) -> None:
    known = {s.key for s in sections}
    for name in LIST_FIELDS:
        for index, key in enumerate(getattr(data, name) or ()):
            if key not in known:
                raise ValidationFailed(f"unknown section {key!r}", problems=[FieldProblem(
                    f"body.{name}[{index}]", f"must be one of: {', '.join(sorted(known))}")])
    if data.disabled_sections is not None and known <= set(data.disabled_sections):
        raise ValidationFailed("a report needs at least one section", problems=[FieldProblem(
            "body.disabled_sections", "leave at least one section on")])


async def update_branding(db: Database, principal: Principal, actor: Actor, data: BrandingIn,
                          sections: list[Section]) -> BrandingOut:
    """Change the fields given (owners only); the audit log records which ones changed."""
    require_tenant_wide(principal, Action.BRANDING_MANAGE)
    _check_sections(data, sections)
    changes: dict[str, Any] = {name: value for name in BrandingIn.__struct_fields__
                               if (value := getattr(data, name)) is not None}
    for name in ("primary_colour", "accent_colour"):
        if name in changes:
            changes[name] = normalise_colour(changes[name], f"body.{name}")
    async with db.transaction(principal.tenant_id, principal.user_id):
        values = await _stored(principal.tenant_id)
        values.update(changes)
        await _save(principal, values)
        await record(principal.tenant_id, actor, "branding.updated", object_type="tenant",
                     object_id=principal.tenant_id, details={"fields": sorted(changes)})
        return _out(await _stored(principal.tenant_id), sections)


async def set_logo(db: Database, principal: Principal, actor: Actor, content: bytes, mime: str,
                   sections: list[Section]) -> BrandingOut:
    """Store a PNG or JPEG logo after checking its bytes, not just its declared type."""
    require_tenant_wide(principal, Action.BRANDING_MANAGE)
    logo = Logo(content, mime)
    async with db.transaction(principal.tenant_id, principal.user_id):
        values = await _stored(principal.tenant_id)
        values.update(logo=logo.data, logo_mime=logo.mime)
        await _save(principal, values)
        await record(principal.tenant_id, actor, "branding.logo_set", object_type="tenant",
                     object_id=principal.tenant_id, details={"bytes": len(content), "type": mime})
        return _out(await _stored(principal.tenant_id), sections)


async def delete_logo(db: Database, principal: Principal, actor: Actor, sections: list[Section],
                      ) -> BrandingOut:
    """Reports go back to showing the consultancy's name where the logo was."""
    require_tenant_wide(principal, Action.BRANDING_MANAGE)
    async with db.transaction(principal.tenant_id, principal.user_id):
        values = await _stored(principal.tenant_id)
        values.update(logo=None, logo_mime="")
        await _save(principal, values)
        await record(principal.tenant_id, actor, "branding.logo_removed", object_type="tenant",
                     object_id=principal.tenant_id)
        return _out(await _stored(principal.tenant_id), sections)


async def _save(principal: Principal, values: dict[str, Any]) -> None:
    """Insert or replace the tenant's row with ``values`` (inside the caller's transaction)."""
    row = {name: values[name] for name in DEFAULTS if name != "updated_at"}
    for name in LIST_FIELDS:
        row[name] = json.dumps(row[name])
    await TenantBranding.delete().where(TenantBranding.tenant_id == principal.tenant_id).run()
    await TenantBranding.insert(TenantBranding(
        tenant_id=principal.tenant_id, updated_by=principal.user_id, updated_at=datetime.now(UTC),
        **row)).run()


async def tenant_look(tenant_id: UUID, sections: Iterable[Section] = ()) -> TenantLook:
    """The branding a render uses (inside the caller's transaction).

    Section choices saved before a plugin was uninstalled may name sections that are gone;
    they are dropped here rather than failing every render.
    """
    values = await _stored(tenant_id)
    tenant = await Tenant.select(Tenant.name).where(Tenant.id == tenant_id).first().run()
    known = {s.key for s in registry(sections)}
    logo = Logo(values["logo"], values["logo_mime"]) if values["logo"] is not None else None
    branding = Branding(
        tenant_name=tenant["name"] if tenant else "", primary_colour=values["primary_colour"],
        accent_colour=values["accent_colour"], footer_text=values["footer_text"],
        confidentiality=values["confidentiality"], heading_font=values["heading_font"],
        body_font=values["body_font"], logo=logo)
    disabled = frozenset(k for k in values["disabled_sections"] if k in known)
    if known <= disabled:
        disabled = frozenset()
    return TenantLook(branding, tuple(k for k in values["section_order"] if k in known), disabled,
                      values["default_language"])
