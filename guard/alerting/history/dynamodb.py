"""The DynamoDB history store (`dynamodb://TABLE`), for a fleet of runners posting to one channel.

Every state change is a conditional write, so two runners never both post one finding.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from guard.alerting.history.store import (
    DECISION_FIELDS,
    FAILED,
    OPEN,
    PENDING,
    RESOLVED,
    Decision,
    FindingRecord,
    HistoryError,
    HistoryStore,
    OutboxMessage,
    RunRecord,
    SentMessage,
    decision_from_row,
    finding_from_row,
    outbox_from_row,
    run_from_row,
    sent_from_row,
)
from guard.errors import GuardError

# The attribute DynamoDB's time to live reads: items past it are purged (seen Slack requests).
EXPIRES = "expires"


class DynamoHistory(HistoryStore):
    """One table, string keys `pk` (partition) and `sk` (sort); see docs/slack.md.

    Items: `finding#<fingerprint>`, `lock#<scope>`, `outbox#<scope>` (sorted by
    delivery order), `sent#<id>`, `sentts#<channel>#<ts>`, `run#<scope>`.
    """

    def __init__(self, table: Any, location: str) -> None:
        self.table = table
        self.location = location

    def _conditional(self, **kwargs: Any) -> bool:
        from botocore.exceptions import ClientError

        try:
            if "Key" in kwargs:
                self.table.update_item(**kwargs)
            else:
                self.table.put_item(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise _dynamo_error(self.location, exc) from None
        return True

    def _call(self, method: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.table, method)(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise _dynamo_error(self.location, exc) from None

    def acquire(self, scope: str, owner: str, lease_seconds: float) -> bool:
        now = time.time()
        return self._conditional(
            Item={
                "pk": f"lock#{scope}",
                "sk": "lock",
                "owner": owner,
                "expires_at": Decimal(str(now + lease_seconds)),
            },
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
            ExpressionAttributeValues={":now": Decimal(str(now))},
        )

    def release(self, scope: str, owner: str) -> None:
        from botocore.exceptions import ClientError

        with contextlib.suppress(ClientError):
            self.table.delete_item(
                Key={"pk": f"lock#{scope}", "sk": "lock"},
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":owner": owner},
            )

    def get(self, fingerprint: str) -> FindingRecord | None:
        item = self._call(
            "get_item", Key={"pk": f"finding#{fingerprint}", "sk": "finding"}, ConsistentRead=True
        )
        found = item.get("Item")
        return finding_from_row(found) if found else None

    def _scan(self, prefix: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        arguments: dict[str, Any] = {
            "FilterExpression": "begins_with(pk, :prefix)",
            "ExpressionAttributeValues": {":prefix": prefix},
            "ConsistentRead": True,
        }
        while True:
            page = self._call("scan", **arguments)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _query(self, pk: str) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        items: list[dict[str, Any]] = []
        arguments: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(pk), "ConsistentRead": True}
        while True:
            page = self._call("query", **arguments)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def findings(self, status: str | None = None, scope: str | None = None) -> list[FindingRecord]:
        records = [finding_from_row(item) for item in self._scan("finding#")]
        records = [
            r for r in records if (not status or r.status == status) and (not scope or r.scope == scope)
        ]
        return sorted(records, key=lambda r: (r.first_seen, r.fingerprint))

    def claim(self, record: FindingRecord) -> bool:
        item = {"pk": f"finding#{record.fingerprint}", "sk": "finding", **_compact(asdict(record))}
        return self._conditional(
            Item=item,
            ConditionExpression="attribute_not_exists(pk) OR #status = :resolved",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":resolved": RESOLVED},
        )

    def _key(self, fingerprint: str) -> dict[str, str]:
        return {"pk": f"finding#{fingerprint}", "sk": "finding"}

    def seen(self, fingerprint: str, at: str) -> None:
        self._call(
            "update_item",
            Key=self._key(fingerprint),
            UpdateExpression="SET last_seen = :at",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":at": at},
        )

    def claim_reminder(self, fingerprint: str, previous: str | None, at: str) -> bool:
        condition = "#status = :open AND " + (
            "reminded_at = :previous" if previous else "attribute_not_exists(reminded_at)"
        )
        values: dict[str, Any] = {":at": at, ":open": OPEN}
        if previous:
            values[":previous"] = previous
        return self._conditional(
            Key=self._key(fingerprint),
            UpdateExpression="SET reminded_at = :at",
            ConditionExpression=condition,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values,
        )

    def resolve(self, fingerprint: str, at: str) -> bool:
        return self._conditional(
            Key=self._key(fingerprint),
            UpdateExpression="SET #status = :resolved, resolved_at = :at",
            ConditionExpression="#status = :open",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":resolved": RESOLVED, ":open": OPEN, ":at": at},
        )

    def posted(self, fingerprint: str, channel: str, ts: str | None, at: str) -> None:
        expression = "SET notified_at = :at, slack_channel = :channel" + (", slack_ts = :ts" if ts else "")
        values: dict[str, Any] = {":at": at, ":channel": channel}
        if ts:
            values[":ts"] = ts
        self._call(
            "update_item",
            Key=self._key(fingerprint),
            UpdateExpression=expression,
            ExpressionAttributeValues=values,
        )

    def enqueue(self, messages: Sequence[OutboxMessage]) -> None:
        with self.table.batch_writer() as batch:
            for message in messages:
                item = _compact(asdict(message))
                item["payload"] = json.dumps(message.payload)
                item["fingerprints"] = json.dumps(list(message.fingerprints))
                batch.put_item(Item={"pk": f"outbox#{message.scope}", "sk": message.seq, **item})

    def pending(self, scope: str) -> list[OutboxMessage]:
        messages = [outbox_from_row(item) for item in self._query(f"outbox#{scope}")]
        return [m for m in sorted(messages, key=lambda m: m.seq) if m.status == PENDING]

    def outbox(self) -> list[OutboxMessage]:
        return sorted((outbox_from_row(item) for item in self._scan("outbox#")), key=lambda m: m.seq)

    def delivered(self, message: OutboxMessage, sent: SentMessage) -> None:
        item = _compact(asdict(sent))
        item["payload"] = json.dumps(sent.payload)
        item["fingerprints"] = json.dumps(list(sent.fingerprints))
        self._call("put_item", Item={"pk": f"sent#{sent.id}", "sk": "sent", **item})
        if sent.ts:
            self._call(
                "put_item", Item={"pk": f"sentts#{sent.channel}#{sent.ts}", "sk": "sent", "id": sent.id}
            )
        self._call("delete_item", Key={"pk": f"outbox#{message.scope}", "sk": message.seq})

    def failed(self, message: OutboxMessage, error: str, permanent: bool) -> None:
        self._call(
            "update_item",
            Key={"pk": f"outbox#{message.scope}", "sk": message.seq},
            UpdateExpression="SET attempts = :attempts, last_error = :error, #status = :status",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":attempts": message.attempts + 1,
                ":error": error,
                ":status": FAILED if permanent else PENDING,
            },
        )

    def discard(self, message: OutboxMessage) -> None:
        self._call("delete_item", Key={"pk": f"outbox#{message.scope}", "sk": message.seq})

    def sent(self, message_id: str) -> SentMessage | None:
        found = self._call("get_item", Key={"pk": f"sent#{message_id}", "sk": "sent"}, ConsistentRead=True)
        return sent_from_row(found["Item"]) if found.get("Item") else None

    def sent_at_ts(self, channel: str, ts: str) -> SentMessage | None:
        found = self._call(
            "get_item", Key={"pk": f"sentts#{channel}#{ts}", "sk": "sent"}, ConsistentRead=True
        )
        return self.sent(str(found["Item"]["id"])) if found.get("Item") else None

    def record_run(self, run: RunRecord) -> None:
        item = _compact(asdict(run))
        self._call("put_item", Item={"pk": f"run#{run.scope}", "sk": f"{run.started_at}#{run.id}", **item})

    def runs(self, limit: int = 20) -> list[RunRecord]:
        records = sorted(
            (run_from_row(item) for item in self._scan("run#")), key=lambda r: r.started_at, reverse=True
        )
        return records[:limit]

    def decide(self, fingerprint: str, values: dict[str, str | None]) -> None:
        unknown = set(values) - DECISION_FIELDS
        assert not unknown, unknown
        setting = {k: v for k, v in values.items() if v is not None}
        removing = [k for k, v in values.items() if v is None]
        parts = []
        if setting:
            parts.append("SET " + ", ".join(f"{k} = :{k}" for k in setting))
        if removing:
            parts.append("REMOVE " + ", ".join(removing))
        if not parts:
            return
        arguments: dict[str, Any] = {"Key": self._key(fingerprint), "UpdateExpression": " ".join(parts)}
        if setting:
            arguments["ExpressionAttributeValues"] = {f":{k}": v for k, v in setting.items()}
        self._call("update_item", **arguments)

    def record_decision(self, decision: Decision) -> None:
        item = _compact(asdict(decision))
        self._call(
            "put_item",
            Item={"pk": f"decision#{decision.fingerprint}", "sk": f"{decision.at}#{decision.id}", **item},
        )

    def decisions(self, fingerprint: str | None = None) -> list[Decision]:
        items = self._query(f"decision#{fingerprint}") if fingerprint else self._scan("decision#")
        return sorted((decision_from_row(item) for item in items), key=lambda d: (d.at, d.id))

    def claim_request(self, key: str, at: float) -> bool:
        # Seen requests carry EXPIRES for the table's TTL (deploy/central.yaml turns it on), so
        # DynamoDB purges them once Slack's 5-minute window is long past.
        return self._conditional(
            Item={"pk": f"request#{key}", "sk": "request", "at": Decimal(str(at)), EXPIRES: int(at) + 600},
            ConditionExpression="attribute_not_exists(pk)",
        )


def _dynamo_error(location: str, exc: Exception) -> GuardError:
    from guard.aws import short_error

    return HistoryError(f"history {location}: {short_error(exc)}")


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB items hold no None; booleans and numbers as they are."""
    return {key: value for key, value in values.items() if value is not None}
