//! The command line's journal and the `demo` command.
//!
//! The local journal is a SQLite file on this computer, kept by the same store and sealed the
//! same way as the server's: a data key of its own, wrapped under a passphrase (Argon2id) and
//! under a recovery code printed once when the journal is created. Without one of the two the
//! file reveals nothing of what was logged.
//!
//! `demo` fills a clearly marked demo account on the server's database with a synthetic year,
//! so that a newcomer sees the insights at once.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::{
    DailyCheckIn, Entry, EntryId, Exercise, Intimacy, Journal, Peg, demo as demo_data, export,
};
use spinewise_domain::safety::{Circumstances, Given, Saved};
use spinewise_domain::words::count;
use spinewise_store::{NewUser, Store, StoreError, UserId};
use spinewise_vault::{self as vault, DataKey, RecoveryCode, VaultError};

use super::args::{
    Cli, DeleteArgs, DemoArgs, ExportArgs, ExportFormat, ImportArgs, JournalArgs, JournalCommand,
    ListArgs, LogCommand,
};
use super::clock;
use super::output::{Failure, Output, data_dir, saved_or_warn, usage, write_stdout};
use spinewise_app::entry_dto::{EntryDto, EntryListDto, ExportDto};
use spinewise_app::journal::{self, Created, JournalError};

/// The login of the one account a local journal file holds.
const LOCAL_LOGIN: &str = "local";
/// Passphrases shorter than this are refused.
const MIN_PASSPHRASE_CHARS: usize = 10;

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?)
}

/// This computer's offset from UTC, for the FHIR export's times.
fn local_offset() -> Option<export::fhir::UtcOffsetMinutes> {
    clock::LOCAL_OFFSET
        .get()
        .map(|o| export::fhir::UtcOffsetMinutes(o.whole_minutes()))
}

fn journal_error(e: JournalError) -> Failure {
    match e {
        JournalError::Invalid(e) => usage(format!("{}: {}", cli_field(&e.field), e.message)),
        // The store's message speaks of the API's PUT; here the way out is a new id.
        JournalError::Conflict(id) => usage(format!(
            "--id: an entry with id '{id}' is already in the journal with other content; \
             choose a new id, or delete that entry first (spinewise journal delete {id})"
        )),
        JournalError::Duplicate { .. } => usage(e),
        other => Failure::Other(other.into()),
    }
}

/// The command-line option that a field of an entry comes from, for error messages.
fn cli_field(field: &str) -> String {
    let (base, rest) = field.split_once('[').map_or((field, ""), |(b, r)| (b, r));
    let option = match base {
        "positions" => "--position",
        "symptoms" => "--symptom",
        "preparation" => "--prep",
        "pain_before" => "--before",
        "pain_after" => "--after",
        "pain_morning" => "--morning",
        "sleep_hours" => "--sleep-hours",
        "at" => "--at",
        "date" => "--date",
        "what" => "--what",
        "minutes" => "--minutes",
        "note" => "--note",
        _ => return field.to_owned(),
    };
    if rest.is_empty() {
        option.to_owned()
    } else {
        format!("{option} [{rest}")
    }
}

fn store_error(e: StoreError) -> Failure {
    Failure::Other(anyhow::Error::new(e).context("the journal file cannot be read or written"))
}

/// An open local journal.
struct LocalJournal {
    store: Store,
    user: UserId,
    key: DataKey,
}

fn ask_passphrase(prompt: &str) -> Result<String, Failure> {
    if !io::stdin().is_terminal() {
        return Err(usage(
            "the journal needs its passphrase: run this in a terminal, or set SPINEWISE_JOURNAL_PASSPHRASE",
        ));
    }
    rpassword::prompt_password(prompt).map_err(|e| Failure::Other(e.into()))
}

fn check_passphrase(p: &str) -> Result<(), Failure> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        Err(usage(format!(
            "a journal passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"
        )))
    } else {
        Ok(())
    }
}

/// A failure of the server's account code (key generation, hashing), as the CLI reports it.
fn app_failure(e: spinewise_app::error::AppError) -> Failure {
    Failure::Other(anyhow::anyhow!("{e}"))
}

