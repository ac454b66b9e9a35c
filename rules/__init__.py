"""Pure follow-up policy: events and `now` in, decisions out.

Nothing in this package reads the clock, the disk (except the vocabulary data file
shipped inside it) or the network: `now` and time zones are arguments, and results are
frozen values. A long-running `followup run` therefore never holds a stale "today".

Domain terms, defined once:

- **SourceEvent** -- an event on the user's calendar, from any backend (Google, .ics).
- **Interview** -- a SourceEvent the user attends as a *candidate* for a job.
- **Stage** -- `Stage.PHONE` (initial phone/video screen, recruiter call, first round)
  or `Stage.FINAL` (final round, onsite, in person, superday, panel at an office).
- **Classification** -- the verdict on one event: interview or not, stage, and the
  `Reason`s (which signal matched which field) behind it.
- **FollowUpWindow** -- the days on which to follow up, counted in calendar days from
  the interview's local date: phone 5-7, final 7-10 (the careers article: an earlier
  stage moves faster; a later one involves more people), or a timeline the hiring
  manager stated, which wins.
- **Reminder** -- the follow-up event the tool wants on the calendar: on the first
  weekday in the window, at the user's configured time, with the advice and a draft.
- **Policy** -- the user's settings the rules need (reminder time, look-back, salary).
- **Vocabulary** -- keywords, weights and phrases, shipped as data and extendable by
  the user's own rules file.
"""
