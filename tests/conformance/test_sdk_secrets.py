"""Docker pull secrets through the real SDK (docs/reference/v1-api.md#secrets)."""
import base64
import json

import pytest

from rapyuta_io import Secret, SecretConfigDocker
from rapyuta_io.clients.secret import SecretType
from rapyuta_io.utils.error import ResourceNotFoundError

from .rio_conformance import PROJECT


def test_secret_lifecycle(rio):
    created = rio.client.create_secret(Secret("conf-registry", SecretConfigDocker("robot", "s3cret", "robot@example.com")))
    assert created.guid.startswith("secret-")
    assert created.name == "conf-registry"
    assert created.secret_type == SecretType.DOCKER

    fetched = rio.client.get_secret(created.guid)
    assert fetched.guid == created.guid and fetched.name == "conf-registry"
    assert fetched.project_guid == PROJECT
    assert [s.guid for s in rio.client.list_secrets()] == [created.guid]

    updated = rio.client.update_secret(created.guid, Secret("conf-registry", SecretConfigDocker(
        "robot", "n3w-s3cret", "robot@example.com", registry="https://registry.example.com/v1/")))
    assert updated.guid == created.guid

    rio.client.delete_secret(created.guid)
    assert rio.client.list_secrets() == []
    with pytest.raises(ResourceNotFoundError):
        rio.client.get_secret(created.guid)


def test_secret_body_is_the_dockercfg_shape(rio):
    # what the SDK sends (docs/reference/v1-api.md#secrets): data[".dockercfg"] = base64(JSON{registry: {username, password, email, auth}})
    config = SecretConfigDocker("robot", "s3cret", "robot@example.com")
    body = Secret("conf-shape-secret", config).serialize()
    decoded = json.loads(base64.b64decode(body["data"][".dockercfg"]))
    assert decoded["https://index.docker.io/v1/"]["username"] == "robot"
    created = rio.client.create_secret(Secret("conf-shape-secret", config))
    assert rio.client.get_secret(created.guid).name == "conf-shape-secret"
