"""Topics: editing a paper's topics, the sidebar facets and the command palette."""

from __future__ import annotations

from textual.command import CommandPalette, Matcher
from textual.widgets import Input
from tui_helpers import detail_text, palette_offers, settle

from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from tui.providers import highlight
from tui.screens.topic_editor import TopicEditor
from tui.widgets.facets import Facets


def first_pk(db) -> int:
    with Library(db) as lib:
        return Search(lib).run(Query())[0]


async def test_t_adds_a_topic_with_completion_and_removes_it(make_app, library):
    """t, a few letters, Right to complete and Enter adds the topic; again removes it."""
    pk = first_pk(library)
    with Library(library) as lib:
        assert "distillation" not in lib.paper_topics(pk)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t", *"Distil")
        assert isinstance(app.screen, TopicEditor)
        await settle(pilot)
        await pilot.press("right")
        assert app.screen.query_one(Input).value == "Distillation"
        await pilot.press("enter")
        await settle(pilot)
        with Library(library) as lib:
            assert "distillation" in lib.paper_topics(pk)
        assert app.notes[-1] == ("Added topic Distillation.", "information")
        assert "Distillation" in detail_text(app).split("Topics: ")[1]
        await pilot.press("t", *"distillation", "enter")
        await settle(pilot)
        with Library(library) as lib:
            assert "distillation" not in lib.paper_topics(pk)
        assert app.notes[-1] == ("Removed topic Distillation.", "information")


async def test_enter_takes_the_completion_the_dialog_shows(make_app, library):
    """Typing "distil" shows "Distillation" completed in the box; Enter adds that topic
    rather than answering that no topic is named "distil"."""
    pk = first_pk(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t", *"distil")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, TopicEditor)
        assert app.notes[-1] == ("Added topic Distillation.", "information")
    with Library(library) as lib:
        assert "distillation" in lib.paper_topics(pk)


async def test_an_unknown_topic_is_refused_in_the_dialog(make_app):
    """A name that is no topic keeps the dialog open with a message."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t", *"astrology", "enter")
        assert isinstance(app.screen, TopicEditor)
        await pilot.press("escape")
        assert not isinstance(app.screen, TopicEditor)


async def test_choosing_a_topic_in_the_sidebar_filters_the_view(make_app, library):
    """Enter on a topic in the sidebar shows only its papers; Enter again shows all."""
    with Library(library) as lib:
        in_topic = len(Search(lib).run(Query.parse("topic:quantization")))
        total = lib.count()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        facets.highlight("topic:quantization")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title == f"Quantization — {in_topic} papers"
        prompt = facets.prompt("topic:quantization")
        assert prompt.startswith("✓ Quantization") and prompt.endswith(str(in_topic))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title == f"all papers — {total} papers"


async def test_sidebar_counts_follow_the_view(make_app, library):
    """The state counts and topic counts are those of the current search."""
    with Library(library) as lib:
        search = Search(lib)
        query = Query.parse("cache")
        counts = search.counts(query, search.run(query))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"cache")
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        unread = facets.prompt("is:unread")
        assert unread.split()[-1] == str(counts.states["unread"])
        for slug, count in counts.topics.items():
            assert facets.prompt(f"topic:{slug}").split()[-1] == str(count)


async def test_no_topic_facet_shows_untagged_papers(make_app, library):
    """The "No topic" entry shows the papers without any topic."""
    with Library(library) as lib:
        untagged = len(Search(lib).run(Query.parse("no:topic")))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        assert facets.prompt("no:topic").split()[-1] == str(untagged)
        facets.focus()
        facets.highlight("no:topic")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title.startswith("no topic — ")


async def test_the_palette_runs_commands_and_topic_filters(make_app):
    """Ctrl+P finds commands and topics by name and runs them."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"unread only")
        await palette_offers(pilot, "unread only")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title.startswith("unread — ")
        await pilot.press("ctrl+p", *"topic quantization")
        await palette_offers(pilot, "quantization")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title.startswith("unread · Quantization — ")


def test_palette_highlighting_never_reads_markup():
    """A topic name that looks like markup is shown character for character."""
    for name in ("[b]bold[/b]", "[@click=app.quit]x[/]", "[/]"):
        assert highlight(Matcher("b"), name).plain == name
