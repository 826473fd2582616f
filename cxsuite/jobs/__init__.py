"""Background work: job rows (the source of truth a user reads) and the enqueue facade."""
