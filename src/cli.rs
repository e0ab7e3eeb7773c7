//! Every clap type of learnlog: the command line is an interface (shell
//! aliases and cron scripts depend on it), so it lives in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Bounds on counts typed as numbers: far above any course, and far below
/// where sums of them could overflow.
pub const MAX_UNITS: i64 = 1_000_000;
pub const MAX_WEEKS: i64 = 10_000;

#[derive(Debug, Parser)]
#[command(
    name = "learnlog",
    version,
    about = "A personal learning tracker: goals, courses, study sessions, projects.",
    long_about = "learnlog records goals, course enrollments, study sessions and self-made \
                  projects in one local SQLite file, and turns them into streaks, completion \
                  odds, commitment reports and a portfolio.",
    after_help = "Examples:\n  learnlog add course \"Machine Learning\" --platform coursera --units 11 --deadline +8w\n  learnlog checkin ml 45m\n  learnlog status --short",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Settles what `--json` means where a command's own flags choose the
    /// format, so that the command's outcome alone decides how it prints:
    /// `report --json` is `report --format json` (SPEC §2 keeps both
    /// spellings, `--out` included), and `demo`, which prints text only,
    /// refuses it before building anything.
    pub fn settle_json(&mut self) -> anyhow::Result<()> {
        if !self.global.json {
            return Ok(());
        }
        match &mut self.command {
            Command::Report(args) => args.format = ReportFormat::Json,
            Command::Demo => return Err(demo_prints_text()),
            _ => {}
        }
        Ok(())
    }
}

/// `learnlog demo --json`: refused, the demo being a show for a person.
pub fn demo_prints_text() -> anyhow::Error {
    crate::error::user("`learnlog demo` prints text; run the reports with --json on your own database")
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Database file (default: LEARNLOG_DB, config `database`, then the platform data dir)
    #[arg(long, global = true, help_heading = "Global options", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file (default: LEARNLOG_CONFIG, then the platform config dir)
    #[arg(long, global = true, help_heading = "Global options", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print one JSON document instead of text
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,
    /// When to use colour: auto, always or never
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        hide_possible_values = true
    )]
    pub color: ColorChoice,
    /// Print nothing on success for commands that change data
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

