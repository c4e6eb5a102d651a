"""Text from what organisers receive: plain text in any common encoding, HTML, PDF and e-mail (.eml)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

import charset_normalizer
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.conf import settings

if TYPE_CHECKING:
    from pypdf import PageObject

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The 8-bit and multi-byte encodings appeals arrive in (besides UTF-8 and UTF-16, which are read first).
COMMON_ENCODINGS = (
    "cp1252", "cp1251", "koi8_r", "cp1250", "iso8859_15", "iso8859_2", "cp1253", "cp1254", "cp1257", "cp1256", "cp1255",
    "mac_roman", "cp874", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr",
)  # fmt: skip


class AppealReadError(Exception):
    """Input we cannot read as an appeal; the message is one line meant for the organiser."""


@dataclass
class AppealSource:
    text: str
    kind: str  # text | html | pdf | eml
    filename: str = ""
    title: str = ""
    summary: str = ""
    date: dt.date | None = None
    encoding: str = ""
    sender: str = ""
    recipients: list[str] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "APPEAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_size(n: int, *, what: str = "the file") -> None:
    limit = max_bytes()
    if n > limit:
        raise AppealReadError(f"{what} is {_size(n)}, over the limit of {_size(limit)}.")


def source_from_text(text: str) -> AppealSource:
    """Pasted text."""
    check_size(len(text.encode("utf-8")), what="the text")
    text = _normalise(text)
    if not text.strip():
        raise AppealReadError("the text is empty: paste an appeal or upload a file.")
    return AppealSource(text=text, kind="text")


# Signatures of formats we do not read, so the message can say what to do instead.
_BINARY_KINDS = (
    (b"\x89PNG", "an image (PNG): a scanned letter needs OCR first; paste its text instead"),
    (b"\xff\xd8\xff", "an image (JPEG): a scanned letter needs OCR first; paste its text instead"),
    (b"GIF8", "an image (GIF); paste the appeal's text instead"),
    (b"II*\x00", "an image (TIFF): a scanned letter needs OCR first; paste its text instead"),
    (b"MM\x00*", "an image (TIFF): a scanned letter needs OCR first; paste its text instead"),
    (b"PK\x03\x04", "a ZIP archive or an office document (.docx, .odt): save it as PDF or text first"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Outlook file (.doc, .msg): save it as PDF, text or .eml first"),
    (b"{\\rtf", "an RTF document: save it as PDF or text first"),
)


def appeal_read(data: bytes, *, filename: str = "") -> AppealSource:
    """The text of an uploaded appeal, or AppealReadError with one line saying what is wrong."""
    check_size(len(data))
    name = PurePath(filename).name
    suffix = PurePath(filename).suffix.lower()
    if not data.strip():
        raise AppealReadError("the file is empty.")
    if data.lstrip()[:5] == b"%PDF-":
        source = _read_pdf(data)
    else:
        for magic, what in _BINARY_KINDS:
            if data.startswith(magic):
                raise AppealReadError(f"the file is {what}.")
        if suffix == ".eml" or (suffix not in (".html", ".htm", ".txt") and _looks_like_email(data)):
            source = _read_email(data)
        elif suffix in (".html", ".htm", ".xhtml") or _looks_like_html(data):
            source = _read_html(data)
        else:
            source = AppealSource(text="", kind="text")
            source.text, source.encoding = decode(data)
    source.filename = name
    source.text = _normalise(source.text)
    if not source.text.strip():
        raise AppealReadError(f"no text found in the {source.kind.upper() if source.kind != 'text' else 'file'}.")
    return source


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Text and the encoding it was read with: BOMs and UTF-8 first, then detection (charset-normalizer)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if _is_binary(data):
        raise AppealReadError("the file is not text, HTML, PDF or an e-mail (it looks like binary data).")
    if declared:
        try:
            return data.decode(declared), declared
        except LookupError as exc:
            raise AppealReadError(f"the text declares an unknown encoding {declared!r}.") from exc
        except UnicodeDecodeError:
            pass  # a wrong declaration is common: detect instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    results = list(charset_normalizer.from_bytes(data, cp_isolation=list(COMMON_ENCODINGS)))
    if not results:
        raise AppealReadError("cannot tell the text's encoding: save it as UTF-8 and try again.")
    best = results[0]
    # Short Western texts read equally well as cp1252 and cp1250; the first is far more common.
    for result in results:
        if result.encoding == "cp1252" and result.chaos <= best.chaos and result.coherence >= best.coherence - 0.05:
            best = result
    return str(best), best.encoding


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.02


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.replace("\ufeff", "").replace("\u200b", "")


def _looks_like_email(data: bytes) -> bool:
    head = data[:4096].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    names = {line.split(b":", 1)[0].strip().lower() for line in head.split(b"\n") if re.match(rb"^[A-Za-z-]+:", line)}
    return len(names & {b"from", b"to", b"subject", b"date", b"mime-version", b"received", b"message-id"}) >= 2


def _looks_like_html(data: bytes) -> bool:
    return re.search(rb"<(?:!doctype\s+html|html|body|p|div|br)\b", data[:4096], re.IGNORECASE) is not None


# PDF


def _read_pdf(data: bytes) -> AppealSource:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise AppealReadError("the PDF is password-protected: save an unprotected copy and try again.")
        pages = [_page_text(page) for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except AppealReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise AppealReadError(f"the PDF cannot be read ({str(exc) or type(exc).__name__}).") from exc
    text = "\n\n".join(page.strip("\n") for page in pages)
    if len(text.strip()) < 20:
        raise AppealReadError("the PDF has no text layer (a scanned image?): run OCR on it, or paste its text.")
    return AppealSource(text=text, kind="pdf", title=str(title).strip())


def _page_text(page: PageObject) -> str:
    """A page's text; layout mode keeps the blank line between paragraphs (and side-by-side signatures)."""
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:
        text = page.extract_text() or ""
    lines = [line.rstrip() for line in text.split("\n")]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    text = "\n".join(line[indent:] for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# HTML

_BLOCKS = {
    "p", "div", "section", "article", "main", "header", "aside", "blockquote", "address", "pre", "table", "tr",
    "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "form", "fieldset", "hr",
}  # fmt: skip
_DROP = {"script", "style", "noscript", "template", "nav", "footer", "iframe", "svg", "button", "select", "head"}


def cloudflare_decode(hex_string: str) -> str | None:
    """An address hidden by Cloudflare's e-mail protection (data-cfemail): XOR with the first byte."""
    try:
        raw = bytes.fromhex(hex_string)
    except ValueError:
        return None
    if len(raw) < 2:
        return None
    key = raw[0]
    decoded = bytes(b ^ key for b in raw[1:]).decode("utf-8", errors="replace")
    return decoded if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", decoded) else None


def html_to_text(html: str | bytes) -> tuple[str, str, str]:
    """(text, title, description) of a web page: blocks become paragraphs, <br> a line break."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    meta = soup.find("meta", attrs={"name": "description"})
    description = str(meta.get("content") or "").strip() if isinstance(meta, Tag) else ""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    # Addresses a page hid from robots: recover what the page itself holds, never guess.
    for node in soup.select("[data-cfemail]"):
        address = cloudflare_decode(str(node.get("data-cfemail", "")))
        if address:
            node.replace_with(address)
    for link in soup.find_all("a", href=True):
        href = str(link["href"])
        if "/cdn-cgi/l/email-protection#" in href:
            address = cloudflare_decode(href.rsplit("#", 1)[1])
            if address and "[email" in link.get_text():
                link.replace_with(address)
                continue
        if href.startswith("mailto:"):
            address = href[7:].split("?", 1)[0]
            if address and address not in link.get_text():
                link.append(f" <{address}>")
    for tag in soup.find_all(list(_DROP)):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                parts.append(str(child) if child.find_parent("pre") else re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name == "br":
                    parts.append("\n")
                elif name == "li":
                    parts.append("\n- ")
                    walk(child)
                elif name in ("td", "th"):
                    walk(child)
                    parts.append("  ")
                elif name in _BLOCKS:
                    parts.append("\n\n")
                    walk(child)
                    parts.append("\n\n")
                else:
                    walk(child)

    walk(root)
    text = "".join(parts)
    text = re.sub(r"[ \t\xa0]*\n[ \t\xa0]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"\n- \n", "\n", text)
    return text.strip() + "\n", title, description


def _read_html(data: bytes) -> AppealSource:
    if _is_binary(data):
        raise AppealReadError("the file is not text, HTML, PDF or an e-mail (it looks like binary data).")
    text, title, description = html_to_text(data)  # Beautiful Soup reads the page's declared charset
    return AppealSource(text=text, kind="html", title=title, summary=description)


# E-mail


def _read_email(data: bytes) -> AppealSource:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise AppealReadError("the file is not an e-mail message (.eml).")
    source = _email_body(message)
    source.title = str(message.get("subject") or "").strip()
    try:
        sent = parsedate_to_datetime(str(message["date"])) if message["date"] else None
    except (TypeError, ValueError):
        sent = None
    source.date = sent.date() if sent else None
    source.sender = str(message.get("from") or "")
    source.recipients = [a for _, a in getaddresses([str(v) for v in message.get_all("to", []) + message.get_all("cc", [])]) if a]
    return source


def _part_text(part: EmailMessage) -> str:
    try:
        return str(part.get_content())
    except LookupError as exc:
        raise AppealReadError(f"the e-mail declares an unknown encoding {part.get_content_charset()!r}.") from exc


def _email_body(message: EmailMessage) -> AppealSource:
    body = message.get_body(preferencelist=("plain", "html"))
    if isinstance(body, EmailMessage):
        if body.get_content_type() == "text/html":
            text, _, _ = html_to_text(_part_text(body))
            return AppealSource(text=text, kind="eml")
        return AppealSource(text=_part_text(body), kind="eml")
    # No text body: the appeal may be an attachment (a PDF, a web page, a text file).
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        inner = appeal_read(payload, filename=part.get_filename() or "")
        return AppealSource(text=inner.text, kind="eml", title=inner.title)
    raise AppealReadError("the e-mail has no text, HTML or PDF part.")
