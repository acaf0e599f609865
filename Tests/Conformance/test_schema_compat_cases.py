"""Every schema compatibility case of ../shared/conformance/schema-compat-cases.jsonl (the
answers Confluent Schema Registry's and Apache Avro's own test suites assert) run through
`eventctl schemas check-cases`, derived FORWARD mirrors included."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

CASES = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "schema-compat-cases.jsonl"


def test_every_case_gets_the_expected_answer(eventctl):
    assert CASES.exists(), f"conformance cases not found at {CASES}"
    lines = [line for line in CASES.read_text().splitlines() if line.strip()]
    cases = [json.loads(line) for line in lines]
    result = eventctl.run("schemas", "check-cases", str(CASES), timeout=600)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(cases), "one output line per input line"
    wrong = [
        (i + 1, case["format"], case["level"], case.get("source"), answer)
        for i, (case, answer) in enumerate(zip(cases, answers))
        if answer["compatible"] != case["compatible"]
    ]
    counts = Counter(case["format"] for case in cases)
    print(f"schema compatibility cases: {len(cases) - len(wrong)}/{len(cases)} agree "
          f"(avro {counts['avro']}, json {counts['json']})")
    assert not wrong, f"{len(wrong)} cases disagree, first: {wrong[:5]}"
