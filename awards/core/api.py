"""JSON API plumbing: the CONTRACT error body, validated endpoints, pagination, the OpenAPI document.

An endpoint is declared once with `endpoint(...)`: the same pydantic models validate the request,
serialize the response and describe the operation in /api/v1/openapi.json.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Generic, TypeVar

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.json_schema import models_json_schema
from sqlalchemy import func, select

from awards.core.db import DomainError
from awards.core.params import DB_INT, MAX_DEPTH, MAX_PAGE, nesting_depth
from awards.core.web import SigningSerializer

T = TypeVar("T")

ERROR_CODES = {
    400: "validation_error", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 429: "rate_limited", 500: "internal_error", 503: "service_unavailable",
}
ERROR_MESSAGES = {
    400: _l("Dữ liệu không hợp lệ."),
    401: _l("Cần đăng nhập: gửi mã truy cập trong tiêu đề Authorization: Bearer <mã>."),
    403: _l("Bạn không có quyền thực hiện thao tác này."),
    404: _l("Không tìm thấy tài nguyên yêu cầu."),
    405: _l("Phương thức không được hỗ trợ cho địa chỉ này."),
    409: _l("Thao tác xung đột với trạng thái hiện tại."),
    413: _l("Dữ liệu gửi lên quá lớn."),
    415: _l("Định dạng dữ liệu không được hỗ trợ."),
    429: _l("Quá nhiều yêu cầu, vui lòng thử lại sau."),
    500: _l("Lỗi hệ thống, vui lòng thử lại sau."),
    503: _l("Hệ thống tạm thời không sẵn sàng, vui lòng thử lại sau."),
}


class ApiError(Exception):
    """Raised anywhere under /api/ to answer with the CONTRACT error body."""

    def __init__(self, status: int, message: str | None = None, *, code: str | None = None, fields=None):
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message
        self.fields = fields


def error_response(status: int, message=None, *, code=None, fields=None):
    """The CONTRACT body: {"error": {"code", "message", "fields"?}} with `fields` only on 400."""
    body = {"code": code or ERROR_CODES.get(status, "error"), "message": str(message or ERROR_MESSAGES.get(status, ""))}
    if status == 400:
        body["fields"] = fields or {}
    return jsonify({"error": body}), status


def is_api_request() -> bool:
    return request.path.startswith("/api/")


class ApiSessionInterface(SecureCookieSessionInterface):
    """The API authenticates by bearer token only: a browser session riding along is never its user (core/errors.py
    reads `g.api_user` there). So an /api/ request neither opens nor saves the session cookie — no signature
    checked, no serializer built, no Set-Cookie — and gets an empty session; pages keep Flask's cookie session."""

    _serializer: tuple | None = None  # (the keys, the cookie's serializer built from them)

    def get_signing_serializer(self, app):
        """Flask's, built once (Flask builds it on every open and every save, and its constructor serializes an
        empty dict to probe the serializer) and again only when the keys change; compressing only a long payload
        (core/web.py SigningSerializer) (issue 21)."""
        if not app.secret_key:
            return None
        keys = (*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key)
        cached = self._serializer
        if cached is None or cached[0] != keys:
            cached = self._serializer = (keys, SigningSerializer(
                list(keys), salt=self.salt, serializer=self.serializer,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method}))
        return cached[1]

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith("/api/"):
            return
        super().save_session(app, session, response)


# --- validation messages -------------------------------------------------------------------------

