"""GuardDuty's findings APIs, which moto (5.x) does not implement, with AWS's semantics.

moto emulates detectors and filters but has no findings: ArchiveFindings,
UnarchiveFindings, UpdateFindingsFeedback, GetFindings, ListFindings and
GetFindingsStatistics answer 404. The interaction endpoint (Slack buttons)
and the weekly report call them, so the emulator gains them here, following
the GuardDuty API reference:

- findings live in a detector; a finding of a member account appears in the
  administrator's detector, and only the administrator's detector may
  archive or unarchive it (a member's call is refused with
  BadRequestException);
- ArchiveFindings, UnarchiveFindings, UpdateFindingsFeedback and GetFindings
  take 1-50 finding ids (more: BadRequestException);
- GetFindings returns only the ids the detector has (unknown ids are left
  out, no error), ListFindings pages with maxResults (1-50, default 50) and
  nextToken and sorts by sortCriteria (attributeName, orderBy ASC/DESC), and
  both honour findingCriteria on service.archived, severity,
  type, accountId and updatedAt (gte/gt/lt/lte/eq/neq);
- GetFindingsStatistics COUNT_BY_SEVERITY answers counts keyed by the
  severity score as a string ("8.0": 3).

Findings enter the emulator through a test-only route that AWS does not have
(``POST /detector/{id}/gdn-test/findings`` with ``{"findings": [...]}``), the
way GuardDuty itself would create them. Nothing here loosens a check.

Throttling: GuardDuty's API rate-limits per account and Region and answers an
over-limit call with HTTP 429 and the error type TooManyRequestsException (its
REST front end's throttling error; the API reference's common errors also name
ThrottlingException). moto never throttles, so a test-only fault switch
(``POST /detector/{id}/gdn-test/throttle`` with ``{"every": N}`` to refuse
every Nth read call, or ``{"next": N}`` to refuse the next N, optionally
``"code"``) makes ListFindings, GetFindings and GetFindingsStatistics answer
as AWS does when over the limit; ``{}`` turns it off. Its answer counts the
calls refused so far.
"""

from __future__ import annotations

import json
from typing import Any

ID_LIMIT = 50


def _bad_request(message: str) -> Any:
    from moto.core.exceptions import JsonRESTError

    class BadRequestException(JsonRESTError):
        code = 400

        def __init__(self) -> None:
            super().__init__("BadRequestException", message)

    return BadRequestException()


def _criteria_match(finding: dict[str, Any], criteria: dict[str, Any] | None) -> bool:
    criterion = (criteria or {}).get("criterion") or {}
    for field, condition in criterion.items():
        value: Any = finding
        for part in field.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if field == "updatedAt" and isinstance(value, str):
            from datetime import datetime

            value = int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
        for op, expected in condition.items():
            if op in ("eq", "equals"):
                if not any(str(value).lower() == str(e).lower() for e in expected):
                    return False
            elif op in ("neq", "notEquals"):
                if any(str(value).lower() == str(e).lower() for e in expected):
                    return False
            elif op in ("gte", "greaterThanOrEqual"):
                if value is None or float(value) < float(expected):
                    return False
            elif op in ("gt", "greaterThan"):
                if value is None or float(value) <= float(expected):
                    return False
            elif op in ("lte", "lessThanOrEqual"):
                if value is None or float(value) > float(expected):
                    return False
            elif op in ("lt", "lessThan"):
                if value is None or float(value) >= float(expected):
                    return False
    return True


