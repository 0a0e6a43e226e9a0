"""Sign-in beyond passwords: OpenID Connect for citizens and staff, and a second factor for admins."""
