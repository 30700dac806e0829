"""NATS users and subject permissions, derived from the topology map.

Each service may publish only its own events (and its own dead letters); partners may
publish only to the inbound subjects. JetStream's API and acks are allowed to all, since
consumers fetch and acknowledge through them. Regenerate the deploy file with
``uv run python -m shared.messaging.permissions > deploy/nats/permissions.inc``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from shared.subjects import DEADLETTER, INBOUND, PRODUCERS

JETSTREAM = ["$JS.API.>", "$JS.ACK.>", "$JS.FC.>"]
REPLIES = ["_INBOX.>"]


def service_permissions(service: str) -> dict[str, list[str]]:
    return {
        "publish": [f"{service}.>", f"{DEADLETTER}.{service}.>", *JETSTREAM],
        "subscribe": REPLIES,
    }


def partner_permissions() -> dict[str, list[str]]:
    return {"publish": [f"{INBOUND}.>"], "subscribe": REPLIES}


def _list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def _user(name: str, password: str, perms: Mapping[str, list[str]]) -> str:
    return (
        f'    {{ user: "{name}", password: {password}, permissions: {{\n'
        f"        publish: {{ allow: {_list(perms['publish'])} }}\n"
        f"        subscribe: {{ allow: {_list(perms['subscribe'])} }}\n"
        "    } }"
    )


def authorization(passwords: Mapping[str, str]) -> str:
    """An ``authorization`` block; ``passwords`` maps user -> literal or ``$ENV_VAR``."""
    users = [_user(s, passwords[s], service_permissions(s)) for s in PRODUCERS]
    users.append(_user("partner", passwords["partner"], partner_permissions()))
    users.append(f'    {{ user: "operator", password: {passwords["operator"]} }}')
    return "authorization {\n  users: [\n" + "\n".join(users) + "\n  ]\n}\n"


def deploy_file() -> str:
    names = [*PRODUCERS, "partner", "operator"]
    passwords = {n: f"${n.upper()}_NATS_PASSWORD" for n in names}
    header = (
        "# Generated from shared/messaging/permissions.py (do not edit): one NATS user per\n"
        "# service, allowed to publish only its own events. Passwords come from the\n"
        "# environment ($<USER>_NATS_PASSWORD). Include it from nats.conf to enforce it:\n"
        "#   include ./permissions.inc\n"
    )
    return header + authorization(passwords)


if __name__ == "__main__":
    sys.stdout.write(deploy_file())
