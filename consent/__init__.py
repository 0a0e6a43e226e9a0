"""Consent records, the access policy and the access log."""
