//! The command line: what each subcommand accepts, parsed in two stages. Clap reads the raw
//! arguments, with value parsers that check every pain type, role, condition, symptom and
//! score against the domain's vocabularies and the knowledge base; the commands then combine
//! them with the saved profile.
//!
//! Every bad value is reported on one line that names it and lists what is allowed.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use spinewise_domain::Knowledge;
use spinewise_domain::journal::{EntryId, LocalDate, LocalDateTime, Rating};
use spinewise_domain::vocab::{
    EntryKind, Felt, PainScore, PainType, Phase, Preparation, RoleChoice, TimeOfDay, UnknownValue,
};

/// spinewise: a private coach for intimacy with low back pain.
///
/// Find your pain type, see which positions suit both of your backs and why, and know when to
/// see a doctor. Health education, not a diagnosis. Nothing leaves this computer.
///
/// Roles, by what each partner does: receptive is the partner who is penetrated, insertive the
/// partner who penetrates; switch is for partners who take turns, or where it varies.
#[derive(Debug, Parser)]
#[command(name = "spinewise", version, max_term_width = 100)]
pub struct Cli {
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Where spinewise keeps your saved profile [default: your platform's data directory].
    #[arg(long, global = true, env = "SPINEWISE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Take the self-assessment: red flags first, then what provokes and eases your pain.
    Assess(AssessArgs),
    /// Rank the positions for your back and your partner's, with reasons, modifications and tips.
    Recommend(RecommendArgs),
    /// Check symptoms for red flags and get a graded referral.
    Check(CheckArgs),
    /// This week's at-home exercise program for your pain type, today's pain and your
    /// conditions.
    Program(ProgramArgs),
    /// Browse the positions and their posture profiles.
    Positions(PositionsArgs),
    /// Browse the tips for before, during and after.
    Tips(TipsArgs),
    /// Find answers to common questions, ranked by relevance.
    Faq(FaqArgs),
    /// List the sources behind every statement.
    Sources(SourcesArgs),
    /// Show, change or delete your saved profile.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Keep a private, encrypted journal on this computer and see what it says about your back.
    Journal(JournalArgs),
    /// Fill a clearly marked demo account with a synthetic year of journal entries.
    Demo(DemoArgs),
    /// Run the web app and the JSON API.
    Serve(ServeArgs),
}

#[derive(Args)]
pub struct JournalArgs {
    /// The journal's file [default: journal.db in the data directory].
    #[arg(long, env = "SPINEWISE_JOURNAL", value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// The journal's passphrase. Better left unset: you are asked for it, without echo.
    #[arg(
        long,
        env = "SPINEWISE_JOURNAL_PASSPHRASE",
        hide_env_values = true,
        value_name = "PASSPHRASE"
    )]
    pub passphrase: Option<String>,

    #[command(subcommand)]
    pub command: JournalCommand,
}

// By hand, so that the passphrase never reaches a `{:?}`.
impl std::fmt::Debug for JournalArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalArgs")
            .field("file", &self.file)
            .field(
                "passphrase",
                &self.passphrase.as_ref().map(|_| "<redacted>"),
            )
            .field("command", &self.command)
            .finish()
    }
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Add an entry.
    #[command(subcommand)]
    Log(LogCommand),
    /// Record the next morning's back pain for an intimacy entry.
    NextDay {
        /// The intimacy entry's id (see `journal list`).
        id: String,
        /// Back pain this morning, 0 to 10.
        #[arg(value_parser = parse_pain, value_name = "0-10")]
        pain: PainScore,
    },
    /// List entries, oldest first.
    List(ListArgs),
    /// What your journal says about your back: positions, preparation, timing, sleep, flares.
    Insights,
    /// A one-page clinical summary for a physiotherapist or doctor: pain type, PEG trend,
    /// flare-ups, exercise per week, red flags and conditions.
    Summary,
    /// Write the journal out: JSON (complete, re-importable), CSV (one kind) or FHIR R4.
    Export(ExportArgs),
    /// Read a JSON file written by `journal export`; all of it or nothing.
    Import(ImportArgs),
    /// Delete one entry, or the whole journal; deleted rows are gone from the file.
    Delete(DeleteArgs),
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Intimacy: positions, preparation, and pain before, during and after.
    Intimacy(LogIntimacyArgs),
    /// A daily check-in: pain, sleep, mood, stress.
    Daily(LogDailyArgs),
    /// The weekly PEG scale: pain, enjoyment of life, general activity (each 0 to 10).
    Peg(LogPegArgs),
    /// An exercise session.
    Exercise(LogExerciseArgs),
}

