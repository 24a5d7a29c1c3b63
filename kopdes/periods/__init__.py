"""Periodic returns: the calendar of periods, their due, "late until" and locking dates, timeliness, completeness
tallies and reminder days — for any return that someone must submit every week, fortnight or month.

A mechanism: it imports no app of Kopdes. A user of it (first: the camat report, kopdes/reports) declares a
`PeriodKind` (frequency and day counts), keeps its periods in a model of its own built on `AbstractPeriod` (so the
period can point to what it is a period of, e.g. a programme), and asks this package for the dates, the timeliness
of a submission, the tallies of a completeness grid and which reminder is due today. Periods are made by the
scheduled job or by the write that needs them, never by opening a page.
"""