impl LocalJournal {
    /// Opens the journal at `path`, creating it (and printing its recovery code) the first
    /// time.
    async fn open(path: &Path, passphrase: Option<&str>) -> Result<LocalJournal, Failure> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            super::profile::create_private_dir(dir)?;
        }
        create_private_file(path)?;
        let url = format!("sqlite://{}", path.display());
        let store = Store::open(&url).await.map_err(store_error)?;
        let existing = store
            .user_by_login(LOCAL_LOGIN)
            .await
            .map_err(store_error)?;
        match existing {
            Some(user) => {
                let passphrase = match passphrase {
                    Some(p) => p.to_owned(),
                    None => ask_passphrase("Journal passphrase: ")?,
                };
                let keys = store
                    .user_keys(&user.id)
                    .await
                    .map_err(store_error)?
                    .ok_or_else(|| {
                        usage(format!("{} is not a spinewise journal", path.display()))
                    })?;
                let key = tokio::task::spawn_blocking(move || {
                    vault::unwrap_with_password(&keys.password_wrapped, &passphrase)
                })
                .await
                .context("cannot check the passphrase")?
                .map_err(|e| match e {
                    VaultError::WrongSecret { .. } => {
                        usage("the journal's passphrase is not right")
                    }
                    other => Failure::Other(other.into()),
                })?;
                Ok(LocalJournal {
                    store,
                    user: user.id,
                    key,
                })
            }
            None => {
                let passphrase = match passphrase {
                    Some(p) => p.to_owned(),
                    None => {
                        eprintln!(
                            "A new journal at {}. Choose a passphrase (at least {MIN_PASSPHRASE_CHARS} characters).",
                            path.display()
                        );
                        let first = ask_passphrase("New passphrase: ")?;
                        check_passphrase(&first)?;
                        let again = ask_passphrase("The same again: ")?;
                        if first != again {
                            return Err(usage("the two passphrases differ; nothing was created"));
                        }
                        first
                    }
                };
                check_passphrase(&passphrase)?;
                let keys = spinewise_app::accounts::NewKeys::generate(passphrase.clone())
                    .await
                    .map_err(app_failure)?;
                let hash = spinewise_app::accounts::hash_password(passphrase)
                    .await
                    .map_err(app_failure)?;
                let now = clock::now().0;
                let user = store
                    .create_user_with_keys(
                        &NewUser {
                            login: LOCAL_LOGIN,
                            login_skeleton: Some(&spinewise_app::login::skeleton(LOCAL_LOGIN)),
                            password_hash: &hash,
                            now,
                            demo: false,
                        },
                        &keys.wrapped(),
                    )
                    .await
                    .map_err(store_error)?;
                print_recovery_code(&keys.code, path);
                Ok(LocalJournal {
                    store,
                    user,
                    key: keys.key,
                })
            }
        }
    }

    async fn load(&self) -> Result<Journal, Failure> {
        journal::load(&self.store, &self.user, &self.key)
            .await
            .map_err(journal_error)
    }
}

/// Creates the journal's file, readable by its owner only, if it does not exist yet; SQLite
/// opens an empty file as a new database and gives its `-wal` and `-shm` files the same mode.
/// The file holds the passphrase's hash and the wrapped key, which others must not get to
/// guess at, wherever `--file` puts it.
fn create_private_file(path: &Path) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(anyhow::Error::new(e)
            .context(format!("cannot create {}", path.display()))
            .into()),
    }
}

fn print_recovery_code(code: &RecoveryCode, path: &Path) {
    eprintln!(
        "\nYour journal's recovery code (shown this once; keep it somewhere safe):\n\n    {code}\n\n\
         With it you can set a new passphrase if you forget yours. Without the passphrase and \
         this code, nobody can read {} — not even you.\n",
        path.display()
    );
}

fn journal_path(cli: &Cli, args: &JournalArgs) -> Result<PathBuf, Failure> {
    match &args.file {
        Some(f) => Ok(f.clone()),
        None => Ok(data_dir(cli)?.join("journal.db")),
    }
}