#[derive(Debug, Args)]
pub struct EntryIdArg {
    /// The entry's id [default: a new random one]. Logging the same id again changes nothing.
    #[arg(long, value_parser = parse_entry_id, value_name = "ID")]
    pub id: Option<EntryId>,
}

#[derive(Debug, Args)]
pub struct LogIntimacyArgs {
    #[command(flatten)]
    pub id: EntryIdArg,
    /// When, YYYY-MM-DDTHH:MM [default: now].
    #[arg(long, value_parser = parse_local_datetime, value_name = "WHEN")]
    pub at: Option<LocalDateTime>,
    /// A position used (repeat for several).
    #[arg(long = "position", value_parser = parse_position, value_name = "POSITION")]
    pub positions: Vec<String>,
    /// A preparation step taken (repeat for several).
    #[arg(long = "prep", value_parser = parse_preparation, value_name = "STEP")]
    pub preparation: Vec<Preparation>,
    /// Back pain just before, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub before: PainScore,
    /// The worst back pain during, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub during: Option<PainScore>,
    /// Back pain right after, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub after: PainScore,
    /// Back pain the next morning, 0 to 10 (or later, with `journal next-day`).
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub next_day: Option<PainScore>,
    /// Your back made you stop early.
    #[arg(long)]
    pub stopped_early: bool,
    /// A symptom noticed during or after (repeat for several); red flags are checked at once.
    #[arg(long = "symptom", value_parser = parse_symptom, value_name = "SYMPTOM")]
    pub symptoms: Vec<String>,
    /// A private note.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogDailyArgs {
    /// The day, YYYY-MM-DD [default: today]. A day has one check-in: what you give replaces
    /// what was there, the rest stays.
    #[arg(long, value_parser = parse_local_date, value_name = "DATE")]
    pub date: Option<LocalDate>,
    /// Back pain on getting up, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub morning: Option<PainScore>,
    /// Back pain in the evening, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub evening: Option<PainScore>,
    /// Hours slept the night before, 0 to 24.
    #[arg(long, value_name = "HOURS", allow_negative_numbers = true)]
    pub sleep_hours: Option<f64>,
    /// How well you slept, 1 (badly) to 5 (very well).
    #[arg(long, value_parser = parse_rating, value_name = "1-5", allow_negative_numbers = true)]
    pub sleep_quality: Option<Rating>,
    /// Your mood, 1 (very low) to 5 (very good).
    #[arg(long, value_parser = parse_rating, value_name = "1-5", allow_negative_numbers = true)]
    pub mood: Option<Rating>,
    /// Your stress, 1 (none) to 5 (overwhelming).
    #[arg(long, value_parser = parse_rating, value_name = "1-5", allow_negative_numbers = true)]
    pub stress: Option<Rating>,
    /// A private note.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogPegArgs {
    #[command(flatten)]
    pub id: EntryIdArg,
    /// The day, YYYY-MM-DD [default: today].
    #[arg(long, value_parser = parse_local_date, value_name = "DATE")]
    pub date: Option<LocalDate>,
    /// Your pain on average in the past week, 0 (none) to 10 (as bad as you can imagine).
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub pain: PainScore,
    /// How much pain interfered with your enjoyment of life, 0 (not at all) to 10 (completely).
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub enjoyment: PainScore,
    /// How much pain interfered with your general activity, 0 (not at all) to 10 (completely).
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub activity: PainScore,
}

