"""The login password hash: Argon2id at the OWASP minimum (see oneseal.accounts.hashers)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from django.contrib.auth.hashers import check_password, make_password

from oneseal.accounts.hashers import OneSealArgon2PasswordHasher
from tests.factories import UserFactory


def test_new_passwords_are_hashed_with_argon2id_at_19_mib_2_iterations_1_lane():
    encoded = make_password("an-applicant's passphrase")
    assert encoded.startswith("argon2$argon2id$")
    params = extract_parameters(encoded.removeprefix("argon2"))
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert check_password("an-applicant's passphrase", encoded)
    assert not check_password("another passphrase", encoded)


@pytest.mark.django_db
def test_a_hash_with_django_s_dearer_defaults_still_logs_in_and_is_rewritten_on_login():
    old = "argon2" + PasswordHasher(time_cost=2, memory_cost=102400, parallelism=8).hash(
        "old-passphrase-1")
    user = UserFactory(username="legacy")
    user.password = old
    user.save(update_fields=["password"])
    assert user.check_password("old-passphrase-1")  # upgrades through the setter
    user.refresh_from_db()
    assert user.password != old
    assert not OneSealArgon2PasswordHasher().must_update(user.password)
    assert user.check_password("old-passphrase-1")
