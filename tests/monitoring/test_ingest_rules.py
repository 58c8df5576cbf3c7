"""The pure ingest rules, without Kafka or a database: decoding and setting aside, the latest
report per record id, and the exact tax deltas a batch makes."""

from __future__ import annotations

import orjson

from policy import TOPIC_OCCUPANCY, TOPIC_TAX
from services.monitoring.ingest.service import (
    IngestReport,
    RawMessage,
    _latest_per_record,
    _TaxDeltas,
    decode,
)
from tests.fixtures import occupancy, tax


def raw(topic: str, value: bytes, offset: int = 0) -> RawMessage:
    return RawMessage(topic=topic, partition=0, offset=offset, key=None, value=value)


class TestDecode:
    def test_good_messages_are_parsed_and_bad_ones_set_aside_with_their_reason(self) -> None:
        good_tax = tax("b1", "2023-03", "100.50")
        good_occupancy = occupancy("b1", "2023-03", 1000, 800)
        messages = [
            raw(TOPIC_TAX, orjson.dumps(good_tax), 0),
            raw(TOPIC_OCCUPANCY, orjson.dumps(good_occupancy), 1),
            raw(TOPIC_TAX, b"\xff\xfe not json", 2),
            raw(TOPIC_TAX, orjson.dumps({**good_tax, "amount_cny": "1.234"}), 3),
            raw(TOPIC_TAX, b"{" + b" " * 70_000 + b"}", 4),
        ]
        occupancy_records, tax_records, parsed, rejected = decode(messages)
        assert [r.record_id for r in tax_records] == [good_tax["record_id"]]
        assert tax_records[0].amount_cents == 10050
        assert [r.record_id for r in occupancy_records] == [good_occupancy["record_id"]]
        assert len(parsed) == 2
        assert [(r.message.offset, r.reason.value) for r in rejected] == [
            (2, "unparseable"),
            (3, "schema_violation"),
            (4, "oversized"),
        ]
        assert "amount_cny" in rejected[1].detail


class TestLatestPerRecord:
    def test_the_latest_report_wins_and_the_rest_are_duplicates(self) -> None:
        first = tax("b1", "2023-03", "100.00", reported_at="2024-01-01T00:00:00+08:00")
        later = {**first, "amount_cny": "90.00", "reported_at": "2024-02-01T00:00:00+08:00"}
        _, records, _, _ = decode(
            [
                raw(TOPIC_TAX, orjson.dumps(later)),
                raw(TOPIC_TAX, orjson.dumps(first)),
                raw(TOPIC_TAX, orjson.dumps(later)),
            ]
        )
        report = IngestReport()
        latest = _latest_per_record(records, TOPIC_TAX, report)
        assert latest[first["record_id"]].amount_cents == 9000
        assert report.outcomes[(TOPIC_TAX, "duplicate")] == 2


class TestTaxDeltas:
    def test_a_correction_moves_the_month_the_year_and_the_enterprise_exactly(self) -> None:
        deltas = _TaxDeltas()
        uscc = "91320000MA1X00000X"
        deltas.add("b1", "2023-03", uscc, 10_000, +1)  # a new record
        deltas.add("b1", "2023-04", uscc, 5_000, +1)
        deltas.add("b1", "2023-03", uscc, 10_000, -1)  # corrected: the old amount out…
        deltas.add("b1", "2023-03", uscc, 7_550, +1)  # …the new one in
        assert deltas.months[("b1", "2023-03")] == (7_550, 1)
        assert deltas.years[("b1", 2023)] == 12_550
        assert deltas.enterprises[("b1", uscc, 2023)] == 12_550
        deltas.add("b1", "2023-05", None, -2_000, +1)  # a refund with no enterprise named
        assert deltas.years[("b1", 2023)] == 10_550
        assert ("b1", None, 2023) not in deltas.enterprises
