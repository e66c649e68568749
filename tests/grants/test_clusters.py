"""Clusters: validation (R4, R6, R14), revisions with If-Match, reading as of an instant."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.grants.factories import cluster_body, make_cluster, ok, problem


def _count(client: httpx.Client) -> int:
    return len(ok(client.get("/v1/clusters"))["items"])


def test_an_agency_creates_a_cluster_that_everyone_funding_it_can_read(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client
) -> None:
    response = vr.post("/v1/clusters", json=cluster_body())
    created = ok(response, 201)
    assert response.headers["location"] == f"/v1/clusters/{created['id']}"
    assert response.headers["etag"] == '"1"'
    assert created["agency"] == "vr"
    assert created["revision"] == 1
    assert created["hei_count"] == 2
    assert created["lead_hei"] == {
        "name": "KTH",
        "org_number": "202100-3054",
        "ror": "https://ror.org/026vcq606",
    }
    assert created["international_partners"] == [
        {"organisation": "TU München", "country": "DE", "security_review": "cleared"}
    ]
    assert created["graduate_school"]["mobility_placements"] == {"hei_hei": 3, "hei_industry": 2}
    for reader in (vr, vinnova, office):
        assert ok(reader.get(f"/v1/clusters/{created['id']}")) == created
        assert [c["id"] for c in ok(reader.get("/v1/clusters"))["items"]] == [created["id"]]


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "international_partners": [
                {"organisation": "X", "country": "XX", "security_review": "cleared"}
            ]
        },
        {
            "international_partners": [
                {"organisation": "X", "country": "de", "security_review": "cleared"}
            ]
        },
        {
            "international_partners": [
                {"organisation": "X", "country": "DE", "security_review": "ok"}
            ]
        },
        {"international_partners": [{"organisation": "X", "country": "DE"}]},
        {"graduate_school": {"name": "School", "type": "humanities"}},
        {"graduate_school": {"name": "School", "type": "ai", "doctoral_students": 1.5}},
        {"graduate_school": {"name": "School", "type": "ai", "doctoral_students": -1}},
        {"technology_area": "biology"},
        {"technology_area": "other"},
        {"technology_area": "ai", "technology_area_label": "Something"},
        {"lead_hei": {"name": "KTH", "ror": "not-a-ror"}},
        {"lead_hei": {"name": "KTH", "org_number": "12345"}},
        {"lead_hei": {"name": "   "}},
        {"name": ""},
        {"agency": "vinnova"},
    ],
)
def test_invalid_clusters_are_refused_and_nothing_is_stored(
    vr: httpx.Client, overrides: dict[str, Any]
) -> None:
    problem(vr.post("/v1/clusters", json=cluster_body(**overrides)), 422)
    assert _count(vr) == 0


def test_other_area_takes_a_free_text_label(vr: httpx.Client) -> None:
    cluster = make_cluster(vr, technology_area="other", technology_area_label="Photonics")
    assert (cluster["technology_area"], cluster["technology_area_label"]) == ("other", "Photonics")


def test_vinnova_clusters_use_only_its_six_areas_r14(vinnova: httpx.Client) -> None:
    body = problem(
        vinnova.post("/v1/clusters", json=cluster_body(technology_area="space")), 422, rule="R14"
    )
    assert "space" in body["detail"]
    assert _count(vinnova) == 0
    assert make_cluster(vinnova, technology_area="quantum")["technology_area"] == "quantum"


def test_the_same_institution_listed_twice_counts_once(vr: httpx.Client) -> None:
    cluster = make_cluster(
        vr,
        participating_heis=[
            {"name": "kth ", "org_number": "2021003054"},
            {"name": "Royal Institute of Technology", "ror": "https://ror.org/026vcq606"},
        ],
    )
    assert cluster["hei_count"] == 1
    assert cluster["participating_heis"][0]["org_number"] == "202100-3054"


def test_patch_needs_the_current_etag_and_appends_a_revision(vr: httpx.Client) -> None:
    cluster = make_cluster(vr)
    url = f"/v1/clusters/{cluster['id']}"
    problem(vr.patch(url, json={"name": "Renamed"}), 428)
    problem(vr.patch(url, json={"name": "Renamed"}, headers={"If-Match": '"7"'}), 412)
    assert ok(vr.get(url)) == cluster

    response = vr.patch(url, json={"name": "Renamed"}, headers={"If-Match": '"1"'})
    updated = ok(response)
    assert response.headers["etag"] == '"2"'
    assert (updated["name"], updated["revision"]) == ("Renamed", 2)
    assert updated["lead_hei"] == cluster["lead_hei"]
    # The first revision is not overwritten: reading as of its time shows it.
    before = ok(vr.get(url, params={"as_of": cluster["updated_at"]}))
    assert (before["name"], before["revision"]) == (cluster["name"], 1)
    # A second editor holding revision 1 loses.
    problem(vr.patch(url, json={"name": "Other"}, headers={"If-Match": '"1"'}), 412)
    assert ok(vr.get(url))["name"] == "Renamed"


def test_patch_replaces_lists_and_removes_the_school_with_null(vr: httpx.Client) -> None:
    cluster = make_cluster(vr)
    url = f"/v1/clusters/{cluster['id']}"
    updated = ok(
        vr.patch(
            url,
            json={
                "graduate_school": None,
                "international_partners": [
                    {"organisation": "ETH", "country": "CH", "security_review": "pending"}
                ],
            },
            headers={"If-Match": "*"},
        )
    )
    assert updated["graduate_school"] is None
    assert [p["country"] for p in updated["international_partners"]] == ["CH"]


@pytest.mark.parametrize(
    "changes",
    [
        {"name": None},
        {"lead_hei": None},
        {"technology_area": "other"},
        {
            "international_partners": [
                {"organisation": "X", "country": "ZZ", "security_review": "cleared"}
            ]
        },
        {"revision": 9},
    ],
)
def test_invalid_patches_change_nothing(vr: httpx.Client, changes: dict[str, Any]) -> None:
    cluster = make_cluster(vr)
    url = f"/v1/clusters/{cluster['id']}"
    problem(vr.patch(url, json=changes, headers={"If-Match": '"1"'}), 422)
    assert ok(vr.get(url)) == cluster


def test_vinnova_cannot_move_its_cluster_out_of_its_areas(vinnova: httpx.Client) -> None:
    cluster = make_cluster(vinnova, technology_area="energy")
    url = f"/v1/clusters/{cluster['id']}"
    problem(
        vinnova.patch(url, json={"technology_area": "space"}, headers={"If-Match": '"1"'}),
        422,
        rule="R14",
    )
    assert ok(vinnova.get(url)) == cluster


def test_only_the_creating_agency_changes_a_cluster(
    vr: httpx.Client, vinnova: httpx.Client, office: httpx.Client, government: httpx.Client
) -> None:
    cluster = make_cluster(vr)
    url = f"/v1/clusters/{cluster['id']}"
    problem(vinnova.patch(url, json={"name": "Mine"}, headers={"If-Match": '"1"'}), 403)
    problem(office.patch(url, json={"name": "Mine"}, headers={"If-Match": '"1"'}), 403)
    problem(office.post("/v1/clusters", json=cluster_body()), 403)
    problem(government.get(url), 403)
    problem(government.get("/v1/clusters"), 403)
    assert ok(vr.get(url)) == cluster
    assert _count(vr) == 1
    problem(vr.patch("/v1/clusters/nope", json={"name": "X"}, headers={"If-Match": "*"}), 404)
    problem(vr.get("/v1/clusters/nope"), 404)


def test_clusters_list_filters_and_pages(vr: httpx.Client, vinnova: httpx.Client) -> None:
    first = make_cluster(vr)
    second = make_cluster(vinnova, technology_area="quantum")
    third = make_cluster(vr, technology_area="space")
    page = vr.get("/v1/clusters", params={"limit": 2})
    body = ok(page)
    assert [c["id"] for c in body["items"]] == [first["id"], second["id"]]
    assert 'rel="next"' in page.headers["link"]
    rest = ok(vr.get("/v1/clusters", params={"limit": 2, "cursor": body["next_cursor"]}))
    assert [c["id"] for c in rest["items"]] == [third["id"]]
    assert rest["next_cursor"] is None
    by_area = ok(vr.get("/v1/clusters", params={"technology_area": "quantum"}))
    assert [c["id"] for c in by_area["items"]] == [second["id"]]
    by_agency = ok(vr.get("/v1/clusters", params={"agency": "vr"}))
    assert [c["id"] for c in by_agency["items"]] == [first["id"], third["id"]]


def test_as_of_needs_a_time_zone_and_a_cluster_that_existed(vr: httpx.Client) -> None:
    cluster = make_cluster(vr)
    url = f"/v1/clusters/{cluster['id']}"
    problem(vr.get(url, params={"as_of": "2026-01-01T00:00:00"}), 422)
    problem(vr.get(url, params={"as_of": "2020-01-01T00:00:00Z"}), 404)
