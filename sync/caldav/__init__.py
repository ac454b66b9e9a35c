"""CalDAV accounts (iCloud, Fastmail, Nextcloud, any server), on python-caldav 3.x.

- `sync.caldav.client`: open a `DAVClient`, and turn what the library and its HTTP client
  (niquests) raise into the project's errors, in one place;
- `sync.caldav.account`: `followup connect --caldav`: discover the principal and its
  calendars (which proves the password), find or create the target calendar, keep the
  password in a 0600 file;
- `sync.caldav.resources`: the marker properties a reminder resource carries, read back.

The source (`sync.sources.caldav`) and the store (`sync.stores.caldav`) build on these.
Checked facts about the library and the servers are in CALDAV-NOTES (shared notes).
"""
