"""Django's Redis cache, with one Redis client per server kept for the process's life.

Django's own makes a new `redis.Redis` client for every cache operation: the connections are
pooled, but building the client (its table of response callbacks) costs about as much CPU as
the round trip to Redis on loopback. Signed-in pages read the cache on every request (their
session and what the person may reach, accounts.access_cache), so it is made once here.
`redis.Redis` is safe to share between threads; it takes a connection from its pool for each
command.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
