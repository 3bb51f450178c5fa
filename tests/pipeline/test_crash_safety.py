"""SIGKILL at random points of a real poll ends in the same state as a run without the kill."""

from tests.crash_harness import compare, inbox, run


def test_random_kills_lose_and_double_nothing(tmp_path):
    """Six polls killed at random moments, then a full run: same signatures, lists and marks."""
    mails = inbox(extra_signers=40)
    reference = run(tmp_path / "reference", mails, kills=0, seed=0, window=0)
    assert reference.unfinished == 0 and len(reference.signatures) == 66
    crashed = run(tmp_path / "crashed", mails, kills=6, seed=20261123, window=2.5)
    assert crashed.kills >= 3, crashed.kill_times  # most kills must land inside a poll
    diff = compare(reference, crashed)
    allowed_duplicates = diff.pop("confirmations sent twice")
    assert diff == dict.fromkeys(diff, 0)
    assert allowed_duplicates <= crashed.kills
