"""schemathesis, a fuzzer nobody here wrote, against the app in-process: every phase (examples, coverage,
fuzzing, stateful), every check, a real app key, and a check of our own that replays each object read with
another app's key and expects a 404 problem.

Bounded for CI: a fixed seed, derandomized, no example database, a few examples per operation."""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.conftest import new_app_key
from tests.contract.conftest import CONTRACT_APP, DATABASE_URL, World
from tests.hostile_text import DATES_UTC_CANNOT_HOLD, hostile_bodies, hostile_queries

SEED = 20240611
MAX_EXAMPLES = 10
STATEFUL_SCENARIOS = 60
STATEFUL_STEPS = 15

# The reads of one object, which another tenant must not see: the circle, its round, its participant list,
# its snapshot and its event log.
OBJECT_READS = re.compile(r"^/v1/circles/\{circle_id\}(/rounds/\{round_id\}|/participants|/state|/events)?$")


def config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                # Negative data is the other phases' business; here every step should move the circle on.
                "stateful": {"enabled": True, "max-steps": STATEFUL_STEPS, "generation": {"mode": "positive"}},
            },
            "checks": {"enabled": True},
        }
    )


# The document the app itself serves (tests/test_openapi.py keeps openapi/openapi.json equal to it), and the
# app in-process as the one place requests go. Links between operations are inferred by schemathesis from
# the response schemas and path parameters (the document declares none).
schema = schemathesis.openapi.from_dict(copy.deepcopy(CONTRACT_APP.openapi()), config=config())
schema.app = CONTRACT_APP


class Credentials:
    """Set by the `credentials` fixture: keys exist only once the contract database does."""

    app_key: str | None = None
    other_app_key: str | None = None


# schemathesis builds some cases (examples, coverage) while pytest collects, before any fixture has made a
# key: those carry this placeholder, which `with_real_key` swaps for the key just before the request.
PLACEHOLDER = "app-key-not-made-yet"


class AppKey:
    """A real app key as `Authorization: Bearer`, on every request schemathesis means to authenticate (it
    leaves it off, or garbles it, for the cases that test authentication itself)."""

    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str:
        return Credentials.app_key or PLACEHOLDER

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


schema.auth(refresh_interval=None)(AppKey)


def with_real_key(case: schemathesis.Case) -> None:
    if case.headers and case.headers.get("Authorization") == f"Bearer {PLACEHOLDER}":
        assert Credentials.app_key is not None
        case.headers["Authorization"] = f"Bearer {Credentials.app_key}"


