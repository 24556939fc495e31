"""Reconcile: match declared resources with live ones and say, field by field, what differs."""
