//! A plan's JSON written straight from the engine's [`Plan`], for the busiest endpoint.
//!
//! [`crate::dto::PlanDto`] copies every text out of the knowledge base and serde then escapes
//! it, on every request. Most of the answer never changes: a position's name, description,
//! postures and basis, a modification's name, a tip's title and note, a source's full
//! citation, the disclaimer. [`PlanJson`] escapes each of those once, when the server starts,
//! and writes an answer by copying them beside the few texts made for this couple (reasons,
//! how to do a modification, a tip's text, a notice). The bytes are exactly those of
//! serialising [`crate::dto::PlanDto`]: a property test compares the two for every request it
//! draws, so the contract stays the one the DTO documents.

use std::collections::HashMap;

use spinewise_domain::Knowledge;
use spinewise_domain::posture::{AppliedModification, PersonVerdict};
use spinewise_domain::recommend::{Plan, PlanRequest, PositionPlan, TipAdvice};
use spinewise_domain::vocab::{Phase, Role};

use crate::dto::{self, Cited, SourceDto};

/// A text escaped as a JSON string, quotes included.
type Escaped = Box<[u8]>;

fn escaped(text: &str) -> Escaped {
    let mut out = Vec::with_capacity(text.len() + 2);
    write_str(&mut out, text);
    out.into_boxed_slice()
}

/// Writes `text` as a JSON string, as serde_json does: it escapes only `"`, `\\` and control
/// characters, so a text without them goes out as it is.
fn write_str(out: &mut Vec<u8>, text: &str) {
    // Without an early exit, the check runs over many bytes at once.
    let needs_escaping = text.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if !needs_escaping {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

/// The fixed parts of one position.
struct PositionParts {
    id: Escaped,
    name: Escaped,
    description: Escaped,
    basis: &'static str,
    basis_note: Escaped,
    receptive_posture: Escaped,
    insertive_posture: Escaped,
}

/// The fixed parts of one tip.
struct TipParts {
    id: Escaped,
    title: Escaped,
    evidence_note: Escaped,
}

/// Everything fixed in a plan's JSON, escaped once for one knowledge base.
pub struct PlanJson {
    knowledge: &'static Knowledge,
    positions: HashMap<&'static str, PositionParts>,
    modifications: HashMap<&'static str, (Escaped, Escaped)>,
    tips: HashMap<&'static str, TipParts>,
    /// Each source's whole entry in `references`.
    sources: HashMap<&'static str, Box<[u8]>>,
    disclaimer: Escaped,
}

impl std::fmt::Debug for PlanJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanJson")
            .field("positions", &self.positions.len())
            .field("sources", &self.sources.len())
            .finish_non_exhaustive()
    }
}