@schemathesis.check
def another_apps_key_sees_nothing(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> None:
    """Every object one app read successfully is a 404 problem for another app's key."""
    if case.method != "GET" or response.status_code != 200 or not OBJECT_READS.match(case.path):
        return
    assert Credentials.other_app_key is not None
    replay = case.call(headers={"Authorization": f"Bearer {Credentials.other_app_key}"})
    assert replay.status_code == 404, (
        f"{case.method} {case.formatted_path} with another app's key answered {replay.status_code}, not 404: "
        f"{replay.text[:300]}"
    )
    content_type = replay.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/problem+json"), f"a 404 without problem+json: {content_type}"


def false_positives(case: schemathesis.Case, response: schemathesis.Response) -> list[Any]:
    """Checks that cannot judge this response fairly.

    A list's `cursor` is opaque: the schema can only say "a string", so a schema-valid cursor the list never
    gave out is rightly refused (422 invalid_cursor), which `positive_data_acceptance` would call a valid
    request rejected. Likewise an Idempotency-Key the fuzzer already sent with another request is rightly
    refused (422 idempotency_key_reused): no schema can say "a key not used before". And an airtime window
    whose `since` is not before its `until` is rightly refused (422 invalid_window): a schema describes each
    parameter alone, never one against another. So is an open round asked to pass the piece back (422
    pass_back_is_sequential): `pass_back` is valid alone, and only the round's `kind` rules it out. So are a
    breakout's clock and groups (below), and a webhook URL that does not reach the public internet (422
    webhook_url_refused): only resolving it can tell."""
    if response.status_code != 422:
        return []
    body = response.json() if response.content else {}
    code = body.get("code") if isinstance(body, dict) else None
    if code == "invalid_cursor" and (case.query or {}).get("cursor") is not None:
        return [positive_data_acceptance]
    if code == "idempotency_key_reused" and (case.headers or {}).get("Idempotency-Key") is not None:
        return [positive_data_acceptance]
    if code == "webhook_url_refused":
        return [positive_data_acceptance]
    if code == "invalid_window" and {"since", "until"} <= set(case.query or {}):
        return [positive_data_acceptance]
    sent = case.body if isinstance(case.body, dict) else {}
    # A support date's rules that no schema states: two different people, mentoring names one of them, a
    # recurrence rule and a time zone that parse (each a value_error from the model, never a type error).
    made_up = all(error.get("type") == "value_error" for error in body.get("errors") or [])
    if code == "validation_error" and case.path == "/v1/support-dates" and made_up:
        return [positive_data_acceptance]
    if code == "pass_back_is_sequential" and sent.get("kind") == "open" and sent.get("pass_back"):
        return [positive_data_acceptance]
    # A breakout's `ends_at` against now and `duration_seconds`, its `groups` against `grouping`, and whether
    # the people present can be grouped at all: one field against another, or against the circle.
    if code in ("bad_breakout_clock", "cannot_group") and case.path.endswith("/breakouts"):
        return [positive_data_acceptance]
    return []


@pytest.fixture(scope="module", autouse=True)
def credentials(contract_world: World) -> None:
    Credentials.app_key = contract_world.app_key
    Credentials.other_app_key = contract_world.other_app_key


@schema.parametrize()
def test_every_operation(case: schemathesis.Case, contract_world: World) -> None:
    """Examples, coverage and fuzzing for each operation, most ids pointing at real objects."""
    with_real_key(case)
    contract_world.bind(case.path_parameters)
    response = case.call()
    if case.method != "GET" and 200 <= response.status_code < 300:
        contract_world.dirty = True
    case.validate_response(response, excluded_checks=false_positives(case, response))


def test_stateful(contract_world: World) -> None:
    """Sequences of calls along the links between operations: create a circle, seat people, start a round,
    pass the piece, close, erase — every response checked as above."""
    stateful_schema: OpenApiSchema = schemathesis.openapi.from_dict(
        copy.deepcopy(CONTRACT_APP.openapi()), config=config()
    )
    stateful_schema.app = CONTRACT_APP
    stateful_schema.auth(refresh_interval=None)(AppKey)

    class Workflow(stateful_schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # A tenant of its own for each scenario: a scenario may revoke its key (DELETE /v1/app/keys/{id}).
            Credentials.app_key = new_app_key(DATABASE_URL, "stateful scenario")

        def validate_response(self, response: schemathesis.Response, case: schemathesis.Case, **kwargs: Any) -> None:
            __tracebackhide__ = True
            case.validate_response(
                response, excluded_checks=false_positives(case, response), transport_kwargs=kwargs or None
            )

    try:
        Workflow.run(
            settings=hypothesis.settings(
                max_examples=STATEFUL_SCENARIOS,
                stateful_step_count=STATEFUL_STEPS,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(hypothesis.HealthCheck),
            )
        )
    finally:
        Credentials.app_key = contract_world.app_key


# -- the probe's hostile cases (issue 22, items 5 and 6), for every field of every operation -------------------
DOCUMENT = CONTRACT_APP.openapi()


def _hostile_cases() -> list[Any]:
    """(method, path, where, the field, what is wrong, the value): NUL in every string of every body and
    query, an unpaired surrogate in every string of every body, the two dates UTC cannot hold in every
    date-time."""
    cases = []
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            bodies = hostile_bodies(body_schema or {}, DOCUMENT, surrogates=True)
            found = {("body", *k): v for k, v in bodies.items()}
            found |= {("query", *k): v for k, v in hostile_queries(operation.get("parameters", []), DOCUMENT).items()}
            for (where, field, wrong), value in found.items():
                name = f"{method.upper()} {path} {where} {field} {wrong}"
                cases.append(pytest.param(method.upper(), path, where, field, wrong, value, id=name))
    return cases


@pytest.mark.parametrize(("method", "path", "where", "field", "wrong", "value"), _hostile_cases())
def test_hostile_values_in_any_field_are_422_naming_it(
    contract_world: World, method: str, path: str, where: str, field: str, wrong: str, value: Any
) -> None:
    """Each case through schemathesis's own checks too; the answer is the documented 422 problem, naming the
    field (a cursor is opaque: NUL in it is `invalid_cursor`)."""
    operation = schema[path][method]
    real = {**contract_world.fresh(), "participant_id": contract_world.participants[1]}  # the member
    ids = {name: real.get(name, str(uuid.uuid4())) for name in re.findall(r"\{(\w+)\}", path)}
    case = operation.Case(
        path_parameters=ids or None,
        headers={"Authorization": f"Bearer {contract_world.app_key}"},
        **({"body": value, "media_type": "application/json"} if where == "body" else {"query": value}),
    )
    response = case.call()
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    found = response.json()
    assert response.status_code == 422, (response.status_code, found)
    if field == "cursor":
        assert found["code"] == "invalid_cursor", found
        return
    assert found["code"] == "validation_error", found
    assert field in [error["field"] for error in found["errors"]], found
    if wrong in DATES_UTC_CANNOT_HOLD:
        assert "UTC" in found["detail"], found


DEEP = 1500  # deeper than Python's json can read (a RecursionError, before bodies were read by pydantic)
_BODY_OPERATIONS = [
    pytest.param(method.upper(), path, id=f"{method.upper()} {path}")
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if "application/json" in operation.get("requestBody", {}).get("content", {})
]


@pytest.mark.parametrize(("method", "path"), _BODY_OPERATIONS)
def test_a_body_nested_too_deep_is_422_on_every_operation(contract_world: World, method: str, path: str) -> None:
    real = {**contract_world.fresh(), "participant_id": contract_world.participants[1]}
    url = re.sub(r"\{(\w+)\}", lambda m: real.get(m.group(1), str(uuid.uuid4())), path)
    for body in ('{"a": ' + "[" * DEEP + "]" * DEEP + "}", '{"a": ' * DEEP + "1" + "}" * DEEP):
        response = contract_world.client.request(
            method,
            url,
            data=body.encode(),
            headers={"Authorization": f"Bearer {contract_world.app_key}", "Content-Type": "application/json"},
        )
        assert response.status_code == 422, (response.status_code, response.text[:300])
        assert response.json()["code"] == "validation_error", response.text[:300]
