"""cxsuite: the backend a customer-experience consultancy runs its client audits on.

Plugins write ``from cxsuite import hookimpl`` and implement hooks from
:mod:`cxsuite.hookspecs`.
"""

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("cxsuite")