impl PlanJson {
    /// Escapes the fixed parts of every plan from `knowledge`.
    pub fn new(knowledge: &'static Knowledge) -> PlanJson {
        let positions = knowledge
            .positions
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    PositionParts {
                        id: escaped(&p.id),
                        name: escaped(&p.name),
                        description: escaped(&p.description),
                        basis: p.basis.as_str(),
                        basis_note: escaped(knowledge.about.basis(p.basis)),
                        receptive_posture: escaped(&p.profile(Role::Receptive).posture),
                        insertive_posture: escaped(&p.profile(Role::Insertive).posture),
                    },
                )
            })
            .collect();
        let modifications = knowledge
            .modifications
            .iter()
            .map(|m| (m.id.as_str(), (escaped(&m.id), escaped(&m.name))))
            .collect();
        let tips = knowledge
            .tips
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    TipParts {
                        id: escaped(&t.id),
                        title: escaped(&t.title),
                        evidence_note: escaped(&t.evidence_note),
                    },
                )
            })
            .collect();
        let sources = knowledge
            .sources
            .iter()
            .map(|s| {
                let entry = serde_json::to_vec(&SourceDto::from(s)).unwrap_or_default();
                (s.id.as_str(), entry.into_boxed_slice())
            })
            .collect();
        PlanJson {
            knowledge,
            positions,
            modifications,
            tips,
            sources,
            disclaimer: escaped(&knowledge.about.disclaimer),
        }
    }

    /// The plan's JSON: the same bytes as `serde_json::to_vec(&PlanDto::new(…))`.
    pub fn write(&self, request: &PlanRequest, plan: &Plan<'_>) -> Vec<u8> {
        let k = self.knowledge;
        let mut out = Vec::with_capacity(48 * 1024);
        let mut cited = Cited::default();
        // The triage is small and cites first, as in the DTO.
        let triage = dto::triage_dto(k, &plan.triage, &plan.noted, &mut cited);

        out.extend_from_slice(b"{\"positions\":[");
        for (i, p) in plan.positions.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.position(&mut out, p, &mut cited);
        }
        out.extend_from_slice(b"],\"tips\":{");
        for (i, (phase, name)) in [
            (Phase::Before, "before"),
            (Phase::During, "during"),
            (Phase::After, "after"),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":[");
            for (j, advice) in plan.tips.phase(phase).iter().enumerate() {
                if j > 0 {
                    out.push(b',');
                }
                self.tip(&mut out, advice, &mut cited);
            }
            out.push(b']');
        }
        out.extend_from_slice(b"},\"triage\":");
        let _ = serde_json::to_writer(&mut out, &triage);
        out.extend_from_slice(b",\"notices\":[");
        for (i, n) in plan.notices.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"id\":");
            write_str(&mut out, &n.notice.id);
            out.extend_from_slice(b",\"text\":");
            write_str(&mut out, &n.text());
            out.extend_from_slice(b",\"sources\":");
            sources(
                &mut out,
                n.notice.sources.iter().map(String::as_str),
                &mut cited,
            );
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"disclaimer\":");
        out.extend_from_slice(&self.disclaimer);
        out.extend_from_slice(b",\"couple\":");
        let _ = serde_json::to_writer(&mut out, &dto::couple_dto(request, plan));
        out.extend_from_slice(b",\"references\":[");
        let mut first = true;
        for id in cited.iter() {
            let entry = match self.sources.get(id) {
                Some(entry) => entry,
                None => continue,
            };
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(entry);
        }
        out.extend_from_slice(b"]}");
        out
    }

    fn position(&self, out: &mut Vec<u8>, p: &PositionPlan<'_>, cited: &mut Cited) {
        let Some(parts) = self.positions.get(p.position.id.as_str()) else {
            // Every position comes from this knowledge base; write it the slow way otherwise.
            let _ = serde_json::to_writer(&mut *out, &dto::position_dto(self.knowledge, p, cited));
            return;
        };
        out.extend_from_slice(b"{\"id\":");
        out.extend_from_slice(&parts.id);
        out.extend_from_slice(b",\"name\":");
        out.extend_from_slice(&parts.name);
        out.extend_from_slice(b",\"verdict\":");
        write_str(out, p.verdict.as_str());
        out.extend_from_slice(b",\"with_modifications\":");
        write_str(out, p.with_modifications.as_str());
        out.extend_from_slice(b",\"reasons\":[");
        for (i, reason) in p.reasons().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(out, reason);
        }
        out.extend_from_slice(b"],\"modifications\":[");
        for (i, m) in p.modifications().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            self.modification(out, m);
        }
        out.extend_from_slice(b"],\"sources\":");
        sources(out, p.sources.iter().copied(), cited);
        out.extend_from_slice(b",\"description\":");
        out.extend_from_slice(&parts.description);
        out.extend_from_slice(b",\"partners\":{\"you\":");
        partner(out, &p.you, parts);
        out.extend_from_slice(b",\"partner\":");
        partner(out, &p.partner, parts);
        out.extend_from_slice(b"},\"basis\":");
        write_str(out, parts.basis);
        out.extend_from_slice(b",\"basis_note\":");
        out.extend_from_slice(&parts.basis_note);
        out.push(b'}');
    }

    fn modification(&self, out: &mut Vec<u8>, m: &AppliedModification<'_>) {
        out.extend_from_slice(b"{\"id\":");
        match self.modifications.get(m.modification.id.as_str()) {
            Some((id, name)) => {
                out.extend_from_slice(id);
                out.extend_from_slice(b",\"name\":");
                out.extend_from_slice(name);
            }
            None => {
                write_str(out, &m.modification.id);
                out.extend_from_slice(b",\"name\":");
                write_str(out, &m.modification.name);
            }
        }
        out.extend_from_slice(b",\"how\":");
        write_str(out, m.how);
        out.extend_from_slice(b",\"for\":");
        write_str(out, m.who.as_str());
        out.extend_from_slice(b",\"changes\":[");
        for (i, (dimension, from, to)) in m.changes.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"dimension\":");
            write_str(out, dimension.as_str());
            out.extend_from_slice(b",\"from\":");
            let _ = serde_json::to_writer(&mut *out, &from.level());
            out.extend_from_slice(b",\"to\":");
            let _ = serde_json::to_writer(&mut *out, &to.level());
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
    }

    fn tip(&self, out: &mut Vec<u8>, advice: &TipAdvice<'_>, cited: &mut Cited) {
        let tip = advice.tip;
        let parts = self.tips.get(tip.id.as_str());
        out.extend_from_slice(b"{\"id\":");
        match parts {
            Some(parts) => out.extend_from_slice(&parts.id),
            None => write_str(out, &tip.id),
        }
        out.extend_from_slice(b",\"title\":");
        match parts {
            Some(parts) => out.extend_from_slice(&parts.title),
            None => write_str(out, &tip.title),
        }
        out.extend_from_slice(b",\"text\":");
        write_str(out, &advice.text());
        out.extend_from_slice(b",\"evidence\":");
        write_str(out, tip.evidence.as_str());
        out.extend_from_slice(b",\"evidence_note\":");
        match parts {
            Some(parts) => out.extend_from_slice(&parts.evidence_note),
            None => write_str(out, &tip.evidence_note),
        }
        out.extend_from_slice(b",\"sources\":");
        sources(out, tip.sources.iter().map(String::as_str), cited);
        if let Some(replaced) = advice.replaces {
            out.extend_from_slice(b",\"replaces\":");
            write_str(out, &replaced.id);
        }
        out.push(b'}');
    }
}

/// A list of source ids, each noted for the references in the order first cited.
fn sources<'a>(out: &mut Vec<u8>, ids: impl Iterator<Item = &'a str>, cited: &mut Cited) {
    out.push(b'[');
    for (i, id) in ids.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        cited.note(id);
        write_str(out, id);
    }
    out.push(b']');
}

fn partner(out: &mut Vec<u8>, v: &PersonVerdict<'_>, parts: &PositionParts) {
    out.extend_from_slice(b"{\"verdict\":");
    write_str(out, v.verdict.as_str());
    out.extend_from_slice(b",\"with_modifications\":");
    write_str(out, v.with_modifications.as_str());
    out.extend_from_slice(b",\"posture\":");
    out.extend_from_slice(match v.role {
        Role::Receptive => &parts.receptive_posture,
        Role::Insertive => &parts.insertive_posture,
    });
    out.extend_from_slice(b",\"role\":");
    write_str(out, v.role.as_str());
    out.push(b'}');
}
