"""The fault suite: ``python -m bench.faults`` (see ``docs/reliability.md``)."""