def _message(err: dict) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return _("Trường này là bắt buộc.")
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("Phải là số nguyên.")
    if kind in ("float_type", "float_parsing"):
        return _("Phải là số.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Phải là true hoặc false.")
    if kind in ("string_type",):
        return _("Phải là chuỗi ký tự.")
    if kind in ("list_type",):
        return _("Phải là danh sách.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Phải là một đối tượng JSON.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Ngày không hợp lệ, cần dạng YYYY-MM-DD và là ngày có thật.")
    if kind in ("literal_error", "enum"):
        return _("Giá trị không hợp lệ, chỉ chấp nhận: %(expected)s.", expected=ctx.get("expected", ""))
    if kind == "string_too_short":
        return _("Không được để trống.") if ctx.get("min_length") == 1 else _(
            "Cần ít nhất %(n)s ký tự.", n=ctx.get("min_length"))
    if kind == "string_too_long":
        return _("Tối đa %(n)s ký tự.", n=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("Chỉ dùng chữ cái không dấu, chữ số, dấu gạch ngang, gạch dưới hoặc dấu chấm.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Phải lớn hơn hoặc bằng %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("Phải nhỏ hơn hoặc bằng %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in ("too_short", "too_long"):
        return _("Số phần tử không hợp lệ.")
    return _("Giá trị không hợp lệ.")


def field_errors(exc: ValidationError) -> dict[str, str]:
    """pydantic errors as {"field.path": "Vietnamese message"}, the first message per field."""
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        name = ".".join(str(part) for part in err["loc"]) or "_body"
        fields.setdefault(name, _message(err))
    return fields


def _fits_database(value):
    """What no column can hold is bad input (400), not a database error (500): a number past the integer
    columns, a NUL character (PostgreSQL text refuses it). Runs for every field of every item of a body (a
    ballot's 20 votes: 41 calls), so a plain number or text is checked first, without the generic walk."""
    kind = type(value)
    if kind is int:
        if -DB_INT <= value <= DB_INT:
            return value
        raise ValueError(_("Số quá lớn."))
    if kind is str:
        if "\x00" in value:
            raise ValueError(_("Không được chứa ký tự NUL."))
        return value
    items = value if isinstance(value, list | tuple | set | frozenset) else (value,)
    if any(isinstance(v, int) and not -DB_INT <= v <= DB_INT for v in items):
        raise ValueError(_("Số quá lớn."))
    if any(isinstance(v, str) and "\x00" in v for v in items):
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value


class Schema(BaseModel):
    """Request bodies: JSON types are strict (a year is a number, a flag is true/false)."""

    model_config = ConfigDict(strict=True, str_strip_whitespace=True, extra="ignore")
    _fits_database = field_validator("*")(_fits_database)


class Out(BaseModel):
    """Response bodies, read from model attributes."""

    model_config = ConfigDict(from_attributes=True)


class Query(BaseModel):
    """Query strings: text that is converted (page=2 is a number)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    _fits_database = field_validator("*")(_fits_database)


class PageQuery(Query):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(50, ge=1)


class Page(Out, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


@dataclass
class PageResult:
    items: list
    total: int
    page: int
    per_page: int


MAX_PER_PAGE = 200


def paginate(session, stmt, page: int, per_page: int) -> PageResult:
    """One page of a select, with the total; per_page is capped at 200."""
    per_page = min(per_page, MAX_PER_PAGE)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return PageResult(items=items, total=total, page=page, per_page=per_page)


# --- endpoints and the OpenAPI document -----------------------------------------------------------

@dataclass
class Operation:
    method: str
    rule: str
    endpoint: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    public: bool
    multipart: dict | None = None
    errors: tuple[int, ...] = ()
    tags: list[str] = field(default_factory=list)


OPERATIONS: list[Operation] = []
_token_user_loader: Callable[[str], Any] | None = None
_light_user_loader: Callable[[str], Any] | None = None


def set_token_user_loader(loader: Callable[[str], Any], light: Callable[[str], Any] | None = None) -> None:
    """auth registers how a bearer token becomes a user (core knows no users), and, for endpoints declared
    `light_user=True`, how it becomes the account's id, username and roles only."""
    global _token_user_loader, _light_user_loader
    _token_user_loader, _light_user_loader = loader, light


def _authenticate(light: bool = False):
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401)
    loader = (_light_user_loader or _token_user_loader) if light else _token_user_loader
    user = loader(token.strip()) if loader else None
    if user is None:
        raise ApiError(401, _("Mã truy cập không hợp lệ hoặc đã bị thu hồi."), code="invalid_token")
    return user


def _parse_body(model: type[BaseModel]):
    """The body validated by the model straight from its bytes (pydantic's own JSON parser: one parse). The checks
    that name what is wrong with the JSON itself (not JSON, nested too deep, not an object) run only when that
    validation fails, or when the body has enough brackets to nest past MAX_DEPTH: before, every body was parsed
    twice, once by json.loads for them (issue 21: ~0.15 ms of a ballot's CPU)."""
    raw = request.get_data(cache=True)
    if len(raw) > current_app.config["MAX_JSON_BYTES"]:
        raise ApiError(413)
    try:
        data = model.model_validate_json(raw or b"null")
    except ValidationError as exc:
        _check_json(raw)  # the JSON's own fault first, as it was always answered
        raise ApiError(400, fields=field_errors(exc)) from None
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:  # else it cannot nest deeper (extra keys are ignored)
        _check_json(raw)
    return data


def _check_json(raw: bytes) -> None:
    """400 `invalid_json` for a body that is not JSON, nests deeper than MAX_DEPTH or is not an object."""
    try:
        payload = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, _("Nội dung không phải JSON hợp lệ."), code="invalid_json", fields={}) from None
    except RecursionError:  # thousands of nested brackets: deeper than the parser goes
        payload = None
        deep = True
    else:
        deep = nesting_depth(payload) > MAX_DEPTH
    if deep:
        raise ApiError(400, _("Nội dung JSON lồng nhau quá sâu (tối đa %(n)s cấp).", n=MAX_DEPTH),
                       code="invalid_json", fields={})
    if not isinstance(payload, dict):
        raise ApiError(400, _("Nội dung phải là một đối tượng JSON."), code="invalid_json", fields={})


