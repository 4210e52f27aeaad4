//! What a position's drawing shows, in words: its text alternative and title, made from the
//! same data as the drawing — the view, what each pose shows, the pillows the suggested
//! modifications add, each partner's tone and the colour of each lower back.

use spinewise_domain::knowledge::{Modification, Position, Prop, RoleProfile, Support, View};
use spinewise_domain::vocab::{Role, Verdict};

use super::palette::{tone, verdict_colour};

/// One partner as the drawing needs them: the posture, the verdict for their back, and the
/// modifications suggested for them whose pillows the drawing adds.
#[derive(Debug, Clone)]
pub struct Partner<'a> {
    pub profile: &'a RoleProfile,
    pub verdict: Verdict,
    pub suggested: Vec<&'a Modification>,
}

/// The words of a drawing.
pub struct Words {
    /// The text alternative.
    pub alt: String,
    /// Whether a suggested modification adds a pillow or towel to the drawing.
    pub suggestions: bool,
}

/// A pillow or towel in words, where it goes on this body.
pub fn prop_words(prop: Prop, support: Support) -> &'static str {
    match prop {
        Prop::UnderHead => "a pillow under the head",
        Prop::UnderLowerBack if support == Support::Seated => {
            "a rolled towel between the lower back and the backrest"
        }
        Prop::UnderLowerBack => "a pillow or rolled towel under the lower back",
        Prop::UnderHips => "a pillow under the hips",
        Prop::UnderKnees => "a pillow under the knees",
        Prop::BetweenKnees => "a pillow between the knees",
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// One partner's sentence: who, in which tone, what they do, and the pillows added for them.
fn partner_sentence(role: Role, partner: &Partner<'_>) -> (String, bool) {
    let pose = partner.profile.pose.as_ref();
    let shows = pose.map_or(partner.profile.posture.as_str(), |p| p.shows.as_str());
    let own = pose.map(|p| p.props.as_slice()).unwrap_or_default();
    let mut added: Vec<&str> = Vec::new();
    for m in &partner.suggested {
        if let Some(prop) = m.prop
            && !own.contains(&prop)
        {
            let words = prop_words(prop, partner.profile.support);
            if !added.contains(&words) {
                added.push(words);
            }
        }
    }
    let mut sentence = format!(
        "The {role} partner, in {}, {}",
        tone(role).name,
        shows.trim_end_matches('.')
    );
    if !added.is_empty() {
        let which = if added.len() == 1 {
            "a change suggested below"
        } else {
            "changes suggested below"
        };
        sentence.push_str(&format!(", with {} ({which})", and_list(&added)));
    }
    sentence.push('.');
    (sentence, !added.is_empty())
}

/// The text alternative of a position's drawing.
pub fn alt_text(position: &Position, receptive: &Partner<'_>, insertive: &Partner<'_>) -> Words {
    let view = match position.scene.as_ref().map(|s| s.view) {
        Some(View::Above) => "Schematic view from above the bed",
        _ => "Schematic side view",
    };
    let (r, r_added) = partner_sentence(Role::Receptive, receptive);
    let (i, i_added) = partner_sentence(Role::Insertive, insertive);
    let (_, r_colour, r_means) = verdict_colour(receptive.verdict);
    let (_, i_colour, i_means) = verdict_colour(insertive.verdict);
    Words {
        alt: format!(
            "{view} of {}. {r} {i} Lower back: {r_colour} for the receptive partner ({r_means}), {i_colour} for the insertive partner ({i_means}).",
            position.name
        ),
        suggestions: r_added || i_added,
    }
}
