"""Loopback Google Calendar API v3 emulator driven by the real google-api-python-client."""

from .errors import ApiError
from .server import CalendarEmulator, RequestInfo, RequestRecord

__all__ = ["ApiError", "CalendarEmulator", "RequestInfo", "RequestRecord"]
