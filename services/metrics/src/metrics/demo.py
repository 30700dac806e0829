"""``python -m metrics.demo``: a realistic office through the real pipeline, compressed in time.

Applications go in over intake's HTTP API and caseworkers claim, decide and close cases over
routing's HTTP API (dev staff headers), so every figure on the dashboard comes from real
events. One simulated office day lasts ``--day-seconds``; ``--scale`` shrinks the office.
Applicants are fake ("Demo-…" names, no contact data).
"""

from __future__ import annotations

import argparse
import asyncio
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

WEEKDAY = (1.25, 1.15, 1.05, 1.0, 0.8, 0.0, 0.0)  # Monday first; the office is shut at weekends
LANGUAGES = (("de", 55), ("en", 15), ("ar", 10), ("tr", 8), ("uk", 7), ("ru", 5))
WORKING_DAYS_A_YEAR = 250


@dataclass(frozen=True)
class Office:
    clients: int = 26_000
    staff: int = 43
    cases_per_staff_day: float = 2.4
    days: int = 28
    surge_from: int = 14
    surge_days: int = 7
    surge: float = 1.8
    scale: float = 1.0
    seed: int = 7

    def arrivals(self, day: int, rng: random.Random) -> int:
        """Applications on simulated day ``day`` (day 0 is a Monday)."""
        mean = self.clients / WORKING_DAYS_A_YEAR * WEEKDAY[day % 7] * self.scale
        if self.surge_from <= day < self.surge_from + self.surge_days:
            mean *= self.surge
        return sum(1 for _ in range(int(mean * 2)) if rng.random() < 0.5) if mean else 0

    def capacity(self, day: int) -> int:
        """Cases the staff can decide on day ``day``."""
        if WEEKDAY[day % 7] == 0:
            return 0
        return max(1, round(self.staff * self.cases_per_staff_day * self.scale))


@dataclass
class Tally:
    submitted: int = 0
    refused: int = 0
    decided: int = 0
    closed: int = 0
    open: list[str] = field(default_factory=list)


class Demo:
    def __init__(self, office: Office, intake: httpx.AsyncClient, routing: httpx.AsyncClient):
        self.office, self.intake, self.routing = office, intake, routing
        self.rng = random.Random(office.seed)
        self.tally = Tally()
        self.concerns: list[str] = []

    async def run(self, day_seconds: float, drain_rounds: int = 20) -> Tally:
        catalogue = (await self.intake.get("/v1/concerns")).json()
        self.concerns = [c["key"] for c in catalogue["concerns"]]
        for day in range(self.office.days):
            started = asyncio.get_running_loop().time()
            await self.day(day)
            pause = day_seconds - (asyncio.get_running_loop().time() - started)
            await asyncio.sleep(max(0.0, pause))
        for _ in range(drain_rounds):  # let routing catch up with the last days' applications
            if not self.tally.open or await self.work(len(self.tally.open)) == 0:
                await asyncio.sleep(max(day_seconds, 0.5))
        return self.tally

    async def day(self, day: int) -> None:
        for _ in range(self.office.arrivals(day, self.rng)):
            await self.submit()
        await self.work(self.office.capacity(day))

    async def submit(self) -> None:
        n = self.tally.submitted + self.tally.refused
        body: dict[str, object] = {
            "concern": self.rng.choice(self.concerns),
            "language": self.rng.choices([k for k, _ in LANGUAGES], [w for _, w in LANGUAGES])[0],
            "applicant": {"family_name": f"Demo-{n}"},
        }
        if self.rng.random() < 0.6:
            body["permit_expires_on"] = (
                date.today() + timedelta(self.rng.randint(5, 120))
            ).isoformat()
        response = await self.intake.post("/v1/applications", json=body)
        if response.status_code == 201:
            self.tally.submitted += 1
            self.tally.open.append(response.json()["ticket"])
        else:
            self.tally.refused += 1

    async def work(self, capacity: int) -> int:
        """Claim, decide and close up to ``capacity`` open cases; those not routed yet wait."""
        done, waiting = 0, []
        while self.tally.open and done < capacity:
            ticket = self.tally.open.pop(0)
            if await self.handle(ticket):
                done += 1
            else:
                waiting.append(ticket)
        self.tally.open[:0] = waiting
        return done

    async def handle(self, ticket: str) -> bool:
        case = await self.routing.get(
            f"/v1/cases/{ticket}", headers=_staff("lead", None, "head_of_office")
        )
        if case.status_code != 200:
            return False
        team = case.json()["team"]
        who = _staff(f"cw-{self.rng.randrange(self.office.staff)}", team, "caseworker")
        claimed = await self.routing.post(f"/v1/cases/{ticket}/claim", headers=who)
        if claimed.status_code != 200:
            return False
        outcome = self.rng.choices(["granted", "refused", "withdrawn"], [85, 10, 5])[0]
        decided = await self.routing.post(
            f"/v1/cases/{ticket}/decide", headers=who, json={"outcome": outcome}
        )
        self.tally.decided += decided.status_code == 200
        closed = await self.routing.post(f"/v1/cases/{ticket}/close", headers=who)
        self.tally.closed += closed.status_code == 200
        return True


def _staff(staff_id: str, team: str | None, role: str) -> dict[str, str]:
    headers = {"X-Lotse-Staff": staff_id, "X-Lotse-Role": role}
    if team:
        headers["X-Lotse-Team"] = team
    return headers


async def simulate(office: Office, intake_url: str, routing_url: str, day_seconds: float) -> Tally:
    async with (
        httpx.AsyncClient(base_url=intake_url, timeout=30) as intake,
        httpx.AsyncClient(base_url=routing_url, timeout=30) as routing,
    ):
        return await Demo(office, intake, routing).run(day_seconds)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m metrics.demo", description=__doc__)
    p.add_argument("--intake", default="http://127.0.0.1:8010", help="intake's base URL")
    p.add_argument("--routing", default="http://127.0.0.1:8020", help="routing's base URL")
    p.add_argument("--clients", type=int, default=26_000, help="applications a year")
    p.add_argument("--staff", type=int, default=43)
    p.add_argument("--days", type=int, default=28, help="simulated office days")
    p.add_argument("--surge-from", type=int, default=14, help="first day of the surge")
    p.add_argument("--surge", type=float, default=1.8, help="inflow factor during the surge week")
    p.add_argument("--scale", type=float, default=1.0, help="shrink the office (0.1 = a tenth)")
    p.add_argument("--day-seconds", type=float, default=2.0, help="wall seconds per office day")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    office = Office(
        clients=a.clients,
        staff=a.staff,
        days=a.days,
        surge_from=a.surge_from,
        surge=a.surge,
        scale=a.scale,
        seed=a.seed,
    )
    tally = asyncio.run(simulate(office, a.intake, a.routing, a.day_seconds))
    print(
        f"submitted {tally.submitted} (refused {tally.refused}), decided {tally.decided}, "
        f"closed {tally.closed}, still open {len(tally.open)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
