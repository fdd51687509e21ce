"""Topic taxonomy, its topics.toml configuration, and the tagger, on invented papers only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from papershelf.topics import THRESHOLD, Tagger, Taxonomy, TopicConfigError, load_taxonomy

SHARED_TOPICS = Path(__file__).resolve().parents[1] / ".." / "shared" / "topics.md"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


def tags(tagger: Tagger, title: str, abstract: str = "") -> tuple[str, ...]:
    return tagger.tag(title, abstract)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(tmp_path: Path, text: str) -> str:
    path = write_config(tmp_path, text)
    with pytest.raises(TopicConfigError) as caught:
        load_taxonomy(path)
    return str(caught.value).replace(str(path), "topics.toml")


# ---------------------------------------------------------------- default taxonomy


def test_default_taxonomy_is_the_shared_one() -> None:
    """The sidebar shows exactly the slugs, names, groups and descriptions of topics.md."""
    if not SHARED_TOPICS.is_file():
        pytest.skip(f"no {SHARED_TOPICS.resolve()} to compare with")
    text = SHARED_TOPICS.read_text(encoding="utf-8")
    expected = []
    for section, group in (("## Areas", "area"), ("## Techniques", "technique")):
        table = text.split(section, 1)[1].split("\n## ", 1)[0]
        for row in re.findall(r"^\| ([a-z0-9-]+) \| (.+?) \| (.+?) \|$", table, re.MULTILINE):
            if row[0] != "slug":
                expected.append((row[0], row[1], group, row[2]))
    shipped = [(t.slug, t.name, t.group, t.description) for t in load_taxonomy()]
    assert shipped == expected
    assert len(shipped) == 25


def test_taxonomy_lists_areas_before_techniques() -> None:
    """Areas (what a paper is about) come before techniques (how it does it) in the sidebar."""
    groups = [topic.group for topic in load_taxonomy()]
    assert groups == sorted(groups, key=("area", "technique").index)


# ---------------------------------------------------------------- matching


def test_hyphens_spacing_case_and_plurals_do_not_matter(tagger: Tagger) -> None:
    """Fine-tuning, fine tuning, finetuning and plural forms all find the same topic."""
    for title in (
        "Parameter-Efficient Fine-Tuning of Speech Models",
        "parameter efficient fine tuning of speech models",
        "Parameter-efficient finetuning of speech models",
    ):
        assert "peft" in tags(tagger, title)
    assert "mixture-of-experts" in tags(tagger, "Mixtures of Experts for Translation")
    assert "mixture-of-experts" in tags(tagger, "Mixture-of-Experts for Translation")


def test_punctuation_between_the_words_of_a_long_phrase_does_not_matter(tagger: Tagger) -> None:
    """A three-word phrase counts when commas, brackets or dashes sit between its words."""
    plain = tagger.scores("Neural Solvers for Partial Differential Equations", "")
    assert "science" in plain
    for title in (
        "Neural Solvers for Partial-Differential; Equations",
        "Neural Solvers for Partial (Differential) Equations",
    ):
        assert tagger.scores(title, "") == plain, title
    abstract = "We learn partial-differential -- equations from sparse sensors."
    assert "science" in tagger.scores("Fluid Surrogates", abstract)


def test_synonyms_reach_the_same_topic(tagger: Tagger) -> None:
    """Different names of one idea (LoRA, adapters, prompt tuning) all mean PEFT."""
    for title in ("LoRA for Everyone", "Prompt Tuning at Scale", "Adapters Are All You Need"):
        assert "peft" in tags(tagger, title), title


def test_acronyms_match_only_in_their_own_case(tagger: Tagger) -> None:
    """MoE, RAG, ViT and TTS count as acronyms, the words moe, rag, vit, tts in prose do not."""
    assert "mixture-of-experts" in tags(tagger, "Sparse MoE Layers", "We route tokens.")
    assert "mixture-of-experts" in tags(tagger, "Training MoEs Stably")
    assert "retrieval" in tags(tagger, "RAG for Legal Questions")
    assert "vision" in tags(tagger, "A ViT Without Patches")
    assert "speech-audio" in tags(tagger, "Expressive TTS in Many Voices")
    prose = "A moe sentence about the rag trade, a vit and tts in lowercase."
    assert tags(tagger, "On Words", prose) == ()


def test_configured_acronym_with_non_ascii_letters_matches_exactly(tmp_path: Path) -> None:
    """A user's acronym such as "μP" finds "μP" and "μPs", not a lone "P" or "xμP"."""
    text = '[topics.mup]\nname = "muP"\npatterns = ["μP"]\n'
    tagger = Tagger(load_taxonomy(write_config(tmp_path, text)))
    assert "mup" in tagger.tag("Tuning Width with μP", "")
    assert "mup" in tagger.tag("Two μPs Compared", "")
    assert "mup" not in tagger.tag("Plan P for xμP", "")