// Parsed once per run: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
// Each subcommand's arguments are built only when it runs: building all of
// them took two thirds of process start.
#[command(defer = true)]
pub enum Command {
    /// Add a goal, a course or a project
    #[command(subcommand)]
    Add(AddCommand),
    /// List records
    #[command(
        after_help = "Examples:\n  learnlog list courses --all\n  learnlog list sessions --since -7d --limit 20\n  learnlog list sessions ml --all"
    )]
    List(ListArgs),
    /// Show one record in full
    #[command(after_help = "Examples:\n  learnlog show ml\n  learnlog show session 42")]
    Show(ShowArgs),
    /// Change a record
    #[command(
        after_help = "Examples:\n  learnlog edit ml --deadline 2027-01-31\n  learnlog edit session 42 --minutes 50"
    )]
    Edit(EditArgs),
    /// Complete a course, ship a project, achieve a goal
    #[command(after_help = "Example:\n  learnlog done ml --credential https://coursera.org/verify/XYZ --score 96")]
    Done(DoneArgs),
    /// Abandon a course, project or goal, honestly recorded
    #[command(after_help = "Example:\n  learnlog drop rust-book --reason \"no time this term\"")]
    Drop(DropArgs),
    /// Pause a course or project (it stops counting as active)
    #[command(after_help = "Example:\n  learnlog pause ml")]
    Pause(RefArg),
    /// Resume a paused course or project
    #[command(after_help = "Example:\n  learnlog resume ml")]
    Resume(RefArg),
    /// Delete a record (undo can bring it back)
    #[command(after_help = "Examples:\n  learnlog rm old-course --yes\n  learnlog rm session 42 --yes")]
    Rm(RmArgs),
    /// Reverse the last change
    #[command(after_help = "Examples:\n  learnlog undo\n  learnlog undo --list")]
    Undo(UndoArgs),
    /// Log a study session
    #[command(
        after_help = "Examples:\n  learnlog checkin ml 45m --units 1\n  learnlog checkin 1h30m --date yesterday --at 9pm\n  learnlog checkin            # default_minutes of general study"
    )]
    Checkin(CheckinArgs),
    /// Set the absolute number of units done in a course
    #[command(after_help = "Examples:\n  learnlog progress ml 5\n  learnlog progress ml 5/12")]
    Progress(ProgressArgs),
    /// The daily dashboard
    #[command(after_help = "Examples:\n  learnlog status\n  learnlog status --short     # one line for a shell prompt")]
    Status(StatusArgs),
    /// Print a nudge when today has no check-in (for cron)
    #[command(
        after_help = "Example (crontab):\n  0 20 * * * learnlog remind --exit-code || notify-send learnlog \"$(learnlog remind)\""
    )]
    Remind(RemindArgs),
    /// Declare rest days in advance
    #[command(
        after_help = "Examples:\n  learnlog rest tomorrow --reason travel\n  learnlog rest 2026-12-24..2026-12-26"
    )]
    Rest(RestArgs),
    /// Make or change a pledge, or end one
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = "Examples:\n  learnlog pledge ml 5h/week --stake \"$20 to charity\" --referee ana@example.org\n  learnlog pledge all 30m/day\n  learnlog pledge end 3"
    )]
    Pledge(PledgeArgs),
    /// Mark an owed stake as paid
    #[command(after_help = "Example:\n  learnlog settle 1 --note \"paid to the charity\"")]
    Settle(SettleArgs),
    /// Daily and weekly streaks
    #[command(after_help = "Examples:\n  learnlog streak\n  learnlog streak ml")]
    Streak(StreakArgs),
    /// Completion odds of active courses
    #[command(after_help = "Examples:\n  learnlog odds\n  learnlog odds ml --explain")]
    Odds(OddsArgs),
    /// Commitment report for a period
    #[command(
        after_help = "Examples:\n  learnlog report\n  learnlog report --last-week --format markdown\n  learnlog report --from 2026-01-01 --to 2026-03-31 --json\n  learnlog report --month --format html --out report.html"
    )]
    Report(ReportArgs),
    /// GitHub-style calendar of study minutes
    #[command(
        after_help = "Examples:\n  learnlog heatmap\n  learnlog heatmap --year 2026\n  learnlog heatmap ml --weeks 12"
    )]
    Heatmap(HeatmapArgs),
    /// What to do today, ranked, with reasons
    #[command(after_help = "Example:\n  learnlog next")]
    Next,
    /// Projects, credentials and hours: a portfolio
    #[command(after_help = "Examples:\n  learnlog portfolio\n  learnlog portfolio --format json-resume > resume.json")]
    Portfolio(PortfolioArgs),
    /// Export the record
    #[command(
        after_help = "Examples:\n  learnlog export --out learnlog.json\n  learnlog export --format csv --table sessions\n  learnlog export --format ics --out study.ics"
    )]
    Export(ExportArgs),
    /// Import a learnlog export or a Timewarrior export
    #[command(
        after_help = "Examples:\n  learnlog import learnlog.json --dry-run\n  timew export | learnlog import - --format timewarrior"
    )]
    Import(ImportArgs),
    /// Copy the database with SQLite's online backup
    #[command(after_help = "Example:\n  learnlog backup ~/learnlog-backup.db")]
    Backup(BackupArgs),
    /// Sync this record with your other devices through a PostgreSQL server
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  learnlog sync setup postgresql://ana@db.example.org/learnlog\n  learnlog sync setup postgresql://ana@db.example.org/learnlog --key-file recovery.txt\n  learnlog sync\n  learnlog sync status --json"
    )]
    Sync(SyncArgs),
    /// Create the database now
    #[command(after_help = "Example:\n  learnlog init")]
    Init,
    /// Show or change the configuration
    #[command(
        after_help = "Examples:\n  learnlog config path\n  learnlog config set default_minutes 45\n  learnlog config get streak.freeze_every"
    )]
    Config(ConfigArgs),
    /// Print shell completions
    #[command(
        after_help = "Example:\n  learnlog completions bash > ~/.local/share/bash-completion/completions/learnlog"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  learnlog man > ~/.local/share/man/man1/learnlog.1")]
    Man,
    /// Run the reports on a throwaway sample database
    #[command(after_help = "Example:\n  learnlog demo")]
    Demo,
    /// Set up a PostgreSQL server for sync and cohorts (its administrator)
    #[command(subcommand)]
    Server(ServerCommand),
    /// Study together: cohorts on the sync server (docs/sync.md)
    #[command(subcommand)]
    Cohort(CohortCommand),
    /// Peer review of projects within a cohort
    #[command(subcommand)]
    Review(ReviewCommand),
}

