"""CloudFormation templates for a whole organisation: `deploy/account.yaml` and `deploy/central.yaml`."""
