"""SMS through an HTTP gateway: numbers normalised to E.164, privacy-mode teaser only."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import phonenumbers

from notify.domain.messages import DeliveryResult, Message


def e164(number: str, region: str = "DE") -> str | None:
    """The number in E.164 (``+4915112345678``), or None when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class SmsConfig:
    url: str  # the gateway's send endpoint; POST {"to", "text"} as JSON
    token: str = ""
    sender: str = "Lotse"
    region: str = "DE"
    timeout_s: float = 10.0


class HttpSmsChannel:
    """Always the short "there is news" text plus link: an SMS never carries case content."""

    name = "sms"
    in_process = False

    def __init__(self, config: SmsConfig, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._client = client

    def accepts(self, message: Message) -> bool:
        return bool(message.phone)

    async def send(self, message: Message) -> DeliveryResult:
        number = e164(message.phone or "", self.config.region)
        if number is None:
            return DeliveryResult.failed("invalid phone number", permanent=True)
        body = {"to": number, "from": self.config.sender, "text": message.notice.strip()}
        headers = {"Authorization": f"Bearer {self.config.token}"} if self.config.token else {}
        try:
            response = await self._post(body, headers)
        except httpx.HTTPError as error:
            return DeliveryResult.failed(type(error).__name__, permanent=False)
        if response.is_success:
            return DeliveryResult.delivered()
        permanent = 400 <= response.status_code < 500 and response.status_code != 429
        return DeliveryResult.failed(f"gateway {response.status_code}", permanent=permanent)

    async def _post(self, body: dict[str, str], headers: dict[str, str]) -> httpx.Response:
        if self._client is not None:
            return await self._client.post(self.config.url, json=body, headers=headers)
        async with httpx.AsyncClient(timeout=self.config.timeout_s) as client:
            return await client.post(self.config.url, json=body, headers=headers)
