"""A lesson's headings follow its outline (h1 page title, h2 sections, h3 below),
whatever order the trainer put the blocks in."""

import re

from courses.blocks import LessonStreamBlock


def headings(raw_body: list[dict]) -> list[str]:
    block = LessonStreamBlock()
    html = block.render(block.to_python(raw_body))
    return [
        f"h{level} {text}" for level, text in re.findall(r"<h(\d)[^>]*>([^<]*)<", html)
    ]


def callout(title: str) -> dict:
    return {
        "type": "callout",
        "value": {"kind": "warning", "title": title, "text": "<p>Text.</p>"},
    }


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def test_a_callout_before_any_section_is_a_section_heading():
    assert headings([callout("Demonstration material"), heading("Indicators")]) == [
        "h2 Demonstration material",
        "h2 Indicators",
    ]


def test_a_callout_inside_a_section_is_a_subsection_heading():
    assert headings([heading("Indicators"), callout("Key point")]) == [
        "h2 Indicators",
        "h3 Key point",
    ]


def test_a_subsection_heading_before_any_section_becomes_a_section():
    assert headings([heading("Signs", "h3"), heading("More", "h3")]) == [
        "h2 Signs",
        "h2 More",
    ]


def test_a_titled_block_under_a_subsection_goes_one_level_deeper():
    body = [
        heading("Indicators"),
        heading("At work", "h3"),
        {
            "type": "faq",
            "value": {
                "title": "Questions officers ask",
                "items": [{"question": "Must she cooperate?", "answer": "<p>No.</p>"}],
            },
        },
        heading("Referral"),
        callout("Warning"),
    ]

    assert headings(body) == [
        "h2 Indicators",
        "h3 At work",
        "h4 Questions officers ask",
        "h2 Referral",
        "h3 Warning",
    ]
