"""Constrained string types shared by request schemas, so every name is validated the same way.

Names refuse ``<`` and ``>`` and control characters: a tenant or workspace name is shown in
reports, e-mails and other people's screens, and there is no reason for markup in it.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(
    min_length=1, max_length=200, pattern=r"^(?=.*\S)[^<>\x00-\x1f\x7f]+$",
    description="1-200 characters; no '<', '>' or control characters")]
LongText = Annotated[str, msgspec.Meta(max_length=5000, description="Up to 5,000 characters")]
Email = Annotated[str, msgspec.Meta(
    min_length=3, max_length=320, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$",
    description="An e-mail address")]
Password = Annotated[str, msgspec.Meta(
    min_length=10, max_length=200, description="10-200 characters")]
Industry = Annotated[str, msgspec.Meta(
    max_length=100, pattern=r"^[^<>\x00-\x1f\x7f]*$", description="Up to 100 characters")]
