"""Sign-in tests: OpenID Connect against a real provider, and the second factor of admins."""