/// `learnlog cohort …`: as the member the config's `[sync] url` names.
#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Make a cohort; you are its owner and first member
    #[command(after_help = "Example:\n  learnlog cohort create evenings")]
    Create(CohortCreateArgs),
    /// Print an invite code (default: one use, valid 7 days)
    #[command(after_help = "Example:\n  learnlog cohort invite evenings --uses 3 --expires 2d")]
    Invite(CohortInviteArgs),
    /// Join a cohort with an invite code
    #[command(after_help = "Example:\n  learnlog cohort join CODE --as Bob")]
    Join(CohortJoinArgs),
    /// Leave a cohort (what you published there goes too)
    Leave(CohortNameArgs),
    /// Remove a member (the cohort's owner)
    Remove(CohortRemoveArgs),
    /// Share a course, project, goal, or `all` with a cohort
    #[command(after_help = "Example:\n  learnlog cohort share evenings ml")]
    Share(CohortShareArgs),
    /// Stop sharing a target (`all`: everything) and withdraw what was published
    Unshare(CohortShareArgs),
    /// One row per member: streaks, this week, pledges, stakes
    #[command(after_help = "Example:\n  learnlog cohort board evenings --format markdown")]
    Board(CohortBoardArgs),
    /// Confirm a member's settled stake (the referee their pledge names)
    #[command(after_help = "Example:\n  learnlog cohort confirm alice 2 --note \"paid, receipt seen\"")]
    Confirm(CohortConfirmArgs),
}

#[derive(Debug, Args)]
pub struct CohortCreateArgs {
    pub name: String,
    /// The name others see (default: your login)
    #[arg(long = "as", value_name = "DISPLAY_NAME")]
    pub display_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CohortInviteArgs {
    pub name: String,
    /// Joins the code allows
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub uses: i32,
    /// How long it is valid: 30m, 12h, 7d, 2w
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub expires: String,
}

#[derive(Debug, Args)]
pub struct CohortJoinArgs {
    pub code: String,
    /// The name others see (default: your login)
    #[arg(long = "as", value_name = "DISPLAY_NAME")]
    pub display_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CohortNameArgs {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct CohortRemoveArgs {
    pub name: String,
    /// The member's login or display name
    pub member: String,
}

#[derive(Debug, Args)]
pub struct CohortShareArgs {
    pub name: String,
    /// A course, project, goal, or `all`
    #[arg(value_name = "REF|all")]
    pub target: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BoardFormat {
    Table,
    Markdown,
    Html,
}

#[derive(Debug, Args)]
pub struct CohortBoardArgs {
    /// The cohort (default: your only one)
    pub name: Option<String>,
    /// A day of the week to show (default: this week)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub week: Option<String>,
    #[arg(long, value_enum, default_value_t = BoardFormat::Table)]
    pub format: BoardFormat,
    /// Show what is on the server without publishing first
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Args)]
pub struct CohortConfirmArgs {
    /// The member whose stake it is
    pub member: String,
    /// Their debt's number (`learnlog list debts` on their side) or its period's first day
    pub debt: String,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// `learnlog review …`
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Put a project up for review in a cohort
    #[command(after_help = "Example:\n  learnlog review request portfolio-site --cohort evenings")]
    Request(ReviewRequestArgs),
    /// Open requests and their reviews (--mine: feedback you received)
    List(ReviewListArgs),
    /// Review another member's project (a later review replaces yours)
    #[command(
        after_help = "Example:\n  learnlog review give alice/portfolio-site --rating 4 --comment \"Clear README\""
    )]
    Give(ReviewGiveArgs),
}

#[derive(Debug, Args)]
pub struct ReviewRequestArgs {
    pub project: String,
    #[arg(long, value_name = "NAME")]
    pub cohort: String,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReviewListArgs {
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, Args)]
pub struct ReviewGiveArgs {
    /// MEMBER/PROJECT
    #[arg(value_name = "MEMBER/PROJECT")]
    pub target: String,
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..=5))]
    pub rating: i32,
    #[arg(long, value_name = "TEXT")]
    pub comment: String,
}

