"""The plan's rules for events, checked for a year."""

from sqlmodel import Field, SQLModel


class WindowCheck(SQLModel):
    """A two-month window: at least one promotion is to be held in each (每双月至少一次)."""

    start: str = Field(description="First month, YYYY-MM.")
    end: str = Field(description="Last month, YYYY-MM.")
    held_promotions: int = Field(description="Promotion events (any scope) held in the window.")
    ok: bool = Field(description="At least one was held.")


class ConferenceCheck(SQLModel):
    """The yearly city building-development conference (市级楼宇发展大会)."""

    held: int = Field(description="Conferences held in the year.")
    ok: bool = Field(description="At least one was held.")


class JointMeetingCheck(SQLModel):
    """Joint meetings of departments, one every half year (原则上每半年一次)."""

    h1: int = Field(description="Held January–June.")
    h2: int = Field(description="Held July–December.")
    ok: bool = Field(description="At least one in each half.")


class DistrictCheck(SQLModel):
    """A district's promotion events against its target (Annex 1)."""

    district_id: str = Field(description="District.")
    target: int | None = Field(description="Promotion events the district is to hold.")
    held: int = Field(description="District promotion events it held.")
    planned: int = Field(description="District promotion events still planned.")
    ok: bool = Field(description="held ≥ target.")


class PendingReview(SQLModel):
    """Held events of the year that count once an administrator verifies them (not in the checks
    above, which count verified events only)."""

    promotions: int = Field(description="Held promotion events (any scope) awaiting review.")
    conferences: int = Field(description="Held city conferences awaiting review.")
    joint_meetings: int = Field(description="Held city joint meetings awaiting review.")
    districts: dict[str, int] = Field(
        description="District promotion events awaiting review, by district (those with any)."
    )


class Compliance(SQLModel):
    """A year against the plan's rules; `ok` only when every rule holds."""

    year: int = Field(description="Calendar year (Beijing time).")
    ok: bool = Field(description="Every rule below holds.")
    windows: list[WindowCheck] = Field(description="The six two-month windows, in order.")
    conference: ConferenceCheck = Field(description="The yearly conference.")
    joint_meetings: JointMeetingCheck = Field(description="The half-yearly joint meetings.")
    districts: list[DistrictCheck] = Field(description="Each district against its target.")
    pending: PendingReview = Field(description="Held events awaiting review, beside the checks.")
    missing: list[str] = Field(description="What is missing, spelled out (Chinese).")
