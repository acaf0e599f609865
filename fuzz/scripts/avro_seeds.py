"""The schemas of fuzz/Sources/AvroFuzzer/AvroFuzzer.swift (same order: the mode byte)
and a few values of each, for capture_corpus.py to encode with fastavro."""
import json
import re
from pathlib import Path

_swift = (Path(__file__).resolve().parents[1] / "Sources" / "AvroFuzzer" / "AvroFuzzer.swift").read_text()
# The Swift file is the single source of the schema texts: its multi-line string literals.
SCHEMAS = [json.dumps(json.loads(m)) for m in re.findall(r'"""\n(.*?)\n\s*"""', _swift, re.S)]

SEEDS = [
    [
        {"n": None, "b": True, "i": -2**31, "l": 2**63 - 1, "f": 1.5, "d": -2.25, "by": b"\x00\xff",
         "s": "héllo", "a": [1, -1], "m": {"k": "v"}, "e": "C", "fx": b"abc", "u": "B",
         "ts": 1_700_000_000_000, "dec": b"\x30\x39"},
        {"n": None, "b": False, "i": 0, "l": 0, "f": 0.0, "d": 0.0, "by": b"", "s": "", "a": [], "m": {},
         "e": "A", "fx": b"\x00\x00\x00", "u": None, "ts": 0, "dec": b""},
    ],
    [
        {"value": 1, "children": [], "next": None},
        {"value": 1, "children": [{"value": 2, "children": [], "next": None}],
         "next": {"value": 3, "children": [], "next": {"value": 4, "children": [], "next": None}}},
    ],
    [
        {"event_id": "5f1c8c1e-8f3e-4a53-9c55-2f7f9a6e2b10", "sequence": 1, "status": "AUTHORIZED",
         "amount_minor": 125_00, "currency": "SEK", "merchant_id": "m-42", "tags": {"risk": ["low", "auto"]},
         "occurred_at": 1_700_000_000_000},
        {"event_id": "00000000-0000-0000-0000-000000000000", "sequence": 9, "status": "UNKNOWN",
         "amount_minor": 0, "currency": "EUR", "merchant_id": None, "tags": {}, "occurred_at": -1},
    ],
]
