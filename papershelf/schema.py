"""The library's schema as an ordered list of migrations.

`PRAGMA user_version` records how many have run. Each migration is plain SQL run in the
caller's transaction, so a library is always at one whole version. Imported content
(papers, links, sources) and the reader's own work (state, manual topics, lists) live in
separate tables so that re-importing can never overwrite what the reader did.

Papers have an integer key `pk` for compact joins and result arrays, and a stable text
`id` that users see and type: the arXiv id when known, else a hash of the title key.
The FTS index is external-content and maintained by the importer in bulk rather than by
triggers: only ingest writes titles and abstracts, and bulk maintenance is several times
faster than per-row triggers.
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

    CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, content='papers', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE papers_vocab USING fts5vocab(papers_fts, 'row');
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