def test_scores_explain_the_tags(tagger: Tagger) -> None:
    """Scores show every topic with evidence; the tagged ones reach the threshold."""
    title, abstract = "Quantized Speech Recognition", "We quantize an ASR model to 4-bit."
    scores = tagger.scores(title, abstract)
    tagged = tagger.tag(title, abstract)
    assert tagged == ("speech-audio", "quantization")
    assert {slug for slug, score in scores.items() if score >= THRESHOLD} == set(tagged)


def test_title_mentions_outweigh_abstract_mentions(tagger: Tagger) -> None:
    """One mention in the title tags a paper; one passing mention in the abstract does not."""
    assert tags(tagger, "Quantization for Small Devices", "We study models.") == ("quantization",)
    assert tags(tagger, "Small Devices", "We also tried quantization once.") == ()
    repeated = "We use quantization. Quantization helps, and quantization saves memory."
    assert "quantization" in tags(tagger, "Small Devices", repeated)


def test_strong_phrase_in_abstract_needs_one_more_hint(tagger: Tagger) -> None:
    """A strong phrase mentioned in passing is not enough; with any related hint it is."""
    passing = "Unlike prior work that relies on speculative decoding, we study caching."
    assert "decoding" not in tags(tagger, "A Study", passing)
    backed = "We accelerate speculative decoding with better draft tokens."
    assert "decoding" in tags(tagger, "A Study", backed)


def test_weak_hints_alone_never_tag(tagger: Tagger) -> None:
    """Many generic hints (mimic, logits) do not add up to a topic, but they back a strong one."""
    abstract = "A smaller model can mimic soft labels and logits; mimic logits, soft labels."
    assert "distillation" not in tags(tagger, "Classroom Notes", abstract)
    backed = abstract + " This is knowledge distillation."
    assert "distillation" in tags(tagger, "Classroom Notes", backed)


def test_topics_come_in_taxonomy_order(tagger: Tagger) -> None:
    """Slugs are returned in sidebar order, areas first, whatever order the text uses."""
    result = tags(tagger, "Knowledge Distillation of Speech Recognition Models")
    assert result == ("speech-audio", "distillation")


def test_empty_and_non_ascii_text_tag_nothing(tagger: Tagger) -> None:
    """Papers with no text or only non-ASCII words get no topic and no error."""
    assert tags(tagger, "", "") == ()
    assert tags(tagger, "Ünïcödé 量子化", "μ café naïve ☃") == ()


# ---------------------------------------------------------------- false friends


def test_astronomical_survey_is_not_a_literature_survey(tagger: Tagger) -> None:
    """A sky survey is science; "this survey reviews ..." is a Surveys paper."""
    sky = "We present a wide-field survey of galaxies taken with one telescope over five years."
    assert tags(tagger, "A Photometric Survey of Nearby Galaxies", sky) == ("science",)
    review = "In this survey, we review pruning and distillation and discuss future directions."
    assert "survey" in tags(tagger, "Compressing Transformers", review)
    assert "survey" in tags(tagger, "Model Compression: A Comprehensive Survey")


def test_chemical_distillation_is_not_knowledge_distillation(tagger: Tagger) -> None:
    """Distilling water or ethanol is not Distillation; teacher-student training is."""
    chemistry = "A controller for the distillation column that separates ethanol from water."
    assert tags(tagger, "Fractional Distillation of Ethanol", chemistry) == ()
    kd = "We use knowledge distillation to transfer a large teacher into a compact student."
    assert "distillation" in tags(tagger, "Smaller Students", kd)


def test_attention_alone_is_not_efficient_attention(tagger: Tagger) -> None:
    """Papers merely using attention are not filed under Efficient Attention."""
    usage = "We study attention heads: attention patterns and attention maps differ by layer."
    assert "efficient-attention" not in tags(tagger, "Where Do Heads Look?", usage)
    linear = "We replace softmax attention with linear attention for long sequences."
    assert "efficient-attention" in tags(tagger, "Linear-Time Mixing", linear)