/// `learnlog server …`: run by the database administrator, with an
/// administrator's URL (a superuser, or a role that may create roles and
/// schemas). The password comes from the URL, PGPASSWORD, ~/.pgpass or a
/// prompt, and is never stored.
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create or migrate the learnlog schema on a database (idempotent)
    #[command(
        after_help = "Example:\n  learnlog server init 'postgresql://postgres@db.example.org/learnlog?sslmode=verify-full'"
    )]
    Init(ServerInitArgs),
    /// Create a login for one learner and print the URL they use
    #[command(
        after_help = "The administrator's URL comes from --url or LEARNLOG_SERVER_URL.\n\nExamples:\n  export LEARNLOG_SERVER_URL='postgresql://postgres@db.example.org/learnlog'\n  learnlog server add-member alice --display-name \"Alice L.\"\n  printf '%s\\n' \"$PASSWORD\" | learnlog server add-member bob --password-stdin"
    )]
    AddMember(ServerAddMemberArgs),
    /// Remove a learner's login (--purge: and what they stored)
    #[command(
        after_help = "The administrator's URL comes from --url or LEARNLOG_SERVER_URL.\n\nExample:\n  learnlog server remove-member bob --purge"
    )]
    RemoveMember(ServerRemoveMemberArgs),
}

#[derive(Debug, Args)]
pub struct ServerInitArgs {
    /// The administrator's URL: postgresql://NAME@HOST[:PORT]/DB[?sslmode=…]
    pub url: String,
}

#[derive(Debug, Args)]
pub struct ServerAddMemberArgs {
    /// The member's login name (lower-case letters, digits, _)
    pub name: String,
    /// The name others see in cohorts (default: the login name)
    #[arg(long, value_name = "TEXT")]
    pub display_name: Option<String>,
    /// Read the password from stdin instead of generating one
    #[arg(long)]
    pub password_stdin: bool,
    /// The administrator's URL (default: LEARNLOG_SERVER_URL)
    #[arg(long, value_name = "URL", env = "LEARNLOG_SERVER_URL", hide_env_values = true)]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServerRemoveMemberArgs {
    /// The member's login name
    pub name: String,
    /// Also delete everything the member stored on the server
    #[arg(long)]
    pub purge: bool,
    /// The administrator's URL (default: LEARNLOG_SERVER_URL)
    #[arg(long, value_name = "URL", env = "LEARNLOG_SERVER_URL", hide_env_values = true)]
    pub url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// Add a goal
    #[command(
        after_help = "Example:\n  learnlog add goal \"Become a data engineer\" --by 2027-06-30 --why \"a job I enjoy\""
    )]
    Goal(GoalFields),
    /// Add a course enrollment
    #[command(
        after_help = "Example:\n  learnlog add course \"Machine Learning Specialization\" --platform coursera --price 49 --units 11 --unit-name week --deadline +10w --pledge 4h/week"
    )]
    Course(CourseFields),
    /// Add a self-made project
    #[command(
        after_help = "Example:\n  learnlog add project \"Bird classifier\" --skills python,pytorch --course ml --url https://github.com/me/birds"
    )]
    Project(ProjectFields),
}

