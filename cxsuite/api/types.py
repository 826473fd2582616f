"""Constrained string types shared by request schemas, so every name is validated the same way.

Names refuse ``<`` and ``>`` and control characters: a tenant or workspace name is shown in
reports, e-mails and other people's screens, and there is no reason for markup in it.
Patterns avoid ``\\s``: Python and JSON Schema's ECMAScript dialect disagree on what it
matches, and clients validate with the latter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

_TEXT = r"[^<>\x00-\x1f\x7f-\x9f]"
_VISIBLE = r"[^<>\x00-\x20\x7f-\x9f]"
_EMAIL_PART = r"[^@<>\x00-\x20\x7f-\x9f]+"

Name = Annotated[str, msgspec.Meta(
    min_length=1, max_length=200, pattern=f"^{_TEXT}*{_VISIBLE}{_TEXT}*$",
    description="1-200 characters; no '<', '>' or control characters")]
LongText = Annotated[str, msgspec.Meta(max_length=5000, description="Up to 5,000 characters")]
Email = Annotated[str, msgspec.Meta(
    min_length=3, max_length=320, pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$",
    description="An e-mail address")]
Password = Annotated[str, msgspec.Meta(
    min_length=10, max_length=200, description="10-200 characters")]
Industry = Annotated[str, msgspec.Meta(
    max_length=100, pattern=f"^{_TEXT}*$", description="Up to 100 characters")]


@dataclass
class UploadForm:
    """``multipart/form-data`` with one ``file`` part (connection files, logos)."""

    file: UploadFile
