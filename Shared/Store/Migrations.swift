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
        )
    ]

    public static var migrator: Migrator { Migrator(migrations: all) }
}
