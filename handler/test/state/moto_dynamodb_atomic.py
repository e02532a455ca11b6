"""moto with DynamoDB's write atomicity: the shared launcher plus one patch.

Run with the moto venv's interpreter, with moto_server's arguments::

    python handler/test/state/moto_dynamodb_atomic.py -H 127.0.0.1 -p 5000

DynamoDB applies each write to an item atomically: a conditional write
(``ConditionExpression``) evaluates its condition and applies its update as one
step, so of two concurrent ``UpdateItem`` calls with the same condition on the
same item at most one succeeds and the other gets
``ConditionalCheckFailedException`` (Developer Guide, "Condition expressions"
and "Conditional writes").

moto's server handles requests on threads (``threaded=True``) and its DynamoDB
backend takes no lock: two concurrent conditional updates can both read the
item before either writes it, and both succeed. Seen here: two processes each
observing the first sighting of 40 findings both got "new" for some.

The patch runs moto's DynamoDB requests one at a time (a coarser lock than
DynamoDB's per-item one, which changes nothing a client can observe but
throughput). Everything else is the shared launcher (tests/e2e/moto_launcher.py),
loaded from its file and started with its own patches.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from pathlib import Path

SHARED_LAUNCHER = Path(__file__).resolve().parents[3] / "tests" / "e2e" / "moto_launcher.py"


def patch_dynamodb_atomic_writes() -> None:
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.__dict__.get("call_action")
    if not callable(original):
        sys.exit("moto_dynamodb_atomic: moto changed (DynamoHandler.call_action is gone); review this patch")
    lock = threading.Lock()

    def call_action(self):  # type: ignore[no-untyped-def]
        with lock:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]


def main() -> None:
    patch_dynamodb_atomic_writes()
    if not SHARED_LAUNCHER.is_file():
        sys.exit(f"moto_dynamodb_atomic: the shared launcher moved from {SHARED_LAUNCHER}; update SHARED_LAUNCHER")
    spec = importlib.util.spec_from_file_location("moto_launcher", SHARED_LAUNCHER)
    if spec is None or spec.loader is None:
        sys.exit(f"moto_dynamodb_atomic: cannot load {SHARED_LAUNCHER}")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    launcher.main()


if __name__ == "__main__":
    main()
