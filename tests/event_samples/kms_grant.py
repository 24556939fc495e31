"""Sample CloudTrail records for KMS grants: the key named by id, key ARN or alias in the
request (resolved to its ARN in the record's resources), the grant id in the request or,
for CreateGrant, the response."""

from __future__ import annotations

from tests.event_samples import Sample

ACCOUNT = "123456789012"
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY}"
GRANT = "abcde1237f76e4ba7987489ac329fbfba6ad343d6f7075dbd1ef191f0120514a"
RESOURCES = [{"accountId": ACCOUNT, "type": "AWS::KMS::Key", "ARN": KEY_ARN}]

SAMPLES: list[Sample] = [
    (
        "kms",
        "CreateGrant",
        {
            "keyId": "alias/data",
            "granteePrincipal": f"arn:aws:iam::{ACCOUNT}:role/app",
            "operations": ["Decrypt"],
        },
        {"grantId": GRANT},
        RESOURCES,
        [("aws_kms_grant", f"{KEY}:{GRANT}")],
    ),
    (
        "kms",
        "RevokeGrant RetireGrant",
        {"keyId": KEY, "grantId": GRANT},
        None,
        None,
        [("aws_kms_grant", f"{KEY}:{GRANT}")],
    ),
    (
        "kms",
        "RevokeGrant",
        {"keyId": KEY_ARN, "grantId": GRANT},
        None,
        RESOURCES,
        [("aws_kms_grant", f"{KEY}:{GRANT}")],
    ),
    # Retired by its token alone: the record names no grant.
    ("kms", "RetireGrant", {"grantToken": "<token>"}, None, None, []),
]
