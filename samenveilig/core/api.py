"""The API's error contract: every error is RFC 9457 problem+json with a stable code and a translated message."""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from samenveilig.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    """RFC 9457 problem details, with the stable `code` and per-field messages as extension members."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    fields: dict[str, list[str]] = {}


def problem_response(status: int, code: str, detail: str, fields: dict[str, list[str]] | None = None) -> HttpResponse:
    body = {
        "type": f"urn:samenveilig:problem:{code}",
        "title": detail,
        "status": status,
        "detail": detail,
        "code": code,
        "fields": fields or {},
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE)


# Pydantic error types mapped to messages people can read; anything else falls back to a general one.
def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_too_short": _("This text is too short."),
        "string_too_long": _("This text is too long (at most %(max)s characters).")
        % {"max": ctx.get("max_length", "?")},
        "uuid_parsing": _("This is not a valid identifier."),
        "uuid_type": _("This is not a valid identifier."),
        "int_parsing": _("This must be a whole number."),
        "int_type": _("This must be a whole number."),
        "float_parsing": _("This must be a number."),
        "float_type": _("This must be a number."),
        "bool_parsing": _("This must be true or false."),
        "enum": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "literal_error": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "greater_than_equal": _("This must be at least %(ge)s.") % {"ge": ctx.get("ge", "")},
        "less_than_equal": _("This must be at most %(le)s.") % {"le": ctx.get("le", "")},
        "json_invalid": _("The request body is not valid JSON."),
        "model_attributes_type": _("The request body must be a JSON object."),
        "dict_type": _("This must be a JSON object."),
        "list_type": _("This must be a list."),
        "string_type": _("This must be text."),
        "value_error": _("This value is not valid."),
    }
    return messages.get(kind, _("This value is not valid."))


def _field_name(loc: list[Any]) -> str:
    # ("body", "payload", "name") -> "name"; ("query", "status") -> "status"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload", "form", "file")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        fields = {k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for k, v in exc.fields.items()}
        return problem_response(exc.status, exc.code, str(exc.message), fields)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(list(error.get("loc", []))), []).append(_validation_message(error))
        return problem_response(422, "invalid", _("The input is not valid."), fields)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem_response(401, "unauthenticated", _("Log in or send a valid API token."))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, "not_found", _("This does not exist, or you have no access to it."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(exc.status_code, "http_error", str(exc))


def errors(*statuses: int) -> dict[int, type[Problem]]:
    """Declare error answers of an operation: `response={200: X, **errors(404, 422)}`."""
    return dict.fromkeys(statuses, Problem)


def declare_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Post-process the OpenAPI document: every operation declares 401 (if it needs auth) and 422, and every
    error answer is `application/problem+json` with the Problem schema."""
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # Ninja keys responses by int, OpenAPI by string: normalise, or a status would appear twice in the JSON.
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            if operation.get("security"):
                responses.setdefault("401", {"description": "Unauthorized"})
            responses.setdefault("422", {"description": "Unprocessable Content"})
            for status, answer in responses.items():
                if status.isdigit() and int(status) >= 400:
                    answer["content"] = {PROBLEM_CONTENT_TYPE: {"schema": ref}}
            operation["responses"] = dict(sorted(responses.items()))
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.json_schema()
    return schema
