"""The public pages' throttles (issue 12, "Throttles per process"): counters live in the
shared cache (the database by default, Redis when configured), so 30 tries are 30 for the
whole server and survive a restart; behind a trusted reverse proxy the client's address is
read from X-Forwarded-For, and only then."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory

from oneseal.config.env import cache_from_url
from oneseal.core.throttle import client_address, throttled


@pytest.fixture(autouse=True)
def _fresh(db):
    cache.clear()
    yield
    cache.clear()


def _request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/progress/", **extra)


def test_the_default_cache_is_the_database_shared_by_every_process():
    assert isinstance(caches["default"], DatabaseCache)
    assert "oneseal_cache" in connection.introspection.table_names()
    request = _request("203.0.113.7")
    for _ in range(3):
        assert not throttled(request, "progress", tries=3, window=600)
    # another worker process has its own cache object but reads the same table
    other_worker = DatabaseCache("oneseal_cache", {})
    assert other_worker.get("progress-tries:203.0.113.7") == 3
    assert throttled(request, "progress", tries=3, window=600)


def test_the_cache_table_is_made_after_migrate(db):
    from django.core.management.sql import emit_post_migrate_signal

    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("DROP TABLE oneseal_cache")
    assert "oneseal_cache" not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "oneseal_cache" in connection.introspection.table_names()


@pytest.mark.parametrize(("url", "backend"), [
    ("", "django.core.cache.backends.db.DatabaseCache"),
    ("db://", "django.core.cache.backends.db.DatabaseCache"),
    ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ("rediss://cache.internal:6380/0", "django.core.cache.backends.redis.RedisCache"),
    ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
])
def test_cache_url_chooses_the_backend(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend
    if url.startswith("redis"):
        assert cache_from_url(url)["LOCATION"] == url


def test_an_unknown_cache_url_is_refused_in_chinese():
    with pytest.raises(ImproperlyConfigured) as err:
        cache_from_url("memcached://x")
    assert "ONESEAL_CACHE_URL 无法识别" in str(err.value)


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.ONESEAL_TRUSTED_PROXIES = []
    assert client_address(_request("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.ONESEAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # a client forging the header to dodge its limit still counts as itself
    assert client_address(_request("198.51.100.9", "6.6.6.6")) == "198.51.100.9"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_address(settings):
    settings.ONESEAL_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # the client wrote "6.6.6.6" itself; the proxy appended the address it saw
    assert client_address(_request("10.0.0.5", "6.6.6.6, 203.0.113.50")) == "203.0.113.50"
    # two proxies in a row: both trusted, skipped
    assert client_address(_request("192.0.2.1", "203.0.113.51, 10.1.2.3")) == "203.0.113.51"
    # nothing but proxies, or garbage: the peer is counted
    assert client_address(_request("10.0.0.5", "10.0.0.6")) == "10.0.0.5"
    assert client_address(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"
    assert client_address(_request("10.0.0.5")) == "10.0.0.5"


def test_two_clients_behind_one_trusted_proxy_have_their_own_limits(settings):
    settings.ONESEAL_TRUSTED_PROXIES = ["10.0.0.1"]
    first, second = _request("10.0.0.1", "203.0.113.1"), _request("10.0.0.1", "203.0.113.2")
    for _ in range(2):
        assert not throttled(first, "verify", tries=2, window=600)
    assert throttled(first, "verify", tries=2, window=600)
    assert not throttled(second, "verify", tries=2, window=600)


def test_progress_page_limit_holds_across_workers_sharing_the_cache(client, settings):
    """The progress page's limit (cases/views_portal.py) is counted in the shared table:
    what one worker counted, the next sees."""
    from oneseal.cases import views_portal

    DatabaseCache("oneseal_cache", {}).set("progress-tries:127.0.0.1", views_portal.TRIES,
                                           views_portal.WINDOW)
    blocked = client.post("/progress/", {"number": "X", "query_code": "Y"})
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()
