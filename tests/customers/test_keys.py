"""Match keys: conservative normalisation, so that a wrong merge cannot happen by accident."""

from __future__ import annotations

import pytest

from cxsuite.customers.keys import crm_id_key, email_key, keys_of, phone_key, phone_unreadable


@pytest.mark.parametrize(("raw", "key"), [
    ("  Ann.Lee@Example.COM ", "ann.lee@example.com"),
    ("ann.lee+news@gmail.com", "annlee@gmail.com"),          # Gmail ignores dots and +tags
    ("Ann.Lee@GoogleMail.com", "annlee@gmail.com"),
    ("ann.lee+news@example.com", "ann.lee+news@example.com"),  # other providers keep both
    ("info@bücher.de", "info@xn--bcher-kva.de"),
    ("not an address", None), ("", None), (None, None), ("a@b", None),
])
def test_email_keys(raw, key):
    assert email_key(raw) == key


def test_a_unicode_lookalike_never_folds_into_an_ascii_address():
    # U+212A KELVIN SIGN lower-cases to "k" with str.lower(): the CVE-2019-19844 takeover class
    assert email_key("\u212aate@example.com") != email_key("kate@example.com")


def test_phones_become_e164_only_when_valid():
    assert phone_key("+44 20 7946 0000", None) == "+442079460000"
    assert phone_key("8 612 34567", "LT") == phone_key("+370 612 34567", None) == "+37061234567"
    assert phone_key("612 34567", None) is None           # no "+" and no region: unreadable
    assert phone_unreadable("612 34567", None) and not phone_unreadable("", None)
    assert phone_key("555-2671", "US") is None             # possible, but not a valid number


def test_salesforce_ids_match_in_both_lengths():
    assert crm_id_key("salesforce", "0035g00000AbCdEAAV") == crm_id_key("salesforce", "0035g00000AbCdE")
    assert crm_id_key("hubspot", "12") is None  # too short to trust as a cross-system id


def test_a_record_lists_each_key_it_can_be_matched_by():
    keys = list(keys_of(source="hubspot", external_id="101", email="A@x.io", phone="+37061234567",
                        region=None, crm_refs={"salesforce": "0035g00000AbCdE"}, web_user_id="GA1.2.3"))
    assert keys == [("crm_id", "hubspot:101"), ("email", "a@x.io"), ("phone", "+37061234567"),
                    ("web_user_id", "GA1.2.3"), ("crm_id", "salesforce:0035g00000AbCdE")]
