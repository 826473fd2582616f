"""Loopback stand-ins for HubSpot, Salesforce, Zoho CRM and Google Analytics 4.

One ASGI app serves all four vendors on one port, seeded with one deterministic client
company (``world.py``), so tests, the demo and the connector test kit exercise connectors
against the vendors' real paths, paging, OAuth, errors and limits without the internet.

How a real base URL maps to the sandbox (``{base}`` = e.g. ``http://127.0.0.1:8765``):

=====================================================  ==================================================
real                                                   sandbox
=====================================================  ==================================================
``https://app.hubspot.com`` (``/oauth/authorize``)      ``{base}/hubspot``
``https://api.hubapi.com`` (``/oauth/v1/token``,        ``{base}/hubspot``
``/crm/v3/objects/{type}``, ``/search``, pipelines)
``https://login.salesforce.com`` / ``test.``            ``{base}/salesforce`` (``/services/oauth2/...``)
``instance_url`` (``https://x.my.salesforce.com``)      ``{base}/salesforce`` — returned by the token call;
                                                       ``/services/data/...`` is also served at ``{base}``
``https://accounts.zoho.<tld>`` (us, eu, in, au, jp,    ``{base}/zoho/accounts/<dc>`` (``/oauth/v2/auth``,
ca, sa, uk, cn)                                         ``/oauth/v2/token``); ``accounts-server`` in the
                                                       authorize redirect points at the user's DC
``api_domain`` (``https://www.zohoapis.<tld>``)         ``{base}/zoho/api/<dc>`` (``/crm/v8/{Module}``)
``https://accounts.google.com`` (``/o/oauth2/auth``)    ``{base}/google``
``https://oauth2.googleapis.com`` (``/token``)          ``{base}/google``
``https://analyticsdata.googleapis.com``                ``{base}/ga4`` (``/v1beta/properties/{id}:runReport``)
=====================================================  ==================================================

Google's token endpoint also takes the service-account (JWT-bearer) grant, signed with the
key file ``Sandbox.service_account_key(base_url)`` hands out (``RunningSandbox.service_account_key()``).
The OAuth clients the sandbox accepts are ``oauth.CLIENTS``; ``/_sandbox/info`` lists them
with the URLs. Start it with ``server.running()`` (tests) or ``server.serve()`` (CLI).
Faults (HTTP errors, outages that really close the port, resets, slow responses, a spent daily
quota, a revoked grant) are queued with ``Sandbox.inject`` or ``POST /_sandbox/faults``; the
network kinds live in ``faults.py``.
"""

from cxsuite.sandbox.oauth import CLIENTS
from cxsuite.sandbox.server import RunningSandbox, running, running_async, serve, start
from cxsuite.sandbox.state import Limits, Sandbox

__all__ = ["CLIENTS", "Limits", "RunningSandbox", "Sandbox", "running", "running_async", "serve", "start"]
