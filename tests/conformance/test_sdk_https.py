"""The SDK over HTTPS, as against the real platform: an emulator serving TLS with a throw-away
self-signed certificate for 127.0.0.1, trusted through REQUESTS_CA_BUNDLE (requests reads it per
request). Without that trust the SDK must refuse the connection."""
import datetime
import ipaddress
import os
import shutil
import tempfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rapyuta_io.utils.error import APIError

from .rio_conformance import POLL_RETRIES, POLL_SLEEP, Rio, start_emulator


def _self_signed(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls_emulator():
    workdir = tempfile.mkdtemp(prefix="rio-conformance-tls-")
    cert, key = _self_signed(workdir)
    process = start_emulator(workdir, extra_args=["--tls-cert", cert, "--tls-key", key], cafile=cert)
    process.cert = cert
    try:
        yield process
    finally:
        process.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def test_sdk_flow_over_https(tls_emulator, monkeypatch):
    assert tls_emulator.url.startswith("https://127.0.0.1:")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_emulator.cert)
    tls_emulator.reset()
    rio = Rio(tls_emulator, rio_config=tls_emulator.sdk_config())
    answer, package = rio.create("cloud-non-ros.json")
    deployment = package.provision("conf-over-tls", package.get_provision_configuration())
    status = deployment.poll_deployment_till_ready(retry_count=POLL_RETRIES, sleep_interval=POLL_SLEEP)
    assert status.phase == "Succeeded" and status.status == "Running"
    assert [p.packageId for p in rio.client.get_all_packages()] == [answer["packageId"]]
    assert rio.client.get_all_devices()


def test_untrusted_certificate_is_refused(tls_emulator, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    rio = Rio(tls_emulator, rio_config=tls_emulator.sdk_config())
    with pytest.raises(APIError) as caught:
        rio.client.get_all_packages()  # retry_limit=0: one attempt, no SDK back-off sleeps
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value) or "certificate" in str(caught.value).lower()
