"""Errors an organizer can act on; the shells print them as one line."""


class MailbotError(Exception):
    """Root of every error mailbot expects and explains."""


class ConfigError(MailbotError):
    """The configuration file is wrong: the message says where and how to fix it."""


class SourceError(MailbotError):
    """The mailbox could not be read."""


class SourceAuthError(SourceError):
    """The IMAP server refused the login."""


class SourceTimeout(SourceError, TimeoutError):
    """The IMAP server did not answer in time."""


class SendError(MailbotError):
    """A mail could not be sent."""


class TemporarySendError(SendError):
    """Sending failed for now; retry later."""


class PermanentSendError(SendError):
    """Sending failed for good; record it and stop trying."""
