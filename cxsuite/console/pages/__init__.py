"""Console controllers, one module per area."""
