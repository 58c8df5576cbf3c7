"""The gateway's signed identity: bound to method, path, query, body and time; forgeries are
refused."""

from __future__ import annotations

from shared import Principal, Role
from shared.edge import sign_principal, verify_principal

SECRET = "s" * 32
GUSU = Principal(key_id="key_1", role=Role.district, district_id="gusu", label="姑苏区数据平台")


class TestSignedIdentity:
    def test_round_trip(self) -> None:
        header = sign_principal(GUSU, SECRET, "POST", "/api/v1/buildings", now=1000)
        assert verify_principal(header, SECRET, "POST", "/api/v1/buildings", now=1000) == GUSU

    def test_other_secret_is_refused(self) -> None:
        header = sign_principal(GUSU, SECRET, "GET", "/api/v1/x", now=1000)
        assert verify_principal(header, "t" * 32, "GET", "/api/v1/x", now=1000) is None

    def test_replay_on_another_path_or_method_is_refused(self) -> None:
        header = sign_principal(GUSU, SECRET, "GET", "/api/v1/buildings/a", now=1000)
        assert verify_principal(header, SECRET, "GET", "/api/v1/buildings/b", now=1000) is None
        assert verify_principal(header, SECRET, "DELETE", "/api/v1/buildings/a", now=1000) is None

    def test_replay_with_another_query_is_refused(self) -> None:
        header = sign_principal(GUSU, SECRET, "GET", "/api/v1/x", query="year=2023", now=1000)
        assert verify_principal(header, SECRET, "GET", "/api/v1/x", query="year=2023", now=1000)
        for query in ("", "year=2024", "year=2023&district_id=sip"):
            assert (
                verify_principal(header, SECRET, "GET", "/api/v1/x", query=query, now=1000) is None
            )

    def test_replay_with_another_body_is_refused(self) -> None:
        header = sign_principal(GUSU, SECRET, "POST", "/api/v1/x", body=b'{"a": 1}', now=1000)
        assert verify_principal(header, SECRET, "POST", "/api/v1/x", body=b'{"a": 1}', now=1000)
        for body in (b"", b'{"a": 2}'):
            assert (
                verify_principal(header, SECRET, "POST", "/api/v1/x", body=body, now=1000) is None
            )

    def test_stale_header_is_refused_after_30_seconds(self) -> None:
        header = sign_principal(GUSU, SECRET, "GET", "/api/v1/x", now=1000)
        assert verify_principal(header, SECRET, "GET", "/api/v1/x", now=1031) is None
        assert verify_principal(header, SECRET, "GET", "/api/v1/x", now=969) is None
        assert verify_principal(header, SECRET, "GET", "/api/v1/x", now=1029) == GUSU

    def test_tampered_principal_is_refused(self) -> None:
        header = sign_principal(GUSU, SECRET, "GET", "/api/v1/x", now=1000)
        admin = sign_principal(Principal("key_1", Role.admin), SECRET, "GET", "/api/v1/x", now=1000)
        forged = ".".join([*header.split(".")[:2], admin.split(".")[2], header.split(".")[3]])
        assert verify_principal(forged, SECRET, "GET", "/api/v1/x", now=1000) is None

    def test_garbage_is_refused(self) -> None:
        for header in ("", "v1", "v1.x.y.z", "v2.1.a.b", "a.b.c.d.e", "v2.1.负载.签名", "v2.١.a.b"):
            assert verify_principal(header, SECRET, "GET", "/", now=1) is None


class TestPrincipalRights:
    def test_district_reads_and_writes_its_own_only(self) -> None:
        assert GUSU.can_read("gusu") and GUSU.can_write("gusu")
        assert not GUSU.can_read("sip") and not GUSU.can_write("sip")

    def test_supervision_reads_everything_and_writes_nothing(self) -> None:
        office = Principal("k", Role.supervision)
        assert office.can_read("sip") and not office.can_write("sip")

    def test_a_district_list_query_is_narrowed_to_its_district(self) -> None:
        assert GUSU.visible_district(None) == "gusu"
        assert Principal("k", Role.admin).visible_district(None) is None
