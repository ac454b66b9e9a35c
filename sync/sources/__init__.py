"""Sources: the calendars interviews are read from (Google, .ics file or feed, CalDAV).

A source reads (and caches through its cursor) and never decides. See `sync.sources.base`.
"""
