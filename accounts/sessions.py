"""Sessions in the database, with a copy in Redis when it is configured (SESSION_ENGINE).

Django's cached_db engine: a request reads its session from the cache, and from the database
only when the cache has none; every write goes to both. This one also keeps working when
Redis is down, as the rest of the site does: the database alone answers, and nothing is lost,
since the database always holds every session. Ending a person's sessions deletes both copies
(accounts.services.user_sessions_end).
"""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from accounts import access_cache

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def load(self):
        if access_cache.people_in_cache():
            # With the person the session is signed in as, in the same round trip to Redis
            # (accounts.access_cache.session_and_person; kept on the store for the middleware).
            try:
                data, self.lantern_person = access_cache.session_and_person(
                    self._cache, self.cache_key, self.session_key
                )
            except Exception:  # noqa: BLE001 - as below: Django's own read, then the database
                logger.warning("Cache unavailable; session read apart", exc_info=True)
                self.__dict__.pop("lantern_person", None)
            else:
                if data is not None:
                    return data
        try:
            return super().load()
        except Exception:  # noqa: BLE001 - the cache failed after the database answered
            logger.warning("Cache unavailable; session read from the database", exc_info=True)
            session = self._get_session_from_db()
            return self.decode(session.session_data) if session else {}

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:  # noqa: BLE001
            return super(CachedDBStore, self).exists(session_key)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except Exception:  # noqa: BLE001 - the database row is gone; the cached copy expires
            logger.warning("Cache unavailable; session deleted from the database only", exc_info=True)