/// Runs `spinewise journal …`.
pub fn run(k: &Knowledge, out: &Output, cli: &Cli, args: &JournalArgs) -> Result<(), Failure> {
    let path = journal_path(cli, args)?;
    runtime()?.block_on(async {
        let local = LocalJournal::open(&path, args.passphrase.as_deref()).await?;
        let result = command(k, out, cli, &local, &args.command).await;
        local.store.close().await;
        result
    })
}

async fn command(
    k: &Knowledge,
    out: &Output,
    cli: &Cli,
    local: &LocalJournal,
    command: &JournalCommand,
) -> Result<(), Failure> {
    let (now, local_now) = clock::now();
    match command {
        JournalCommand::Log(log) => {
            let (entry, replace) = match log {
                LogCommand::Intimacy(a) => (
                    Entry::Intimacy(Intimacy {
                        id: a.id.id.clone().unwrap_or_else(new_id),
                        at: a.at.unwrap_or(local_now),
                        positions: a.positions.clone(),
                        preparation: a.preparation.clone(),
                        pain_before: a.before,
                        pain_during: a.during,
                        pain_after: a.after,
                        stopped_early: a.stopped_early,
                        symptoms: a.symptoms.clone(),
                        next_day_pain: a.next_day,
                        note: a.note.clone(),
                    }),
                    false,
                ),
                LogCommand::Daily(a) => {
                    let date = a.date.unwrap_or(local_now.date());
                    let id = journal::daily_id(&local.key, date);
                    let mut day =
                        match journal::day_check_in(&local.store, &local.user, &local.key, date)
                            .await
                            .map_err(journal_error)?
                        {
                            Some(d) => d,
                            None => DailyCheckIn {
                                id,
                                date,
                                pain_morning: None,
                                pain_evening: None,
                                sleep_hours: None,
                                sleep_quality: None,
                                mood: None,
                                stress: None,
                                note: None,
                            },
                        };
                    day.pain_morning = a.morning.or(day.pain_morning);
                    day.pain_evening = a.evening.or(day.pain_evening);
                    day.sleep_hours = a.sleep_hours.or(day.sleep_hours);
                    day.sleep_quality = a.sleep_quality.or(day.sleep_quality);
                    day.mood = a.mood.or(day.mood);
                    day.stress = a.stress.or(day.stress);
                    day.note = a.note.clone().or(day.note);
                    (Entry::Daily(day), true)
                }
                LogCommand::Peg(a) => (
                    Entry::Peg(Peg {
                        id: a.id.id.clone().unwrap_or_else(new_id),
                        date: a.date.unwrap_or(local_now.date()),
                        pain: a.pain,
                        enjoyment: a.enjoyment,
                        activity: a.activity,
                    }),
                    false,
                ),
                LogCommand::Exercise(a) => (
                    Entry::Exercise(Exercise {
                        id: a.id.id.clone().unwrap_or_else(new_id),
                        at: a.at.unwrap_or(local_now),
                        what: a.what.clone(),
                        minutes: a.minutes,
                        felt: a.felt,
                        pain_before: a.before,
                        pain_after: a.after,
                        note: a.note.clone(),
                        sets: Vec::new(),
                    }),
                    false,
                ),
            };
            // A log's symptoms are judged as every feature judges them: with the saved
            // conditions and the red flags the journal held before this entry. What cannot be
            // read is left out with a warning: it never stops the entry or its answer.
            let before = match &entry {
                Entry::Intimacy(log) if !log.symptoms.is_empty() => {
                    let saved = saved_or_warn(cli);
                    let journal = match journal::load(&local.store, &local.user, &local.key).await {
                        Ok(journal) => journal,
                        Err(e) => {
                            eprintln!(
                                "warning: the journal's earlier entries cannot be read ({e}); the symptoms are judged on their own"
                            );
                            Journal::default()
                        }
                    };
                    let today = local_now.date();
                    Some(
                        match Circumstances::gather(
                            k,
                            Given::default(),
                            saved,
                            journal.clone(),
                            today,
                        ) {
                            Ok(about) => about,
                            Err(e) => {
                                eprintln!(
                                    "warning: the saved profile names {e}; the symptoms are judged without its conditions"
                                );
                                Circumstances::gather(
                                    k,
                                    Given::default(),
                                    Saved::default(),
                                    journal,
                                    today,
                                )
                                .map_err(usage)?
                            }
                        },
                    )
                }
                _ => None,
            };
            // A day's check-in is one entry: a second one that day updates it.
            let updated = replace
                && local
                    .store
                    .entry(&local.user, entry.id().as_str())
                    .await
                    .map_err(store_error)?
                    .is_some();
            let created = if replace {
                journal::put(&local.store, k, &local.user, &local.key, &entry, now)
                    .await
                    .map(|()| {
                        if updated {
                            Created::AlreadyThere
                        } else {
                            Created::New
                        }
                    })
            } else {
                journal::create(&local.store, k, &local.user, &local.key, &entry, now).await
            }
            .map_err(journal_error)?;
            let flags = match (&entry, &before) {
                (Entry::Intimacy(log), Some(before)) => Some(
                    before
                        .red_flags_with(k, &log.symptoms)
                        .map_err(|e| usage(format!("--symptom: {e}")))?,
                ),
                _ => None,
            };
            let triage_dto = flags
                .as_ref()
                .map(|f| spinewise_app::dto::CheckDto::with_noted(k, &f.triage, &f.noted));
            out.print(
                |w| {
                    let mut s = match created {
                        Created::New => format!("Saved {} entry {}.\n", entry.kind(), entry.id()),
                        Created::AlreadyThere if updated => {
                            format!("Updated the check-in of {}.\n", entry.date())
                        }
                        Created::AlreadyThere => {
                            format!(
                                "Entry {} was already in the journal; nothing changed.\n",
                                entry.id()
                            )
                        }
                    };
                    if let Some(f) = &flags {
                        s.push('\n');
                        s.push_str(&super::render::check(
                            w,
                            k,
                            f,
                            before.as_ref().map_or(&[][..], |b| &b.conditions),
                        ));
                    }
                    s
                },
                serde_json::json!({
                    "id": entry.id().as_str(),
                    "created": created == Created::New,
                    "updated": updated,
                    "entry": EntryDto::from(&entry),
                    "triage": triage_dto.map(|d| d.triage),
                }),
            )
        }
        JournalCommand::NextDay { id, pain } => {
            let id = id
                .parse::<EntryId>()
                .map_err(|e| usage(format!("ID: {e}")))?;
            let Some(Entry::Intimacy(mut log)) =
                journal::get(&local.store, &local.user, &local.key, &id)
                    .await
                    .map_err(journal_error)?
            else {
                return Err(usage(format!(
                    "there is no intimacy entry '{id}' in the journal"
                )));
            };
            log.next_day_pain = Some(*pain);
            let entry = Entry::Intimacy(log);
            journal::put(&local.store, k, &local.user, &local.key, &entry, now)
                .await
                .map_err(journal_error)?;
            out.print(
                |_| format!("Saved next-day pain {} for {id}.\n", pain.value()),
                serde_json::json!({ "id": id.as_str(), "entry": EntryDto::from(&entry) }),
            )
        }
        JournalCommand::List(args) => list(k, out, &local.load().await?, args),
        JournalCommand::Insights => {
            let journal = local.load().await?;
            // The saved profile sets the posture model's expectations; what it does not say
            // is assumed, as the server does (pain type unclear, role receptive).
            let profile = super::profile::ProfileStore::in_dir(&data_dir(cli)?)
                .load()?
                .unwrap_or_default();
            let person = spinewise_app::journal_dto::Person::from_saved(
                profile.pain_type,
                profile.role,
                profile.conditions,
            );
            super::insights_text::print(k, out, &journal, local_now.date(), &person)
        }
        JournalCommand::Summary => {
            let journal = local.load().await?;
            let profile = super::profile::ProfileStore::in_dir(&data_dir(cli)?)
                .load()?
                .unwrap_or_default();
            super::summary_text::print(k, out, &journal, local_now.date(), &profile.conditions)
        }
        JournalCommand::Export(args) => {
            let journal = local.load().await?;
            export_to(k, &journal, args, now)
        }
        JournalCommand::Import(args) => import(k, out, local, args, now).await,
        JournalCommand::Delete(args) => delete(out, local, args).await,
    }
}

