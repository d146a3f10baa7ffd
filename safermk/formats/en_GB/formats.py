"""Dates and times as GOV.UK writes them, over Django's en_GB formats:
"1 March 2022" rather than "1 Mar 2022", "5:00pm" rather than "5 p.m.".
Input formats and anything not set here come from Django's en_GB module."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:ia"
DATETIME_FORMAT = "j F Y, g:ia"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, g:ia"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
