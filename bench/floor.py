"""The floor: the least a sync can do with the same client library, as a process.

Read every page of one calendar (`maxResults=2500`), create a calendar, insert N
reminder-shaped events into it in batches of 50. No rules, no state, no files: what is
left of a `followup sync` once everything but the HTTP work is taken away.

    python bench/floor.py --endpoint URL --batch-uri URL --token T --inserts N

Prints one JSON line: pages, items read, inserted.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

BATCH = 50
PAGE = 2500


def reminder_body(index: int, start: datetime) -> dict:
    """Shaped like the tool's reminders: deterministic id, marker, popup, description."""
    return {
        "id": f"floor{index:08d}",
        "summary": f"Follow up: Company {index} (phone screen; window 5-7 days)",
        "description": "Send a short, professional follow-up to the hiring manager. " * 4,
        "start": {"dateTime": (start + timedelta(days=index % 30)).isoformat(), "timeZone": "UTC"},
        "end": {
            "dateTime": (start + timedelta(days=index % 30, minutes=15)).isoformat(),
            "timeZone": "UTC",
        },
        "reminders": {"useDefault": False, "overrides": [{"method": "popup", "minutes": 0}]},
        "extendedProperties": {
            "private": {"followup_managed": "1", "followup_hash": f"{index:064x}"}
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--batch-uri", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--calendar", default="primary")
    parser.add_argument("--inserts", type=int, required=True)
    args = parser.parse_args(argv)

    import google.oauth2.credentials
    import google_auth_httplib2
    import httplib2
    from googleapiclient.discovery import build
    from googleapiclient.http import BatchHttpRequest

    creds = google.oauth2.credentials.Credentials(token=args.token)
    http = google_auth_httplib2.AuthorizedHttp(creds, http=httplib2.Http(timeout=30))
    service = build(
        "calendar",
        "v3",
        http=http,
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": args.endpoint},
    )

    pages = items = 0
    token = None
    while True:
        params = {"calendarId": args.calendar, "maxResults": PAGE, "singleEvents": False}
        if token:
            params["pageToken"] = token
        answer = service.events().list(**params).execute()
        pages += 1
        items += len(answer.get("items") or [])
        token = answer.get("nextPageToken")
        if not token:
            break

    inserted = 0
    if args.inserts:
        target = service.calendars().insert(body={"summary": "Floor"}).execute()["id"]
        start = datetime.now(UTC).replace(microsecond=0)
        failed: list[BaseException] = []

        def done(request_id, response, exception) -> None:
            nonlocal inserted
            if exception is not None:
                failed.append(exception)
            else:
                inserted += 1

        for first in range(0, args.inserts, BATCH):
            batch = BatchHttpRequest(callback=done, batch_uri=args.batch_uri)
            for index in range(first, min(first + BATCH, args.inserts)):
                batch.add(
                    service.events().insert(calendarId=target, body=reminder_body(index, start))
                )
            batch.execute(http=http)
        if failed:
            raise SystemExit(f"floor: {len(failed)} insert(s) failed: {failed[0]}")
    print(json.dumps({"pages": pages, "items": items, "inserted": inserted}))


if __name__ == "__main__":
    main()
