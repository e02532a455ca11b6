"""Start moto's server with its known fidelity gaps closed at the emulator.

Run with the moto venv's interpreter (``$(GDN_CACHE)/venv-moto/bin/python``)::

    python harness/moto_launcher.py -H 127.0.0.1 -p 5000

The arguments are moto_server's. Every patch below makes moto answer the way
AWS answers (design.md §7); none of them loosens a check made by the tests. The
patches wrap moto's own code (no copies of its functions, no edits of
site-packages) and fail loudly at start-up if the moto internals they rely on
change, so an upgrade of the pinned moto can't silently undo them.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any


def _require(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"moto_launcher: moto changed ({what}); review the patches in harness/moto_launcher.py")


def patch_sqs_compact_redrive_policy() -> None:
    """SQS returns RedrivePolicy (and RedriveAllowPolicy) as compact JSON.

    GetQueueAttributes on AWS answers
    ``{"deadLetterTargetArn":"arn:aws:sqs:...","maxReceiveCount":10}`` - no
    spaces. moto builds the attribute with ``json.dumps(self.redrive_policy)``
    (default separators, ``", "`` and ``": "``) in the ``Queue.attributes``
    property of moto/sqs/models.py. The AWS provider compares the string it
    wrote (compact, from ``jsonencode``) with the string it reads back, so on
    moto every plan shows a whitespace-only change to the queue (and to what
    depends on it). Re-serialise the same dict the way SQS does.
    """
    from moto.sqs import models

    prop = getattr(models.Queue, "attributes", None)
    _require(isinstance(prop, property) and prop.fget is not None, "sqs Queue.attributes is no longer a property")
    original = prop.fget

    def attributes(self: Any) -> dict[str, Any]:
        result = original(self)
        redrive = getattr(self, "redrive_policy", None)
        if result.get("RedrivePolicy") is not None and isinstance(redrive, dict):
            result["RedrivePolicy"] = json.dumps(redrive, separators=(",", ":"))
        allow = result.get("RedriveAllowPolicy")
        if isinstance(allow, str):
            try:
                result["RedriveAllowPolicy"] = json.dumps(json.loads(allow), separators=(",", ":"))
            except ValueError:
                pass
        return result

    models.Queue.attributes = property(attributes, prop.fset, prop.fdel, prop.__doc__)  # type: ignore[method-assign]


def patch_sqs_receive_cost_independent_of_queue_depth() -> None:
    """ReceiveMessage on SQS costs the same however many messages the queue holds.

    moto checks each message it hands out against the queue's retention period
    (``SQSBackend.is_message_valid_based_on_retention_period`` in
    moto/sqs/models.py) by asking ``get_queue_attributes`` for
    ``MessageRetentionPeriod``, which builds every attribute of the queue -
    counting all its messages three times for the Approximate* figures - three
    times over. A receive of 10 from a 100-message queue took ~150 ms on an idle
    core, quadratic in the depth, where SQS answers in milliseconds; the SIGKILL
    chaos receives a 100-message batch per trial. Read the one attribute the
    check needs: the same retention rule, the same answer, at SQS's cost.
    """
    from moto.core.utils import unix_time
    from moto.sqs import models

    backend_cls = models.SQSBackend
    original = backend_cls.__dict__.get("is_message_valid_based_on_retention_period")
    _require(callable(original), "SQSBackend.is_message_valid_based_on_retention_period is gone")

    def is_message_valid_based_on_retention_period(self: Any, queue_name: str, message: Any) -> bool:
        retention = getattr(self.get_queue(queue_name), "message_retention_period", None)
        if retention is None:
            return original(self, queue_name, message)
        return int(retention) + message.sent_timestamp / 1000 > unix_time()

    backend_cls.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period  # type: ignore[method-assign]


def patch_lambda_sqs_event_source_mapping_is_a_poller() -> None:
    """An SQS event source mapping is a poller in the Lambda service, not a hook in SendMessage.

    On AWS, Lambda long-polls the queue, receives up to BatchSize messages,
    invokes the function once per batch and deletes what the function reports
    processed. moto instead registers the mapping on the queue
    (``queue.lambda_event_source_mappings`` in
    ``LambdaBackend.create_event_source_mapping``) and, inside every
    SendMessage, receives messages and runs the function in Docker. Without a
    Docker engine the run fails; the messages have then been received (their
    ApproximateReceiveCount rises towards the redrive maxReceiveCount, so they
    can reach the DLQ without ever meeting the function) and are made visible
    again. The end-to-end harness plays the Lambda poller (tests/e2e), so the
    emulator keeps the mapping as what it is on AWS: configuration, read back
    by Get/ListEventSourceMappings, enabled, with its batch size - and nothing
    consumes the queue behind the harness's back.
    """
    from moto.awslambda import models as lambda_models
    from moto.sqs import models as sqs_models

    backend_cls = lambda_models.LambdaBackend
    original = getattr(backend_cls, "create_event_source_mapping", None)
    _require(callable(original), "LambdaBackend.create_event_source_mapping is gone")

    def create_event_source_mapping(self: Any, spec: dict[str, Any]) -> Any:
        esm = original(self, spec)
        if esm.event_source_arn.split(":")[2] == "sqs":
            queues = sqs_models.sqs_backends[self.account_id][self.region_name].queues
            for queue in queues.values():
                mappings = getattr(queue, "lambda_event_source_mappings", None)
                _require(isinstance(mappings, dict), "sqs Queue.lambda_event_source_mappings is gone")
                if queue.queue_arn == esm.event_source_arn:
                    mappings.pop(esm.function_arn, None)
        return esm

    backend_cls.create_event_source_mapping = create_event_source_mapping  # type: ignore[method-assign]


def patch_dynamodb_atomic_writes() -> None:
    """DynamoDB applies each write to an item atomically.

    A conditional write evaluates its condition and applies its update as one
    step, so of two concurrent UpdateItem calls with the same condition on the
    same item at most one succeeds and the other gets
    ConditionalCheckFailedException (Developer Guide, "Condition expressions").
    moto's server handles requests on threads and its DynamoDB backend takes no
    lock: two concurrent conditional updates could both read the item before
    either wrote it, and both succeed (seen: two processes both told a finding
    was new). Run DynamoDB requests one at a time: coarser than DynamoDB's
    per-item atomicity, which changes nothing a client can observe but throughput.
    """
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.__dict__.get("call_action")
    if not callable(original):
        sys.exit("moto_launcher: moto changed (DynamoHandler.call_action is gone); review patch_dynamodb_atomic_writes")
    lock = threading.Lock()

    def call_action(self):  # type: ignore[no-untyped-def]
        with lock:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]


def patch_sns_json_message_structure_needs_default() -> None:
    """SNS refuses a `MessageStructure: json` message without a string `default` body.

    Publish (and each PublishBatch entry) with MessageStructure json must carry
    a JSON object with "at least a top-level JSON key of 'default' with a value
    that is a string" (SNS API reference, Publish); otherwise SNS answers
    InvalidParameter ("Message Structure - No default entry in JSON message
    body", or "... JSON message body failed to parse") and publishes nothing.
    moto only looks at the structure when it delivers to a subscription, and
    accepts a body for the subscription's protocol without `default`. Check
    what SNS checks, when SNS checks it. Per-protocol delivery (the protocol's
    key, else `default`) is moto's own and matches SNS.
    """
    from moto.sns.exceptions import InvalidParameterValue
    from moto.sns.models import SNSBackend

    original = SNSBackend.__dict__.get("publish")
    _require(callable(original), "SNSBackend.publish is gone")

    def publish(self, message, arn, *args, message_structure=None, **kwargs):  # type: ignore[no-untyped-def]
        if message_structure == "json":
            try:
                bodies = json.loads(message)
            except json.JSONDecodeError:
                raise InvalidParameterValue("Invalid parameter: Message Structure - JSON message body failed to parse")
            if not isinstance(bodies, dict) or not isinstance(bodies.get("default"), str):
                raise InvalidParameterValue("Invalid parameter: Message Structure - No default entry in JSON message body")
        return original(self, message, arn, *args, message_structure=message_structure, **kwargs)

    SNSBackend.publish = publish  # type: ignore[method-assign]


def patch_events_test_event_pattern() -> None:
    """EventBridge TestEventPattern says whether a pattern matches an event.

    AWS answers ``TestEventPattern(EventPattern, Event)`` with
    ``{"Result": true|false}`` and refuses a malformed pattern with
    InvalidEventPatternException. moto's ``EventsHandler.test_event_pattern``
    returns nothing (its backend method raises NotImplementedError). Answer
    with moto's own matcher, ``models.EventPattern`` - the one its rules route
    PutEvents with - so a pattern tested here behaves as it does on the bus.
    """
    from moto.events import models, responses

    handler_cls = getattr(responses, "EventsHandler", None)
    _require(handler_cls is not None and callable(getattr(handler_cls, "test_event_pattern", None)), "events EventsHandler.test_event_pattern is gone")
    _require(callable(getattr(models.EventPattern, "load", None)) and callable(getattr(models.EventPattern, "matches_event", None)), "events EventPattern.load/matches_event are gone")

    def test_event_pattern(self: Any) -> str:
        pattern = models.EventPattern.load(self._get_param("EventPattern"))
        event = json.loads(self._get_param("Event") or "{}")
        return json.dumps({"Result": pattern.matches_event(event)})

    handler_cls.test_event_pattern = test_event_pattern  # type: ignore[method-assign]


def patch_kms_aws_managed_keys_are_aws_managed() -> None:
    """The keys behind ``alias/aws/<service>`` are AWS managed keys (KeyManager AWS).

    On AWS, the AWS managed key of a service (``alias/aws/dynamodb``, ...) is
    created on first use, even by a DescribeKey of its alias, and DescribeKey
    reports ``KeyManager: AWS``; a ``terraform destroy`` leaves it, as it does
    on AWS, and it is not the user's key. The aws provider describes
    ``alias/aws/dynamodb`` when it reads a table encrypted with a customer
    managed key (to tell the two apart). moto creates that key in
    ``KmsBackend._generate_default_keys`` with ``create_key``, which marks
    every key ``key_manager = "CUSTOMER"``, so the key looked like one the
    module created and left behind. Mark the keys it generates for reserved
    aliases as AWS managed.
    """
    from moto.kms import models

    backend_cls = models.KmsBackend
    original = getattr(backend_cls, "_generate_default_keys", None)
    _require(callable(original), "KmsBackend._generate_default_keys is gone")

    def _generate_default_keys(self: Any, alias_name: str) -> Any:
        key_id = original(self, alias_name)
        if key_id is not None:
            key = self.keys.get(key_id)
            _require(key is not None and hasattr(key, "key_manager"), "kms Key.key_manager is gone")
            key.key_manager = "AWS"
        return key_id

    backend_cls._generate_default_keys = _generate_default_keys  # type: ignore[method-assign]


def exit_with_parent() -> None:
    """Exit when the process that started us is gone (so a killed harness leaves no emulator behind)."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def main() -> None:
    exit_with_parent()
    patch_sqs_compact_redrive_policy()
    patch_sqs_receive_cost_independent_of_queue_depth()
    patch_lambda_sqs_event_source_mapping_is_a_poller()
    patch_dynamodb_atomic_writes()
    patch_sns_json_message_structure_needs_default()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from moto_guardduty import patch_guardduty_findings_apis  # beside this file

    patch_guardduty_findings_apis()
    patch_events_test_event_pattern()
    patch_kms_aws_managed_keys_are_aws_managed()

    from moto.server import main as moto_server_main

    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
