"""The connector platform's core: the contract plugins implement, canonical records, the
egress policy and HTTP client every connector uses, and the sync engine (batches, idempotent
upserts, checkpoints).

Public API for plugin authors: :class:`BaseConnector`, :class:`StreamSpec`,
:class:`OAuth2Spec`, :class:`Batch`, :class:`RecordError`, :class:`TokenSet`, the record
types in :mod:`cxsuite.connectors.records`, the row mapping helpers in
:mod:`cxsuite.connectors.mapping` and the bounded file readers in :mod:`cxsuite.connectors.files`.
"""

from cxsuite.connectors.contract import (
    BaseConnector,
    Batch,
    ConnectorContext,
    OAuth2Spec,
    RecordError,
    RetryHint,
    StreamSpec,
    TokenSet,
)

__all__ = ["BaseConnector", "Batch", "ConnectorContext", "OAuth2Spec", "RecordError", "RetryHint",
           "StreamSpec", "TokenSet"]
