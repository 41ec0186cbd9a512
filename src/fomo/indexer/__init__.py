"""FOMO chain indexer: follows the suite's events into the database (see ``docs/indexer.md``).

* :class:`~fomo.indexer.core.Indexer` — ``step()`` / ``sync()`` / ``run_forever(stop_event)``;
* :func:`~fomo.indexer.worker.create_worker` — the `fomo up` worker hook;
* :mod:`fomo.indexer.queries` — reads built on the indexed tables (time-weighted stake …).
"""
