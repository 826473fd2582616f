"""The metric coverage declaration is complete, names real fields, and docs/metrics.md is its
current rendering (issue 15, deliverable 1)."""

from __future__ import annotations

from cxsuite.scoring import coverage, shipped_model


def test_every_model_metric_is_declared_once_and_nothing_else():
    declared = [c.metric for c in coverage.COVERAGE]
    assert len(declared) == len(set(declared))
    assert set(declared) == {m.key for m in shipped_model().metrics}


def test_every_named_field_is_a_canonical_column():
    assert coverage.unknown_fields() == []


def test_every_record_metric_has_a_supplier():
    orphans = [c.metric for c in coverage.COVERAGE
               if c.metric != "kpi_stage_coverage_rate" and not c.suppliers()]
    assert orphans == []


def test_file_import_alone_can_feed_every_record_metric_but_web_ones():
    """Issue 15: a consultant with five export files gets the same grid as one with API access."""
    files = {k: v for k, v in coverage.SUPPLIES.items() if k.startswith("file_import:")}
    merged: dict[str, frozenset[str]] = {}
    for supplied in files.values():
        for kind, fields in supplied.items():
            merged[kind] = merged.get(kind, frozenset()) | fields
    unfed = [c.metric for c in coverage.COVERAGE if not all(n.met_by(merged) for n in c.needs)]
    assert set(unfed) <= {"returning_vs_new_key_event_rate_ratio", "ecommerce_conversion_rate",
                          "engagement_rate", "kpi_stage_coverage_rate"}, unfed


def test_docs_metrics_md_is_current():
    assert coverage.main(["--check"]) == 0, (
        "docs/metrics.md is stale: run python -m cxsuite.scoring.coverage > docs/metrics.md")