#[derive(Debug, Args)]
pub struct LogExerciseArgs {
    #[command(flatten)]
    pub id: EntryIdArg,
    /// When, YYYY-MM-DDTHH:MM [default: now].
    #[arg(long, value_parser = parse_local_datetime, value_name = "WHEN")]
    pub at: Option<LocalDateTime>,
    /// What you did, in your words.
    #[arg(long)]
    pub what: String,
    /// How long, in minutes.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=600))]
    pub minutes: u16,
    /// How your back felt afterwards: better, same or worse.
    #[arg(long, value_parser = parse_felt)]
    pub felt: Felt,
    /// Back pain before, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub before: Option<PainScore>,
    /// Back pain after, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub after: Option<PainScore>,
    /// A private note.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries of this kind.
    #[arg(long, value_parser = parse_entry_kind)]
    pub kind: Option<EntryKind>,
    /// Only entries on or after this date.
    #[arg(long, value_parser = parse_local_date, value_name = "DATE")]
    pub from: Option<LocalDate>,
    /// Only entries on or before this date.
    #[arg(long, value_parser = parse_local_date, value_name = "DATE")]
    pub to: Option<LocalDate>,
}

/// What `journal export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Everything, re-importable without loss.
    Json,
    /// One kind of entry (--kind) as CSV.
    Csv,
    /// An HL7 FHIR R4 Bundle for a clinician's system.
    Fhir,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// For CSV: the kind of entry.
    #[arg(long, value_parser = parse_entry_kind, required_if_eq("format", "csv"))]
    pub kind: Option<EntryKind>,
    /// Write to this file instead of standard output (it must not exist yet).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON file written by `journal export` ("-" for standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Delete the whole journal first; otherwise entries with the same id are replaced and the
    /// rest stay.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The entry to delete.
    #[arg(value_parser = parse_entry_id, value_name = "ID", required_unless_present = "all")]
    pub id: Option<EntryId>,
    /// Delete every entry.
    #[arg(long, conflicts_with = "id")]
    pub all: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The database: `sqlite://PATH` or `postgres://…` [default: spinewise.db in the data directory].
    #[arg(long, env = "SPINEWISE_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// The demo account's login; an existing demo account of that name is refilled.
    #[arg(long, default_value = "demo")]
    pub login: String,
    /// How many days of entries, ending today.
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u16).range(1..=3660))]
    pub days: u16,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(
        long,
        env = "SPINEWISE_BIND",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT"
    )]
    pub bind: std::net::SocketAddr,

    /// The database: `sqlite://PATH` or `postgres://…` [default: spinewise.db in the data directory].
    #[arg(long, env = "SPINEWISE_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,

    /// Run behind a TLS-terminating reverse proxy: trust its X-Forwarded-For and mark cookies Secure.
    #[arg(long, env = "SPINEWISE_BEHIND_PROXY")]
    pub behind_proxy: bool,

    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(
        long,
        env = "SPINEWISE_TLS_CERT",
        requires = "tls_key",
        value_name = "FILE"
    )]
    pub tls_cert: Option<PathBuf>,

    /// The private key (PEM) of --tls-cert.
    #[arg(
        long,
        env = "SPINEWISE_TLS_KEY",
        requires = "tls_cert",
        value_name = "FILE"
    )]
    pub tls_key: Option<PathBuf>,

    /// How many recommendation answers to keep in memory for repeated requests (0: none).
    #[arg(
        long,
        env = "SPINEWISE_PLAN_CACHE",
        default_value_t = 4096,
        value_name = "N"
    )]
    pub plan_cache: usize,

    /// The browser packages' directory (with package.json and its lock file) [default: ./web
    /// in a checkout, else the source tree's].
    #[arg(long, env = "SPINEWISE_WEB_DIR", value_name = "DIR")]
    pub web_dir: Option<PathBuf>,

    /// The number the pages offer to call in an emergency, beside the words "your local
    /// emergency number" (112 reaches emergency services from mobile phones in most of the
    /// world; set 911, 999, 000 or your own).
    #[arg(
        long,
        env = "SPINEWISE_EMERGENCY_NUMBER",
        default_value = spinewise_app::emergency::DEFAULT_NUMBER,
        value_parser = spinewise_app::emergency::number,
        value_name = "NUMBER"
    )]
    pub emergency_number: String,

    /// The address people reach this server by, e.g. `https://spine.example.org` (repeat for
    /// several). The server answers to these names, to localhost and to IP addresses, and
    /// refuses any other Host, which keeps other sites from reaching it by a name of theirs.
    #[arg(
        long,
        env = "SPINEWISE_PUBLIC_URL",
        value_delimiter = ',',
        value_parser = spinewise_app::public_url::host,
        value_name = "URL"
    )]
    pub public_url: Vec<String>,

    /// Do not run `npm ci` to install the motion coach's pose-estimation files when they are
    /// missing (the coach page then says how to install them).
    #[arg(long, env = "SPINEWISE_NO_NPM")]
    pub no_npm: bool,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Read the answers from a JSON file ("-" for standard input) instead of asking.
    ///
    /// The file holds {"red_flags": [symptom ids], "answers": {question id: answer id}};
    /// `spinewise assess --template` prints one to fill in.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Print an answers file listing every question and its possible answers, and exit.
    #[arg(long, conflicts_with_all = ["answers", "save"])]
    pub template: bool,

    /// Save the result as your profile, used by `recommend` from now on.
    #[arg(long)]
    pub save: bool,

    /// Your role, saved with the result: receptive (the partner who is penetrated), insertive
    /// (the partner who penetrates) or switch (you take turns, or it varies).
    #[arg(long, value_parser = parse_role, requires = "save", value_name = "ROLE")]
    pub role: Option<RoleChoice>,
}

