"""A workspace's connections to vendor accounts: OAuth and other credentials (encrypted at
rest), the authorization-code flow, and the runtime that turns a connection into a ready
connector with an authenticated, policy-enforcing HTTP client."""
