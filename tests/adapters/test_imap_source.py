"""The IMAP adapter against a real pymap server on loopback."""

import dataclasses

import pytest

from mailbot.adapters.imap_source import ImapSource, batches
from mailbot.errors import SourceAuthError, SourceError
from tests.servers import cfg, imap_server, smtp_sink  # noqa: F401  (fixtures)


def mail(n: int) -> bytes:
    return (f"From: s{n}@example.org\r\nTo: appeal@campaign.example\r\nSubject: m{n}\r\n"
            f"Message-ID: <m{n}@example.org>\r\n\r\nFirst name: A{n}\r\n").encode()


def test_new_uids_are_incremental(cfg):
    """Only UIDs above the last one seen come back, also when none are new."""
    with ImapSource(cfg.imap) as src:
        for n in range(3):
            src.append(mail(n))
        uids = src.new_uids(0)
        assert len(uids) == 3 and uids == sorted(uids)
        assert src.new_uids(uids[-1]) == []  # `n:*` would match the last UID: filtered
        assert src.new_uids(uids[0]) == uids[1:]


def test_fetch_peeks_and_mark_handled_sets_seen(cfg):
    """Fetching leaves mail unread; marking it handled sets \\Seen and nothing is deleted."""
    with ImapSource(cfg.imap) as src:
        src.append(mail(1))
        (uid,) = src.new_uids(0)
        heads = src.message_ids([uid])
        assert b"<m1@example.org>" in heads[uid][0]
        (raw,) = list(src.fetch([uid], {uid: heads[uid][1]}))
        assert raw.data.startswith(b"From: s1@example.org") and raw.uid == uid
        assert raw.arrived_at is not None and raw.arrived_at.tzinfo is not None
        assert b"\\Seen" not in src.client.get_flags([uid])[uid]
        src.mark_handled([uid])
        assert b"\\Seen" in src.client.get_flags([uid])[uid]
        assert src.client.search(["ALL"]) == [uid]


def test_processed_folder_moves_mail(cfg):
    """With processed_folder, handled mail is moved there, not deleted."""
    settings = dataclasses.replace(cfg.imap, processed_folder="Signatures")
    with ImapSource(settings) as src:
        src.append(mail(1))
        uids = src.new_uids(0)
        src.mark_handled(uids)
        assert src.client.search(["ALL"]) == []
        src.client.select_folder("Signatures")
        assert len(src.client.search(["ALL"])) == 1


def test_refused_login_names_the_server(cfg):
    """A wrong password says which server refused which user."""
    bad = dataclasses.replace(cfg.imap, password="wrong")
    with pytest.raises(SourceAuthError, match=r"IMAP server 127.0.0.1:\d+ refused the login for "
                                              r"'campaign'"):
        ImapSource(bad).connect()


def test_missing_folder_and_unreachable_server(cfg):
    """A missing folder and a closed port are clear errors, not tracebacks."""
    with pytest.raises(SourceError, match="has no folder 'Nope'"):
        ImapSource(dataclasses.replace(cfg.imap, folder="Nope")).connect()
    from mailbot.local_servers import free_port

    with pytest.raises(SourceError, match="cannot connect to IMAP server"):
        ImapSource(dataclasses.replace(cfg.imap, port=free_port())).connect()


def test_batches_bound_every_command():
    """UID lists are cut into batches of at most the configured size."""
    assert [len(b) for b in batches(list(range(1, 452)), 200)] == [200, 200, 51]
