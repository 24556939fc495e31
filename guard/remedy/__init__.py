"""Remedy: the way back for each finding (rollback plans), taking it, and the IAM policies."""
