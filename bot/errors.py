"""Error answers in Vietnamese, without stack traces: invalid requests and our own faults."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["install_error_handlers"]

log = logging.getLogger("bot.errors")

INVALID_REQUEST = 'Yêu cầu không hợp lệ. Hãy gửi JSON dạng {"message": "<câu hỏi>"}.'
INTERNAL_ERROR = "Xin lỗi, đã có lỗi trong hệ thống. Vui lòng thử lại sau ít phút."

# pydantic error type → what a person should fix, in Vietnamese.
_PROBLEMS = {
    "missing": "thiếu trường này",
    "json_invalid": "nội dung không phải JSON hợp lệ",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "string_type": "phải là chuỗi ký tự",
    "string_too_long": "quá dài",
    "string_pattern_mismatch": (
        "chỉ gồm chữ, số và các ký tự _ . @ + - (1 đến 128 ký tự), "
        "không được mang mã của kênh khác như telegram:…"
    ),
}

_HTTP_MESSAGES = {404: "Không tìm thấy trang này.", 405: "Phương thức này không được hỗ trợ."}


def _field(location: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in location if part != "body"]
    return ".".join(parts) or "body"


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            # A JSON syntax error's location is a character offset, not a field.
            "field": "body"
            if item.get("type") == "json_invalid"
            else _field(tuple(item.get("loc", ()))),
            "problem": _PROBLEMS.get(item.get("type", ""), "giá trị không hợp lệ"),
        }
        for item in error.errors()
    ]
    # The input is not echoed back: it may be huge, or someone else's personal data.
    log.info("invalid request", extra={"path": request.url.path, "problems": problems})
    return JSONResponse({"detail": INVALID_REQUEST, "errors": problems}, status_code=422)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    # Starlette's own 404/405 details are English; a handler's own detail is kept.
    detail = _HTTP_MESSAGES.get(error.status_code)
    if detail is None:
        detail = error.detail if isinstance(error.detail, str) else "Yêu cầu không thực hiện được."
    return JSONResponse(
        {"detail": detail},
        status_code=error.status_code,
        headers=getattr(error, "headers", None),
    )


async def _internal_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unhandled error while serving %s", request.url.path)
    return JSONResponse({"detail": INTERNAL_ERROR}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Answer invalid requests with 422 and our own faults with 500, in Vietnamese."""
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
