"""The I/O shell around `rules`: calendar backends, .ics files, state, reconcile, CLI.

Data flows one way: source events -> rules -> desired reminders -> a plan against what
exists -> apply (calendar and .ics).
"""
