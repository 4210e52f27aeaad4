//! What each subcommand does: gather its input (arguments, saved profile, answers, prompts),
//! ask the engine, and print the result as text or JSON.

use std::io::{self, IsTerminal, Read};
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::{self, Answers};
use spinewise_domain::journal::Journal;
use spinewise_domain::knowledge::{FaqEntry, Position, Source, Tip};
use spinewise_domain::program::program_for;
use spinewise_domain::recommend::{self, PersonInput, PlanRequest};
use spinewise_domain::safety::{self, Circumstances, Given, Saved};
use spinewise_domain::vocab::{PainType, RoleChoice};

use spinewise_app::dto;

use super::args::{
    AssessArgs, CheckArgs, Cli, Command, CoupleArgs, FaqArgs, PositionsArgs, ProfileCommand,
    ProfileSetArgs, ProgramArgs, RecommendArgs, ServeArgs, SourcesArgs, TipsArgs,
};
use super::output::{Failure, Output, data_dir, saved_or_warn, usage};
use super::profile::{Profile, ProfileStore};
use super::prompt::{Ask, LinePrompter, TerminalPrompter};
use super::render::{self, SaveOutcome};

/// How `spinewise serve` runs the web server: given by the binary, so that the command line
/// never depends on the server (nor the server on it).
pub type Serve = fn(&Cli, &ServeArgs) -> Result<(), Failure>;

/// Runs one command.
pub fn run(cli: Cli, serve: Serve) -> Result<(), Failure> {
    let knowledge = Knowledge::bundled().map_err(|e| anyhow::anyhow!("{e}"))?;
    let out = Output {
        json: cli.json,
        width: render::width(),
    };
    match &cli.command {
        Command::Assess(args) => assess(knowledge, &out, &cli, args),
        Command::Recommend(args) => recommend(knowledge, &out, &cli, args),
        Command::Check(args) => check(knowledge, &out, &cli, args),
        Command::Program(args) => program(knowledge, &out, &cli, args),
        Command::Positions(args) => positions(knowledge, &out, args),
        Command::Tips(args) => tips(knowledge, &out, args),
        Command::Faq(args) => faq(knowledge, &out, args),
        Command::Sources(args) => sources(knowledge, &out, args),
        Command::Profile(command) => profile(knowledge, &out, &cli, command),
        Command::Journal(args) => super::local_journal::run(knowledge, &out, &cli, args),
        Command::Demo(args) => super::local_journal::demo(knowledge, &out, &cli, args),
        Command::Serve(args) => serve(&cli, args),
    }
}

/// A prompter for standard input: interactive in a terminal, line by line otherwise.
fn prompter() -> Box<dyn Ask> {
    if io::stdin().is_terminal() && io::stderr().is_terminal() {
        Box::new(TerminalPrompter)
    } else {
        Box::new(LinePrompter::new(io::stdin().lock(), io::stderr()))
    }
}

#[derive(Serialize)]
struct TemplateQuestion<'k> {
    id: &'k str,
    question: &'k str,
    options: Vec<TemplateOption<'k>>,
}

#[derive(Serialize)]
struct TemplateOption<'k> {
    id: &'k str,
    label: &'k str,
}

#[derive(Serialize)]
struct Questionnaire<'k> {
    red_flags: Vec<TemplateOption<'k>>,
    questions: Vec<TemplateQuestion<'k>>,
}

/// An answers file to fill in: no red flags, and for each item the answer that gives no
/// evidence either way ("not sure" or "no difference").
fn template(knowledge: &Knowledge) -> Answers {
    Answers {
        red_flags: Vec::new(),
        answers: knowledge
            .questionnaire
            .items
            .iter()
            .filter_map(|i| Some((i.id.clone(), i.neutral_option()?.id.clone())))
            .collect(),
    }
}

fn read_answers(path: &Path) -> Result<Answers, Failure> {
    let (name, text) = if path == Path::new("-") {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the answers from standard input")?;
        ("standard input".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| {
            usage(format!(
                "cannot read the answers file {}: {e}",
                path.display()
            ))
        })?;
        (path.display().to_string(), text)
    };
    serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "the answers file {name} is not valid: {e} (expected {{\"red_flags\": [...], \"answers\": {{question: answer}}}}; `spinewise assess --template` prints one)"
        ))
    })
}

