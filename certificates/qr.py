"""QR codes printed on certificates, as inline SVG for both PDF engines.

The code carries the public verification URL and nothing else. Error correction is
fixed at Q and never boosted, so that a folded, stamped or badly printed certificate
still scans, and so that tests can rebuild exactly the same symbol.
"""

import io

import segno

#: Error correction level of every certificate QR code (recovers about 25 % damage).
ERROR_LEVEL = "q"

#: Printed width and height of the symbol, quiet zone included, in millimetres.
PRINTED_SIZE_MM = 30


def make_qr(url: str) -> segno.QRCode:
    """Build the QR symbol for ``url`` (a regular QR code, never a Micro QR)."""
    return segno.make(url, error=ERROR_LEVEL, boost_error=False, micro=False)


def qr_svg(url: str) -> str:
    """Return ``<svg>`` markup for ``url``, ready to be placed inside HTML.

    No XML declaration; the SVG namespace is kept because wkhtmltopdf's older WebKit
    wants it. The symbol is sized in millimetres for print, and its ``<title>`` names
    the URL for screen readers and text extraction.
    """
    qr = make_qr(url)
    width_modules, _ = qr.symbol_size()  # includes the 4-module quiet zone
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        title=f"QR code to verify this certificate: {url}",
        unit="mm",
        scale=round(PRINTED_SIZE_MM / width_modules, 4),
        svgclass="qr",
        lineclass=None,
        nl=False,
    )
    return buffer.getvalue().decode("utf-8")
