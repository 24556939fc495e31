"""Every supported resource type, one declaration each, in the module of its AWS service.

Importing this package registers them all in `guard.live.types.REGISTRY`, with the types
guard does not read live but knows for the other stages (`REGISTRY.know`).
"""

from guard.live.resources import (  # noqa: F401  (each module registers its declarations on import)
    acm,
    apigateway,
    apigatewayv2,
    autoscaling,
    cloudfront,
    cloudtrail,
    cloudwatch,
    dynamodb,
    ec2,
    ecr,
    ecs,
    eks,
    elasticache,
    elb,
    elbv2,
    iam,
    kms,
    lambda_,
    logs,
    network,
    rds,
    redshift,
    route53,
    route53_health,
    s3,
    security_group_rules,
    sns,
    sqs,
    vpc,
)