def _parse_query(model: type[BaseModel]):
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(400, fields=field_errors(exc)) from None


def _dump(response, result):
    if response is None or result is None:
        return result
    return response.model_validate(result, from_attributes=True).model_dump(mode="json")


def endpoint(bp: Blueprint, rule: str, method: str = "GET", *, summary: str, body=None, query=None,
             response=None, status: int = 200, public: bool = False, roles: tuple[str, ...] = (),
             multipart: dict | None = None, errors: tuple[int, ...] = (), limit: str | None = None,
             limit_scope: str | None = None, light_user: bool = False):
    """Declare one API operation: auth, validation, serialization and its OpenAPI entry in one place.
    `limit` (e.g. "5 per minute") counts every request from an address, malformed ones included;
    `limit_scope` shares that count with the pages using the same scope (a form posting the same thing).
    `light_user`: g.api_user is the token's account as id, username and roles only (auth.services.TokenUser, no
    ORM object: a hot path that reads no more, issue 21), not the full `User`."""

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not public:
                g.api_user = _authenticate(light_user)
                if roles and not g.api_user.has_any_role(*roles):
                    raise ApiError(403)
            if body is not None:
                kwargs["data"] = _parse_body(body)
            if query is not None:
                kwargs["query"] = _parse_query(query)
            result = view(**kwargs)
            if isinstance(result, Response):  # a file (xlsx, docx): sent as the view built it
                return result
            if isinstance(result, tuple):
                result, code = result
            else:
                code = status
            return jsonify(_dump(response, result)), code

        if limit:
            from awards.extensions import limiter

            wrapper = (limiter.shared_limit(limit, scope=limit_scope) if limit_scope else limiter.limit(limit))(wrapper)
        bp.add_url_rule(rule, view.__name__, wrapper, methods=[method])
        OPERATIONS.append(Operation(method=method.lower(), rule=(bp.url_prefix or "") + rule,
                                    endpoint=f"{bp.name}.{view.__name__}", summary=summary, body=body,
                                    query=query, response=response, status=status, public=public,
                                    multipart=multipart, errors=errors, tags=[bp.name]))
        return wrapper

    return decorator


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_document(title: str, version: str) -> dict:
    """The OpenAPI 3.1 document of every declared operation, schemas generated by pydantic."""
    # a body is described as it is read (validation), a response as it is written (serialization): a field read
    # from the object under another name (validation_alias) is still answered under its own
    pairs = {(ErrorBody, "serialization")}
    for op in OPERATIONS:
        pairs.update((m, mode) for m, mode in ((op.body, "validation"), (op.response, "serialization"))
                     if isinstance(m, type) and issubclass(m, BaseModel))
    mapping, top = models_json_schema(sorted(pairs, key=lambda p: (p[0].__name__, p[1])),
                                      ref_template="#/components/schemas/{model}")
    body_ref = {m: mapping[(m, mode)] for m, mode in pairs if mode == "validation"}
    ref = {m: mapping[(m, mode)] for m, mode in pairs if mode == "serialization"}
    error_ref = {"description": "Lỗi", "content": {"application/json": {"schema": ref[ErrorBody]}}}
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        path = _PARAM.sub(lambda m: "{" + m.group(2) + "}", op.rule)
        params = [{"name": name, "in": "path", "required": True,
                   "schema": {"type": "integer" if conv == "int" else "string"}}
                  for conv, name in _PARAM.findall(op.rule)]
        if op.query is not None:
            for name, info in op.query.model_fields.items():
                schema = op.query.model_json_schema()["properties"][name]
                params.append({"name": name, "in": "query", "required": info.is_required(), "schema": schema})
        item: dict[str, Any] = {"operationId": op.endpoint.replace(".", "_"), "summary": op.summary,
                                "tags": op.tags, "parameters": params, "responses": {}}
        item["security"] = [] if op.public else [{"bearer": []}]
        if op.body is not None:
            item["requestBody"] = {"required": True, "content": {"application/json": {"schema": body_ref[op.body]}}}
        if op.multipart is not None:
            item["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": op.multipart}}}
        success = {"description": "OK"}
        if op.response is not None:
            success["content"] = {"application/json": {"schema": ref[op.response]}}
        item["responses"][str(op.status)] = success
        codes = set(op.errors) | ({400} if op.body or op.query or op.multipart else set())
        codes |= set() if op.public else {401, 403}
        codes |= {404} if "<" in op.rule else set()
        for code in sorted(codes):
            item["responses"][str(code)] = error_ref
        paths.setdefault(path, {})[op.method] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": top.get("$defs", {}),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def domain_error_response(exc: DomainError):
    fields = {exc.field: exc.message} if exc.field else None
    return error_response(exc.status, exc.message, code=exc.code, fields=fields)
