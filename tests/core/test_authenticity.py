"""Authentication-Results headers (RFC 8601) read into a passed / failed / unknown verdict."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from mailbot.core.authenticity import (
    Verdict,
    assess,
    assess_message,
    parse_authentication_results,
)

GMAIL = ("mx.google.com;\r\n       dkim=pass header.i=@staff.example header.s=s1 header.b=AbC123;\r\n"
         "       spf=pass (google.com: domain of ana@staff.example designates 192.0.2.1 as permitted "
         "sender) smtp.mailfrom=ana@staff.example;\r\n"
         "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=staff.example")


def test_parse_reads_server_methods_and_properties():
    """The authserv-id, each method's result and its ptype.property values are read; comments go."""
    parsed = parse_authentication_results(GMAIL)
    assert parsed is not None and parsed.authserv_id == "mx.google.com"
    assert [(r.method, r.result) for r in parsed.results] == [("dkim", "pass"), ("spf", "pass"),
                                                              ("dmarc", "pass")]
    assert parsed.results[0].properties["header.i"] == "@staff.example"
    assert parsed.results[1].properties == {"smtp.mailfrom": "ana@staff.example"}


def test_parse_version_quoted_reason_and_none():
    """A version after the id, a quoted reason with a semicolon, and "none" are understood."""
    parsed = parse_authentication_results('mx.example.org 1; spf=fail reason="no; really" '
                                          "smtp.mailfrom=x@y.example")
    assert parsed is not None and parsed.results[0].reason == "no; really"
    none = parse_authentication_results("mx.example.org; none")
    assert none is not None and none.results == ()
    assert parse_authentication_results("dkim=pass") is None


def test_dmarc_pass_for_the_from_domain_passes():
    """dmarc=pass from the trusted server for the From domain is a pass."""
    result = assess([GMAIL], "ana@staff.example", authserv_id="mx.google.com")
    assert result.verdict is Verdict.passed and result.dmarc == "pass"
    assert result.reasons == ("dmarc=pass for staff.example (mx.google.com)",)


def test_dmarc_fail_fails_even_when_spf_passed():
    """DMARC decides when present: fail is fail."""
    header = ("mx.campaign.example; spf=pass smtp.mailfrom=bounce@mailer.example; "
              "dkim=none; dmarc=fail (p=none) header.from=staff.example")
    result = assess([header], "ana@staff.example", authserv_id="mx.campaign.example")
    assert result.verdict is Verdict.failed and "dmarc=fail" in result.reasons[0]


def test_only_the_configured_server_is_trusted():
    """A forged header (another authserv-id) is ignored; without ours the verdict is unknown."""
    forged = "mx.campaign.example.attacker.example; dmarc=pass header.from=staff.example"
    result = assess([forged], "ana@staff.example", authserv_id="mx.campaign.example")
    assert result.verdict is Verdict.unknown
    assert result.reasons == ("no Authentication-Results header from mx.campaign.example",)
    ours = "mx.campaign.example; dmarc=fail header.from=staff.example"
    assert assess([ours, forged], "ana@staff.example",
                  authserv_id="MX.campaign.example").verdict is Verdict.failed


def test_without_configuration_only_the_topmost_header_counts():
    """The receiving server adds its header on top: a sender's own header below it is ignored."""
    top = "mx.campaign.example; dmarc=fail header.from=staff.example"
    below = "anything; dmarc=pass header.from=staff.example"
    assert assess([top, below], "ana@staff.example").verdict is Verdict.failed
    assert assess([], "ana@staff.example").verdict is Verdict.unknown


def test_aligned_dkim_passes_and_unaligned_spf_does_not():
    """Without DMARC: a DKIM pass by the From domain (or its parent) passes; SPF for another does not."""
    dkim = "mx.example; dkim=pass header.d=staff.example"
    assert assess([dkim], "ana@lists.staff.example").verdict is Verdict.passed
    spf = "mx.example; spf=pass smtp.mailfrom=x@elsewhere.example"
    result = assess([spf], "ana@staff.example")
    assert result.verdict is Verdict.unknown and result.reasons == ("spf=pass for elsewhere.example",)
    fail = "mx.example; dkim=fail header.d=staff.example; spf=softfail smtp.mailfrom=ana@staff.example"
    assert assess([fail], "ana@staff.example").verdict is Verdict.failed


def test_dmarc_result_for_another_domain_is_not_used():
    """dmarc=pass about header.from=other.example says nothing about staff.example."""
    result = assess(["mx.example; dmarc=pass header.from=other.example"], "ana@staff.example")
    assert result.verdict is Verdict.unknown


def test_assess_message_reads_headers_of_raw_mail():
    """From and every Authentication-Results header are taken from the raw bytes, topmost first."""
    raw = (f"Authentication-Results: {GMAIL}\r\nAuthentication-Results: evil; dmarc=fail\r\n"
           "From: Ana <ana@staff.example>\r\nSubject: Re: digest\r\n\r\napprove 1\r\n").encode()
    assert assess_message(raw).verdict is Verdict.passed
    two_from = b"Authentication-Results: mx; dmarc=pass\r\nFrom: a@x.example, b@y.example\r\n\r\n"
    assert assess_message(two_from).verdict is Verdict.unknown


@given(st.text())
@example("mx; dkim=pass (unclosed comment header.d=x")
@example('mx; spf="pass')
@example(";;;=;")
def test_parse_and_assess_never_raise(value):
    """Any header text gives a result or None, never an exception."""
    parse_authentication_results(value)
    assess([value], "ana@staff.example")
    assess([value], "", authserv_id="mx")
