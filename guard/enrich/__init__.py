"""Enrich: what a finding breaks (graph), who made it (attribution), which rules it breaks."""
