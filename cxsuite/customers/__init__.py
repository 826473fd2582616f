"""One customer view: which records of a workspace's sources are the same real customer.

Consultancies' first recommendation is almost always "integrate the data into one customer
view", so the audit must show how far the client is from it. This package resolves identity
across every source of a workspace (CRMs, file imports) with deterministic, explainable rules:
normalised email, phone as E.164, the other system's id a record carries, and a web analytics
user id. Every merge keeps the keys that made it. Scoring reads the result
(``customer_link_rate``, ``duplicate_customer_rate``) and the report shows how fragmented the
client's customer data is. See ``docs/customer-view.md``.
"""
