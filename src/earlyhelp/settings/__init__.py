"""Settings modules: ``base`` (shared, read from the environment), ``local`` (the demo and
development), ``test`` and ``production`` (refuses to start without its required settings)."""