fn new_id() -> EntryId {
    EntryId::from_random(*uuid::Uuid::new_v4().as_bytes())
}

fn list(k: &Knowledge, out: &Output, journal: &Journal, args: &ListArgs) -> Result<(), Failure> {
    let entries: Vec<&Entry> = journal
        .entries()
        .iter()
        .filter(|e| args.kind.is_none_or(|kind| e.kind() == kind))
        .filter(|e| args.from.is_none_or(|f| e.date() >= f))
        .filter(|e| args.to.is_none_or(|t| e.date() <= t))
        .collect();
    out.print(
        |_| {
            if entries.is_empty() {
                return "No entries.\n".to_owned();
            }
            let mut s = String::new();
            for e in &entries {
                s.push_str(&format!(
                    "{}  {:<15} {}  [{}]\n",
                    e.when().to_string().replace('T', " "),
                    e.kind().label(),
                    journal::summary(k, e),
                    e.id()
                ));
            }
            s
        },
        EntryListDto::new(entries.iter().copied()),
    )
}

fn export_to(k: &Knowledge, journal: &Journal, args: &ExportArgs, now: i64) -> Result<(), Failure> {
    let body = match args.format {
        ExportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&ExportDto::from(&export::Document::new(
                journal, now,
            )))
            .context("cannot encode the journal")?;
            s.push('\n');
            s
        }
        ExportFormat::Csv => {
            let kind = args
                .kind
                .ok_or_else(|| usage("--format csv needs --kind"))?;
            export::csv(journal, kind)
        }
        ExportFormat::Fhir => {
            let mut s =
                serde_json::to_string_pretty(&export::fhir_bundle(k, journal, now, local_offset()))
                    .context("cannot encode the FHIR bundle")?;
            s.push('\n');
            s
        }
    };
    match &args.output {
        Some(path) => write_new(path, body.as_bytes()),
        None => write_stdout(body.as_bytes(), "the export"),
    }
}

