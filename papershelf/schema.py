"""The library's schema as an ordered list of migrations.

`PRAGMA user_version` records how many have run. Each migration is plain SQL run in the
caller's transaction, so a library is always at one whole version. Imported content
(papers, links, sources) and the reader's own work (state, manual topics, lists) live in
separate tables so that re-importing can never overwrite what the reader did.

Papers have an integer key `pk` for compact joins and result arrays, and a stable text
`id` that users see and type: the arXiv id when known, else a hash of the title key.

Search is built for a million papers (see papershelf/search.py):
- Titles and abstracts have separate external-content FTS5 indexes, maintained by the
  importer in bulk rather than by triggers (only ingest writes titles and abstracts, and
  bulk maintenance is several times faster). Both keep only which papers hold a word
  (`detail=none`): a third of the size and tokenising cost of a full index, and all that
  search asks of them.
- `terms` holds every title word with its paper count. A partial word is expanded to the
  commonest words it starts, and a typo is corrected by looking at the few words that
  share its first or last letters; neither ever scans the vocabulary.
- `facets` holds the automatic topics and the papers with code as bitmaps (bit `pk` set),
  rewritten by each import, so counts for a million papers load in milliseconds.
- `changes` counts writes by kind; triggers bump it when the reader's state or a topic
  changes, so the search knows when what it holds in memory is stale without rereading.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    """
    CREATE TABLE papers (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        title_key TEXT NOT NULL UNIQUE,
        abstract TEXT NOT NULL,
        title_raw TEXT,
        abstract_raw TEXT,
        arxiv_id TEXT UNIQUE,
        authors TEXT,
        published TEXT,
        upvotes INTEGER,
        code_url TEXT,
        date_label TEXT,
        added_at TEXT NOT NULL
    );
    CREATE INDEX papers_has_code ON papers(pk) WHERE code_url IS NOT NULL;

    CREATE TABLE links (
        paper INTEGER NOT NULL REFERENCES papers(pk),
        position INTEGER NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL,
        host TEXT NOT NULL,
        original TEXT,
        PRIMARY KEY (paper, position)
    ) WITHOUT ROWID;

    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        size INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        papers INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        known INTEGER NOT NULL DEFAULT 0,
        merged INTEGER NOT NULL DEFAULT 0,
        warnings TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX sources_sha256 ON sources(sha256);

    CREATE TABLE paper_sources (
        paper INTEGER NOT NULL REFERENCES papers(pk),
        source INTEGER NOT NULL REFERENCES sources(id),
        line INTEGER NOT NULL,
        date_label TEXT,
        PRIMARY KEY (paper, source)
    ) WITHOUT ROWID;
    CREATE INDEX paper_sources_source ON paper_sources(source, paper);

    CREATE TABLE state (
        paper INTEGER PRIMARY KEY REFERENCES papers(pk),
        read_at TEXT,
        starred INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
    CREATE INDEX state_read ON state(paper) WHERE read_at IS NOT NULL;
    CREATE INDEX state_starred ON state(paper) WHERE starred = 1;

    CREATE TABLE topics (
        slug TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        grp TEXT NOT NULL,
        position INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT ''
    );

    -- origin: 'auto' (tagger), 'manual' (reader added), 'removed' (reader removed an
    -- automatic topic; hides it and survives retagging).
    CREATE TABLE paper_topics (
        paper INTEGER NOT NULL REFERENCES papers(pk),
        slug TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('auto', 'manual', 'removed')),
        PRIMARY KEY (paper, slug)
    ) WITHOUT ROWID;
    CREATE INDEX paper_topics_slug ON paper_topics(slug, paper) WHERE origin != 'removed';
    CREATE INDEX paper_topics_chosen ON paper_topics(origin) WHERE origin != 'auto';

    CREATE TABLE lists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE list_items (
        list INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
        paper INTEGER NOT NULL REFERENCES papers(pk),
        added_at TEXT NOT NULL,
        PRIMARY KEY (list, paper)
    ) WITHOUT ROWID;
    CREATE INDEX list_items_paper ON list_items(paper, list);

    CREATE VIRTUAL TABLE papers_fts_titles USING fts5(
        title, content='papers', content_rowid='pk', detail=none, columnsize=0,
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE papers_fts_abstracts USING fts5(
        abstract, content='papers', content_rowid='pk', detail=none, columnsize=0,
        tokenize='unicode61 remove_diacritics 2'
    );
    -- Buffer up to 64 MiB of terms before writing a segment: fewer, larger segments
    -- mean less merging during a big import (the buffer is freed at commit).
    INSERT INTO papers_fts_titles(papers_fts_titles, rank) VALUES ('hashsize', 67108864);
    INSERT INTO papers_fts_abstracts(papers_fts_abstracts, rank) VALUES ('hashsize', 67108864);

    CREATE TABLE terms (
        term TEXT PRIMARY KEY,
        papers INTEGER NOT NULL,
        reversed TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX terms_reversed ON terms(reversed);
    CREATE INDEX terms_papers ON terms(papers);

    -- name: 'papers', 'code' or 'topic:<slug>' (automatic assignments only); generation:
    -- the 'auto-topics' count of `changes` the bitmaps were written at.
    CREATE TABLE facets (
        name TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        bits BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE changes (kind TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO changes VALUES ('content', 0), ('auto-topics', 0), ('reader', 0);
    CREATE TRIGGER state_inserted AFTER INSERT ON state
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER state_updated AFTER UPDATE ON state
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER state_deleted AFTER DELETE ON state
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER topic_chosen AFTER INSERT ON paper_topics WHEN NEW.origin != 'auto'
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER topic_updated AFTER UPDATE ON paper_topics
        BEGIN UPDATE changes SET n = n + 1
        WHERE kind = 'reader' OR (kind = 'auto-topics' AND OLD.origin = 'auto'); END;
    CREATE TRIGGER topic_deleted AFTER DELETE ON paper_topics
        BEGIN UPDATE changes SET n = n + 1
        WHERE kind = iif(OLD.origin = 'auto', 'auto-topics', 'reader'); END;
    CREATE TRIGGER list_item_added AFTER INSERT ON list_items
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER list_item_removed AFTER DELETE ON list_items
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER list_renamed AFTER UPDATE ON lists
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    """,
    # 2: what Hugging Face knows of a paper beyond its text (GitHub stars, comments, AI
    # keywords), and a second search index over the paper's body: its abstract,
    # authors and AI keywords, read from the generated column `body`, so a search for
    # an author or a keyword finds the paper in the abstract tier. Every paper is in
    # the body index (its abstract may come later), which a 'rebuild' fills here.
    """
    ALTER TABLE papers ADD COLUMN github_stars INTEGER;
    ALTER TABLE papers ADD COLUMN comments INTEGER;
    ALTER TABLE papers ADD COLUMN ai_keywords TEXT;
    ALTER TABLE papers ADD COLUMN body TEXT GENERATED ALWAYS AS (
        abstract || ' ' || coalesce(authors, '') || ' ' || coalesce(ai_keywords, '')
    ) VIRTUAL;
    DROP TABLE papers_fts_abstracts;
    CREATE VIRTUAL TABLE papers_fts_abstracts USING fts5(
        body, content='papers', content_rowid='pk', detail=none, columnsize=0,
        tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO papers_fts_abstracts(papers_fts_abstracts, rank) VALUES ('hashsize', 67108864);
    INSERT INTO papers_fts_abstracts(papers_fts_abstracts) VALUES ('rebuild');
    UPDATE changes SET n = n + 1 WHERE kind = 'content';
    """,
    # 3: notes are searched like abstracts: an FTS index over `state.note`, kept in step
    # by triggers whichever path writes a note (the undo journal, a restore), and a
    # 'notes' counter that tells a search its remembered answers are stale. (Statements
    # inside a trigger start with `; ` because the migration is split at line ends.)
    """
    CREATE VIRTUAL TABLE papers_fts_notes USING fts5(
        note, content='state', content_rowid='paper', detail=none, columnsize=0,
        tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO papers_fts_notes(papers_fts_notes) VALUES ('rebuild');
    INSERT INTO changes VALUES ('notes', 0);
    CREATE TRIGGER note_inserted AFTER INSERT ON state WHEN NEW.note != '' BEGIN
        INSERT INTO papers_fts_notes(rowid, note) VALUES (NEW.paper, NEW.note)
        ; UPDATE changes SET n = n + 1 WHERE kind = 'notes'; END;
    CREATE TRIGGER note_updated AFTER UPDATE OF note ON state WHEN OLD.note != NEW.note BEGIN
        INSERT INTO papers_fts_notes(papers_fts_notes, rowid, note)
            SELECT 'delete', OLD.paper, OLD.note WHERE OLD.note != ''
        ; INSERT INTO papers_fts_notes(rowid, note)
            SELECT NEW.paper, NEW.note WHERE NEW.note != ''
        ; UPDATE changes SET n = n + 1 WHERE kind = 'notes'; END;
    CREATE TRIGGER note_deleted AFTER DELETE ON state WHEN OLD.note != '' BEGIN
        INSERT INTO papers_fts_notes(papers_fts_notes, rowid, note)
            VALUES ('delete', OLD.paper, OLD.note)
        ; UPDATE changes SET n = n + 1 WHERE kind = 'notes'; END;
    """,
    # 4: "more like this" and "for you" (papershelf/similar.py). `vector_blocks` holds the
    # term counts of papers' titles and abstracts in blocks, built lazily on first use and
    # extended as papers arrive (`last`: the highest pk vectorised when the block was
    # written); a later block's row for a paper replaces an earlier one. `words` lists the
    # vocabulary each block introduced (ids continue from the blocks before it); `bare`
    # lists papers vectorised before their abstract came, vectorised again once it does.
    # A cache of imported text: no counter moves when it is written. `not_interested` is
    # reader state (key `x`): hidden from the unread view, a negative signal for "for you".
    """
    CREATE TABLE vector_blocks (
        id INTEGER PRIMARY KEY,
        last INTEGER NOT NULL,
        pks BLOB NOT NULL,
        offsets BLOB NOT NULL,
        ids BLOB NOT NULL,
        counts BLOB NOT NULL,
        words BLOB NOT NULL,
        bare BLOB NOT NULL
    );
    CREATE TABLE not_interested (
        paper INTEGER PRIMARY KEY REFERENCES papers(pk),
        at TEXT NOT NULL
    );
    CREATE TRIGGER not_interested_added AFTER INSERT ON not_interested
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    CREATE TRIGGER not_interested_removed AFTER DELETE ON not_interested
        BEGIN UPDATE changes SET n = n + 1 WHERE kind = 'reader'; END;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
