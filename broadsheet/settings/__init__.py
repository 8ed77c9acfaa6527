"""Settings: ``base`` (shared), ``dev`` (the default), ``test`` and ``production``."""
