"""Write a self-signed EC P-256 key pair for signing certificate PDFs in development."""

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

KEY_FILE = "signing-key.pem"
CERT_FILE = "signing-cert.pem"
SUBJECT = "Tadreeb development signing"
VALIDITY = dt.timedelta(days=730)


class Command(BaseCommand):
    help = (
        "Generate a self-signed EC P-256 key and certificate for signing certificate "
        f"PDFs in development ({KEY_FILE} and {CERT_FILE}). Does nothing when both "
        "files exist, unless --force. Refused where demo data is not allowed "
        "(production settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="directory",
            default=None,
            help="Folder for the two files (default: var/signing/ under BASE_DIR).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing pair (PDFs signed before stay verifiable only "
            "against the old certificate).",
        )

    def handle(self, *args, directory=None, force=False, **options):
        if not getattr(settings, "TADREEB_DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "Refusing to create a development signing key under production "
                "settings: use a key and certificate from a real authority and set "
                "CERTIFICATES_SIGNING_KEY and CERTIFICATES_SIGNING_CERT."
            )
        default_folder = Path(settings.BASE_DIR) / "var" / "signing"
        folder = Path(directory) if directory else default_folder
        key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
        if key_path.exists() and cert_path.exists() and not force:
            self.stdout.write(f"Development signing key pair already in {folder}.")
            return
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} exists and is not a folder.")
        folder.mkdir(parents=True, exist_ok=True)

        key = ec.generate_private_key(ec.SECP256R1())
        _write_private(
            key_path,
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        cert_path.write_bytes(
            _self_signed_certificate(key).public_bytes(serialization.Encoding.PEM)
        )
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {key_path} and {cert_path}.")
            + "\nPoint CERTIFICATES_SIGNING_KEY and CERTIFICATES_SIGNING_CERT at them."
        )


def _self_signed_certificate(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tadreeb"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    public_key = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation, expected on PAdES signers
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
        .sign(key, hashes.SHA256())
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` readable by its owner only, without a moment of wider access."""
    if path.exists():
        path.unlink()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.chmod(path, 0o600)  # exactly 0600, whatever the umask took away
