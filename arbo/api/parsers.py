"""A JSON parser with limits: request bodies of at most 64 kB, nested at most 8 levels deep.

DRF's own JSONParser reads any size and hands any nesting to :func:`json.loads`, which raises
``RecursionError`` (a 500) on a few thousand ``[``. Our bodies are flat objects with one nested
employment, so 8 levels and 64 kB leave ample room; anything beyond is refused before parsing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 8


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` in JSON ``text``, outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class LimitedJSONParser(JSONParser):
    max_bytes = MAX_BODY_BYTES
    max_depth = MAX_DEPTH

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        too_large = _("Het verzoek is te groot: hoogstens %(limit)d kB.") % {"limit": self.max_bytes // 1024}
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise RequestTooLarge(too_large)
        body = stream.read(self.max_bytes + 1) if stream is not None else b""
        if len(body) > self.max_bytes:
            raise RequestTooLarge(too_large)
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("De inhoud is geen geldige UTF-8-tekst.")) from exc
        if nesting_depth(text) > self.max_depth:
            raise ParseError(
                _("De JSON is te diep genest: hoogstens %(limit)d niveaus.") % {"limit": self.max_depth}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("De inhoud is geen geldige JSON.")) from exc


def _refuse_constant(name: str) -> Any:
    # NaN, Infinity and -Infinity are not JSON.
    raise ValueError(name)
