"""Drive published OSDI clients (`osdi`, `pyActionNetwork`) against a live server; print what they got as JSON.

Run by tests/clients/test_published_clients.py with the clients' own virtualenv (.venv-clients), not
the project's: `python drive_osdi.py BASE_URL TOKEN EMAIL SLUG`. No Django here, only the clients.
"""

import json
import sys

import requests
from osdi.base.service import ActionService
from pyactionnetwork.api import ActionNetworkApi


def main(base: str, token: str, email: str, slug: str) -> dict:
    base = base.rstrip("/")
    service = ActionService(base, token)
    out: dict = {}
    # list and paginate: one campaign a page, the client follows `next` until the last page.
    campaigns = service._get_all("advocacy_campaigns", object_domain="osdi", params={"per_page": 1})
    out["list"] = [c["name"] for c in campaigns]
    # get one: a campaign the token's organiser runs
    campaign = service._get_request(f"advocacy_campaigns/{slug}")
    out["get"] = {"name": campaign["name"], "browser_url": campaign["browser_url"]}
    # filter: the client's own `email_address eq '...'`
    out["filter_people"] = [p["email_addresses"][0]["address"] for p in service.get_people({"email_address": email})]
    since = service._get_all("advocacy_campaigns", object_domain="osdi", params={"filter": "modified_date gt '2000-01-01'"})
    out["filter_modified"] = len(since)
    # record an outreach: POST to the campaign's outreaches, with the client's identifiers
    outreach = service._post_request(
        f"advocacy_campaigns/{slug}/outreaches",
        data={
            "identifiers": ["union_crm:outreach-1"],
            "origin_system": "Union CRM",
            "type": "email",
            "subject": "From the union's CRM",
            "message": "We stand with the workers.",
            "person": {
                "identifiers": ["union_crm:person-1"],
                "given_name": "Dana",
                "family_name": "Client",
                "email_addresses": [{"address": "dana@example.net", "primary": True}],
            },
        },
    )
    out["outreach"] = {"origin_system": outreach["origin_system"], "identifiers": outreach["identifiers"]}
    found = service._get_all(
        "outreaches",
        url=f"advocacy_campaigns/{slug}/outreaches",
        object_domain="osdi",
        is_full=False,
        params={"filter": "identifier eq 'union_crm:outreach-1'"},
    )
    out["outreach_found"] = len(found)

    # pyActionNetwork: its constructor reads Action Network's own entry point; point it at ours instead.
    api = ActionNetworkApi.__new__(ActionNetworkApi)
    api.headers = {"OSDI-API-Token": token}
    api.config = requests.get(base + "/", headers=api.headers, timeout=10).json()
    api.base_url = base + "/"
    found = api.get_person(search_by="email_address", search_string=email)  # GET people/?filter=email_address eq '...'
    out["an_get_person"] = [p["email_addresses"][0]["address"] for p in found["_embedded"]["osdi:people"]]
    out["an_resource"] = api.get_resource("advocacy_campaigns")["total_records"]
    return out


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])))