def test_reinforcement_learning_agent_is_not_an_llm_agent(tagger: Tagger) -> None:
    """An RL agent exploring an environment is not Agents & Tools; LLM agents using tools are."""
    rl = "An RL agent learns to explore. The agent gets sparse rewards as the agent improves."
    assert "agents" not in tags(tagger, "Curious Exploration", rl)
    llm = "We build LLM agents that call external tools through web APIs."
    assert "agents" in tags(tagger, "Tool-Using Assistants", llm)


def test_scaling_alone_is_not_scaling_laws(tagger: Tagger) -> None:
    """Scaling a model up is not Scaling Laws; fitting laws of loss against compute is."""
    up = "Scaling up the backbone improves semantic segmentation; we scale to 1B parameters."
    assert "scaling-laws" not in tags(tagger, "Scaling Up Segmenters", up)
    laws = "We fit scaling laws that predict the loss from compute and data."
    assert "scaling-laws" in tags(tagger, "Predicting Loss", laws)


def test_released_source_code_is_not_the_code_topic(tagger: Tagger) -> None:
    """A released-source-code sentence does not make an image paper a Code paper."""
    release = (
        "We propose a fast image denoiser. The source code is available at "
        "https://github.com/x/y. Our code and models are released; code will be updated."
    )
    assert "code" not in tags(tagger, "Fast Image Denoising", release)
    code = "We train code language models for code completion across repositories."
    assert "code" in tags(tagger, "Repository-Level Completion", code)


def test_vision_language_is_multimodal_not_vision_or_text(tagger: Tagger) -> None:
    """A vision-language model is Multimodal, not Vision and not Language Models."""
    vlm = "We train a vision-language model on images and text to write captions."
    assert tags(tagger, "Grounded Captioning with a VLM", vlm) == ("multimodal",)


# ---------------------------------------------------------------- configuration


def test_missing_config_file_means_defaults(tmp_path: Path) -> None:
    """Without a topics.toml the reader gets the default taxonomy."""
    assert load_taxonomy(tmp_path / "absent.toml") == load_taxonomy()
    assert load_taxonomy(None) == load_taxonomy()


def test_config_adds_a_topic_after_its_group(tmp_path: Path) -> None:
    """A new area appears after the default areas and tags papers with its phrases."""
    path = write_config(
        tmp_path,
        '[topics.robot-learning]\nname = "Robot Learning"\ngroup = "area"\n'
        'description = "imitation learning on robots"\nstrong = ["imitation learning"]\n'
        'patterns = ["sim-to-real"]\n',
    )
    taxonomy = load_taxonomy(path)
    slugs = taxonomy.slugs
    assert slugs.index("robot-learning") == slugs.index("science") + 1
    assert taxonomy.get("robot-learning").name == "Robot Learning"  # type: ignore[union-attr]
    assert "robot-learning" in Tagger(taxonomy).tag("Sim-to-Real Transfer for Arms", "")


def test_config_renames_a_topic_and_keeps_its_phrases(tmp_path: Path) -> None:
    """Renaming changes the sidebar name only; slug and matching stay."""
    taxonomy = load_taxonomy(write_config(tmp_path, '[topics.agents]\nname = "LLM Agents"\n'))
    agents = taxonomy.get("agents")
    assert agents is not None and agents.name == "LLM Agents"
    assert agents.patterns == load_taxonomy().get("agents").patterns  # type: ignore[union-attr]
    assert "agents" in Tagger(taxonomy).tag("Agentic Workflows", "")


def test_config_adds_patterns_to_a_default_topic(tmp_path: Path) -> None:
    """Extra phrases extend a topic; its default phrases keep working."""
    taxonomy = load_taxonomy(write_config(tmp_path, '[topics.code]\npatterns = ["leetcode"]\n'))
    tagger = Tagger(taxonomy)
    assert "code" in tagger.tag("Solving LeetCode Problems", "")
    assert "code" in tagger.tag("Program Synthesis Revisited", "")


def test_config_replaces_patterns_of_a_default_topic(tmp_path: Path) -> None:
    """With replace = true only the configured phrases find the topic."""
    text = '[topics.code]\nreplace = true\npatterns = ["leetcode"]\n'
    tagger = Tagger(load_taxonomy(write_config(tmp_path, text)))
    assert "code" in tagger.tag("Solving LeetCode Problems", "")
    assert "code" not in tagger.tag("Program Synthesis Revisited", "")


