"""One date format everywhere (issue 18): "4 December 2026" in English, with the time where it matters
("4 December 2026 14:30"). Templates write ``{{ day|date }}`` or ``{{ moment|date:"DATETIME_FORMAT" }}``,
Python :func:`arbo.lib.dates.show_date` / :func:`~arbo.lib.dates.show_moment`. Input fields keep ISO
values (``type=date``); what Django accepts as input is unchanged."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
