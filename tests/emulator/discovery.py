"""Request validation against the Calendar v3 discovery document that ships inside
google-api-python-client, so the emulator rejects exactly what the client's own
schema does not know (unknown query parameters, unknown body fields, bad enums).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import googleapiclient

from .errors import ApiError

DOC_PATH = (
    Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "calendar.v3.json"
)

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", re.IGNORECASE
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_rfc3339(value: str, *, need_offset: bool = True) -> dt.datetime | None:
    """Aware datetime from RFC3339, or None when malformed (or naive and need_offset)."""
    if not _RFC3339.match(value):
        return None
    text = value.upper().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None and need_offset:
        return None
    return parsed


@dataclass(frozen=True)
class Method:
    kind: str  # e.g. "events.list"
    http_method: str
    template: tuple[str, ...]
    spec: dict

    @property
    def request_schema(self) -> str | None:
        req = self.spec.get("request")
        return req.get("$ref") if req else None

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.spec.get("scopes", ()))


class Discovery:
    def __init__(self, path: Path = DOC_PATH):
        self.doc = json.loads(path.read_text())
        self.service_path = self.doc["servicePath"]  # "calendar/v3/"
        self.batch_path = self.doc.get("batchPath", "batch/calendar/v3")
        self.schemas = self.doc["schemas"]
        self.global_params = self.doc["parameters"]
        self.methods: list[Method] = []
        for rname, res in self.doc["resources"].items():
            for mname, spec in res["methods"].items():
                self.methods.append(
                    Method(
                        f"{rname}.{mname}", spec["httpMethod"], tuple(spec["path"].split("/")), spec
                    )
                )
        # Literal segments win over placeholders ("events/import" before "events/{id}").
        self.methods.sort(key=lambda m: -sum(not s.startswith("{") for s in m.template))

    # -- routing --------------------------------------------------------------
    def route(self, http_method: str, raw_path: str) -> tuple[Method, dict[str, str]]:
        """Method and decoded path parameters for a path below servicePath."""
        segments = raw_path.split("/")
        path_matched = False
        for method in self.methods:
            params = _match(method.template, segments)
            if params is None:
                continue
            path_matched = True
            if method.http_method == http_method:
                return method, params
        if path_matched:
            raise ApiError(405, "httpMethodNotAllowed", f"Method {http_method} not allowed.")
        raise ApiError(404, "notFound", "Not Found")

    # -- query ------------------------------------------------------------------
    def check_query(self, method: Method, query: dict[str, list[str]]) -> dict[str, object]:
        """Typed query parameters; 400 for unknown names, bad types, enums, ranges."""
        specs = {
            n: p
            for n, p in method.spec.get("parameters", {}).items()
            if p.get("location") == "query"
        }
        out: dict[str, object] = {}
        for name, values in query.items():
            spec = specs.get(name) or self.global_params.get(name)
            if spec is None:
                raise ApiError(
                    400,
                    "invalidParameter",
                    f'Invalid JSON payload received. Unknown name "{name}": '
                    "Cannot bind query parameter. Field '"
                    + name
                    + "' could not be found in request message.",
                    location=name,
                )
            if len(values) > 1 and not spec.get("repeated"):
                raise ApiError(
                    400,
                    "invalidParameter",
                    f"Parameter {name} given more than once.",
                    location=name,
                )
            typed = [self._typed(name, spec, v) for v in values]
            out[name] = typed if spec.get("repeated") else typed[0]
        if out.get("alt", "json") != "json":
            raise ApiError(400, "invalidParameter", "Only alt=json is supported.", location="alt")
        return out

    @staticmethod
    def _typed(name: str, spec: dict, value: str) -> object:
        kind = spec.get("type", "string")
        if kind == "integer":
            try:
                number = int(value)
            except ValueError:
                raise ApiError(
                    400,
                    "invalidParameter",
                    f"Invalid value '{value}' for integer parameter {name}.",
                    location=name,
                ) from None
            low = spec.get("minimum")
            high = spec.get("maximum")
            if name == "maxResults":
                high = high or "2500"  # documented page cap, not in the schema
            if (low is not None and number < int(low)) or (high is not None and number > int(high)):
                raise ApiError(
                    400,
                    "invalid",
                    f"Invalid value '{value}'. Values must be within the range: [{low}, {high}]",
                    location=name,
                )
            return number
        if kind == "boolean":
            if value not in ("true", "false"):
                raise ApiError(
                    400,
                    "invalidParameter",
                    f"Invalid boolean value '{value}' for {name}.",
                    location=name,
                )
            return value == "true"
        if "enum" in spec and value not in spec["enum"]:
            raise ApiError(
                400,
                "invalidParameter",
                f"Invalid value '{value}' for {name}; expected one of {', '.join(spec['enum'])}.",
                location=name,
            )
        if spec.get("format") == "date-time" and parse_rfc3339(value) is None:
            raise ApiError(
                400,
                "badRequest",
                f"Bad Request: {name} must be RFC3339 with a time zone offset.",
                location=name,
            )
        return value

    # -- body -------------------------------------------------------------------
    def check_body(self, schema_ref: str, body: object) -> None:
        self._check_value({"$ref": schema_ref}, body, "resource")

    def _check_value(self, spec: dict, value: object, where: str) -> None:
        if "$ref" in spec:
            spec = self.schemas[spec["$ref"]]
        if value is None:
            return  # JSON null clears a field (patch semantics)
        kind = spec.get("type")
        if kind == "object" or "properties" in spec:
            if not isinstance(value, dict):
                self._bad(where, value, "object")
            props = spec.get("properties")
            extra = spec.get("additionalProperties")
            for key, sub in value.items():
                if props and key in props:
                    self._check_value(props[key], sub, f"{where}.{key}")
                elif extra is not None:
                    self._check_value(extra, sub, f"{where}.{key}")
                else:
                    raise ApiError(
                        400,
                        "badRequest",
                        f'Invalid JSON payload received. Unknown name "{key}" at '
                        f"'{where}': Cannot find field.",
                    )
        elif kind == "array":
            if not isinstance(value, list):
                self._bad(where, value, "array")
            for i, item in enumerate(value):
                self._check_value(spec.get("items", {}), item, f"{where}[{i}]")
        elif kind == "string":
            if spec.get("format") in ("int64", "uint64") and isinstance(value, int):
                return
            if not isinstance(value, str):
                self._bad(where, value, "string")
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                self._bad(where, value, "integer")
        elif kind == "boolean":
            if not isinstance(value, bool):
                self._bad(where, value, "boolean")
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self._bad(where, value, "number")
        # "any" and untyped: accept

    @staticmethod
    def _bad(where: str, value: object, expected: str) -> None:
        raise ApiError(
            400,
            "badRequest",
            f"Invalid JSON payload received. Invalid value at "
            f"'{where}' ({expected}): {json.dumps(value)[:80]}",
        )


def _match(template: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
    if len(template) != len(segments):
        return None
    params: dict[str, str] = {}
    for tpl, seg in zip(template, segments, strict=True):
        if tpl.startswith("{"):
            if not seg:
                return None
            params[tpl.strip("{}+")] = unquote(seg)
        elif tpl != seg:
            return None
    return params
