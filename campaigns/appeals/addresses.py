"""Postal addresses in contact blocks: PO boxes, streets with numbers, postcodes, and the towns and countries after them."""

from __future__ import annotations

import regex

from .places import country_in

_FLAGS = regex.IGNORECASE | regex.VERSION1

PO_BOX = regex.compile(
    r"\b(?:P\.?\s*O\.?\s*Box|Post\s*Office\s*Box|PO\s*Box|Box|Apartado(?:\s+A[ée]reo)?|Casilla(?:\s+de\s+Correo)?|"
    r"Bo[iî]te\s+Postale|BP|Postfach|а/я|абонентский\s+ящик)\s*(?:No\.?\s*)?\d+",
    _FLAGS,
)
UK_POSTCODE = regex.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b")
_STREET = regex.compile(
    r"\b(?:street|st\.|road|rd\.?|avenue|ave\.?|square|sq\.|lane|boulevard|blvd|place|drive|way|court|terrace|crescent|"
    r"highway|building|bldg|house|tower|floor|suite|center|centre|plaza|calle|carrera|cra\.?|avenida|av\.|avda\.?|"
    r"paseo|diagonal|transversal|edificio|piso|oficina|rue|boulevard|straße|strasse|str\.|platz|weg|"
    r"улица|ул\.|проспект|пр\.|дом|д\.|sokak|sokağı|caddesi|cad\.|mahallesi|mah\.)(?![\p{L}])",
    _FLAGS,
)
_HOUSE_NUMBER = regex.compile(r"(?:^|\s)(?:No\.?\s*|N[º°]\s*|#\s*)?\d+[A-Za-z]?(?:\s*[-–/]\s*\d+[A-Za-z]?)?(?=\s|,|$)", _FLAGS)
_POSTCODE_WITH_PLACE = regex.compile(r"\p{Lu}[\p{L}.\- ]+\s+\d{4,6}\b|\b\d{4,6}\s+\p{Lu}[\p{L}.\-]+", regex.VERSION1)


def is_address_start(part: str) -> bool:
    """A part that is certainly a postal address: a PO box, a street with a number, a postcode."""
    part = part.strip()
    if not part:
        return False
    if PO_BOX.search(part) or UK_POSTCODE.search(part):
        return True
    if _STREET.search(part) and (_HOUSE_NUMBER.search(part) or _POSTCODE_WITH_PLACE.search(part) or len(part.split()) <= 6):
        return True
    return any(_POSTCODE_WITH_PLACE.fullmatch(piece.strip(" ,.")) for piece in part.split(","))


def address_country(value: str) -> str:
    """ISO code of the country an address names, or '' (a UK postcode says GB)."""
    code = country_in(value)
    if code:
        return code
    return "GB" if UK_POSTCODE.search(value) else ""
