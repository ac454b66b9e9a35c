"""Reading and writing `.ics` calendars."""

ICS_CALENDAR = "ics"
"""The calendar id of every `.ics` file's and feed's events: ids are UIDs, and UIDs are
global (the same interview in two exports, or in an export and a feed, is one)."""
