"""Reading a submission: JSON, or multipart with a JSON ``application`` part and files."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from intake.domain.attachments import AttachmentError, Limits, Upload

M = TypeVar("M", bound=BaseModel)
JSON_LIMIT = 256 * 1024
FILE_PREFIX = "documents."
MULTIPART_OVERHEAD = 1024 * 1024


class BodyTooLargeError(ValueError):
    pass


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")


def check_length(request: Request, cap: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise BodyTooLargeError(f"the request body exceeds {cap} bytes")


async def read_json(request: Request, model: type[M]) -> M:
    check_length(request, JSON_LIMIT)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > JSON_LIMIT:
            raise BodyTooLargeError(f"the request body exceeds {JSON_LIMIT} bytes")
    return parse(model, bytes(body), ("body",))


def parse(model: type[M], raw: bytes | str, loc: tuple[str, ...]) -> M:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": (*loc, *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc


async def read_multipart(
    request: Request, limits: Limits, part: str | None
) -> tuple[dict[str, str], list[Upload]]:
    """Text fields and uploads; a file part is named ``documents.<kind>``."""
    check_length(request, limits.max_application_bytes + MULTIPART_OVERHEAD)
    form = await request.form(max_files=limits.max_files + 1, max_fields=20)
    fields: dict[str, str] = {}
    uploads: list[Upload] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            if not name.startswith(FILE_PREFIX) or len(name) == len(FILE_PREFIX):
                raise AttachmentError(name, f"name file parts {FILE_PREFIX}<document kind>")
            data = await value.read(limits.max_file_bytes + 1)
            uploads.append(Upload(name, name.removeprefix(FILE_PREFIX), data))
        else:
            fields[name] = value
    if part is not None and part not in fields:
        reason = f"the JSON part {part!r} is missing"
        raise RequestValidationError([{"loc": ("body", part), "msg": reason, "type": "missing"}])
    return fields, uploads
