"""Who is calling: users, passwords, access tokens (session and personal) and their expiry,
throttling, invitations, password reset and email verification (see ``docs/accounts.md``)."""
