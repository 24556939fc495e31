"""What the tests build on the emulator beyond the demo estate: the other types' Terraform state
attributes, as the AWS provider writes them (TerraformState and the demo's own types are
in guard/demo/state.py)."""
