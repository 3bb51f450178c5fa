"""Mail from files, for backfill: a Maildir, an mbox file, or a folder of .eml files."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from mailbot.errors import SourceError


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new"))


def count_messages(path: Path) -> int | None:
    """How many messages `read_messages` will yield, when cheap to know (for progress)."""
    if _is_maildir(path):
        return sum(1 for sub in ("new", "cur") for f in (path / sub).iterdir() if f.is_file())
    if path.is_dir():
        return sum(1 for f in path.iterdir() if f.suffix.lower() == ".eml" and f.is_file())
    return None


def read_messages(path: Path, max_bytes: int = 25 * 1024 * 1024) -> Iterator[bytes]:
    """Raw messages in a stable order: file-name order for .eml folders, storage order otherwise.

    Each message is read up to max_bytes (the rest is never loaded), like the IMAP source does.
    """
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    if _is_maildir(path):
        maildir = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(maildir.keys()):
            with maildir.get_file(key) as handle:
                yield handle.read(max_bytes)
        return
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.suffix.lower() == ".eml" and f.is_file())
        if not files:
            raise SourceError(f"{path}: no .eml files, and not a Maildir (no cur/ and new/)")
        for file in files:
            with file.open("rb") as handle:
                yield handle.read(max_bytes)
        return
    with path.open("rb") as handle:
        head = handle.read(5)
    if head != b"From ":
        if path.suffix.lower() == ".eml":
            with path.open("rb") as handle:
                yield handle.read(max_bytes)
            return
        raise SourceError(f"{path}: not an mbox file (it does not start with 'From '), "
                          f"a Maildir or a folder of .eml files")
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)[:max_bytes]
    finally:
        box.close()
