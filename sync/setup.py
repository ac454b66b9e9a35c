"""What a pass syncs on this machine: its sources and its stores, from options and config.

- `sync --from A [--from B ...] --out DIR`: those files (or feeds), into the .ics folder.
- `sync`: every connected account (Google) and every configured feed, in one pass: the
  Google calendars' reminders go into the Google target; every reminder goes into the
  .ics export as well.

Each store takes the reminders of the sources it belongs with (`Slot.accepts`), so a
Google calendar and a file never collide, and each source keeps its own reminders.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.errors import NotConnectedError
from sync.passes import PassContext, Slot
from sync.paths import Paths
from sync.sources.base import Source
from sync.statusdb import StatusDB
from sync.stores.ics import IcsStore, target_name

log = logging.getLogger("followup.setup")


@dataclass
class Setup:
    sources: list[Source] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    label: str = ""  # what the pass history calls this pass
    retired: list[str] = field(default_factory=list)  # sources no longer configured
    cleanup: list[Callable[[], None]] = field(default_factory=list)  # after the pass
    requests: Callable[[], int] | None = None  # Google requests sent (for -v, bench)


def ics_slot(status: StatusDB, out_dir: Path, now: Any) -> Slot:
    store = IcsStore(status.book(target_name(out_dir)), out_dir, now)
    return Slot(store.name, lambda source: True, store.existing, lambda: store, always=True)


def file_sources(ctx: PassContext, addresses: Sequence[str | Path]) -> list[Source]:
    """Calendar files and feed addresses (https, http, webcal) as sources."""
    from sync.sources.feed import FeedSource, is_feed_address
    from sync.sources.ics_file import IcsFileSource

    emails, zone = ctx.config.self_emails, ctx.config.timezone
    return [
        FeedSource(str(a), ctx.rules, self_emails=emails, floating_zone=zone)
        if is_feed_address(str(a))
        else IcsFileSource(Path(a).expanduser(), ctx.rules, self_emails=emails, floating_zone=zone)
        for a in addresses
    ]


def offline_setup(
    ctx: PassContext, paths: Paths, calendars: Sequence[str | Path], out: Path | None
) -> Setup:
    """`sync --from FILE-OR-URL ... [--out DIR]`: those sources, .ics files only."""
    out_dir = out or ctx.config.export_dir or paths.ics_dir
    return Setup(
        sources=file_sources(ctx, calendars),
        slots=[ics_slot(ctx.status, out_dir, ctx.now)],
        label=offline_label(calendars, out_dir),
    )


def offline_label(calendars: Sequence[str | Path], out_dir: Path) -> str:
    """What the pass history calls an offline pass: its options, absolute, so that
    `followup cron` can schedule exactly this setup again."""
    import shlex

    from sync.sources.feed import is_feed_address

    words: list[str] = []
    for address in calendars:
        shown = address if is_feed_address(str(address)) else Path(address).expanduser().resolve()
        words += ["--from", str(shown)]
    words += ["--out", str(Path(out_dir).expanduser().resolve())]
    return shlex.join(words)


def account_setup(
    ctx: PassContext,
    paths: Paths,
    out: Path | None,
    progress: Callable[[str], None] | None,
) -> Setup:
    """Every connected account (Google, CalDAV) and every configured file or feed, in
    one pass. Nothing connected or configured -> exit 3 with the next step."""
    from sync.caldav.account import load_account

    setups: list[Setup] = []
    if paths.token_file.exists():
        setups.append(google_setup(ctx, paths, progress))
    if load_account(paths) is not None:
        setups.append(caldav_setup(ctx, paths))
    if ctx.config.ics.sources:
        setups.append(Setup(sources=file_sources(ctx, ctx.config.ics.sources), label="ics"))
    if not setups:
        raise NotConnectedError(
            "nothing to sync: no account is connected and config.toml lists no [ics] sources",
            next_step="run `followup connect` (Google), `followup connect --caldav URL "
            "--username NAME`, or `followup sync --from calendar.ics`",
        )
    setup = Setup(label=", ".join(s.label for s in setups))
    for part in setups:
        setup.sources += part.sources
        setup.slots += part.slots
        setup.retired += part.retired
        setup.cleanup += part.cleanup
        setup.requests = setup.requests or part.requests
    out_dir = out or ctx.config.export_dir or paths.ics_dir
    setup.slots.append(ics_slot(ctx.status, out_dir, ctx.now))
    return setup


# -- CalDAV ----------------------------------------------------------------------------


def caldav_setup(ctx: PassContext, paths: Paths) -> Setup:
    """The connected CalDAV account: its `[caldav] sources`, and its target calendar."""
    from dataclasses import replace

    from sync.caldav.account import (
        Session,
        load_account,
        normalise_url,
        require_account,
        save_account,
    )
    from sync.caldav.client import CalendarGone
    from sync.sources.caldav import CalDavSource
    from sync.stores.caldav import CalDavStore, target_name

    account = require_account(paths)
    session = Session.open(account)

    def remember(changed: Any) -> None:
        """Save what the pass found out (calendar URLs, the target), with the stored
        password: FOLLOWUP_CALDAV_PASSWORD overrides it for this run, never replaces it."""
        if ctx.dry_run:
            return
        stored = load_account(paths)
        save_account(paths, replace(changed, password=stored.password) if stored else changed)

    calendars = session.source_calendars(ctx.config.caldav.sources)
    if session.account != account:  # a source calendar added since connect: discovered
        remember(session.account)
    names = {url: name for name, url in session.account.calendars.items()}
    sources: list[Source] = [
        CalDavSource(
            cal,
            account.username,
            ctx.config.self_emails,
            names.get(str(cal.url)),
            floating_zone=ctx.config.timezone,
        )
        for cal in calendars
    ]
    wanted = ctx.config.caldav.target

    def store_for(calendar: Any) -> CalDavStore:
        return CalDavStore(calendar, ctx.status.book(target_name(str(calendar.url))), ctx.now)

    def believed():
        if not account.target_url:
            return {}
        return store_for(session.calendar(account.target_url)).believed()

    def open_store():
        calendar, changed = session.target_calendar(wanted)
        store = store_for(calendar)
        try:
            store.existing()
        except CalendarGone:
            calendar, changed = session.target_calendar(wanted, refresh=True)
            store = store_for(calendar)
        if changed is not None:
            remember(changed)
        if not ctx.dry_run:
            ctx.status.save_target("caldav", normalise_url(str(calendar.url)), account.username)
        return store

    listed = ctx.status.target("caldav")
    slot = Slot(
        name="caldav",
        accepts=lambda source: source.startswith("caldav:"),
        believed=believed,
        open=open_store,
        # As for Google: a target this state never listed may hold reminders it does
        # not know (a lost state file, a second machine): list it once.
        always=listed is None or listed[0] != account.target_url,
    )
    return Setup(sources=sources, slots=[slot], label="caldav")


# -- Google ----------------------------------------------------------------------------


def google_setup(ctx: PassContext, paths: Paths, progress: Callable[[str], None] | None) -> Setup:
    import httplib2

    from sync.google.api import Api
    from sync.google.auth import TARGET_PRIMARY, ensure_fresh, load_connection
    from sync.sources.google import GoogleSource

    connection = load_connection(paths)
    mode = connection.target
    if ctx.config.google.target == TARGET_PRIMARY and mode != TARGET_PRIMARY:
        raise NotConnectedError(
            "the config asks for reminders in the primary calendar, but the stored "
            "token may only write the follow-ups calendar",
            next_step="run `followup connect --target primary`",
        )
    ensure_fresh(connection, httplib2.Http(timeout=30))
    api = Api(connection, ctx.config.google.api_root)
    sources: list[Source] = [
        GoogleSource(api, calendar_id, ctx.vocab, progress)
        for calendar_id in ctx.config.google.sources
    ]
    target = GoogleTarget(ctx, api, connection, mode)
    configured = {source.identity for source in sources}
    retired = [
        row.identity
        for row in ctx.status.sources()
        if row.identity.startswith("google:") and row.identity not in configured
    ]
    setup = Setup(
        sources=sources,
        retired=retired,
        slots=[target.slot()],
        label="google",
        cleanup=[connection.save_if_refreshed],
        requests=lambda: api.requests,
    )
    setup.slots[0].notices.extend(connection.notices)
    return setup


@dataclass
class GoogleTarget:
    """The Google store of a pass: the known target cheaply, the real one on demand.

    Opening it finds (or creates) the follow-ups calendar, and moves reminders out of a
    target the user switched away from: the old target's unedited reminders are
    deleted, the planner writes them into the new one."""

    ctx: PassContext
    api: Any
    connection: Any
    mode: str
    notices: list[str] = field(default_factory=list)

    def known(self) -> str | None:
        from sync.google.auth import TARGET_PRIMARY

        if self.mode == TARGET_PRIMARY:
            return "primary"
        row = self.ctx.status.target("google")
        if row and row[0] != "primary":
            return row[0]
        return self.connection.target_calendar

    def slot(self) -> Slot:
        def believed():
            known = self.known()
            if known is None:
                return {}
            from sync.stores.google import GoogleStore

            return GoogleStore(self.api, self.ctx.status.book(f"google:{known}"), known).believed()

        slot = Slot(
            name="google",
            accepts=lambda source: source.startswith("google:"),
            believed=believed,
            open=self.open,
            # No target in the state (a lost or new state file, a second machine): the
            # calendar may hold reminders the records do not know, some of them for
            # interviews cancelled meanwhile. List it once; `open` saves the target.
            always=self.ctx.status.target("google") is None,
        )
        self.notices = slot.notices
        return slot

    def open(self):
        from sync.google import target as targets
        from sync.google.auth import TARGET_PRIMARY
        from sync.stores.google import GoogleStore, TargetGone

        status = self.ctx.status
        zone = self._zone()
        if self.mode == TARGET_PRIMARY:
            found = targets.Target("primary")
        elif self.ctx.dry_run and self.known() is None:
            listed = (
                targets.followup_calendars(self.api) if targets.can_list(self.connection) else []
            )
            if not listed:
                from sync.stores.memory import MemoryStore

                return MemoryStore(name="google")  # a dry run creates no calendar
            found = targets.Target(listed[0])
        else:
            found = targets.find_or_create(
                self.api, self.connection, known=self.known(), time_zone=zone
            )
        store = GoogleStore(self.api, status.book(f"google:{found.calendar_id}"), found.calendar_id)
        if not found.created:
            try:
                store.existing()
            except TargetGone:
                status.drop_target_records(store.name)
                found = targets.create(self.api, self.connection, time_zone=zone)
                found.notices.append(
                    f'the calendar "{targets.TARGET_CALENDAR_NAME}" was deleted; created it '
                    "again and re-added the follow-up reminders"
                )
                store = GoogleStore(
                    self.api, status.book(f"google:{found.calendar_id}"), found.calendar_id
                )
        self.notices.extend(found.notices)
        if not self.ctx.dry_run:
            status.save_target("google", found.calendar_id)
            self._retire_others(found.calendar_id)
        return _Reopening(store, self, fresh=found.created)

    def _zone(self) -> str | None:
        for calendar_id in self.ctx.config.google.sources:
            row = self.ctx.status.source(f"google:{calendar_id}")
            if row and row.timezone:
                return row.timezone
        return None

    def _retire_others(self, current: str) -> None:
        """Reminders in a target the user switched away from move to the current one."""
        from sync.google import target as targets
        from sync.google.auth import OWNED_SCOPE
        from sync.planner import Kind, Wants, plan
        from sync.stores.google import GoogleStore, TargetGone
        from sync.stores.records import RecordStatus

        status = self.ctx.status
        old = {
            target.split(":", 1)[1]
            for target in status.record_targets()
            if target.startswith("google:")
            and any(r.status is RecordStatus.ACTIVE for r in status.records(target).values())
        }
        old.discard(current)
        if not status.records(f"google:{current}"):
            # A new target, or a lost status file: look where reminders may be left.
            if current == "primary" and targets.can_list(self.connection):
                old |= set(targets.followup_calendars(self.api))
            elif current != "primary" and OWNED_SCOPE in self.connection.scopes:
                old.add("primary")
        for calendar_id in sorted(old):
            store = GoogleStore(self.api, status.book(f"google:{calendar_id}"), calendar_id)
            try:
                existing = store.existing()
            except TargetGone:
                status.drop_target_records(store.name)
                continue
            # Records stay (withdrawn): switching back restores these reminders.
            owners = {have.source for have in existing.values()} | {""}
            retire = plan(
                [Wants(owner) for owner in owners], existing, now=self.ctx.now, force_delete=True
            )
            if retire.actions:
                store.apply(retire)
                where = (
                    "your primary calendar"
                    if calendar_id == "primary"
                    else (f'"{targets.TARGET_CALENDAR_NAME}"')
                )
                self.notices.append(
                    f"moved {retire.count(Kind.DELETE)} reminder(s) out of {where}, the "
                    "calendar you switched away from"
                )


@dataclass
class _Reopening:
    """The Google store, recreating the follow-ups calendar if it vanishes mid-pass."""

    store: Any
    target: GoogleTarget
    fresh: bool = False  # created in this pass: empty, nothing to list

    @property
    def name(self) -> str:
        return self.store.name

    def believed(self):
        return self.store.believed()

    def existing(self):
        if self.fresh:
            self.fresh = False  # a later listing (after a conflict) asks Google
            return {}
        return self.store.existing()

    def adopt(self, existing):
        self.store.adopt(existing)

    def apply(self, plan):
        from sync.google import target as targets
        from sync.stores.google import GoogleStore, TargetGone

        try:
            return self.store.apply(plan)
        except TargetGone:
            status = self.target.ctx.status
            status.drop_target_records(self.store.name)
            found = targets.create(self.target.api, self.target.connection, time_zone=None)
            status.save_target("google", found.calendar_id)
            self.target.notices.append(
                f'the calendar "{targets.TARGET_CALENDAR_NAME}" was deleted; created it again '
                "and re-added the follow-up reminders"
            )
            self.store = GoogleStore(
                self.target.api, status.book(f"google:{found.calendar_id}"), found.calendar_id
            )
            from sync.planner import Action, Kind, Plan

            recreate = tuple(
                Action(Kind.CREATE, a.key, a.why, a.reminder, None, a.source)
                for a in plan.actions
                if a.reminder is not None
            )
            return self.store.apply(Plan(recreate))