/// One partner as given on the command line.
#[derive(Debug, Args, Default)]
pub struct CoupleArgs {
    /// Your pain type [default: from your saved profile].
    #[arg(long, value_parser = parse_pain_type, value_name = "TYPE")]
    pub pain_type: Option<PainType>,

    /// Your role [default: from your saved profile]: receptive (the partner who is
    /// penetrated), insertive (the partner who penetrates) or switch (you take turns, or it
    /// varies: each position is judged both ways round).
    #[arg(long, value_parser = parse_role, value_name = "ROLE")]
    pub role: Option<RoleChoice>,

    /// Your pain right now, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub pain_now: Option<PainScore>,

    /// A condition of yours that changes the plan (repeat for several; adds to the saved ones).
    #[arg(long = "condition", value_parser = parse_condition, value_name = "CONDITION")]
    pub conditions: Vec<String>,

    /// With pregnancy among your conditions: the week, 0 to 45 [default: not known, which
    /// counts as possibly past 20 weeks].
    #[arg(long, value_parser = parse_weeks, value_name = "WEEKS")]
    pub pregnancy_weeks: Option<u8>,

    /// Your partner's pain type [default: from your profile, else none].
    #[arg(long, value_parser = parse_pain_type, value_name = "TYPE")]
    pub partner_pain_type: Option<PainType>,

    /// Your partner's role [default: the other role; switch if you switch].
    #[arg(long, value_parser = parse_role, value_name = "ROLE")]
    pub partner_role: Option<RoleChoice>,

    /// Your partner's pain right now, 0 to 10.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub partner_pain_now: Option<PainScore>,

    /// A condition of your partner's (repeat for several; adds to the saved ones).
    #[arg(long = "partner-condition", value_parser = parse_condition, value_name = "CONDITION")]
    pub partner_conditions: Vec<String>,

    /// With pregnancy among your partner's conditions: the week, 0 to 45.
    #[arg(long, value_parser = parse_weeks, value_name = "WEEKS")]
    pub partner_pregnancy_weeks: Option<u8>,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub couple: CoupleArgs,

    /// The time of day you are planning for.
    #[arg(long, value_parser = parse_time, value_name = "TIME")]
    pub time: Option<TimeOfDay>,

    /// A symptom either of you has now (repeat for several); red flags come first.
    #[arg(long = "symptom", value_parser = parse_symptom, value_name = "SYMPTOM")]
    pub symptoms: Vec<String>,

    /// Ignore the saved profile.
    #[arg(long)]
    pub no_profile: bool,
}

#[derive(Debug, Args)]
pub struct ProgramArgs {
    /// Your pain type [default: from your saved profile, else the general program].
    #[arg(long, value_parser = parse_pain_type, value_name = "TYPE")]
    pub pain_type: Option<PainType>,

    /// Your back pain today, 0 to 10: from 4 the level holds, from 7 today is gentle only.
    #[arg(long, value_parser = parse_pain, value_name = "0-10", allow_negative_numbers = true)]
    pub pain: Option<PainScore>,

