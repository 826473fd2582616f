"""Google Analytics 4 Data API connector for cxsuite, loaded through the ``cxsuite`` entry-point group."""
