"""The digest view model, its rendering against golden files, and the pure scheduling rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from mailbot.adapters.templates import make_template_env
from mailbot.core import digest_view as dv

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2025, 3, 14, 8, 0, tzinfo=PARIS)


def facts(**changes) -> dv.DigestFacts:
    base = dict(
        campaign="Free them all", now=NOW, since=datetime(2025, 3, 13, 8, 0, tzinfo=PARIS),
        totals=dv.Totals(approved=42, pending=3, withdrawn=2, rejected=1),
        previous=dv.Totals(approved=37, pending=4, withdrawn=2, rejected=1),
        new_signatories=[
            dv.NewSignatory(40, "Nicolás del Caño", "Argentina", "Deputy PTS/FIT", "approved"),
            dv.NewSignatory(44, "Ana Lima", "Brazil", "", "pending"),
            dv.NewSignatory(41, "Olga <b>Petrova</b>", "", "teacher", "approved"),
            dv.NewSignatory(43, "Martín Mosquera", "Argentina", "editor", "approved")],
        new_total=6,
        per_day={date(2025, 3, 14): 4, date(2025, 3, 13): 8, date(2025, 2, 20): 1,
                 date(2025, 2, 1): 99},  # before the 30 days: not drawn
        per_country={"Argentina": 20, "Brazil": 12, "": 2, "France": 8},
        pending=[dv.PendingEntry(12, "Jean Lafont", "France", NOW - timedelta(days=3, hours=2), 0.3,
                                 ("labeled form", "markup in presentation: check before publishing")),
                 dv.PendingEntry(44, "Ana Lima", "Brazil", NOW - timedelta(minutes=50), 0.6, ())],
        pending_total=3,
        attention=[dv.AttentionMail(7, datetime(2025, 3, 13, 17, 5, tzinfo=PARIS), "dianne@example.net",
                                    "Re: the appeal", "needs attention", "question to the organizers")],
        attention_total=1,
        failed=[dv.FailedMail(9, "bad@example.org", "confirmation",
                              datetime(2025, 3, 12, 9, 0, tzinfo=PARIS),
                              "SMTP server 127.0.0.1:25 answered 550 no such user")],
        failed_total=1,
        undeliverable=[dv.Undeliverable(5, "gone@example.org", "Paul Gone")], undeliverable_total=1,
        incidents=[dv.Incident(datetime(2025, 3, 13, 22, 0, tzinfo=PARIS), "imap", "login refused"),
                   dv.Incident(datetime(2025, 3, 13, 22, 5, tzinfo=PARIS), "imap", "login refused"),
                   dv.Incident(datetime(2025, 3, 14, 1, 0, tzinfo=PARIS), "smtp", "cannot connect")],
        review_url="https://review.campaign.example/", accepts_commands=True)
    base.update(changes)
    return dv.DigestFacts(**base)


def render(view: dv.DigestView, part: str) -> str:
    env = make_template_env()
    campaign = SimpleNamespace(name="Free them all", address="appeal@campaign.example")
    return env.get_template(f"mail/digest.{part}.j2").render(digest=view, campaign=campaign)


@pytest.mark.parametrize("part", ["subject", "txt", "html"])
def test_digest_renders_like_the_golden_file(part, update_golden):
    """Subject, text and HTML of a busy day read exactly as reviewed."""
    text = render(dv.build_view(facts()), part)
    path = GOLDEN / f"digest.{part}"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_quiet_first_digest_renders_like_the_golden_file(update_golden):
    """The first digest of a quiet campaign: no changes shown, 'nothing waits for you'."""
    view = dv.build_view(facts(since=None, previous=None, new_signatories=[], new_total=0,
                               pending=[], pending_total=0, attention=[], attention_total=0,
                               failed=[], failed_total=0, undeliverable=[], undeliverable_total=0,
                               incidents=[], review_url="", accepts_commands=False,
                               totals=dv.Totals(approved=5), per_day={}, per_country={}))
    assert view.all_clear and all(t.change == "" for t in view.totals)
    text = render(view, "txt")
    path = GOLDEN / "digest.quiet.txt"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_view_totals_groups_and_charts():
    """Changes against the previous digest, new signatories by country, bars scaled to the top."""
    view = dv.build_view(facts())
    assert [(t.label, t.value, t.change) for t in view.totals] == [
        ("approved", 42, "+5"), ("pending", 3, "-1"), ("withdrawn", 2, "0")]
    assert [g.country for g in view.new_groups] == ["Argentina", "Brazil", dv.NO_COUNTRY]
    assert view.new_hidden == 2
    assert len(view.daily) == 30 and view.daily[-1].label == "03-14" and view.daily_total == 13
    assert view.daily[-2].percent == 100 and view.daily[-1].percent == 50
    assert [b.label for b in view.countries] == ["Argentina", "Brazil", "France", dv.NO_COUNTRY]
    assert view.oldest is not None and view.oldest.id == 12 and view.oldest.waiting == "3 days"
    assert [(g.kind, g.count) for g in view.incidents] == [("imap", 2), ("smtp", 1)]
    assert view.headline == ("42 approved (+5), 6 new, 3 pending, 1 mail to read, 2 undelivered, "
                             "3 worker problems")


def test_html_escapes_what_signers_wrote():
    """Names and subjects come from strangers: the HTML part escapes them."""
    html = render(dv.build_view(facts()), "html")
    assert "Olga &lt;b&gt;Petrova&lt;/b&gt;" in html and "<b>Petrova" not in html


def test_small_values_still_show_a_bar():
    """1 next to 1000 is a sliver, not nothing; 0 is nothing."""
    bars = dv.bars([("a", 1000), ("b", 1), ("c", 0)])
    assert [(b.percent, len(b.text)) for b in bars] == [(100, dv.BAR_CHARS), (1, 1), (0, 0)]


@pytest.mark.parametrize(("now", "grace", "expected"), [
    (datetime(2025, 3, 14, 7, 59, tzinfo=PARIS), 12, None),  # yesterday's is 24 h old: skipped
    (datetime(2025, 3, 14, 7, 59, tzinfo=PARIS), 25, date(2025, 3, 13)),  # ...unless grace allows
    (datetime(2025, 3, 14, 8, 0, tzinfo=PARIS), 12, date(2025, 3, 14)),
    (datetime(2025, 3, 14, 19, 59, tzinfo=PARIS), 12, date(2025, 3, 14)),  # back from downtime
    (datetime(2025, 3, 14, 20, 1, tzinfo=PARIS), 12, None),  # more than 12 h late: skipped
    (datetime(2025, 3, 14, 7, 30, tzinfo=UTC), 12, date(2025, 3, 14)),  # 08:30 in Paris
])
def test_due_day_with_grace(now, grace, expected):
    """The day whose digest time has passed, unless that was more than the grace ago."""
    assert dv.due_day(now, time(8, 0), PARIS, timedelta(hours=grace)) == expected


def test_due_day_across_daylight_saving():
    """On the day clocks go forward, 08:00 local is still the slot (06:00 UTC)."""
    now = datetime(2025, 3, 30, 6, 0, 30, tzinfo=UTC)
    assert dv.due_day(now, time(8, 0), PARIS, timedelta(hours=1)) == date(2025, 3, 30)
    assert dv.due_day(now - timedelta(minutes=1), time(8, 0), PARIS, timedelta(hours=1)) is None


def test_streak_is_the_run_of_close_incidents_still_going_on():
    """Incidents within the gap of each other form one streak; an old quiet time ends it."""
    t0 = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)
    times = [t0 - timedelta(hours=5)] + [t0 + timedelta(minutes=5 * i) for i in range(13)]
    gap = timedelta(minutes=30)
    assert dv.streak(times, t0 + timedelta(minutes=61), gap) == (t0, t0 + timedelta(minutes=60))
    assert dv.streak(times, t0 + timedelta(hours=3), gap) is None
    assert dv.streak([], t0, gap) is None


def test_parse_commands_reads_only_command_lines():
    """"approve 12 14", "Reject #13", "approve: 1, 2" count; prose and quoted digests do not."""
    text = "Hi,\napprove 12 14\nReject #13\napprove: 1, 2\nplease approve 99 later\nthanks"
    assert dv.parse_commands(text) == (dv.StaffCommand("approve", (12, 14)),
                                       dv.StaffCommand("reject", (13,)),
                                       dv.StaffCommand("approve", (1, 2)))
    assert dv.parse_commands("approve\nreject everyone") == ()


def test_age_reads_like_a_person_says_it():
    """Minutes, hours, days, singular and plural."""
    assert [dv.age(timedelta(minutes=m)) for m in (0, 1, 59, 60, 150, 1440, 4000)] == [
        "0 minutes", "1 minute", "59 minutes", "1 hour", "2 hours", "1 day", "2 days"]


def test_quiet_days_fold_into_one_line_but_short_gaps_stay():
    """Three or more days without a signature are one line in the text chart; two stay as they are."""
    days = dv.bars([("01", 0), ("02", 0), ("03", 0), ("04", 5), ("05", 0), ("06", 0), ("07", 2)])
    folded = dv.fold_quiet_days(days)
    assert [(b.label, b.value) for b in folded] == [("01 to 03", 0), ("04", 5), ("05", 0), ("06", 0),
                                                    ("07", 2)]
    assert sum(b.value for b in folded) == sum(b.value for b in days)
