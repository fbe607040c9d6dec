"""Charset decoding and binary detection."""

import codecs

from index.normalize.encoding import decode_bytes, looks_binary

RUSSIAN = "Министр внутренних дел заявил, что мигранты должны получить разрешение на работу в России."
FRENCH = "Le ministre a déclaré que les réfugiés étaient accueillis à Genève. Ça coûte très cher."


def test_boms():
    assert decode_bytes(codecs.BOM_UTF8 + "café".encode()) == "café"
    assert decode_bytes("café".encode("utf-16")) == "café"
    assert decode_bytes(codecs.BOM_UTF16_BE + "café".encode("utf-16-be")) == "café"
    assert decode_bytes("café".encode("utf-32")) == "café"


def test_declared_charset_wins_over_guessing():
    assert decode_bytes(RUSSIAN.encode("koi8-r"), "koi8-r") == RUSSIAN


def test_meta_charset_for_html():
    page = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    assert RUSSIAN in decode_bytes(page.encode("cp1251"), html=True)
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>{RUSSIAN}</p>'
    assert RUSSIAN in decode_bytes(page.encode("koi8-r"), html=True)


def test_guesses_cp1251_and_cp1252():
    assert decode_bytes(RUSSIAN.encode("cp1251")) == RUSSIAN
    assert decode_bytes(FRENCH.encode("cp1252")) == FRENCH


def test_utf8_mislabelled_as_latin1():
    assert decode_bytes("naïve café".encode(), "iso-8859-1") == "naïve café"
    assert decode_bytes("naïve café".encode("cp1252"), "iso-8859-1") == "naïve café"


def test_bad_declared_charset_falls_back():
    assert decode_bytes("naïve".encode(), "no-such-charset") == "naïve"
    assert decode_bytes("naïve".encode(), "ascii") == "naïve"


def test_nuls_newlines_and_nfc():
    assert decode_bytes(b"a\x00b\r\nc\rd") == "ab\nc\nd"
    assert decode_bytes("e\u0301".encode()) == "\u00e9"


def test_bomless_utf16():
    assert decode_bytes("Déclaration du ministre".encode("utf-16-le")) == "Déclaration du ministre"
    assert decode_bytes("Déclaration du ministre".encode("utf-16-be")) == "Déclaration du ministre"


def test_looks_binary():
    assert looks_binary(b"%PDF-1.7\n%...")
    assert looks_binary(b"PK\x03\x04rest-of-zip")
    assert looks_binary(b"\x89PNG\r\n\x1a\n")
    assert looks_binary(b"\x1f\x8b\x08\x00")
    assert looks_binary(bytes(range(256)))
    assert not looks_binary(b"")
    assert not looks_binary(b"Plain text release.\n")
    assert not looks_binary("Привет".encode("utf-16"))
    assert not looks_binary(RUSSIAN.encode("cp1251"))