#[derive(Debug, Args, Clone, Default)]
pub struct GoalFields {
    /// Title
    pub title: String,
    /// Target date
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub by: Option<String>,
    /// Why it matters to you
    #[arg(long, value_name = "TEXT")]
    pub why: Option<String>,
    /// Reference name, not a number, duration or date word (default: made from the title)
    #[arg(long, value_name = "S")]
    pub slug: Option<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CourseFields {
    /// Title
    pub title: String,
    #[command(flatten)]
    pub opts: CourseOpts,
    /// Pledge a rate right away (same as `learnlog pledge COURSE RATE`)
    #[arg(long, value_name = "RATE")]
    pub pledge: Option<String>,
    /// Reference name, not a number, duration or date word (default: made from the title)
    #[arg(long, value_name = "S")]
    pub slug: Option<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CourseOpts {
    /// Platform (coursera, edx, udacity, futurelearn, khan-academy, swayam, udemy, linkedin-learning, mit-ocw, or any text)
    #[arg(long, value_name = "P")]
    pub platform: Option<String>,
    /// Course page
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Certificate track
    #[arg(long, value_name = "audit|verified")]
    pub track: Option<String>,
    /// Price paid: 49, 49.99EUR, "$49" (an ISO 4217 code; default: config `currency`)
    #[arg(long, value_name = "MONEY")]
    pub price: Option<String>,
    /// Number of units in the course (up to 1,000,000)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=MAX_UNITS))]
    pub units: Option<i64>,
    /// What a unit is called (module, week, lesson…)
    #[arg(long, value_name = "NAME")]
    pub unit_name: Option<String>,
    /// Nominal length in weeks (up to 10,000)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=MAX_WEEKS))]
    pub weeks: Option<i64>,
    /// Start date (default: today)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub start: Option<String>,
    /// Deadline
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub deadline: Option<String>,
    /// complete (default) or explore
    #[arg(long, value_name = "complete|explore")]
    pub intent: Option<String>,
    /// The goal it serves
    #[arg(long, value_name = "REF")]
    pub goal: Option<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ProjectFields {
    /// Title
    pub title: String,
    #[command(flatten)]
    pub opts: ProjectOpts,
    /// Reference name, not a number, duration or date word (default: made from the title)
    #[arg(long, value_name = "S")]
    pub slug: Option<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ProjectOpts {
    /// Repository or demo
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// What it is
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Skills it shows, comma separated
    #[arg(long, value_name = "a,b,c")]
    pub skills: Option<String>,
    /// The goal it serves
    #[arg(long, value_name = "REF")]
    pub goal: Option<String>,
    /// A course whose skills it applies (repeatable)
    #[arg(long = "course", value_name = "REF")]
    pub courses: Vec<String>,
    /// Due date
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due: Option<String>,
    /// idea or active (default: active)
    #[arg(long, value_name = "idea|active")]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListKind {
    Goals,
    Courses,
    Projects,
    Sessions,
    Pledges,
    Debts,
    Rest,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list (default: courses)
    #[arg(value_enum)]
    pub kind: Option<ListKind>,
    /// Sessions: only those of this course or project, or of a goal's
    #[arg(value_name = "REF")]
    pub reference: Option<String>,
    /// Include finished, dropped and ended records
    #[arg(long)]
    pub all: bool,
    /// Only records with this status
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// At most N rows (sessions: the latest N)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Sessions on or after this day
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A goal, course or project (slug, unique prefix or kind:slug), or `session`
    pub target: String,
    /// With `session`: its number
    pub number: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// A goal, course or project, or `session`
    pub target: String,
    /// With `session`: its number
    pub number: Option<String>,
    /// New title
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// New reference name
    #[arg(long, value_name = "S")]
    pub slug: Option<String>,
    /// Goal: target date
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub by: Option<String>,
    /// Goal: why it matters
    #[arg(long, value_name = "TEXT")]
    pub why: Option<String>,
    #[command(flatten)]
    pub course: CourseOpts,
    /// Project: what it is
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Project: skills, comma separated
    #[arg(long, value_name = "a,b,c")]
    pub skills: Option<String>,
    /// Project: a course it applies (repeatable; replaces the list)
    #[arg(long = "course", value_name = "REF")]
    pub courses: Vec<String>,
    /// Project: due date
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due: Option<String>,
    /// Project: idea or active
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Session: duration (45m, 1h30, 1.5h, 90, 1:30)
    #[arg(long, value_name = "D")]
    pub minutes: Option<String>,
    /// Session: study day
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Session: note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Session: course or project it was for (`none` for general study)
    #[arg(long = "target", value_name = "REF")]
    pub target_ref: Option<String>,
    /// Session: Bloom level
    #[arg(long, value_name = "BLOOM")]
    pub level: Option<String>,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// A course, project or goal
    pub reference: String,
    /// When (default: today)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Course: certificate link
    #[arg(long, value_name = "URL")]
    pub credential: Option<String>,
    /// Course: final score
    #[arg(long, value_name = "N")]
    pub score: Option<f64>,
}

#[derive(Debug, Args)]
pub struct DropArgs {
    /// A course, project or goal
    pub reference: String,
    /// When (default: today)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Why
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct RefArg {
    /// A course or project (slug, unique prefix or kind:slug)
    pub reference: String,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// A goal, course or project, or `session`
    pub target: String,
    /// With `session`: its number
    pub number: Option<String>,
    /// Do not ask (required when stdin is not a terminal)
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub action: Option<SyncAction>,
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Connect this device to a server: the first device makes the key, others join with it
    Setup(SyncSetupArgs),
    /// This device, what waits to be pushed, the devices known
    Status,
}

#[derive(Debug, Args)]
pub struct SyncSetupArgs {
    /// The server, as libpq writes it: postgresql://NAME@HOST[:PORT]/DB[?sslmode=...]
    pub url: String,
    /// The recovery key the first device printed (joins this device to the others)
    #[arg(long, conflicts_with = "key_file", value_name = "KEY")]
    pub key: Option<String>,
    /// A file holding the recovery key
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Give this database a new device id (a copy of another device's file)
    #[arg(long)]
    pub new_device: bool,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// List the changes undo can reverse, newest first
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// A course or project and/or a duration (45m, 1h30, 1.5h, 90, 1:30), in either order
    #[arg(value_name = "REF|DURATION", num_args = 0..=2)]
    pub words: Vec<String>,
    /// Units done in this session (up to 1,000,000)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(-MAX_UNITS..=MAX_UNITS))]
    pub units: Option<i64>,
    /// Note
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Bloom level: remember, understand, apply, analyze, evaluate, create
    #[arg(long, value_name = "BLOOM")]
    pub level: Option<String>,
    /// Study day (default: today)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Start time
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// A course
    pub reference: String,
    /// Units done, optionally with the new total: 5 or 5/12
    #[arg(value_name = "N[/TOTAL]")]
    pub units: String,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// One line for a shell prompt
    #[arg(long)]
    pub short: bool,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Exit 3 when a nudge was printed
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Args)]
pub struct RestArgs {
    /// A day or a range FROM..TO, today or later
    #[arg(value_name = "DATE|FROM..TO", allow_hyphen_values = true)]
    pub when: String,
    /// Why
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct PledgeArgs {
    #[command(subcommand)]
    pub action: Option<PledgeAction>,
    /// A course, project, goal, or `all`
    #[arg(value_name = "REF|all", required = true)]
    pub target: Option<String>,
    /// 5h/week, 90m/week, 4d/week, 3u/week, 30m/day
    #[arg(value_name = "RATE", required = true)]
    pub rate: Option<String>,
    /// What you lose on a missed period: "$20 to charity"
    #[arg(long, value_name = "TEXT")]
    pub stake: Option<String>,
    /// Who holds you to it
    #[arg(long, value_name = "NAME")]
    pub referee: Option<String>,
    /// First day (snaps to the start of its period; default today)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Last day (snaps to the end of its period)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PledgeAction {
    /// End a pledge (after the horizon)
    End {
        /// The pledge's number (see `learnlog list pledges`)
        id: i64,
    },
}

#[derive(Debug, Args)]
pub struct SettleArgs {
    /// The debt's number (see `learnlog list debts`)
    pub debt: i64,
    /// How it was paid
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct StreakArgs {
    /// Only this course or project
    pub reference: Option<String>,
}

#[derive(Debug, Args)]
pub struct OddsArgs {
    /// Only this course
    pub reference: Option<String>,
    /// One line per factor of the model
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
    /// One self-contained page (inline CSS and SVG), to look at and share
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The current week (default)
    #[arg(long, group = "period")]
    pub week: bool,
    /// The current month
    #[arg(long, group = "period")]
    pub month: bool,
    /// The current year
    #[arg(long, group = "period")]
    pub year: bool,
    /// The previous week
    #[arg(long, group = "period")]
    pub last_week: bool,
    /// The previous month
    #[arg(long, group = "period")]
    pub last_month: bool,
    /// First day (with --to)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, requires = "to", conflicts_with = "period")]
    pub from: Option<String>,
    /// Last day (with --from)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, requires = "from")]
    pub to: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite an existing --out file
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Only this course, project or goal (a goal: its courses and projects)
    #[arg(value_name = "REF")]
    pub reference: Option<String>,
}

#[derive(Debug, Args)]
pub struct HeatmapArgs {
    /// Only this course or project
    pub reference: Option<String>,
    /// How many weeks back (default 26)
    #[arg(long, value_name = "N", conflicts_with = "year")]
    pub weeks: Option<u32>,
    /// A calendar year
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PortfolioFormat {
    Markdown,
    JsonResume,
}

#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = PortfolioFormat::Markdown)]
    pub format: PortfolioFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTable {
    Sessions,
    Courses,
    Projects,
    Goals,
    Pledges,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// The table, for csv (default: sessions)
    #[arg(long, value_enum)]
    pub table: Option<ExportTable>,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite an existing --out file
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Learnlog,
    Timewarrior,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read (`-` for stdin)
    pub file: PathBuf,
    /// What kind of file it is
    #[arg(long, value_enum, default_value_t = ImportFormat::Learnlog)]
    pub format: ImportFormat,
    /// Say what would change, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (default: beside the database, dated)
    pub path: Option<PathBuf>,
    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: Option<ConfigAction>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config file's path
    Path,
    /// Print the configuration in force (the default)
    Show,
    /// Print one key (dotted: streak.min_minutes)
    Get { key: String },
    /// Set one key in the config file
    Set { key: String, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Parses the command line. A negative duration (`checkin ml -5m`) looks
/// like an unknown flag to clap; it is reported as the bad duration it is.
/// Other parse errors are clap's own (help, version, usage: exit 0 or 2).
pub fn parse() -> anyhow::Result<Cli> {
    let err = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(err) => err,
    };
    if err.kind() == clap::error::ErrorKind::UnknownArgument {
        let args: Vec<String> = std::env::args().collect();
        let negative = args
            .iter()
            .find(|a| a.starts_with('-') && a.chars().nth(1).is_some_and(|c| c.is_ascii_digit() || c == '.'));
        if let (true, Some(word)) = (args.iter().any(|a| a == "checkin"), negative) {
            crate::domain::parse::parse_duration(word)?;
        }
    }
    err.exit()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// The bounds the help states are the ones the parser enforces.
    #[test]
    fn the_help_states_the_unit_and_week_bounds() {
        let thousands = |n: i64| {
            let digits = n.to_string();
            let mut grouped = String::new();
            for (i, digit) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(digit);
            }
            grouped
        };
        let help = |path: &[&str], arg: &str| -> String {
            let mut command = Cli::command();
            // Subcommands' arguments are made only when needed (`defer`).
            command.build();
            for name in path {
                command = command.find_subcommand(name).unwrap().clone();
            }
            let arg = command.get_arguments().find(|a| a.get_id() == arg).unwrap();
            arg.get_help().unwrap().to_string()
        };
        let units = format!("up to {}", thousands(MAX_UNITS));
        assert!(help(&["add", "course"], "units").contains(&units));
        assert!(help(&["checkin"], "units").contains(&units));
        assert!(help(&["add", "course"], "weeks").contains(&format!("up to {}", thousands(MAX_WEEKS))));
    }
}
