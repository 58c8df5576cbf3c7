"""A small producer of the platform's two feeds, for the tax bureau's and the property managers'
systems to start from (docs/feeds.md). It sends one building's month: a tax record, its
correction and a refund to `sbe.tax.v1`, and the occupancy to `sbe.occupancy.v1`.

    pip install kafka-python==3.0.12
    python feed_producer.py --bootstrap kafka:9092 --building sz-gusu-001 --period 2024-03

Only the standard library and kafka-python: nothing of the platform is imported.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta, timezone
from typing import Any

from kafka import KafkaProducer

BEIJING = timezone(timedelta(hours=8))


def tax_record(
    record_id: str,
    building_id: str,
    period: str,
    amount_cny: str,
    reported_at: datetime,
    uscc: str | None = None,
) -> dict[str, Any]:
    """One `sbe.tax.v1` record. The amount is a decimal string (never a float), negative for
    a refund; the building's monthly tax is the sum of its records."""
    record: dict[str, Any] = {
        "record_id": record_id,
        "building_id": building_id,
        "period": period,
        "amount_cny": amount_cny,
        "reported_at": reported_at.isoformat(),
    }
    if uscc is not None:
        record["uscc"] = uscc
    return record


def occupancy_record(
    record_id: str,
    building_id: str,
    period: str,
    leasable_m2: float,
    occupied_m2: float,
    enterprises: int,
    reported_at: datetime,
) -> dict[str, Any]:
    """One `sbe.occupancy.v1` record: the month's leasable and occupied area and tenants."""
    return {
        "record_id": record_id,
        "building_id": building_id,
        "period": period,
        "leasable_area_m2": leasable_m2,
        "occupied_area_m2": occupied_m2,
        "enterprise_count": enterprises,
        "reported_at": reported_at.isoformat(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True, help="host:port of the platform's broker")
    parser.add_argument("--building", required=True, help="the registry's building id")
    parser.add_argument("--period", required=True, help="YYYY-MM")
    parser.add_argument("--prefix", default="example", help="makes the record ids unique")
    args = parser.parse_args(argv)

    producer = KafkaProducer(
        bootstrap_servers=args.bootstrap.split(","),
        acks="all",  # stored by every replica before it counts as sent
        retries=5,
        max_in_flight_requests_per_connection=1,  # keeps a building's records in order
        key_serializer=lambda key: key.encode("utf-8"),
        value_serializer=lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8"),
    )
    now = datetime.now(BEIJING).replace(microsecond=0)
    building, period = args.building, args.period
    messages = [
        # The month's tax: 1,000,000.00 …
        ("sbe.tax.v1", tax_record(f"{args.prefix}-t1", building, period, "1000000.00", now)),
        # … corrected (更正): the same record id, a later reported_at, the right amount.
        (
            "sbe.tax.v1",
            tax_record(
                f"{args.prefix}-t1", building, period, "1200000.00", now + timedelta(minutes=5)
            ),
        ),
        # A refund (退税) is a record of its own with a negative amount.
        ("sbe.tax.v1", tax_record(f"{args.prefix}-t2", building, period, "-200000.00", now)),
        (
            "sbe.occupancy.v1",
            occupancy_record(f"{args.prefix}-o1", building, period, 20000.0, 17000.0, 42, now),
        ),
    ]
    for topic, value in messages:
        # The key is the building id: a building's records stay in order on one partition.
        producer.send(topic, key=value["building_id"], value=value)
    producer.flush()
    producer.close()
    print(f"sent {len(messages)} records for {building} {period}")


if __name__ == "__main__":
    main()
