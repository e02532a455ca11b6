"""Start moto's server with its known fidelity gaps closed at the emulator.

Run with the moto venv's interpreter (``$(GDN_CACHE)/venv-moto/bin/python``)::

    python tests/e2e/moto_launcher.py -H 127.0.0.1 -p 5000

The arguments are moto_server's. Every patch below makes moto answer the way
AWS answers (design.md §7); none of them loosens a check made by the tests. The
patches wrap moto's own code (no copies of its functions, no edits of
site-packages) and fail loudly at start-up if the moto internals they rely on
change, so an upgrade of the pinned moto can't silently undo them.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _require(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"moto_launcher: moto changed ({what}); review the patches in tests/e2e/moto_launcher.py")


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
    patch_lambda_sqs_event_source_mapping_is_a_poller()
    patch_events_test_event_pattern()
    patch_kms_aws_managed_keys_are_aws_managed()

    from moto.server import main as moto_server_main

    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
