"""PAdES signatures on certificate PDFs (pyHanko, EC P-256).

Signing is switched on by two settings holding PEM paths, ``CERTIFICATES_SIGNING_KEY``
and ``CERTIFICATES_SIGNING_CERT`` (plus ``CERTIFICATES_SIGNING_KEY_PASSWORD`` for an
encrypted key). ``manage.py make_dev_signing_key`` writes a self-signed development
pair; production uses a certificate from a real authority.

The signature is appended as an incremental update, so the bytes WeasyPrint wrote,
PDF/A-3b identification included, stay exactly as they were and are covered by the
signature. The signature is PAdES baseline B-B: no timestamp, since that would need a
timestamping authority on the network.
"""

import asyncio
import concurrent.futures
import functools
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNATURE_FIELD = "TadreebSignature"
SIGNATURE_REASON = "Issued certificate; verify at the address printed on it."


@dataclass
class SignatureCheck:
    """What ``check_signature`` found in a PDF.

    ``intact``: the bytes covered by the signature are unchanged. ``valid``: intact,
    the signature itself verifies and it covers the whole file (nothing appended
    after signing). ``trusted``: valid and the signer chains to the configured issuer
    certificate.
    """

    signed: bool
    intact: bool
    valid: bool
    signer: str
    trusted: bool = False


def signing_configured() -> bool:
    """True when both the signing key and certificate paths are set."""
    return bool(_key_path() and _cert_path())


def sign_pdf(pdf: bytes) -> bytes:
    """Return ``pdf`` with a PAdES signature appended as an incremental update.

    Raises ``ImproperlyConfigured`` when signing is not configured or the key pair
    cannot be loaded.
    """
    from pyhanko.sign import fields, signers

    signer = _signer()
    writer = _pdfa_writer_class()(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=SIGNATURE_REASON,
    )
    output = _outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer)
    return output.getvalue()


def has_signature(pdf: bytes) -> bool:
    """True when ``pdf`` carries an embedded signature, valid or not (no validation:
    cheap enough to ask of every stored PDF)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return bool(PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return False


def issuer_certificate_pem() -> bytes | None:
    """The configured signing certificate (with any chain in its file), as PEM."""
    cert_path = _cert_path()
    if not cert_path:
        return None
    return Path(cert_path).read_bytes()


def check_signature(pdf: bytes) -> SignatureCheck:
    """Validate the last signature in ``pdf``; never raises for a malformed file."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        return SignatureCheck(signed=False, intact=False, valid=False, signer="")
    if not signatures:
        return SignatureCheck(signed=False, intact=False, valid=False, signer="")

    embedded = signatures[-1]
    try:
        status = _outside_event_loop(
            validate_pdf_signature,
            embedded,
            signer_validation_context=_validation_context(),
        )
    # pyHanko's SignatureValidationError is a ValueError.
    except (PdfError, ValueError, KeyError, TypeError):
        return SignatureCheck(
            signed=True, intact=False, valid=False, signer=_signer_name(embedded)
        )
    valid = bool(
        status.intact
        and status.valid
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact),
        valid=valid,
        signer=status.signing_cert.subject.human_friendly,
        trusted=valid and status.trusted,
    )


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls start their own asyncio loop, which fails in a
    thread that already runs one (an ASGI worker, a browser-driving test): run them
    in a short-lived thread there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


# Configuration and caches -------------------------------------------------------------


def _key_path() -> str | None:
    return getattr(settings, "CERTIFICATES_SIGNING_KEY", None) or None


def _cert_path() -> str | None:
    return getattr(settings, "CERTIFICATES_SIGNING_CERT", None) or None


# Loading and parsing the key pair costs a few milliseconds; keep the signer per
# process, keyed by the files (and their modification times, so a replaced pair is
# picked up without a restart).
_signers: dict[tuple, object] = {}
_signers_lock = threading.Lock()


def _signer():
    from pyhanko.sign import signers

    key_path, cert_path = _key_path(), _cert_path()
    if not (key_path and cert_path):
        raise ImproperlyConfigured(
            "Certificate signing is not configured: set CERTIFICATES_SIGNING_KEY and "
            "CERTIFICATES_SIGNING_CERT to PEM files (manage.py make_dev_signing_key "
            "writes a development pair)."
        )
    try:
        cache_key = (
            key_path,
            cert_path,
            Path(key_path).stat().st_mtime_ns,
            Path(cert_path).stat().st_mtime_ns,
        )
    except OSError as error:
        raise ImproperlyConfigured(
            f"Certificate signing key or certificate is missing: {error}"
        ) from error
    with _signers_lock:
        signer = _signers.get(cache_key)
        if signer is None:
            password = getattr(settings, "CERTIFICATES_SIGNING_KEY_PASSWORD", None)
            signer = signers.SimpleSigner.load(
                key_path,
                cert_path,
                key_passphrase=password.encode() if password else None,
            )
            if signer is None:
                raise ImproperlyConfigured(
                    "Could not load the certificate signing key pair from "
                    f"{key_path} and {cert_path} (wrong format or password?)."
                )
            _signers.clear()
            _signers[cache_key] = signer
    return signer


def _validation_context():
    """Trust the configured issuer certificate only; never fetch anything online."""
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    cert_path = _cert_path()
    trust_roots = list(load_certs_from_pemder([cert_path])) if cert_path else []
    return ValidationContext(trust_roots=trust_roots, allow_fetching=False)


@functools.cache
def _pdfa_writer_class():
    """pyHanko's incremental writer, keeping the two metadata copies in step.

    When it appends a revision, pyHanko sets the XMP ``pdf:Producer`` to
    "pyHanko <version>" but appends that text to the document information
    ``/Producer`` instead ("WeasyPrint 70.0; pyHanko 0.38.0"). PDF/A requires both to
    be equal, so the information entry takes the XMP value.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR

    class PdfAIncrementalWriter(IncrementalPdfFileWriter):
        def _update_meta(self):
            super()._update_meta()
            info_ref = getattr(self, "_info", None)
            if info_ref is None or "/Metadata" not in self.root:
                return
            info = info_ref.get_object()
            if info.get("/Producer") != VENDOR:
                info["/Producer"] = generic.TextStringObject(VENDOR)
                self.mark_update(info_ref)

    return PdfAIncrementalWriter


def _signer_name(embedded) -> str:
    try:
        return embedded.signer_cert.subject.human_friendly
    except (AttributeError, KeyError, ValueError):
        return ""
