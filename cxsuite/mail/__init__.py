"""Outbound email: one :class:`~cxsuite.mail.transport.Mailer` interface, SMTP through
aiosmtplib when ``CXSUITE_SMTP_URL`` is set, ``.eml`` files in ``$CXSUITE_DATA_DIR/outbox/``
otherwise, and the localised account messages (:mod:`cxsuite.mail.messages`).

Which message goes to whom, and when, is the identity domain's business
(:mod:`cxsuite.identity.notices`); this package only composes and delivers.
"""
