"""Helpers to drive the Wagtail page editor as a browser without JavaScript would: read the
form's fields with their values, then post them with the changes a person would make."""

from __future__ import annotations

from typing import Any

import lxml.html
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def form_fields(html: bytes | str) -> dict[str, Any]:
    """The named fields of the page editor form and their current values (the buttons and the
    formsets' empty templates left out)."""
    doc = lxml.html.fromstring(html)
    data: dict[str, Any] = {}
    for el in doc.xpath("//form[@id='page-edit-form']//*[@name]"):
        name = el.get("name")
        if "__prefix__" in name or el.tag == "button" or name == "csrfmiddlewaretoken":
            continue
        if el.tag == "select":
            chosen = el.xpath(".//option[@selected]") or el.xpath(".//option")
            data[name] = chosen[0].get("value") if chosen else ""
        elif el.tag == "textarea":
            data[name] = (el.text or "").strip("\n")
        elif el.get("type") == "checkbox":
            if el.get("checked") is not None:
                data[name] = el.get("value") or "on"
        else:
            data[name] = el.get("value") or ""
    return data


def body(*paragraphs: str) -> dict[str, Any]:
    """A story body of paragraphs, as the StreamField's form data."""
    return nested_form_data(
        {"body": streamfield([("paragraph", rich_text(f"<p>{p}</p>")) for p in paragraphs])}
    )


def post_editor(client: Any, url: str, action: str | None = None, **changes: Any) -> Any:
    """GET the editor at ``url``, change fields, POST it with a body of ``paragraphs`` (the
    StreamField is drawn by JavaScript, so it is always posted from here). ``action``:
    ``publish``, ``submit``, or None to save a draft. Returns the POST's response."""
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    data = form_fields(page.content)
    paragraphs = changes.pop("paragraphs", ("The story.",))
    data.update(changes)
    data.update(body(*paragraphs))
    if action:
        data[f"action-{action}"] = action
    response = client.post(url, data)
    if response.status_code == 200 and hasattr(response, "context") and response.context:
        form = response.context.get("form")
        response.form_errors = form.errors if form is not None else None
    return response


def errors(response: Any) -> str:
    """The editor form's errors of a response that re-showed the form, for assert messages."""
    return str(getattr(response, "form_errors", "") or response.status_code)