/// Writes a new file, readable by its owner only, and refuses to overwrite one.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            usage(format!(
                "--output: {} already exists; choose a new file",
                path.display()
            ))
        } else {
            Failure::Other(
                anyhow::Error::new(e).context(format!("cannot create {}", path.display())),
            )
        }
    })?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        // Leave nothing half-written behind.
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(anyhow::Error::new(e)
            .context(format!("cannot write {}", path.display()))
            .into());
    }
    Ok(())
}

async fn import(
    k: &Knowledge,
    out: &Output,
    local: &LocalJournal,
    args: &ImportArgs,
    now: i64,
) -> Result<(), Failure> {
    let bytes = if args.file.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        buf
    } else {
        std::fs::read(&args.file)
            .map_err(|e| usage(format!("cannot read {}: {e}", args.file.display())))?
    };
    let document = export::Document::parse(&bytes).map_err(|e| {
        usage(format!(
            "{}: {}: {}",
            args.file.display(),
            e.field,
            e.message
        ))
    })?;
    let n = journal::import(
        &local.store,
        k,
        &local.user,
        &local.key,
        &document.entries,
        args.replace,
        now,
    )
    .await
    .map_err(journal_error)?;
    out.print(
        |_| {
            if args.replace {
                format!(
                    "Replaced the journal with {}.\n",
                    count(n, "entry", "entries")
                )
            } else {
                format!("Imported {}.\n", count(n, "entry", "entries"))
            }
        },
        serde_json::json!({ "imported": n, "replaced": args.replace }),
    )
}