def test_config_removes_topics(tmp_path: Path) -> None:
    """Removed topics leave the sidebar and are never assigned."""
    taxonomy = load_taxonomy(write_config(tmp_path, 'remove = ["survey", "code"]\n'))
    assert "survey" not in taxonomy and "code" not in taxonomy
    assert len(taxonomy) == 23
    assert Tagger(taxonomy).tag("Program Synthesis: A Survey", "") == ()


def test_config_can_redefine_a_removed_topic(tmp_path: Path) -> None:
    """Removing a default topic and declaring it again starts it from scratch."""
    text = 'remove = ["code"]\n[topics.code]\nname = "Software"\npatterns = ["software"]\n'
    taxonomy = load_taxonomy(write_config(tmp_path, text))
    code = taxonomy.get("code")
    assert code is not None and code.patterns == ("software",) and code.strong == ()
    assert code.group == "technique"


def test_taxonomy_is_a_value(tmp_path: Path) -> None:
    """Loading the same configuration twice gives equal, immutable taxonomies."""
    first, second = load_taxonomy(), load_taxonomy()
    assert isinstance(first, Taxonomy) and first == second
    with pytest.raises(AttributeError):
        first.topics = ()  # type: ignore[misc]


# ---------------------------------------------------------------- configuration errors


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    """A TOML syntax error points at the line tomllib stopped at."""
    message = config_error(tmp_path, '[topics.code]\nname = "Code"\npatterns = ["a" "b"]\n')
    assert message.startswith("topics.toml:3: invalid TOML: ")


def test_unknown_key_names_its_line(tmp_path: Path) -> None:
    """A misspelt key inside a topic table is reported at that key's line."""
    text = '# my topics\n\n[topics.code]\nname = "Code"\npaterns = ["leetcode"]\n'
    message = config_error(tmp_path, text)
    assert message == "topics.toml:5: unknown key 'paterns' in topics.code"


def test_unknown_top_level_key_names_its_line(tmp_path: Path) -> None:
    """A misspelt top-level key is reported with what was expected."""
    message = config_error(tmp_path, 'removed = ["code"]\n')
    assert message == "topics.toml:1: unknown key 'removed' (expected remove or topics)"


def test_bad_slug_names_its_table_line(tmp_path: Path) -> None:
    """Slugs are lower-case words joined by hyphens; the table header line is reported."""
    text = '[topics.code]\nname = "Code"\n\n[topics."My Topic"]\nname = "Mine"\n'
    message = config_error(tmp_path, text)
    assert message.startswith("topics.toml:4: bad topic slug 'My Topic'")


def test_pattern_that_does_not_compile_names_its_line(tmp_path: Path) -> None:
    """A phrase with no words or too many words is reported at its own line."""
    text = '[topics.code]\npatterns = [\n    "leetcode",\n    "+++",\n]\n'
    assert config_error(tmp_path, text) == (
        "topics.toml:4: pattern '+++' in topics.code.patterns has 0 words; a pattern needs 1 to 4"
    )
    text = '[topics.code]\nstrong = ["one two three four five"]\n'
    assert config_error(tmp_path, text).startswith("topics.toml:2: pattern 'one two three")


def test_removing_an_unknown_topic_names_its_line(tmp_path: Path) -> None:
    """A typo in remove is an error, not a silently ignored wish."""
    message = config_error(tmp_path, '\nremove = [\n  "survey",\n  "surveys",\n]\n')
    assert message == "topics.toml:4: cannot remove unknown topic 'surveys'"


def test_new_topic_needs_a_name_and_phrases(tmp_path: Path) -> None:
    """A topic the defaults do not know must say what it is called and how to find it."""
    message = config_error(tmp_path, '[topics.robots]\npatterns = ["robot arm"]\n')
    assert message == "topics.toml:1: new topic 'robots' needs a name"
    message = config_error(tmp_path, '[topics.robots]\nname = "Robots"\n')
    assert message == "topics.toml:1: new topic 'robots' needs strong, patterns or title phrases"


def test_bad_group_and_types_name_their_line(tmp_path: Path) -> None:
    """Wrong values are reported at the key that holds them."""
    message = config_error(tmp_path, '[topics.code]\n\ngroup = "domain"\n')
    assert message == "topics.toml:3: topics.code.group must be 'area' or 'technique'"
    message = config_error(tmp_path, '[topics.code]\npatterns = "leetcode"\n')
    assert message == "topics.toml:2: topics.code.patterns must be a list of phrases"
