"""File import of every record kind: CSV and XLSX exports of customers, deals (orders),
tickets, interactions and feedback, read through the sync engine like a vendor's data.

- :mod:`~cxsuite.imports.fields`: the fields of each kind and their header synonyms (en, lt,
  lv, ru, fa); :mod:`~cxsuite.imports.detect` maps columns from them;
- :mod:`~cxsuite.imports.values`: cells to values with the import's settings (time zone, date
  format, separators); :mod:`~cxsuite.imports.rows`: a row to a record or to its problems;
- :mod:`~cxsuite.imports.connector`: the ``file_import`` connector (one stream per kind);
- :mod:`~cxsuite.imports.service`: upload, preview, confirm the mapping, start the import
  (plain functions the API and the console call); :mod:`~cxsuite.imports.tables`: the
  mappings saved per workspace. See ``docs/file-import.md``.
"""
