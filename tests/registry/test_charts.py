"""The chart module: accessible SVG from series of counts, with no script."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from registry.charts import Series, bar_chart, nice_maximum, totals

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**overrides):
    arguments = {
        "chart_id": "outcomes",
        "title": "Check outcomes <by week>",
        "description": "Clear and restricted checks per week",
        "categories": ["1 Jan", "8 Jan", "15 Jan"],
        "series": [Series("Clear", (3, 0, 5)), Series("Restricted", (1, 0, 2))],
    }
    arguments.update(overrides)
    return bar_chart(**arguments)


def test_the_chart_is_an_image_with_a_title_and_description() -> None:
    svg = ET.fromstring(str(_chart()))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "outcomes-title outcomes-desc"
    assert svg.find(f"{SVG}title").text == "Check outcomes <by week>"  # escaped, then parsed
    assert svg.find(f"{SVG}desc").text == "Clear and restricted checks per week"
    assert "<script" not in str(_chart())


def test_each_series_has_its_own_pattern_and_a_legend_in_words() -> None:
    markup = str(_chart())
    svg = ET.fromstring(markup)
    patterns = svg.findall(f"{SVG}defs/{SVG}pattern")
    assert [p.get("id") for p in patterns] == ["outcomes-p0", "outcomes-p1"]
    # The second series is striped, not only another colour.
    assert patterns[1].find(f"{SVG}path") is not None
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Clear" in texts
    assert "Restricted" in texts


def test_bars_are_stacked_and_carry_their_totals() -> None:
    svg = ET.fromstring(str(_chart()))
    bars = [r for r in svg.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "1 Jan: Clear 3",
        "1 Jan: Restricted 1",
        "15 Jan: Clear 5",
        "15 Jan: Restricted 2",
    ]
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "4" in texts  # the totals on top of the bars
    assert "7" in texts
    # The tallest bar (7 of an axis topped at 10) is 70% of the plot's height.
    heights = [float(b.get("height")) for b in bars[2:]]
    assert sum(heights) == pytest.approx(140.0, abs=0.2)


def test_an_empty_chart_still_draws() -> None:
    markup = _chart(series=[Series("Due", (0, 0, 0))])
    svg = ET.fromstring(str(markup))
    assert svg.get("role") == "img"


def test_bad_series_are_refused() -> None:
    with pytest.raises(ValueError, match="values"):
        _chart(series=[Series("Clear", (1, 2))])
    with pytest.raises(ValueError, match="negative"):
        _chart(series=[Series("Clear", (1, -2, 0))])


def test_axis_maximum_and_totals() -> None:
    assert [nice_maximum(v) for v in (0, 1, 2, 3, 7, 10, 11, 49, 120)] == [
        1,
        1,
        2,
        5,
        10,
        10,
        20,
        50,
        200,
    ]
    assert totals(["a", "b"], [Series("x", (1, 2)), Series("y", (3, 4))]) == [4, 6]


def test_identifiers_are_made_safe() -> None:
    markup = str(_chart(chart_id='a"b c'))
    assert 'id="a-b-c"' in markup
