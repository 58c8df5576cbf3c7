"""Notifications as the API shows them."""

import datetime as dt

from sqlmodel import Field, SQLModel


class NotificationPublic(SQLModel):
    """A daily digest of open warnings."""

    id: int = Field(description="Notification id.")
    audience: str = Field(description='"admin" (the 发改委) or a district id.')
    day: dt.date = Field(description="The day it covers (Beijing time).")
    subject: str = Field(description="Subject line.")
    body: str = Field(description="The digest, plain text in Chinese.")
    created_at: dt.datetime = Field(description="When it was produced.")
    emailed_at: dt.datetime | None = Field(description="When it was e-mailed, if it was.")
    email_error: str | None = Field(description="Why e-mailing it failed, if it did.")


class NotificationPage(SQLModel):
    """One page of notifications, newest first."""

    items: list[NotificationPublic] = Field(description="Notifications.")
    total: int = Field(description="How many match in all.")
