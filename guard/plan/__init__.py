"""Plans: `terraform show -json` read, checked against rules (check-plan) and live AWS."""
