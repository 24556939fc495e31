"""Alerting: the alert cycle, its history, the watch loop, and delivery to Slack."""