fn ask_answers(knowledge: &Knowledge, ask: &mut dyn Ask) -> anyhow::Result<Answers> {
    let q = &knowledge.questionnaire;
    ask.say(&q.intro)?;
    let screen: Vec<_> = knowledge
        .symptoms
        .iter()
        .filter(|s| s.screen_in_assessment)
        .collect();
    let labels: Vec<String> = screen.iter().map(|s| s.question.clone()).collect();
    let picked = ask.choose_many(&q.red_flag_prompt, &labels)?;
    let mut answers = Answers {
        red_flags: picked.iter().map(|&i| screen[i].id.clone()).collect(),
        answers: Default::default(),
    };
    if safety::red_flags(knowledge, &answers.red_flags, &[], &[])?.withholds_advice() {
        // The referral comes first; the remaining questions can wait.
        return Ok(answers);
    }
    for (n, item) in q.items.iter().enumerate() {
        let labels: Vec<String> = item.options.iter().map(|o| o.label.clone()).collect();
        let question = format!("({}/{}) {}", n + 1, q.items.len(), item.question);
        let i = ask.choose(&question, &labels)?;
        answers
            .answers
            .insert(item.id.clone(), item.options[i].id.clone());
    }
    Ok(answers)
}

fn assess(
    knowledge: &Knowledge,
    out: &Output,
    cli: &Cli,
    args: &AssessArgs,
) -> Result<(), Failure> {
    if args.template {
        let questionnaire = Questionnaire {
            red_flags: knowledge
                .symptoms
                .iter()
                .filter(|s| s.screen_in_assessment)
                .map(|s| TemplateOption {
                    id: &s.id,
                    label: &s.question,
                })
                .collect(),
            questions: knowledge
                .questionnaire
                .items
                .iter()
                .map(|i| TemplateQuestion {
                    id: &i.id,
                    question: &i.question,
                    options: i
                        .options
                        .iter()
                        .map(|o| TemplateOption {
                            id: &o.id,
                            label: &o.label,
                        })
                        .collect(),
                })
                .collect(),
        };
        let answers = template(knowledge);
        let text = serde_json::to_string_pretty(&answers).context("cannot encode the template")?;
        // Text mode prints the file to fill in; JSON mode the questionnaire it is filled from.
        return out.print(|_| format!("{text}\n"), questionnaire);
    }

    let interactive = args.answers.is_none();
    let answers = match &args.answers {
        Some(path) => read_answers(path)?,
        None => {
            let mut ask = prompter();
            ask_answers(knowledge, ask.as_mut()).map_err(Failure::from_prompt)?
        }
    };
    let result = assessment::assess(knowledge, &answers).map_err(|e| {
        usage(match &args.answers {
            Some(path) => format!("in the answers file {}: {e}", path.display()),
            None => e.to_string(),
        })
    })?;

    let mut save = SaveOutcome::NotAsked;
    if args.save {
        save = match &result.result {
            Some(r) => {
                let store = ProfileStore::in_dir(&data_dir(cli)?);
                let mut profile = store.load()?.unwrap_or_else(Profile::new);
                profile.pain_type = Some(r.pain_type);
                profile.confidence = Some((r.confidence * 1000.0).round() / 1000.0);
                profile.role = match (args.role, profile.role) {
                    (Some(role), _) => Some(role),
                    (None, Some(role)) => Some(role),
                    (None, None) if interactive => ask_role(prompter().as_mut())?,
                    (None, None) => None,
                };
                store.save(&profile)?;
                SaveOutcome::Saved {
                    path: store.path().to_owned(),
                    has_role: profile.role.is_some(),
                }
            }
            // The referral matters more than the profile: show it, and save nothing.
            None => SaveOutcome::WithheldForRedFlags,
        };
    }
    out.print(
        |w| render::assessment(w, knowledge, &result, &save),
        dto::AssessmentDto::new(
            knowledge,
            &result,
            matches!(save, SaveOutcome::Saved { .. }),
        ),
    )
}

fn ask_role(ask: &mut dyn Ask) -> Result<Option<RoleChoice>, Failure> {
    let options = [
        format!("Receptive: {}", RoleChoice::Receptive.meaning()),
        format!("Insertive: {}", RoleChoice::Insertive.meaning()),
        "Switch: we take turns, or it varies".to_owned(),
        "Skip: I will give it with --role each time".to_owned(),
    ];
    let i = ask
        .choose("Which role do you usually take?", &options)
        .map_err(Failure::from_prompt)?;
    Ok(RoleChoice::ALL.get(i).copied())
}

