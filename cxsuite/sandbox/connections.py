"""How cxsuite's own connectors are configured to talk to this sandbox instead of the vendor:
the connection configuration per connector key, given the sandbox's base URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SANDBOX_CONFIG: dict[str, Callable[[str], dict[str, Any]]] = {
    "hubspot": lambda base: {"base_url": f"{base}/hubspot"},
    # The sandbox org keeps lifecycle stage and churn date in custom Contact fields, as real orgs do.
    "salesforce": lambda base: {"base_url": f"{base}/salesforce",
                                "contact_lifecycle_field": "Lifecycle_Stage__c",
                                "contact_churn_field": "Churn_Date__c"},
    # The sandbox Zoho org keeps lifecycle, churn and case service times in custom fields.
    "zoho": lambda base: {"base_url": f"{base}/zoho", "contact_lifecycle_field": "Lifecycle_Stage",
                          "contact_churn_field": "Churn_Date",
                          "case_first_response_field": "First_Response_Time",
                          "case_resolved_field": "Resolved_Time", "case_csat_field": "Customer_Satisfaction"},
    "ga4": lambda base: {"base_url": base, "property_id": "412345678"},
}


def sandbox_config(connector: str, base_url: str) -> dict[str, Any]:
    """The configuration of ``connector`` pointing at the sandbox at ``base_url``."""
    return SANDBOX_CONFIG[connector](base_url)
