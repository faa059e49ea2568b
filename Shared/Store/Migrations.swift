import Postgres

/// Jobsmith's schema, one migration per step. Never edit a migration that has shipped: add one.
public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            version: 1,
            name: "core pipeline",
            sql: """
                CREATE TABLE sources (
                    name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
                    kind text NOT NULL,
                    location text NOT NULL,
                    enabled boolean NOT NULL DEFAULT true,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );

                CREATE TABLE ingestion_runs (
                    id uuid PRIMARY KEY,
                    source text NOT NULL REFERENCES sources (name) ON DELETE CASCADE,
                    trigger text NOT NULL,
                    status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed')),
                    queued_at timestamptz NOT NULL DEFAULT now(),
                    started_at timestamptz,
                    finished_at timestamptz,
                    fetched integer NOT NULL DEFAULT 0,
                    new integer NOT NULL DEFAULT 0,
                    updated integer NOT NULL DEFAULT 0,
                    unchanged integer NOT NULL DEFAULT 0,
                    rejected integer NOT NULL DEFAULT 0,
                    rejections jsonb NOT NULL DEFAULT '[]',
                    error text
                );
                CREATE INDEX ingestion_runs_by_source ON ingestion_runs (source, queued_at DESC);

                CREATE TABLE jobs (
                    id bigserial PRIMARY KEY,
                    source text NOT NULL,
                    external_id text NOT NULL,
                    title text NOT NULL,
                    company text NOT NULL,
                    locations text[] NOT NULL DEFAULT '{}',
                    is_remote boolean,
                    employment_type text,
                    department text,
                    team text,
                    posted_at timestamptz,
                    job_url text,
                    apply_url text,
                    description_html text NOT NULL,
                    description_text text,
                    raw jsonb NOT NULL,
                    content_hash text NOT NULL,
                    ingest_run_id uuid,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (source, external_id)
                );
                CREATE INDEX jobs_newest_first ON jobs (created_at DESC, id DESC);
                CREATE INDEX jobs_by_run ON jobs (ingest_run_id);

                CREATE TABLE job_extractions (
                    job_id bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                    content_hash text NOT NULL,
                    clean_text text NOT NULL,
                    sections jsonb NOT NULL,
                    engine text NOT NULL,
                    extracted_at timestamptz NOT NULL DEFAULT now()
                );

                CREATE TABLE companies (
                    id bigserial PRIMARY KEY,
                    normalized_name text NOT NULL UNIQUE,
                    name text NOT NULL,
                    domain text,
                    careers_host text,
                    updated_at timestamptz NOT NULL DEFAULT now()
                );

                CREATE TABLE job_research (
                    job_id bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                    company_id bigint NOT NULL REFERENCES companies (id),
                    researched_at timestamptz NOT NULL DEFAULT now()
                );

                CREATE TABLE job_cvs (
                    job_id bigint PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                    markdown text NOT NULL,
                    matched_keywords text[] NOT NULL DEFAULT '{}',
                    master_cv_version text,
                    generated_at timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            version: 2,
            name: "sources as configuration, run records, dedupe and quick scores",
            sql: """
                ALTER TABLE sources
                    ADD COLUMN schedule_interval_seconds integer CHECK (schedule_interval_seconds >= 60),
                    ADD COLUMN title_keywords text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN description_keywords text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN locations text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN remote_only boolean NOT NULL DEFAULT false,
                    ADD COLUMN max_results integer CHECK (max_results > 0),
                    ADD COLUMN score_threshold integer NOT NULL DEFAULT 0 CHECK (score_threshold BETWEEN 0 AND 100),
                    ADD COLUMN incremental boolean NOT NULL DEFAULT false,
                    ADD COLUMN next_run_at timestamptz,
                    ADD COLUMN last_success_started_at timestamptz,
                    ADD COLUMN running_run_id uuid,
                    ADD COLUMN running_until timestamptz;

                ALTER TABLE ingestion_runs RENAME COLUMN unchanged TO duplicates;
                ALTER TABLE ingestion_runs
                    ADD COLUMN filtered_out integer NOT NULL DEFAULT 0,
                    ADD COLUMN below_threshold integer NOT NULL DEFAULT 0,
                    ADD COLUMN errors jsonb NOT NULL DEFAULT '[]',
                    DROP CONSTRAINT ingestion_runs_status_check,
                    ADD CONSTRAINT ingestion_runs_status_check
                        CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'skipped'));
                UPDATE ingestion_runs SET errors = jsonb_build_array(error) WHERE error IS NOT NULL;
                ALTER TABLE ingestion_runs DROP COLUMN error;

                ALTER TABLE jobs
                    ADD COLUMN workplace_type text CHECK (workplace_type IN ('remote', 'hybrid', 'onsite')),
                    ADD COLUMN salary_min double precision,
                    ADD COLUMN salary_max double precision,
                    ADD COLUMN salary_currency text,
                    ADD COLUMN salary_interval text,
                    ADD COLUMN description_safe_html text NOT NULL DEFAULT '',
                    ADD COLUMN description_clean text NOT NULL DEFAULT '',
                    ADD COLUMN dedupe_key text NOT NULL DEFAULT '',
                    ADD COLUMN shingles bigint[] NOT NULL DEFAULT '{}',
                    ADD COLUMN fit_score integer,
                    ADD COLUMN tier text CHECK (tier IN ('A', 'B', 'C', 'D')),
                    ADD COLUMN below_threshold boolean NOT NULL DEFAULT false,
                    ADD COLUMN published_hash text;
                -- Descriptions are stored in several forms; lz4 compresses them several times faster
                -- than the default pglz, which dominated the cost of storing a batch.
                ALTER TABLE jobs
                    ALTER COLUMN description_html SET COMPRESSION lz4,
                    ALTER COLUMN description_text SET COMPRESSION lz4,
                    ALTER COLUMN description_safe_html SET COMPRESSION lz4,
                    ALTER COLUMN description_clean SET COMPRESSION lz4,
                    ALTER COLUMN raw SET COMPRESSION lz4,
                    -- Kept as the board sent it, for re-processing; nothing queries inside it, so the
                    -- text form saves converting every payload to binary jsonb on the way in.
                    ALTER COLUMN raw TYPE json USING raw::json;
                ALTER TABLE job_extractions
                    ALTER COLUMN clean_text SET COMPRESSION lz4,
                    ALTER COLUMN sections SET COMPRESSION lz4;
                ALTER TABLE job_cvs ALTER COLUMN markdown SET COMPRESSION lz4;

                -- The board's HTML now lives in `raw` only; sanitized HTML and clean text are stored.
                ALTER TABLE jobs ALTER COLUMN description_html SET DEFAULT '';

                -- Jobs that went through the pipeline before this migration count as published.
                UPDATE jobs SET published_hash = content_hash;
                CREATE INDEX jobs_by_dedupe_key ON jobs (dedupe_key);

                -- Every board a job was seen on: the same job on two boards is one job with two sources.
                CREATE TABLE job_sources (
                    source text NOT NULL,
                    external_id text NOT NULL,
                    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    job_url text,
                    content_hash text NOT NULL,
                    first_seen_at timestamptz NOT NULL DEFAULT now(),
                    last_seen_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (source, external_id)
                );
                CREATE INDEX job_sources_by_job ON job_sources (job_id);
                INSERT INTO job_sources (source, external_id, job_id, job_url, content_hash)
                    SELECT source, external_id, id, job_url, content_hash FROM jobs;

                -- Validators of conditional GETs, per URL.
                CREATE TABLE http_validators (
                    url text PRIMARY KEY,
                    etag text,
                    last_modified text,
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            version: 3,
            name: "job analysis and fit",
            sql: """
                -- The extracted JD and the fit against the master CV, next to the structure they were
                -- read from; `master_cv_hash` tells whether the fit is stale after the CV changed.
                ALTER TABLE job_extractions
                    ADD COLUMN analysis jsonb,
                    ADD COLUMN fit jsonb,
                    ADD COLUMN master_cv_hash text,
                    ADD COLUMN producer text NOT NULL DEFAULT 'deterministic',
                    ADD COLUMN attempts jsonb NOT NULL DEFAULT '[]';
                ALTER TABLE job_extractions ALTER COLUMN analysis SET COMPRESSION lz4;
                ALTER TABLE jobs ADD COLUMN fit_category text
                    CHECK (fit_category IN ('exceptional', 'strong', 'good', 'moderate', 'weak'));
                """
        ),
        Migration(
            version: 4,
            name: "company profiles as a cache, and contacts per job",
            sql: """
                -- The profile research built for a company, shared by its jobs until it is older than the
                -- cache's time to live.
                ALTER TABLE companies
                    ADD COLUMN profile jsonb,
                    ADD COLUMN researched_at timestamptz;
                -- Each job's contacts, and what each provider did on the run that produced them.
                ALTER TABLE job_research
                    ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]',
                    ADD COLUMN providers jsonb NOT NULL DEFAULT '[]',
                    ADD COLUMN cache_hit boolean NOT NULL DEFAULT false;
                """
        ),
        Migration(
            version: 5,
            name: "grounding and ATS reports of generated CVs",
            sql: """
                -- Each CV's integrity report (every claim and its source in the master CV) and ATS
                -- report; a CV with an ungrounded claim is stored for review but never marked ready.
                ALTER TABLE job_cvs
                    ADD COLUMN integrity jsonb,
                    ADD COLUMN ats jsonb,
                    ADD COLUMN ready boolean NOT NULL DEFAULT false;
                """
        ),
        Migration(
            version: 6,
            name: "master CV versions",
            sql: """
                -- Every saved master CV, never overwritten: the newest is the current one, and a
                -- rollback saves an old version again as the newest.
                CREATE TABLE master_cvs (
                    version serial PRIMARY KEY,
                    document jsonb NOT NULL,
                    fingerprint text NOT NULL,
                    source text NOT NULL,
                    note text,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                """
        ),
        Migration(
            version: 7,
            name: "document versions",
            sql: """
                -- Every generated or edited document of a job, never overwritten: the CV (Markdown and
                -- HTML), the cover letter and the outreach messages. `job_cvs` keeps the current CV.
                CREATE TABLE job_documents (
                    id bigserial PRIMARY KEY,
                    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    kind text NOT NULL CHECK (kind IN ('cv', 'cover_letter', 'outreach')),
                    source text NOT NULL CHECK (source IN ('generated', 'user')),
                    markdown text NOT NULL,
                    html text,
                    details jsonb NOT NULL DEFAULT '{}',
                    ready boolean NOT NULL DEFAULT false,
                    fingerprint text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX job_documents_by_job ON job_documents (job_id, kind, id DESC);
                ALTER TABLE job_documents ALTER COLUMN markdown SET COMPRESSION lz4, ALTER COLUMN html SET COMPRESSION lz4;
                """
        ),
        Migration(
            version: 8,
            name: "the job seeker's workflow: statuses, search, operations and annotations",
            sql: """
                -- Where the user is with each job, their notes and priority; a weighted full-text
                -- vector of title, company and description for search.
                ALTER TABLE jobs
                    ADD COLUMN status text NOT NULL DEFAULT 'not_processed' CHECK (status IN (
                        'not_processed', 'marked_for_applying', 'under_processing', 'ready_for_applying', 'applied',
                        'interview_scheduled', 'offer_received', 'rejected', 'discarded', 'to_be_deleted')),
                    ADD COLUMN notes text NOT NULL DEFAULT '',
                    ADD COLUMN priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 5),
                    ADD COLUMN search tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('english', title), 'A')
                        || setweight(to_tsvector('english', company), 'B')
                        || setweight(to_tsvector('english', left(description_clean, 20000)), 'C')
                    ) STORED;
                CREATE INDEX jobs_search ON jobs USING gin (search);
                CREATE INDEX jobs_by_status ON jobs (status, created_at DESC, id DESC);
                CREATE INDEX jobs_by_score ON jobs (fit_score DESC NULLS LAST, id DESC);
                CREATE INDEX jobs_by_posted ON jobs (posted_at DESC NULLS LAST, id DESC);

                -- An operation a user asked for on one job: the run, its steps (one per service command;
                -- all-ops has a second stage that starts when the first succeeded) and its log.
                CREATE TABLE operation_runs (
                    id uuid PRIMARY KEY,
                    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    operation text NOT NULL,
                    status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                    batch_id uuid,
                    force boolean NOT NULL DEFAULT false,
                    attempt integer NOT NULL DEFAULT 1,
                    error text,
                    cancel_requested boolean NOT NULL DEFAULT false,
                    dismissed boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    started_at timestamptz,
                    finished_at timestamptz,
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX operation_runs_by_status ON operation_runs (status, created_at DESC);
                CREATE INDEX operation_runs_by_job ON operation_runs (job_id, created_at DESC);
                CREATE INDEX operation_runs_by_batch ON operation_runs (batch_id) WHERE batch_id IS NOT NULL;

                CREATE TABLE operation_steps (
                    run_id uuid NOT NULL REFERENCES operation_runs (id) ON DELETE CASCADE,
                    operation text NOT NULL,
                    stage integer NOT NULL,
                    -- `waiting`: a later stage, queued once every step of the stage before succeeded.
                    status text NOT NULL CHECK (status IN ('waiting', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
                    attempt integer NOT NULL DEFAULT 1,
                    error text,
                    started_at timestamptz,
                    finished_at timestamptz,
                    PRIMARY KEY (run_id, operation)
                );

                -- The full log of each run, keyed by the events stream entry it was published as, so a
                -- live view resumes from the same ID whichever source it reads.
                CREATE TABLE operation_events (
                    run_id uuid NOT NULL REFERENCES operation_runs (id) ON DELETE CASCADE,
                    entry_ms bigint NOT NULL,
                    entry_seq bigint NOT NULL,
                    service text NOT NULL,
                    step text NOT NULL,
                    phase text NOT NULL,
                    message text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (run_id, entry_ms, entry_seq)
                );

                -- Spans of a job's description the user marked. Each is its own row, created, edited
                -- and deleted alone, so no save can wipe the others.
                CREATE TABLE job_annotations (
                    id bigserial PRIMARY KEY,
                    job_id bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                    section_index integer NOT NULL CHECK (section_index >= 0),
                    section_type text NOT NULL,
                    start_offset integer NOT NULL CHECK (start_offset >= 0),
                    end_offset integer NOT NULL,
                    quote text NOT NULL,
                    relevance text,
                    requirement_type text,
                    passion text,
                    identity text,
                    note text NOT NULL DEFAULT '',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    CHECK (end_offset > start_offset)
                );
                CREATE INDEX job_annotations_by_job ON job_annotations (job_id, section_index, start_offset);
                """
        ),
    ]

    public static var migrator: Migrator { Migrator(migrations: all) }
}
