"""Stores: the places reminders are written (memory, .ics folder, Google, CalDAV).

A store lists what exists there and applies the planner's actions, returning what
happened; it never decides (`sync.planner` does). See `sync.stores.base`.
"""
