"""Report tables. DDL lives in ``migrations/m0006_reports.py``; these classes only query them."""

from piccolo.columns import UUID, Bytea, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class TenantBranding(Table, tablename="tenant_branding"):
    """A consultancy's report look; absent until the owner first saves one (defaults apply)."""

    tenant_id = UUID(primary_key=True)
    primary_colour = Varchar(length=7)
    accent_colour = Varchar(length=7)
    heading_font = Varchar(length=40)
    body_font = Varchar(length=40)
    footer_text = Varchar(length=300, default="")
    confidentiality = Varchar(length=300, default="")
    default_language = Varchar(length=8, default="en")
    section_order = Text(default="[]")
    disabled_sections = Text(default="[]")
    logo = Bytea(null=True, default=None)
    logo_mime = Varchar(length=20, default="")
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz()


class ReportRow(Table, tablename="report"):
    """One rendered (or rendering) report of a score run in one language."""

    id = UUID(primary_key=True)
    tenant_id = UUID()
    workspace_id = UUID()
    project_id = UUID()
    score_run_id = UUID()
    language = Varchar(length=8)
    status = Varchar(length=20, default="queued")
    job_id = UUID(null=True, default=None)
    sha256 = Varchar(length=64, default="")
    size_bytes = Integer(default=0)
    template_version = Varchar(length=100, default="")
    model_version = Varchar(length=100, default="")
    model_hash = Varchar(length=64, default="")
    error = Text(default="")
    published_at = Timestamptz(null=True, default=None)
    published_by = UUID(null=True, default=None)
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz()
    rendered_at = Timestamptz(null=True, default=None)


class ReportFile(Table, tablename="report_file"):
    """A report's PDF bytes, apart from the report row so listings never read them."""

    report_id = UUID(primary_key=True)
    tenant_id = UUID()
    content = Bytea()