    /// A condition of yours (repeat for several; adds to the saved ones).
    #[arg(long = "condition", value_parser = parse_condition, value_name = "CONDITION")]
    pub conditions: Vec<String>,

    /// With pregnancy among your conditions: the week, 0 to 45 [default: not known, which
    /// counts as possibly past 20 weeks].
    #[arg(long, value_parser = parse_weeks, value_name = "WEEKS")]
    pub pregnancy_weeks: Option<u8>,

    /// A symptom you have now (repeat for several); red flags come first.
    #[arg(long = "symptom", value_parser = parse_symptom, value_name = "SYMPTOM")]
    pub symptoms: Vec<String>,

    /// The day to plan for, YYYY-MM-DD [default: today].
    #[arg(long, value_parser = parse_local_date, value_name = "DATE")]
    pub today: Option<LocalDate>,

    /// Ignore the saved profile.
    #[arg(long)]
    pub no_profile: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A symptom you have now (repeat for several). Without any, you are asked.
    #[arg(long = "symptom", value_parser = parse_symptom, value_name = "SYMPTOM")]
    pub symptoms: Vec<String>,

    /// A condition that makes a symptom more urgent, such as pregnancy (repeat for several);
    /// added to the conditions in your saved profile.
    #[arg(long = "condition", value_parser = parse_condition, value_name = "CONDITION")]
    pub conditions: Vec<String>,

    /// Ignore the saved profile's conditions.
    #[arg(long)]
    pub no_profile: bool,

    /// List the symptoms this check knows, and exit.
    #[arg(long, conflicts_with = "symptoms")]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct PositionsArgs {
    /// Show one position in full.
    #[arg(value_parser = parse_position, value_name = "POSITION")]
    pub id: Option<String>,
}

#[derive(Debug, Args)]
pub struct TipsArgs {
    /// Only tips for this phase: before, during or after.
    #[arg(long, value_parser = parse_phase)]
    pub phase: Option<Phase>,
}

#[derive(Debug, Args)]
pub struct FaqArgs {
    /// Your question, in your own words. Without it, every question is listed.
    #[arg(value_name = "WORDS")]
    pub words: Vec<String>,

    /// Show at most this many answers.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    pub limit: u16,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// Show one source.
    #[arg(value_parser = parse_source, value_name = "SOURCE")]
    pub id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Show the saved profile.
    Show,
    /// Change parts of the saved profile.
    Set(ProfileSetArgs),
    /// Delete the saved profile.
    Clear,
}

#[derive(Debug, Args)]
pub struct ProfileSetArgs {
    /// Your pain type.
    #[arg(long, value_parser = parse_pain_type, value_name = "TYPE")]
    pub pain_type: Option<PainType>,

    /// Your role: receptive (the partner who is penetrated), insertive (the partner who
    /// penetrates) or switch (you take turns, or it varies).
    #[arg(long, value_parser = parse_role, value_name = "ROLE")]
    pub role: Option<RoleChoice>,

    /// Your conditions (repeat for several); they replace the saved ones.
    #[arg(long = "condition", value_parser = parse_condition, value_name = "CONDITION")]
    pub conditions: Vec<String>,

    /// Remove all of your conditions.
    #[arg(long, conflicts_with = "conditions")]
    pub no_conditions: bool,

    /// Your partner's pain type.
    #[arg(long, value_parser = parse_pain_type, value_name = "TYPE")]
    pub partner_pain_type: Option<PainType>,

    /// Your partner's conditions (repeat for several); they replace the saved ones.
    #[arg(long = "partner-condition", value_parser = parse_condition, value_name = "CONDITION")]
    pub partner_conditions: Vec<String>,

    /// Remove all of your partner's conditions.
    #[arg(long, conflicts_with = "partner_conditions")]
    pub no_partner_conditions: bool,
}

fn knowledge() -> Result<&'static Knowledge, String> {
    Knowledge::bundled().map_err(|e| e.to_string())
}

fn parse_pain_type(s: &str) -> Result<PainType, UnknownValue> {
    s.parse()
}

fn parse_role(s: &str) -> Result<RoleChoice, UnknownValue> {
    s.parse()
}

