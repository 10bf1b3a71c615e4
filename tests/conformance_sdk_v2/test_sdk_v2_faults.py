"""Injected faults reach sdk-v2 as its own server-error exceptions (the fault flags apply to v2 routes,
docs/reference/v2-api.md#errors)."""
import pytest
from rapyuta_io_sdk_v2.exceptions import InternalServerError, ServiceUnavailableError

from .sdkv2_support import cloud_package


@pytest.fixture
def faults(emulator):
    def inject(kind):
        status, answer = emulator.raw("POST", "/_emulator/faults", {"rate": 1.0, "kinds": [kind], "seed": 1})
        assert status == 200, answer
    yield inject
    status, answer = emulator.raw("POST", "/_emulator/faults", {"rate": 0.0})
    assert status == 200, answer


@pytest.mark.parametrize("kind, exception", [("500", InternalServerError), ("503", ServiceUnavailableError)])
def test_an_injected_fault_is_the_sdks_exception(sdk, faults, kind, exception):
    faults(kind)
    with pytest.raises(exception):
        sdk.list_packages()
    with pytest.raises(exception):
        sdk.create_package(cloud_package("never-stored"))


def test_after_the_faults_the_routes_answer_again(sdk, faults, emulator):
    faults("503")
    with pytest.raises(ServiceUnavailableError):
        sdk.get_myself()
    assert emulator.raw("POST", "/_emulator/faults", {"rate": 0.0})[0] == 200
    assert sdk.get_myself().spec.email_id
    assert sdk.list_packages().items in ([], None)
