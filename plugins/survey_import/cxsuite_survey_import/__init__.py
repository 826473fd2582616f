"""Survey exports (CSV, XLSX) of NPS, CSAT and CES answers imported into cxsuite through a
file-upload connection; loaded through the ``cxsuite`` entry-point group.

This package is also the worked example of ``docs/writing-a-connector.md``: it uses only
cxsuite's public plugin API (``cxsuite.hookimpl``, ``cxsuite.connectors``,
``cxsuite.connectors.records`` and ``cxsuite.errors``).
"""
