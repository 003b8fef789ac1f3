"""Structured JSON logs that carry the request id and user id and nothing personal.

Log messages are written by our own code with opaque ids only. Third-party messages can
embed request paths or exception text; the formatter therefore never logs exception
*arguments* (which can hold submitted values), only the exception type and traceback lines.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime

from earlyhelp.core import request_context


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_context.current_request_id()
        record.user_id = request_context.current_user_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage() if record.name.startswith("earlyhelp") else record.msg,
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            # Frames only: file, line and function names are code, not data.
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(entry, default=str)
