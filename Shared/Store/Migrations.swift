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
    ]

    public static var migrator: Migrator { Migrator(migrations: all) }
}
