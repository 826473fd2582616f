"""Request and response types of the branding and report endpoints (unknown fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from cxsuite.scoring.schemas import JobOut

Colour = Annotated[str, msgspec.Meta(pattern="^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$",
                                     description="#rgb or #rrggbb")]
Font = Literal["Noto Sans", "Noto Serif"]
Language = Literal["en", "lt", "lv", "ru", "fa"]
SectionKey = Annotated[str, msgspec.Meta(max_length=60, description="A key from sections_available")]
FooterText = Annotated[str, msgspec.Meta(max_length=300, pattern="^[^\\x00-\\x1f]*$")]


class BrandingIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The tenant's report look; fields left out keep their current value."""

    primary_colour: Colour | None = None
    accent_colour: Colour | None = None
    heading_font: Font | None = None
    body_font: Font | None = None
    footer_text: FooterText | None = None
    confidentiality: FooterText | None = None
    default_language: Language | None = None
    section_order: list[SectionKey] | None = None
    disabled_sections: list[SectionKey] | None = None


class BrandingOut(msgspec.Struct, kw_only=True):
    """The branding reports are rendered with (defaults until the owner saves one)."""

    primary_colour: str
    accent_colour: str
    heading_font: str
    body_font: str
    footer_text: str
    confidentiality: str
    default_language: str
    section_order: list[str]
    disabled_sections: list[str]
    has_logo: bool
    logo_mime: str
    sections_available: list[str]
    fonts_available: list[str]
    updated_at: datetime | None


class ReportIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What to render: a succeeded score run (default: the project's newest) in a language
    (default: the tenant's default language)."""

    score_run_id: UUID | None = None
    language: Language | None = None


class ReportOut(msgspec.Struct, kw_only=True):
    """A report and how it was made; ``sha256`` identifies the stored PDF."""

    id: UUID
    workspace_id: UUID
    project_id: UUID
    score_run_id: UUID
    language: str
    status: str
    sha256: str
    size_bytes: int
    template_version: str
    model_version: str
    model_hash: str
    error: str
    published: bool
    published_at: datetime | None
    created_at: datetime
    rendered_at: datetime | None


class ReportAccepted(msgspec.Struct, kw_only=True):
    """A queued report and the job rendering it; follow ``job.id`` then download ``report.id``."""

    report: ReportOut
    job: JobOut
