"""Use a client generated from our OpenAPI schema (openapi-python-client): list, read, record an action anonymously.

Run by tests/clients/test_published_clients.py in .venv-clients: `python drive_openapi.py GENERATED_DIR BASE_URL`;
prints what it got as JSON.
"""

import importlib
import json
import sys
import uuid
from pathlib import Path


def main(generated: str, base: str) -> dict:
    sys.path.insert(0, str(Path(generated).parent))
    package = Path(generated).name
    client_module = importlib.import_module(f"{package}.client")
    campaigns_list = importlib.import_module(f"{package}.api.campaigns.campaigns_list")
    campaigns_retrieve = importlib.import_module(f"{package}.api.campaigns.campaigns_retrieve")
    actions_create = importlib.import_module(f"{package}.api.actions.actions_create")
    models = importlib.import_module(f"{package}.models")

    client = client_module.Client(base_url=base.rstrip("/"), raise_on_unexpected_status=True)  # no credentials
    page = campaigns_list.sync(client=client)
    slugs = [c.slug for c in page.results]
    document = campaigns_retrieve.sync(client=client, slug=slugs[0])
    body = models.ActionCreateRequest.from_dict(
        {
            "campaign": slugs[0],
            "kind": "email",
            "targets": [document.targets[0].name],
            "supporter": {"name": "Generated Client", "email": "gen@example.net"},
        }
    )
    answer = actions_create.sync_detailed(client=client, body=body, idempotency_key=str(uuid.uuid4()))
    return {
        "list": slugs,
        "count": page.count,
        "read": {"slug": document.slug, "title": document.title, "targets": [t.name for t in document.targets]},
        "record_status": int(answer.status_code),
        "record": type(answer.parsed).__name__,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))
