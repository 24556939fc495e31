"""The one pass: state -> live -> reconcile -> rules -> impact -> attribution -> Report."""