fn parse_weeks(s: &str) -> Result<u8, spinewise_domain::safety::BadWeeks> {
    spinewise_domain::safety::pregnancy_weeks(s)
}

fn parse_time(s: &str) -> Result<TimeOfDay, UnknownValue> {
    s.parse()
}

fn parse_phase(s: &str) -> Result<Phase, UnknownValue> {
    s.parse()
}

fn parse_preparation(s: &str) -> Result<Preparation, UnknownValue> {
    s.parse()
}

fn parse_felt(s: &str) -> Result<Felt, UnknownValue> {
    s.parse()
}

fn parse_entry_kind(s: &str) -> Result<EntryKind, UnknownValue> {
    s.parse()
}

fn parse_entry_id(s: &str) -> Result<EntryId, String> {
    s.parse()
}

fn parse_local_date(s: &str) -> Result<LocalDate, String> {
    s.parse()
}

fn parse_local_datetime(s: &str) -> Result<LocalDateTime, String> {
    s.parse()
}

fn parse_rating(s: &str) -> Result<Rating, String> {
    s.parse()
}

fn parse_pain(s: &str) -> Result<PainScore, String> {
    s.parse::<PainScore>().map_err(|e| e.to_string())
}

/// A value that must be the id of an entry of the knowledge base, looked up by `find`.
fn known(
    s: &str,
    find: impl Fn(&'static Knowledge, &str) -> Result<&'static String, UnknownValue>,
) -> Result<String, String> {
    find(knowledge()?, s).cloned().map_err(|e| e.to_string())
}

fn parse_condition(s: &str) -> Result<String, String> {
    known(s, |k, s| k.condition(s).map(|c| &c.id))
}

fn parse_symptom(s: &str) -> Result<String, String> {
    known(s, |k, s| k.symptom(s).map(|x| &x.id))
}

fn parse_position(s: &str) -> Result<String, String> {
    known(s, |k, s| k.position(s).map(|p| &p.id))
}

fn parse_source(s: &str) -> Result<String, String> {
    known(s, |k, s| k.source(s).map(|x| &x.id))
}

/// What parsing the command line came to.
#[derive(Debug)]
pub enum Parsed {
    /// A command to run.
    Run(Box<Cli>),
    /// Help or version text to print, then exit successfully.
    Info(String),
    /// A usage error, as one line.
    Error(String),
}

/// Parses the arguments. Errors come back as one line that names the bad value.
pub fn parse<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => Parsed::Run(Box::new(cli)),
        Err(e) => {
            use clap::error::ErrorKind;
            match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Info(e.to_string()),
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    Parsed::Error(format!("{}", e.render()).trim_end().to_owned())
                }
                _ => Parsed::Error(one_line(&e.to_string())),
            }
        }
    }
}

/// The first paragraph of clap's message, on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(args: &[&str]) -> String {
        match parse(std::iter::once("spinewise").chain(args.iter().copied())) {
            Parsed::Error(e) => e,
            other => panic!("expected an error for {args:?}, got {other:?}"),
        }
    }

    #[test]
    fn bad_values_are_named_with_the_allowed_ones_on_one_line() {
        let e = error(&["recommend", "--pain-type", "sideways"]);
        assert!(!e.contains('\n'));
        assert!(e.contains("'sideways'"), "{e}");
        assert!(
            e.contains("flexion, extension, motion, none, unclear"),
            "{e}"
        );

        let e = error(&["recommend", "--condition", "gout"]);
        assert!(e.contains("'gout'") && e.contains("disc-problem"), "{e}");

        let e = error(&["check", "--symptom", "sneezing"]);
        assert!(
            e.contains("'sneezing'") && e.contains("saddle-numbness"),
            "{e}"
        );

        let e = error(&["recommend", "--pain-now", "11"]);
        assert!(e.contains("'11'") && e.contains("0 to 10"), "{e}");
    }

    #[test]
    fn json_is_accepted_before_or_after_the_command() {
        for args in [["--json", "sources"], ["sources", "--json"]] {
            match parse(std::iter::once("spinewise").chain(args)) {
                Parsed::Run(cli) => assert!(cli.json),
                other => panic!("{other:?}"),
            }
        }
    }
}
