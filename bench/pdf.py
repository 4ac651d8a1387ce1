"""Certificate PDF benchmark: both rendering engines, signing, and render + sign.

Renders the same bilingual certificate (logo, two signatories, one signature image)
with WeasyPrint and with wkhtmltopdf, after one warm-up each, ROUNDS times each, and
times the PAdES signature. Uses the configured signing key pair, or a throw-away one
made in a temporary folder. No database is needed.

    .venv/bin/python bench/pdf.py
    ROUNDS=100 .venv/bin/python bench/pdf.py

The last line is one JSON object. "issue_median_ms" is render (WeasyPrint) + sign,
timed together; the storage step of issuing (writing the file through Django's storage
and saving its SHA-256) belongs to certificates.services and is not included.
"""

import io
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from certificates import rendering, signing  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "30"))


def _png(width: int, height: int, draw) -> bytes:
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw(ImageDraw.Draw(image), width, height)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sample_content() -> rendering.CertificateContent:
    signature = _png(
        360,
        110,
        lambda d, w, h: d.line(
            [(6, h - 12), (w // 3, 12), (w // 2, h - 20), (w - 6, 16)],
            fill=(20, 30, 90, 255),
            width=5,
        ),
    )
    logo = _png(
        240, 100, lambda d, w, h: d.ellipse((70, 5, 170, 95), fill=(11, 85, 99, 255))
    )
    design = rendering.CertificateDesign(
        title_en="Certificate of Completion",
        title_ar="شهادة إتمام",
        statement_en="has successfully completed the training course",
        statement_ar="قد أتمّ بنجاح الدورة التدريبية",
        signatories=(
            rendering.Signatory(
                "Fatima Al-Rashed",
                "Head of the National Committee",
                "فاطمة الراشد",
                "رئيسة اللجنة الوطنية",
                signature,
            ),
            rendering.Signatory(
                "Ahmad Al-Mutairi",
                "Director of Training",
                "أحمد المطيري",
                "مدير التدريب",
            ),
        ),
        logo_png=logo,
    )
    return rendering.CertificateContent(
        code="TDRB-7F3K-9QX2-MB4T-KQ8W",
        name_en="Abdullah Mohammed Al-Enezi",
        name_ar="عبدالله محمد العنزي",
        course_en="Identifying and Protecting Victims of Trafficking in Persons",
        course_ar="التعرف على ضحايا الاتجار بالأشخاص وحمايتهم",
        ministry_en="Ministry of Interior",
        ministry_ar="وزارة الداخلية",
        verify_url="https://tadreeb.example/verify/TDRB-7F3K-9QX2-MB4T-KQ8W/",
        issued_on=date(2025, 3, 12),
        expires_on=date(2027, 3, 12),
        design=design,
    )


def timed(function, rounds: int = ROUNDS) -> list[float]:
    function()  # warm-up: imports, font configuration, key loading
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run() -> dict[str, float]:
    content = sample_content()
    weasy = timed(lambda: rendering.render_pdf(content, engine="weasyprint"))
    wkhtml = timed(lambda: rendering.render_pdf(content, engine="wkhtmltopdf"))
    pdf = rendering.render_pdf(content, engine="weasyprint")
    sign = timed(lambda: signing.sign_pdf(pdf))
    issue = timed(
        lambda: signing.sign_pdf(rendering.render_pdf(content, engine="weasyprint"))
    )

    print(f"bench/pdf.py: {ROUNDS} runs each after one warm-up; sizes in bytes")
    print(f"{'step':<28} {'median ms':>10} {'p95 ms':>8} {'size':>8}")
    rows = [
        ("render, WeasyPrint (PDF/A)", weasy, len(pdf)),
        (
            "render, wkhtmltopdf",
            wkhtml,
            len(rendering.render_pdf(content, "wkhtmltopdf")),
        ),
        ("sign (PAdES, P-256)", sign, len(signing.sign_pdf(pdf))),
        ("issue = render + sign", issue, None),
    ]
    for label, timings, size in rows:
        ordered = sorted(timings)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        print(
            f"{label:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} "
            f"{size if size is not None else '':>8}"
        )
    ratio = statistics.median(wkhtml) / statistics.median(weasy)
    print(f"WeasyPrint is {ratio:.1f}x faster than wkhtmltopdf (goal: at least 2.5x)")
    return {
        "weasyprint_median_ms": round(statistics.median(weasy), 1),
        "wkhtmltopdf_median_ms": round(statistics.median(wkhtml), 1),
        "sign_median_ms": round(statistics.median(sign), 1),
        "issue_median_ms": round(statistics.median(issue), 1),
    }


def main() -> None:
    # WeasyPrint reports each layout step at INFO; keep the table readable.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    if signing.signing_configured():
        result = run()
    else:
        with tempfile.TemporaryDirectory(prefix="tadreeb-bench-") as folder:
            call_command("make_dev_signing_key", dir=folder, stdout=io.StringIO())
            with override_settings(
                CERTIFICATES_SIGNING_KEY=str(Path(folder) / "signing-key.pem"),
                CERTIFICATES_SIGNING_CERT=str(Path(folder) / "signing-cert.pem"),
            ):
                result = run()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
