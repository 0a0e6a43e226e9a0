"""RFC 5545 invitations and the mails that carry them. Only time, place and people: no case content."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from w2.platform import mail
from w2.platform.i18n import t
from w2.platform.settings import get_settings

PRODID = "-//w2//W2-overleg//NL"
# Mail kind -> iTIP method of the calendar part.
KINDS = {"meeting_invitation": "REQUEST", "meeting_update": "REQUEST", "meeting_cancellation": "CANCEL"}


def build_calendar(p: dict[str, Any], method: str, language: str = "nl") -> bytes:
    """A VCALENDAR with one VEVENT and the VTIMEZONE it needs, from invitation params."""
    tz = ZoneInfo(p.get("tzid") or get_settings().timezone)
    start = datetime.fromisoformat(p["starts_at"]).astimezone(tz)
    end = datetime.fromisoformat(p["ends_at"]).astimezone(tz)
    org = p["organizer"]
    organizer = vCalAddress.new(org["email"], cn=org["name"], role="CHAIR")
    attendees = [
        vCalAddress.new(a["email"], cn=a.get("name") or None, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION",
                        rsvp=True, cutype="INDIVIDUAL")
        for a in p["attendees"]
    ]
    location = p.get("location") or ""
    description = t("meetings.ics.description", language)
    if p.get("video_url"):
        description += "\n" + t("meetings.video", language, url=p["video_url"]).strip()
    event = Event.new(
        uid=p["uid"], sequence=int(p["sequence"]), summary=t("meetings.ics.summary", language),
        description=description, location=location, start=start, end=end,
        stamp=datetime.fromisoformat(p["stamp"]) if p.get("stamp") else datetime.now(UTC),
        organizer=organizer, attendees=attendees,
        status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
        url=p.get("video_url") or None,
    )
    cal = Calendar.new(prodid=PRODID, method=method, subcomponents=[event])
    # A short VTIMEZONE window keeps the file small; it covers the event and the DST switches around it.
    cal.add_missing_timezones(first_date=(start - timedelta(days=366)).date(),
                              last_date=(end + timedelta(days=366)).date())
    return cal.to_ical()


def _render(kind: str, params: dict[str, Any], language: str) -> EmailMessage:
    method = KINDS[kind]
    video = t("meetings.video", language, url=params["video_url"]) if params.get("video_url") else ""
    name = params.get("recipient_name") or ""
    text_params = {"name": f" {name}" if name else "", "when": params["when"], "location": params.get("location") or "-",
                   "video": video, "link": params.get("link") or "", "organizer": params["organizer"]["name"]}
    msg = EmailMessage()
    msg["Subject"] = t(f"mail.{kind}.subject", language, **text_params)
    msg.set_content(t(f"mail.{kind}.body", language, **text_params))
    ics = build_calendar(params, method, language)
    msg.add_alternative(ics.decode(), subtype="calendar", params={"method": method})
    return msg


def render_invitation(params: dict[str, Any], language: str) -> EmailMessage:
    return _render("meeting_invitation", params, language)


def render_update(params: dict[str, Any], language: str) -> EmailMessage:
    return _render("meeting_update", params, language)


def render_cancellation(params: dict[str, Any], language: str) -> EmailMessage:
    return _render("meeting_cancellation", params, language)


def _greeted(params: dict[str, Any]) -> dict[str, Any]:
    name = params.get("name") or ""
    return {**params, "name": f" {name}" if name else ""}


def render_poll(params: dict[str, Any], language: str) -> EmailMessage:
    return mail.simple("meeting_poll", _greeted(params), language)


def render_agreement(params: dict[str, Any], language: str) -> EmailMessage:
    return mail.simple("meeting_agreement", _greeted(params), language)
