"""Labelled fields are read from every common markup, and from nothing else."""

import pytest
from bs4 import BeautifulSoup

from registry.registers.parsing import Fields, PageUnreadable


def fields_of(html: str) -> Fields:
    return Fields(BeautifulSoup(html, "html.parser"))


MARKUPS = {
    "dl": "<dl><dt>Status</dt><dd>Registered</dd><dt>Modality</dt>"
    "<dd><ul><li>Forensic psychologist</li><li>Clinical psychologist</li></ul></dd></dl>",
    "table rows": '<table><tr><th scope="row">Status</th><td>Registered</td></tr>'
    "<tr><td>Modality</td><td><ul><li>Forensic psychologist</li>"
    "<li>Clinical psychologist</li></ul></td></tr></table>",
    "table columns": "<table><thead><tr><th>Status</th><th>Modality</th></tr></thead>"
    "<tbody><tr><td>Registered</td><td><ul><li>Forensic psychologist</li>"
    "<li>Clinical psychologist</li></ul></td></tr></tbody></table>",
    "govuk summary list": '<dl class="govuk-summary-list">'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt>'
    '<dd class="govuk-summary-list__value">Registered</dd></div>'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Modality</dt>'
    '<dd class="govuk-summary-list__value"><ul><li>Forensic psychologist</li>'
    "<li>Clinical psychologist</li></ul></dd></div></dl>",
    "h2 heading": "<h2>Status</h2><p>Registered</p><h2>Modality</h2>"
    "<ul><li>Forensic psychologist</li><li>Clinical psychologist</li></ul>",
    "h5 heading": "<section><h5>Status</h5>\n<p>Registered</p>\n<h5>Modality</h5>\n"
    "<ul><li>Forensic psychologist</li><li>Clinical psychologist</li></ul></section>",
    "strong then paragraph": "<div><strong>Status</strong><p>Registered</p></div>"
    "<div><strong>Modality</strong><ul><li>Forensic psychologist</li>"
    "<li>Clinical psychologist</li></ul></div>",
    "bold paragraph then paragraph": "<p><b>Status</b></p><p>Registered</p><p><b>Modality</b></p>"
    "<ul><li>Forensic psychologist</li><li>Clinical psychologist</li></ul>",
    "bold label in the line": "<p><strong>Status</strong> Registered</p>"
    "<p><b>Modality:</b> Forensic psychologist; Clinical psychologist</p>",
    "classed spans": '<div><span class="field-label">Status</span>'
    '<span class="field-value">Registered</span></div><div><span class="field-label">Modality'
    '</span><span class="field-value"><ul><li>Forensic psychologist</li>'
    "<li>Clinical psychologist</li></ul></span></div>",
    "classed divs apart": '<div class="row"><div class="col"><div class="label">Status</div></div>'
    '<div class="col"><div class="value">Registered</div></div></div>'
    '<div class="row"><div class="col"><div class="label">Modality</div></div><div class="col">'
    "<ul><li>Forensic psychologist</li><li>Clinical psychologist</li></ul></div></div>",
    "sibling divs": "<div><div>Status</div><div>Registered</div></div><div><div>Modality</div>"
    "<div><ul><li>Forensic psychologist</li><li>Clinical psychologist</li></ul></div></div>",
    "label element": "<div><label>Status</label><span>Registered</span></div>"
    "<div><label>Modality</label><ul><li>Forensic psychologist</li>"
    "<li>Clinical psychologist</li></ul></div>",
    "paragraphs": "<p>Status: Registered</p>"
    "<p>Modality: Forensic psychologist; Clinical psychologist</p>",
    "list items": "<ul><li>Status: Registered</li>"
    "<li>Modality: Forensic psychologist; Clinical psychologist</li></ul>",
    "lines": "<p>Status: Registered<br>Modality: Forensic psychologist; Clinical psychologist</p>",
    "text div": "<div>Status: Registered</div>"
    "<div>Modality: Forensic psychologist; Clinical psychologist</div>",
}


@pytest.mark.parametrize("html", MARKUPS.values(), ids=MARKUPS.keys())
def test_every_common_markup_gives_the_same_fields(html):
    fields = fields_of(f"<main><h1>Amelia Hart</h1>{html}</main>")
    assert fields.require("Status").text == "Registered"
    assert fields.require("Modality").items == ("Forensic psychologist", "Clinical psychologist")


@pytest.mark.parametrize(
    "html",
    [
        "<p>Amelia Hart is Registered as a practitioner psychologist.</p>",
        "<ul><li>Status</li><li>Name</li></ul><ul><li>Registered</li><li>Amelia Hart</li></ul>",
        "<h1>Status</h1><p>Registered</p>",
        "<p>Status</p><p>Registered</p>",
        '<script>var entry = {"Status": "Registered"};</script>',
        "<table><tr><th>Status</th><th>Name</th></tr></table>",
        "<div><div>Status</div><div>Registered</div><div>Name</div></div>",
        "<div><span>Status</span><span>Registered</span><span>Name</span><span>A Hart</span></div>",
        "<p>This is <strong>Status</strong> Registered</p>",
    ],
    ids=[
        "prose",
        "split lists",
        "h1",
        "unmarked paragraphs",
        "script",
        "header row only",
        "odd siblings",
        "a run of unnamed spans",
        "bold mid-sentence",
    ],
)
def test_an_unfamiliar_layout_has_no_status_field(html):
    assert fields_of(f"<main>{html}</main>").get("Status") is None


def test_a_search_form_label_does_not_clash_with_the_entry():
    fields = fields_of(
        '<form><label for="q">Registration number</label><input id="q" name="query">'
        '<button>Search</button></form><span class="label">Status:</span>'
        "<table><tr><th>Registration number</th><td>PYL043541</td></tr>"
        "<tr><th>Status</th><td>Registered</td></tr></table>"
    )
    assert fields.require("Registration number").text == "PYL043541"
    assert fields.require("Status").text == "Registered"


def test_two_markups_disagreeing_is_still_unreadable():
    fields = fields_of("<h3>Status</h3><p>Suspended</p><dl><dt>Status</dt><dd>Registered</dd></dl>")
    with pytest.raises(PageUnreadable, match="more than one"):
        fields.get("Status")


def test_several_rows_under_one_header_row_are_unreadable():
    fields = fields_of(
        "<table><tr><th>Name</th><th>Status</th></tr><tr><td>Amelia Hart</td>"
        "<td>Registered</td></tr><tr><td>Amelia Hart</td><td>Suspended</td></tr></table>"
    )
    with pytest.raises(PageUnreadable, match="more than one"):
        fields.get("Status")


def test_an_empty_value_is_read_as_empty():
    fields = fields_of("<h3>Annotations</h3><p></p><p>Conditions:</p>")
    assert not fields.require("Annotations").has_content
    assert not fields.require("Conditions").has_content
