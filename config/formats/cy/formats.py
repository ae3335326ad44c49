"""Dates as Welsh GOV.UK services write them (5 Rhagfyr 2026), the month names from Django's cy
locale: the same shapes as config/formats/en_GB, with "am" ("at") before the time."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y \\a\\m G:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, G:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