async fn delete(out: &Output, local: &LocalJournal, args: &DeleteArgs) -> Result<(), Failure> {
    if !args.yes {
        if !io::stdin().is_terminal() {
            return Err(usage("deleting needs --yes when not run in a terminal"));
        }
        let what = match &args.id {
            Some(id) => format!("entry {id}"),
            None => "the whole journal".to_owned(),
        };
        eprint!("Delete {what} for good? Type yes to confirm: ");
        let mut answer = String::new();
        io::stdin()
            .read_line(&mut answer)
            .context("cannot read the answer")?;
        if answer.trim() != "yes" {
            return Err(usage("not confirmed; nothing was deleted"));
        }
    }
    match &args.id {
        Some(id) => {
            if !journal::delete(&local.store, &local.user, &local.key, id)
                .await
                .map_err(journal_error)?
            {
                return Err(usage(format!("there is no entry '{id}' in the journal")));
            }
            out.print(
                |_| format!("Deleted entry {id}.\n"),
                serde_json::json!({ "deleted": 1 }),
            )
        }
        None => {
            let n = local
                .store
                .delete_journal(&local.user)
                .await
                .map_err(store_error)?;
            out.print(
                |_| {
                    format!(
                        "Deleted the whole journal ({}).\n",
                        count(n, "entry", "entries")
                    )
                },
                serde_json::json!({ "deleted": n }),
            )
        }
    }
}

/// Runs `spinewise demo`: creates (or refills) a demo account on the server's database and
/// prints how to sign in to it.
pub fn demo(k: &Knowledge, out: &Output, cli: &Cli, args: &DemoArgs) -> Result<(), Failure> {
    let database_url = match &args.database_url {
        Some(url) => url.clone(),
        None => {
            let dir = data_dir(cli)?;
            super::profile::create_private_dir(&dir)?;
            format!("sqlite://{}", dir.join("spinewise.db").display())
        }
    };
    let login = spinewise_app::accounts::validate_login(&args.login)
        .map_err(|e| usage(format!("--login: {e}")))?
        .text;
    runtime()?.block_on(async {
        let store = Store::open(&database_url).await.map_err(store_error)?;
        let result = fill_demo(k, &store, &login, args.days).await;
        store.close().await;
        let (password, code, entries) = result?;
        out.print(
            |_| {
                format!(
                    "A demo account with {entries} synthetic entries is ready.\n\n  \
                     Sign in as: {login}\n  Password:   {password}\n  Recovery code: {code}\n\n\
                     Start the server (spinewise serve) and open /journal/insights.\n"
                )
            },
            serde_json::json!({
                "login": login,
                "password": password,
                "recovery_code": code.to_string(),
                "entries": entries,
            }),
        )
    })
}

async fn fill_demo(
    k: &Knowledge,
    store: &Store,
    login: &str,
    days: u16,
) -> Result<(String, RecoveryCode, usize), Failure> {
    if let Some(existing) = store.user_by_login(login).await.map_err(store_error)? {
        if !existing.demo {
            return Err(usage(format!(
                "--login: '{login}' is a real account; a demo needs a login of its own"
            )));
        }
        store.delete_user(&existing.id).await.map_err(store_error)?;
    }
    let password = spinewise_app::accounts::random_token()
        .map_err(|e| Failure::Other(anyhow::anyhow!("{e}")))?
        .chars()
        .take(20)
        .collect::<String>();
    let keys = spinewise_app::accounts::NewKeys::generate(password.clone())
        .await
        .map_err(app_failure)?;
    let hash = spinewise_app::accounts::hash_password(password.clone())
        .await
        .map_err(app_failure)?;
    let (now, local_now) = clock::now();
    let user = store
        .create_user_with_keys(
            &NewUser {
                login,
                login_skeleton: Some(&spinewise_app::login::skeleton(login)),
                password_hash: &hash,
                now,
                demo: true,
            },
            &keys.wrapped(),
        )
        .await
        .map_err(store_error)?;
    let person = demo_data::demo_profile();
    spinewise_app::profile::save(
        store,
        &user,
        &keys.key,
        &spinewise_store::ProfileRecord {
            pain_type: Some(person.pain_type),
            role: Some(person.role),
            conditions: person.conditions.clone(),
            partner_pain_type: Some(spinewise_domain::vocab::PainType::None),
            partner_conditions: Vec::new(),
            updated_at: now,
        },
        now,
    )
    .await
    .map_err(app_failure)?;
    let entries = demo_data::demo_journal(k, local_now.date(), u32::from(days), 2026);
    journal::import(store, k, &user, &keys.key, &entries, true, now)
        .await
        .map_err(journal_error)?;
    Ok((password, keys.code, entries.len()))
}
