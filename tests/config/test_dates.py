"""Dates read as GOV.UK writes them, whichever way a template asks for one."""

import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context) -> str:
    with translation.override("en-gb"):
        return Template(source).render(Context(context))


def test_a_date_is_written_with_the_month_in_full():
    assert render("{{ d|date }}", d=datetime.date(2026, 11, 27)) == "27 November 2026"


def test_a_date_and_time_is_written_in_london_time_with_the_month_in_full():
    moment = datetime.datetime(2026, 7, 1, 13, 5, tzinfo=ZoneInfo("UTC"))
    assert render('{{ t|date:"DATETIME_FORMAT" }}', t=moment) == "1 July 2026 at 2:05 p.m."


def test_the_govuk_date_tag_agrees_with_the_date_filter():
    day = datetime.date(2026, 3, 9)
    assert render("{% load govuk %}{% govuk_date d %}", d=day) == render("{{ d|date }}", d=day) == "9 March 2026"
