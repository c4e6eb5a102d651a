"""Appeal import, reading: text in any common encoding, HTML, PDF and e-mail; one clear error for bad input."""

from email.message import EmailMessage

import pytest
from django.test import override_settings

from campaigns.appeals.reading import AppealReadError, appeal_read, cloudflare_decode, html_to_text, source_from_text

SPANISH = "Envíen sus mensajes de protesta a la Fiscalía «ya» — ¡por la vida!\n"
RUSSIAN = "Направляйте протесты в компанию Казахмыс: факс 007-3102-768247, копии профсоюзу.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SPANISH.encode("utf-8"), "utf-8"),
        (SPANISH.encode("cp1252"), "cp1252"),
        (b"\xef\xbb\xbf" + SPANISH.encode("utf-8"), "utf-8"),
        (SPANISH.encode("utf-16"), "utf-16"),
        ((RUSSIAN * 8).encode("cp1251"), None),
        ((RUSSIAN * 8).encode("koi8-r"), None),
    ],
)
def test_plain_text_in_common_encodings(data, encoding):
    source = appeal_read(data, filename="appeal.txt")
    expected = SPANISH if "Envíen" in source.text else RUSSIAN * 8
    assert source.text == expected
    assert source.kind == "text"
    if encoding:
        assert source.encoding == encoding


def test_windows_line_endings_become_newlines():
    assert appeal_read(b"one\r\ntwo\r\n").text == "one\ntwo\n"


def test_html_blocks_become_paragraphs_and_scripts_and_navigation_go():
    html = b"""<html><head><title>Urgent action</title><meta name="description" content="Union leaders held.">
    <script>var x = 1;</script></head><body><nav>Home | Donate</nav><article><h1>Free them</h1>
    <p>Two union   leaders were
    arrested.</p><p>Fax: +44 20 7946 0001<br>Email: <a href="mailto:minister@gov.example">the minister</a></p>
    <ul><li>release them</li><li>drop the charges</li></ul></article><footer>Share</footer></body></html>"""
    source = appeal_read(html, filename="ua.html")
    assert source.kind == "html"
    assert source.title == "Urgent action"
    assert source.summary == "Union leaders held."
    assert "var x" not in source.text and "Donate" not in source.text and "Share" not in source.text
    assert (
        "Free them\n\nTwo union leaders were arrested.\n\nFax: +44 20 7946 0001\nEmail: the minister <minister@gov.example>"
        in source.text
    )
    assert "- release them\n- drop the charges" in source.text


def test_html_recovers_addresses_hidden_by_cloudflare_and_keeps_masked_text_otherwise():
    # Cloudflare's e-mail protection XORs the address with its first byte; the page itself holds it.
    key = 0x42
    hidden = bytes([key]) + bytes(b ^ key for b in b"info@union.example")
    html = f"""<p>Write to <a href="/cdn-cgi/l/email-protection" class="__cf_email__"
    data-cfemail="{hidden.hex()}">[email&#160;protected]</a>
    or to <a href="/cdn-cgi/l/email-protection#{hidden.hex()}">[email&#160;protected]</a>.
    Copies to [email&#160;protected]</p>"""
    text, _, _ = html_to_text(html)
    assert text.count("info@union.example") == 2
    assert "Copies to [email protected]" in text  # nothing to recover: stays masked
    assert cloudflare_decode("zz") is None and cloudflare_decode("42") is None


@pytest.fixture
def pdf_bytes():
    weasyprint = pytest.importorskip("weasyprint")

    def make(html: str) -> bytes:
        return weasyprint.HTML(string=html).write_pdf()

    return make


def test_pdf_text_is_extracted(pdf_bytes):
    data = pdf_bytes("<p>Please send protests to the company:</p><p>Fax: 007-3102-768247</p>")
    source = appeal_read(data, filename="appeal.pdf")
    assert source.kind == "pdf"
    assert "Please send protests to the company:" in source.text
    assert "007-3102-768247" in source.text


def test_a_pdf_without_text_asks_for_ocr(pdf_bytes):
    data = pdf_bytes('<div style="width:10cm;height:10cm;background:#000"></div>')
    with pytest.raises(AppealReadError, match="no text layer"):
        appeal_read(data, filename="scan.pdf")


def test_a_broken_pdf_is_one_error_line():
    with pytest.raises(AppealReadError, match=r"^the PDF cannot be read"):
        appeal_read(b"%PDF-1.7\n" + b"garbage " * 50, filename="x.pdf")


def _email(body: str, *, subtype: str = "plain", charset: str = "utf-8") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "General Secretary <gs@union.example>"
    message["To"] = "embassy@gov.example"
    message["Cc"] = "Copies <copies@federation.example>"
    message["Subject"] = "Detention of union officers"
    message["Date"] = "Tue, 12 Mar 2024 10:15:00 +0000"
    message.set_content(body, subtype=subtype, charset=charset, cte="quoted-printable")
    return message


def test_email_body_subject_date_and_recipients():
    source = appeal_read(bytes(_email("Dear Ambassador,\n\nAyşe Demir was detained on 4 March.\n")), filename="letter.eml")
    assert source.kind == "eml"
    assert source.text == "Dear Ambassador,\n\nAyşe Demir was detained on 4 March.\n"
    assert source.title == "Detention of union officers"
    assert str(source.date) == "2024-03-12"
    assert source.recipients == ["embassy@gov.example", "copies@federation.example"]


def test_email_without_eml_suffix_is_recognised_and_html_only_bodies_are_read():
    source = appeal_read(bytes(_email("<p>Free <b>Kemal Aksoy</b>.</p>", subtype="html")), filename="")
    assert source.kind == "eml"
    assert source.text.strip() == "Free Kemal Aksoy."


def test_email_with_the_appeal_attached_as_pdf(pdf_bytes):
    message = EmailMessage()
    message["Subject"] = "Appeal attached"
    message["From"] = "a@b.example"
    message.add_attachment(
        pdf_bytes("<p>Fax the company: 007-3102-768247</p>"), maintype="application", subtype="pdf", filename="a.pdf"
    )
    source = appeal_read(bytes(message), filename="forward.eml")
    assert "007-3102-768247" in source.text


def test_email_with_an_unknown_encoding_is_one_error_line():
    data = bytes(_email("Free them all now please.\n")).replace(b'charset="utf-8"', b'charset="x-klingon"')
    with pytest.raises(AppealReadError, match="unknown encoding 'x-klingon'"):
        appeal_read(data, filename="letter.eml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty."),
        (b"  \n\n\t ", "the file is empty."),
        (bytes(range(256)) * 20, "it looks like binary data"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "an image (PNG): a scanned letter needs OCR first"),
        (b"PK\x03\x04" + b"\x00" * 100, "office document (.docx, .odt)"),
        (bytes(range(128, 256)) * 10, "cannot tell the text's encoding"),
    ],
)
def test_bad_input_is_one_readable_line(data, message):
    with pytest.raises(AppealReadError) as caught:
        appeal_read(data, filename="upload")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@override_settings(APPEAL_MAX_BYTES=1024)
def test_size_limit_from_settings():
    with pytest.raises(AppealReadError, match=r"^the file is 2 KB, over the limit of 1 KB\.$"):
        appeal_read(b"a" * 2048)
    with pytest.raises(AppealReadError, match=r"^the text is 2 KB"):
        source_from_text("a" * 2048)


def test_pasted_text_must_not_be_empty():
    with pytest.raises(AppealReadError, match="empty"):
        source_from_text(" \n ")
