"""Who is calling: users, passwords, access tokens (session and personal), login throttling."""
