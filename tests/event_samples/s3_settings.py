"""Sample CloudTrail records for the S3 bucket settings in guard/live/resources/s3_settings.py:
S3 names the bucket in requestParameters.bucketName; each setting's id is that name."""

from __future__ import annotations

from tests.event_samples import Sample

SAMPLES: list[Sample] = [
    (
        "s3",
        "PutBucketLifecycle DeleteBucketLifecycle",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com", "lifecycle": ""},
        None,
        [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::logs"}],
        [("aws_s3_bucket_lifecycle_configuration", "logs")],
    ),
    (
        "s3",
        "PutBucketLogging",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com", "BucketLoggingStatus": {}},
        None,
        None,
        [("aws_s3_bucket_logging", "logs")],
    ),
    (
        "s3",
        "PutBucketCors DeleteBucketCors",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com", "cors": ""},
        None,
        None,
        [("aws_s3_bucket_cors_configuration", "logs")],
    ),
    (
        "s3",
        "PutBucketAcl",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com", "acl": ""},
        None,
        [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::logs"}],
        [("aws_s3_bucket_acl", "logs")],
    ),
    (
        "s3",
        "PutBucketNotification",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com", "notification": ""},
        None,
        None,
        [("aws_s3_bucket_notification", "logs")],
    ),
    (
        "s3",
        "PutBucketReplication DeleteBucketReplication",
        {"bucketName": "logs", "Host": "logs.s3.amazonaws.com", "replication": ""},
        None,
        None,
        [("aws_s3_bucket_replication_configuration", "logs")],
    ),
]
