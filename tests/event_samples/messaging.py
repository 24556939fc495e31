"""Sample CloudTrail records for the messaging and observability types (CloudWatch Logs,
CloudWatch alarms, SNS subscriptions and topic policies, SQS queue policies, EventBridge
rules and targets, Step Functions, GuardDuty)."""

from __future__ import annotations

from tests.event_samples import Sample

_GROUP = "/orders/api"
_GROUP_ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{_GROUP}"

_TOPIC = "arn:aws:sns:us-east-1:123456789012:order-events"
_SUBSCRIPTION = f"{_TOPIC}:7f3a3c1e-0b1e-4b8a-9d1c-2f3e4a5b6c7d"
_QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
_POLICY = '{"Version":"2012-10-17","Statement":[]}'

SAMPLES: list[Sample] = [
    (
        "sns",
        "Subscribe ConfirmSubscription",
        {"topicArn": _TOPIC, "protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:123456789012:jobs"},
        {"subscriptionArn": _SUBSCRIPTION},
        None,
        [("aws_sns_topic_subscription", _SUBSCRIPTION)],
    ),
    (
        "sns",
        "Unsubscribe",
        {"subscriptionArn": _SUBSCRIPTION},
        None,
        None,
        [("aws_sns_topic_subscription", _SUBSCRIPTION)],
    ),
    (
        "sns",
        "SetSubscriptionAttributes",
        {"subscriptionArn": _SUBSCRIPTION, "attributeName": "RawMessageDelivery", "attributeValue": "false"},
        None,
        None,
        [("aws_sns_topic_subscription", _SUBSCRIPTION)],
    ),
    # A policy set on a topic is the topic's call and the topic policy's.
    (
        "sns",
        "SetTopicAttributes",
        {"topicArn": _TOPIC, "attributeName": "Policy", "attributeValue": _POLICY},
        None,
        None,
        [("aws_sns_topic", _TOPIC), ("aws_sns_topic_policy", _TOPIC)],
    ),
    # Its display name is the topic's alone.
    (
        "sns",
        "SetTopicAttributes",
        {"topicArn": _TOPIC, "attributeName": "DisplayName", "attributeValue": "Orders"},
        None,
        None,
        [("aws_sns_topic", _TOPIC)],
    ),
    (
        "sns",
        "AddPermission RemovePermission",
        {"topicArn": _TOPIC, "label": "from-events"},
        None,
        None,
        [("aws_sns_topic_policy", _TOPIC)],
    ),
    (
        "sqs",
        "SetQueueAttributes",
        {"queueUrl": _QUEUE, "attributes": {"Policy": _POLICY}},
        None,
        None,
        [("aws_sqs_queue", _QUEUE), ("aws_sqs_queue_policy", _QUEUE)],
    ),
    # Removing the policy is setting it empty.
    (
        "sqs",
        "SetQueueAttributes",
        {"queueUrl": _QUEUE, "attributes": {"Policy": ""}},
        None,
        None,
        [("aws_sqs_queue", _QUEUE), ("aws_sqs_queue_policy", _QUEUE)],
    ),
    (
        "sqs",
        "SetQueueAttributes",
        {"queueUrl": _QUEUE, "attributes": {"VisibilityTimeout": "5"}},
        None,
        None,
        [("aws_sqs_queue", _QUEUE)],
    ),
    (
        "sqs",
        "AddPermission RemovePermission",
        {"queueUrl": _QUEUE, "label": "from-sns"},
        None,
        None,
        [("aws_sqs_queue_policy", _QUEUE)],
    ),
    (
        "logs",
        "CreateLogGroup DeleteLogGroup DeleteRetentionPolicy DisassociateKmsKey",
        {"logGroupName": _GROUP},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "PutRetentionPolicy",
        {"logGroupName": _GROUP, "retentionInDays": 1},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "AssociateKmsKey",
        {"logGroupName": _GROUP, "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "TagLogGroup UntagLogGroup",
        {"logGroupName": _GROUP, "tags": {"Team": "orders"}},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "logs",
        "TagResource UntagResource",
        {"resourceArn": _GROUP_ARN, "tags": {"Team": "orders"}},
        None,
        None,
        [("aws_cloudwatch_log_group", _GROUP)],
    ),
    (
        "cloudwatch",
        "PutMetricAlarm",
        {"alarmName": "orders-5xx", "metricName": "HTTPCode_Target_5XX_Count", "threshold": 10.0},
        None,
        None,
        [("aws_cloudwatch_metric_alarm", "orders-5xx")],
    ),
    (
        "cloudwatch",
        "DeleteAlarms DisableAlarmActions EnableAlarmActions",
        {"alarmNames": ["orders-5xx", "orders-latency"]},
        None,
        None,
        [("aws_cloudwatch_metric_alarm", "orders-5xx"), ("aws_cloudwatch_metric_alarm", "orders-latency")],
    ),
    (
        "cloudwatch",
        "TagResource UntagResource",
        {"resourceARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-5xx", "tagKeys": ["Team"]},
        None,
        None,
        [("aws_cloudwatch_metric_alarm", "orders-5xx")],
    ),
]

_RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/instance-changes"
_BUS_RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/orders/order-placed"

SAMPLES += [
    # EventBridge rules: by ARN in PutRule's answer, by bus and name in the other calls.
    (
        "events",
        "PutRule",
        {"name": "instance-changes", "eventPattern": '{"source":["aws.ec2"]}'},
        {"ruleArn": _RULE_ARN},
        None,
        [("aws_cloudwatch_event_rule", "instance-changes")],
    ),
    (
        "events",
        "PutRule",
        {"name": "order-placed", "eventBusName": "orders", "eventPattern": '{"source":["orders"]}'},
        {"ruleArn": _BUS_RULE_ARN},
        None,
        [("aws_cloudwatch_event_rule", "orders/order-placed")],
    ),
    (
        "events",
        "DeleteRule EnableRule DisableRule",
        {"name": "instance-changes"},
        None,
        None,
        [("aws_cloudwatch_event_rule", "instance-changes")],
    ),
    (
        "events",
        "DeleteRule EnableRule DisableRule",
        {"name": "instance-changes", "eventBusName": "default"},
        None,
        None,
        [("aws_cloudwatch_event_rule", "instance-changes")],
    ),
    (
        "events",
        "DisableRule",
        {"name": "order-placed", "eventBusName": "orders"},
        None,
        None,
        [("aws_cloudwatch_event_rule", "orders/order-placed")],
    ),
    (
        "events",
        "DisableRule",
        {"name": "order-placed", "eventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/orders"},
        None,
        None,
        [("aws_cloudwatch_event_rule", "orders/order-placed")],
    ),
    (
        "events",
        "TagResource UntagResource",
        {"resourceARN": _BUS_RULE_ARN, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_cloudwatch_event_rule", "orders/order-placed")],
    ),
    # A target is named by its rule: the rule, and its targets with it, was touched.
    (
        "events",
        "PutTargets RemoveTargets",
        {
            "rule": "instance-changes",
            "targets": [{"id": "oncall", "arn": "arn:aws:sns:us-east-1:123456789012:oncall"}],
        },
        None,
        None,
        [("aws_cloudwatch_event_rule", "instance-changes")],
    ),
    (
        "events",
        "PutTargets RemoveTargets",
        {"rule": "order-placed", "eventBusName": "orders", "ids": ["oncall"]},
        None,
        None,
        [("aws_cloudwatch_event_rule", "orders/order-placed")],
    ),
]

_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:orders"

SAMPLES += [
    (
        "stepfunctions",
        "CreateStateMachine",
        {"name": "orders", "roleArn": "arn:aws:iam::123456789012:role/orders-exec"},
        {"stateMachineArn": _MACHINE, "creationDate": "Dec 3, 2026, 12:00:00 PM"},
        None,
        [("aws_sfn_state_machine", _MACHINE)],
    ),
    (
        "stepfunctions",
        "DeleteStateMachine UpdateStateMachine",
        {"stateMachineArn": _MACHINE},
        None,
        None,
        [("aws_sfn_state_machine", _MACHINE)],
    ),
    (
        "stepfunctions",
        "TagResource UntagResource",
        {"resourceArn": _MACHINE, "tagKeys": ["Team"]},
        None,
        None,
        [("aws_sfn_state_machine", _MACHINE)],
    ),
]

_DETECTOR = "12abc34d567e8fa901bc2d34e56789f0"

SAMPLES += [
    (
        "guardduty",
        "DeleteDetector UpdateDetector",
        {"detectorId": _DETECTOR, "enable": False},
        None,
        None,
        [("aws_guardduty_detector", _DETECTOR)],
    ),
    (
        "guardduty",
        "CreateDetector",
        {"enable": True, "findingPublishingFrequency": "FIFTEEN_MINUTES"},
        {"detectorId": _DETECTOR},
        None,
        [("aws_guardduty_detector", _DETECTOR)],
    ),
    (
        "guardduty",
        "TagResource UntagResource",
        {
            "resourceArn": f"arn:aws:guardduty:us-east-1:123456789012:detector/{_DETECTOR}",
            "tagKeys": ["Team"],
        },
        None,
        None,
        [("aws_guardduty_detector", _DETECTOR)],
    ),
]

SAMPLES += [
    (
        "config",
        "PutConfigurationRecorder",
        {
            "configurationRecorder": {
                "name": "default",
                "roleARN": "arn:aws:iam::123456789012:role/config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
            }
        },
        None,
        None,
        [("aws_config_configuration_recorder", "default")],
    ),
    (
        "config",
        "DeleteConfigurationRecorder",
        {"configurationRecorderName": "default"},
        None,
        None,
        [("aws_config_configuration_recorder", "default")],
    ),
    (
        "config",
        "StartConfigurationRecorder StopConfigurationRecorder",
        {"configurationRecorderName": "default"},
        None,
        None,
        [("aws_config_configuration_recorder_status", "default")],
    ),
]
