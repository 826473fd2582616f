"""Who may do what: the principal behind a request and the one permissions matrix (role × action)."""
