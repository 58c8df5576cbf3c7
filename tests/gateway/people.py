"""People in the gateway's tests: accounts the administrator creates, and a browser-like client
that keeps its cookie and sends the CSRF token with changes."""

from __future__ import annotations

from typing import Any

import httpx

USERS = "/api/v1/auth/users"
GOOD_PASSWORD = "Suzhou-Lou-2023"


async def create(
    admin: httpx.AsyncClient, username: str, role: str = "district", **extra: Any
) -> dict:
    body = {"username": username, "display_name": f"{username}科长", "role": role, **extra}
    if role == "district":
        body.setdefault("district_id", "gusu")
    response = await admin.post(USERS, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


class Person:
    """A browser: it keeps the cookie and sends the CSRF token with changes."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url)
        self.csrf = ""

    async def login(self, username: str, password: str, totp: str | None = None) -> httpx.Response:
        body = {"username": username, "password": password}
        if totp is not None:
            body["totp"] = totp
        response = await self.http.post("/api/v1/auth/login", json=body)
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
        return response

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(path, **kwargs)

    async def send(
        self, method: str, path: str, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def change_password(self, current: str, new: str) -> httpx.Response:
        return await self.send(
            "POST", "/api/v1/auth/password", json={"current_password": current, "new_password": new}
        )

    async def close(self) -> None:
        await self.http.aclose()


async def signed_in(make: Any, admin: httpx.AsyncClient, username: str, **extra: Any) -> Person:
    """A person with a changed password, signed in and free to work."""
    user = await create(admin, username, **extra)
    person = make()
    assert (await person.login(username, user["initial_password"])).status_code == 200
    assert (
        await person.change_password(user["initial_password"], GOOD_PASSWORD)
    ).status_code == 204
    return person


async def audit_trail(admin: httpx.AsyncClient, user: str) -> list[dict]:
    """The audit entries of one person (by name or id), newest first."""
    response = await admin.get("/api/v1/auth/audit", params={"user": user, "limit": 100})
    return list(response.json()["items"])
