"""cxsuite: the backend a customer-experience consultancy runs its client audits on."""

__version__ = "0.1.0"