/// The couple described by the arguments, filled in from the profile where they are silent.
fn couple(
    args: &CoupleArgs,
    profile: Option<&Profile>,
) -> Result<(PersonInput, PersonInput), Failure> {
    let allowed = PainType::ALL
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let pain_type = args
        .pain_type
        .or_else(|| profile.and_then(|p| p.pain_type))
        .ok_or_else(|| {
            usage(format!(
                "no pain type given: pass --pain-type ({allowed}), or save one with `spinewise assess --save`"
            ))
        })?;
    let role = args
        .role
        .or_else(|| profile.and_then(|p| p.role))
        .ok_or_else(|| {
            usage("no role given: pass --role (receptive, insertive, switch), or save one with `spinewise profile set --role ROLE`")
        })?;
    // Conditions given now add to the saved ones: naming one condition must never drop
    // another from the plan. `--no-profile` leaves the saved ones out.
    let merged = |saved: Option<&Vec<String>>, given: &[String]| {
        safety::with_saved(saved.map_or(&[][..], Vec::as_slice), given)
    };
    let conditions = merged(profile.map(|p| &p.conditions), &args.conditions);
    let partner_conditions = merged(
        profile.map(|p| &p.partner_conditions),
        &args.partner_conditions,
    );
    let you = PersonInput {
        pain_type,
        role,
        pain_now: args.pain_now,
        conditions,
        pregnancy_weeks: args.pregnancy_weeks,
    };
    let partner = PersonInput {
        pain_type: args
            .partner_pain_type
            .or_else(|| profile.and_then(|p| p.partner_pain_type))
            .unwrap_or(PainType::None),
        role: args.partner_role.unwrap_or(role.other()),
        pain_now: args.partner_pain_now,
        conditions: partner_conditions,
        pregnancy_weeks: args.partner_pregnancy_weeks,
    };
    Ok((you, partner))
}

fn recommend(
    knowledge: &Knowledge,
    out: &Output,
    cli: &Cli,
    args: &RecommendArgs,
) -> Result<(), Failure> {
    let profile = if args.no_profile {
        None
    } else {
        ProfileStore::in_dir(&data_dir(cli)?).load()?
    };
    let (you, partner) = couple(&args.couple, profile.as_ref())?;
    let request = PlanRequest {
        you,
        partner,
        time: args.time,
        symptoms: dedup(&args.symptoms),
        noted: Vec::new(),
    };
    let plan = recommend::recommend(knowledge, &request).map_err(usage)?;
    out.print(
        |w| render::plan(w, knowledge, &request, &plan),
        dto::PlanDto::new(knowledge, &request, &plan),
    )
}

fn check(knowledge: &Knowledge, out: &Output, cli: &Cli, args: &CheckArgs) -> Result<(), Failure> {
    if args.list {
        let list: Vec<_> = knowledge
            .symptoms
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id, "name": s.name, "question": s.question, "level": s.level,
                })
            })
            .collect();
        return out.print(|w| render::symptom_list(w, knowledge), list);
    }
    let symptoms = if args.symptoms.is_empty() && io::stdin().is_terminal() {
        let labels: Vec<String> = knowledge
            .symptoms
            .iter()
            .map(|s| s.question.clone())
            .collect();
        let mut ask = prompter();
        let picked = ask
            .choose_many("Do any of these apply to you now?", &labels)
            .map_err(Failure::from_prompt)?;
        picked
            .into_iter()
            .map(|i| knowledge.symptoms[i].id.clone())
            .collect()
    } else {
        args.symptoms.clone()
    };
    // Judged as every feature judges them: with the conditions given and the saved ones. A
    // profile that cannot be read never stands between a person and the answer: it is left
    // out, with a warning.
    let saved = if args.no_profile {
        Saved::default()
    } else {
        saved_or_warn(cli)
    };
    let gather = |saved: Saved| {
        Circumstances::gather(
            knowledge,
            Given {
                conditions: args.conditions.clone(),
                ..Given::default()
            },
            saved,
            Journal::default(),
            super::clock::today(),
        )
    };
    let about = match gather(saved.clone()) {
        Ok(about) => about,
        Err(e) if !saved.conditions.is_empty() && gather(Saved::default()).is_ok() => {
            eprintln!("warning: the saved profile names {e}; checking without its conditions");
            gather(Saved::default()).map_err(usage)?
        }
        Err(e) => return Err(usage(e)),
    };
    let flags = about
        .red_flags_with(knowledge, &symptoms)
        .map_err(|e| usage(format!("--symptom: {e}")))?;
    out.print(
        |w| render::check(w, knowledge, &flags, &about.conditions),
        dto::CheckDto::with_noted(knowledge, &flags.triage, &flags.noted),
    )
}

