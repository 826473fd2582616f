"""API request-path benchmark: the app against a bare Litestar hello-world, side by side."""