def _sort_key(finding: dict[str, Any], field: str) -> tuple[int, Any]:
    """ListFindings' sortCriteria: the attribute's value (timestamps in time order), findings without it last."""
    value: Any = finding
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return (1, "")
    if field in ("createdAt", "updatedAt") and isinstance(value, str):
        from datetime import datetime

        return (0, datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    return (0, value)


def _throttled(code: str) -> Any:
    from moto.core.exceptions import JsonRESTError

    class TooManyRequests(JsonRESTError):
        code = 429  # JsonRESTError also sends the error type in X-Amzn-ErrorType and the body's __type

    return TooManyRequests(code, "Rate exceeded")


# The fault switch's state, shared by every detector (one test drives one emulator).
_THROTTLE: dict[str, Any] = {"every": 0, "next": 0, "code": "TooManyRequestsException", "calls": 0, "refused": 0}


def _maybe_throttle() -> None:
    state = _THROTTLE
    state["calls"] += 1
    refuse = False
    if state["next"] > 0:
        state["next"] -= 1
        refuse = True
    elif state["every"] > 0 and state["calls"] % state["every"] == 0:
        refuse = True
    if refuse:
        state["refused"] += 1
        raise _throttled(state["code"])


def patch_guardduty_findings_apis() -> None:
    from moto.guardduty import models, responses, urls

    backend_cls = models.GuardDutyBackend

    def store(backend: Any, detector_id: str) -> dict[str, dict[str, Any]]:
        backend.get_detector(detector_id)  # DetectorNotFound (400) for an unknown detector, as on AWS
        findings = getattr(backend, "_gdn_findings", None)
        if findings is None:
            findings = backend._gdn_findings = {}
        return findings.setdefault(detector_id, {})

    def is_administrator(backend: Any, detector_id: str) -> bool:
        # A detector is a member's when the account has an administrator (AcceptAdministratorInvitation);
        # moto keeps administrators in admin_accounts keyed by the member detector id.
        return detector_id not in getattr(backend, "admin_accounts", {})

    def ids_param(self: Any) -> list[str]:
        ids = self._get_param("findingIds") or []
        if not isinstance(ids, list) or not 1 <= len(ids) <= ID_LIMIT:
            raise _bad_request(f"findingIds must hold 1 to {ID_LIMIT} finding ids.")
        return [str(i) for i in ids]

    def detector_of(self: Any) -> str:
        parts = self.path.split("/")
        return parts[parts.index("detector") + 1]

    def set_archived(self: Any, archived: bool) -> str:
        detector_id = detector_of(self)
        findings = store(self.guardduty_backend, detector_id)
        ids = ids_param(self)
        if not is_administrator(self.guardduty_backend, detector_id):
            raise _bad_request("The request is rejected because a member account cannot archive or unarchive findings; the administrator account can.")
        for finding_id in ids:
            if finding_id in findings:
                findings[finding_id].setdefault("service", {})["archived"] = archived
        return "{}"

    def archive_findings(self: Any) -> str:
        return set_archived(self, True)

    def unarchive_findings(self: Any) -> str:
        return set_archived(self, False)

    def update_findings_feedback(self: Any) -> str:
        findings = store(self.guardduty_backend, detector_of(self))
        ids = ids_param(self)
        feedback = self._get_param("feedback")
        if feedback not in ("USEFUL", "NOT_USEFUL"):
            raise _bad_request("feedback must be USEFUL or NOT_USEFUL.")
        for finding_id in ids:
            if finding_id in findings:
                findings[finding_id].setdefault("service", {})["userFeedback"] = feedback
        return "{}"

    def get_findings(self: Any) -> str:
        findings = store(self.guardduty_backend, detector_of(self))
        ids = ids_param(self)
        return json.dumps({"findings": [findings[i] for i in ids if i in findings]})

    def list_findings(self: Any) -> str:
        findings = store(self.guardduty_backend, detector_of(self))
        max_results = int(self._get_param("maxResults") or 50)
        if not 1 <= max_results <= 50:
            raise _bad_request("maxResults must be between 1 and 50.")
        matched = [f for f in findings.values() if _criteria_match(f, self._get_param("findingCriteria"))]
        sort = self._get_param("sortCriteria") or {}
        if sort.get("attributeName"):
            matched.sort(key=lambda f: _sort_key(f, sort["attributeName"]), reverse=sort.get("orderBy") == "DESC")
        matching = [f["id"] for f in matched]
        start = int(self._get_param("nextToken") or 0)
        page = matching[start : start + max_results]
        result: dict[str, Any] = {"findingIds": page}
        if start + max_results < len(matching):
            result["nextToken"] = str(start + max_results)
        return json.dumps(result)

    def get_findings_statistics(self: Any) -> str:
        findings = store(self.guardduty_backend, detector_of(self))
        counts: dict[str, int] = {}
        for f in findings.values():
            if _criteria_match(f, self._get_param("findingCriteria")):
                key = f"{float(f.get('severity', 0)):.1f}"
                counts[key] = counts.get(key, 0) + 1
        return json.dumps({"findingStatistics": {"countBySeverity": counts}})

    def seed_findings(self: Any) -> str:
        findings = store(self.guardduty_backend, detector_of(self))
        for finding in json.loads(self.body or "{}").get("findings", []):
            findings[str(finding["id"])] = finding
        return json.dumps({"seeded": len(findings)})

    def throttling(fn: Any) -> Any:
        def call(self: Any) -> str:
            _maybe_throttle()
            return fn(self)

        return call

    def set_throttle(self: Any) -> str:
        body = json.loads(self.body or "{}")
        _THROTTLE.update(
            every=int(body.get("every", 0)),
            next=int(body.get("next", 0)),
            code=str(body.get("code", "TooManyRequestsException")),
            calls=0,
        )
        return json.dumps({"refused": _THROTTLE["refused"]})

    for name, fn in {
        "archive_findings": archive_findings,
        "unarchive_findings": unarchive_findings,
        "update_findings_feedback": update_findings_feedback,
        "get_findings": throttling(get_findings),
        "list_findings": throttling(list_findings),
        "get_findings_statistics": throttling(get_findings_statistics),
    }.items():
        if hasattr(responses.GuardDutyResponse, name):
            raise SystemExit(f"moto_guardduty: moto now implements {name}; review harness/moto_guardduty.py")
        setattr(responses.GuardDutyResponse, name, fn)

    def dispatch_seed(request: Any, full_url: str, headers: Any) -> Any:
        response = responses.GuardDutyResponse()
        response.setup_class(request, full_url, headers)
        return 200, {"Content-Type": "application/json"}, seed_findings(response)

    def dispatch_throttle(request: Any, full_url: str, headers: Any) -> Any:
        response = responses.GuardDutyResponse()
        response.setup_class(request, full_url, headers)
        return 200, {"Content-Type": "application/json"}, set_throttle(response)

    detector = "{0}/detector/(?P<detector_id>[^/]+)"
    for path in ("findings", "findings/archive", "findings/unarchive", "findings/feedback", "findings/get", "findings/statistics"):
        urls.url_paths[f"{detector}/{path}$"] = responses.GuardDutyResponse.dispatch
    urls.url_paths[f"{detector}/gdn-test/findings$"] = dispatch_seed
    urls.url_paths[f"{detector}/gdn-test/throttle$"] = dispatch_throttle
    _ = backend_cls  # the backend keeps findings in an attribute of its own (_gdn_findings)
