"""Strategy reports: the document contract, sections, Jinja environment, SVG charts, safe PDF rendering.

Public entry points: :class:`~cxsuite.reports.document.ReportDocument` (what a report shows),
:func:`~cxsuite.reports.render.render_html` (the brand preview), :func:`~cxsuite.reports.render.render_pdf`
(the deliverable, rendered in a bounded child process) and :class:`~cxsuite.reports.sections.Section`
(how a plugin adds a section). Templates, print CSS, fonts and catalogues live in ``report_templates/``.
"""
