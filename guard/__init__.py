"""change-guard: catch out-of-band edits to AWS resources managed by Terraform or Pulumi."""

__version__ = "0.1.0"