/// `spinewise program`: this week's exercise program, from the arguments and the saved profile
/// (conditions given add to the saved ones), the same shape as `GET /api/v1/program`.
fn program(
    knowledge: &Knowledge,
    out: &Output,
    cli: &Cli,
    args: &ProgramArgs,
) -> Result<(), Failure> {
    let profile = if args.no_profile {
        None
    } else {
        ProfileStore::in_dir(&data_dir(cli)?).load()?
    };
    let saved = profile.map(Profile::saved).unwrap_or_default();
    let given = Given {
        pain_type: args.pain_type,
        pain_today: args.pain,
        conditions: args.conditions.clone(),
        pregnancy_weeks: args.pregnancy_weeks,
        symptoms: dedup(&args.symptoms),
    };
    let today = args.today.unwrap_or_else(super::clock::today);
    let about =
        Circumstances::gather(knowledge, given, saved, Journal::default(), today).map_err(usage)?;
    let (week, red_flags) = program_for(knowledge, &about);
    let dto = dto::ProgramDto::new(knowledge, &about, &red_flags, false, &week);
    out.print(
        |w| render::program(w, knowledge, &about, &red_flags, &week),
        &dto,
    )
}

fn positions(knowledge: &Knowledge, out: &Output, args: &PositionsArgs) -> Result<(), Failure> {
    let list: Vec<&Position> = match &args.id {
        Some(id) => vec![knowledge.position(id).map_err(usage)?],
        None => knowledge.positions.iter().collect(),
    };
    out.print(
        |w| render::positions(w, knowledge, &list, args.id.is_some()),
        dto::PositionsDto::new(knowledge, list.iter().copied()),
    )
}

fn tips(knowledge: &Knowledge, out: &Output, args: &TipsArgs) -> Result<(), Failure> {
    let list: Vec<&Tip> = knowledge
        .tips
        .iter()
        .filter(|t| args.phase.is_none_or(|p| t.phase == p))
        .collect();
    out.print(
        |w| render::tips(w, knowledge, &list),
        dto::TipCatalogueDto::new(knowledge, list.iter().copied()),
    )
}

fn faq(knowledge: &Knowledge, out: &Output, args: &FaqArgs) -> Result<(), Failure> {
    let query = args.words.join(" ");
    let query = query.trim();
    let results: Vec<(&FaqEntry, Option<f64>)> = if query.is_empty() {
        knowledge.faq.iter().map(|e| (e, None)).collect()
    } else {
        knowledge
            .search_faq(query)
            .into_iter()
            .take(usize::from(args.limit))
            .map(|(e, s)| (e, Some(s)))
            .collect()
    };
    let query = (!query.is_empty()).then_some(query);
    out.print(
        |w| render::faq(w, knowledge, query, &results),
        dto::FaqDto::new(knowledge, query, &results),
    )
}

fn sources(knowledge: &Knowledge, out: &Output, args: &SourcesArgs) -> Result<(), Failure> {
    let list: Vec<&Source> = match &args.id {
        Some(id) => vec![knowledge.source(id).map_err(usage)?],
        None => knowledge.sources.iter().collect(),
    };
    out.print(
        |w| render::sources(w, &list),
        dto::SourcesDto {
            sources: list.iter().map(|s| dto::SourceDto::from(*s)).collect(),
        },
    )
}

fn profile(
    knowledge: &Knowledge,
    out: &Output,
    cli: &Cli,
    command: &ProfileCommand,
) -> Result<(), Failure> {
    let store = ProfileStore::in_dir(&data_dir(cli)?);
    match command {
        ProfileCommand::Show => {
            let profile = store.load()?;
            out.print(
                |w| render::profile(w, knowledge, profile.as_ref(), store.path()),
                serde_json::json!({ "profile": profile, "path": store.path() }),
            )
        }
        ProfileCommand::Set(args) => {
            let profile = set_profile(store.load()?.unwrap_or_else(Profile::new), args);
            store.save(&profile)?;
            out.print(
                |w| render::profile(w, knowledge, Some(&profile), store.path()),
                serde_json::json!({ "profile": profile, "path": store.path() }),
            )
        }
        ProfileCommand::Clear => {
            let existed = store.clear()?;
            out.print(
                |_| {
                    if existed {
                        format!("Deleted the saved profile ({}).\n", store.path().display())
                    } else {
                        "There was no saved profile.\n".to_owned()
                    }
                },
                serde_json::json!({ "deleted": existed, "path": store.path() }),
            )
        }
    }
}

fn set_profile(mut profile: Profile, args: &ProfileSetArgs) -> Profile {
    if let Some(t) = args.pain_type {
        profile.pain_type = Some(t);
        // A pain type set by hand did not come from the assessment.
        profile.confidence = None;
    }
    if let Some(r) = args.role {
        profile.role = Some(r);
    }
    if let Some(t) = args.partner_pain_type {
        profile.partner_pain_type = Some(t);
    }
    if args.no_conditions {
        profile.conditions.clear();
    } else if !args.conditions.is_empty() {
        profile.conditions = dedup(&args.conditions);
    }
    if args.no_partner_conditions {
        profile.partner_conditions.clear();
    } else if !args.partner_conditions.is_empty() {
        profile.partner_conditions = dedup(&args.partner_conditions);
    }
    profile
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}
