"""Dates as GOV.UK writes them (27 November 2026).

Django gives the locale's formats precedence over the DATE_FORMAT setting, and its
en_GB locale writes "27 Nov 2026", so Lantern's own locale formats say it here.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y \\a\\t g:i a"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, g:i a"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
