//! Finding the answer to a question in words a person would type: "is sex with back pain
//! dangerous?", "will surgery help?", "why does my back hurt after sex?".
//!
//! A small BM25 ranking over each entry's question (weighted most), its other phrasings and
//! keywords, and its answer. Words are lower-cased, common words dropped, endings trimmed
//! ("hurts", "hurting" → "hurt"), and each query word also looks for its synonyms from
//! `faq.toml` at a lower weight.

use std::collections::HashMap;

use crate::knowledge::{FaqEntry, Knowledge};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// How much a word counts in each field.
const QUESTION_WEIGHT: f64 = 3.0;
const ALSO_ASKED_WEIGHT: f64 = 2.0;
const KEYWORD_WEIGHT: f64 = 2.0;
const ANSWER_WEIGHT: f64 = 1.0;
/// How much a synonym counts against the word typed.
const SYNONYM_WEIGHT: f64 = 0.5;

const STOPWORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "doing", "for", "from", "get", "got", "had", "has", "have",
    "how", "i", "if", "im", "in", "into", "is", "it", "its", "just", "me", "my", "of", "on", "or",
    "our", "should", "so", "that", "the", "their", "them", "there", "they", "this", "to", "us",
    "was", "we", "what", "when", "which", "who", "will", "with", "would", "you", "your",
];

/// Trims common English endings so that forms of a word meet.
fn stem(word: &str) -> String {
    let w = word;
    let cut = |suffix: &str, min_stem: usize| {
        w.strip_suffix(suffix)
            .filter(|s| s.chars().count() >= min_stem)
            .map(str::to_owned)
    };
    if let Some(s) = cut("ies", 3) {
        return s + "y";
    }
    for (suffix, min) in [("ing", 3), ("edly", 3), ("ed", 3), ("ly", 4), ("es", 4)] {
        if let Some(s) = cut(suffix, min) {
            return undouble(s);
        }
    }
    if !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && let Some(s) = cut("s", 3)
    {
        return s;
    }
    w.to_owned()
}

/// "stopp" → "stop", "hurt" stays.
fn undouble(mut s: String) -> String {
    let b = s.as_bytes();
    if b.len() >= 3
        && b[b.len() - 1] == b[b.len() - 2]
        && !matches!(b[b.len() - 1], b'l' | b's' | b'z')
    {
        s.pop();
    }
    s
}

/// The search terms of a text: lower-cased words without stopwords, stemmed.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.replace('\'', "").to_lowercase())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect()
}

impl Knowledge {
    /// The entries of the FAQ that answer `query`, best first, with their relevance. The
    /// search index is built on the first search and kept with the knowledge base.
    pub fn search_faq(&self, query: &str) -> Vec<(&FaqEntry, f64)> {
        self.derived(Index::new).search(self, query)
    }
}

/// The search index over the FAQ, built once per knowledge base.
#[derive(Debug)]
pub struct Index {
    /// Weighted term frequencies per entry.
    docs: Vec<HashMap<String, f64>>,
    /// Weighted length per entry.
    lengths: Vec<f64>,
    average_length: f64,
    /// How many entries contain each term.
    document_frequency: HashMap<String, usize>,
    /// Stemmed word to stemmed synonyms.
    synonyms: HashMap<String, Vec<String>>,
}

impl Index {
    /// Builds the index.
    pub fn new(knowledge: &Knowledge) -> Index {
        let mut docs = Vec::with_capacity(knowledge.faq.len());
        let mut document_frequency: HashMap<String, usize> = HashMap::new();
        for entry in &knowledge.faq {
            let mut tf: HashMap<String, f64> = HashMap::new();
            let mut add = |text: &str, weight: f64| {
                for t in terms(text) {
                    *tf.entry(t).or_default() += weight;
                }
            };
            add(&entry.question, QUESTION_WEIGHT);
            for q in &entry.also_asked {
                add(q, ALSO_ASKED_WEIGHT);
            }
            for k in &entry.keywords {
                add(k, KEYWORD_WEIGHT);
            }
            add(&entry.answer, ANSWER_WEIGHT);
            for t in tf.keys() {
                *document_frequency.entry(t.clone()).or_default() += 1;
            }
            docs.push(tf);
        }
        let lengths: Vec<f64> = docs.iter().map(|d| d.values().sum()).collect();
        let average_length = if lengths.is_empty() {
            1.0
        } else {
            lengths.iter().sum::<f64>() / lengths.len() as f64
        };

        let mut synonyms: HashMap<String, Vec<String>> = HashMap::new();
        for (word, also) in &knowledge.synonyms {
            let key = stem(word);
            let group: Vec<String> = also.iter().flat_map(|a| terms(a)).collect();
            // Synonyms go both ways: each word of the group also finds the head word.
            for g in &group {
                synonyms.entry(g.clone()).or_default().push(key.clone());
            }
            synonyms.entry(key).or_default().extend(group);
        }
        for list in synonyms.values_mut() {
            list.sort_unstable();
            list.dedup();
        }

        Index {
            docs,
            lengths,
            average_length,
            document_frequency,
            synonyms,
        }
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        let df = self.document_frequency.get(term).copied().unwrap_or(0) as f64;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// The entries that answer `query`, best first, with their scores. Entries that share no
    /// word with the query are left out.
    pub fn search<'k>(&self, knowledge: &'k Knowledge, query: &str) -> Vec<(&'k FaqEntry, f64)> {
        let mut weighted: HashMap<String, f64> = HashMap::new();
        for t in terms(query) {
            if let Some(syns) = self.synonyms.get(&t) {
                for s in syns {
                    let w = weighted.entry(s.clone()).or_default();
                    *w = w.max(SYNONYM_WEIGHT);
                }
            }
            weighted.insert(t, 1.0);
        }
        let mut hits: Vec<(&'k FaqEntry, f64)> = knowledge
            .faq
            .iter()
            .zip(&self.docs)
            .zip(&self.lengths)
            .filter_map(|((entry, doc), &len)| {
                let score: f64 = weighted
                    .iter()
                    .filter_map(|(t, &qw)| {
                        let tf = *doc.get(t)?;
                        let norm = K1 * (1.0 - B + B * len / self.average_length);
                        Some(qw * self.idf(t) * tf * (K1 + 1.0) / (tf + norm))
                    })
                    .sum();
                (score > 0.0).then_some((entry, score))
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_word_meet() {
        assert_eq!(terms("hurts hurting hurt"), vec!["hurt", "hurt", "hurt"]);
        assert_eq!(terms("positions position"), vec!["position", "position"]);
        assert_eq!(terms("stopping stopped"), vec!["stop", "stop"]);
        assert_eq!(terms("surgeries surgery"), vec!["surgery", "surgery"]);
    }

    #[test]
    fn the_index_is_built_once_per_knowledge_base() {
        let Ok(k) = Knowledge::bundled() else {
            panic!("the bundled knowledge base loads");
        };
        let first = k.derived(Index::new);
        let again = k.derived(Index::new);
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        assert_eq!(
            k.search_faq("is sex dangerous")
                .first()
                .map(|(e, _)| e.id.as_str()),
            first
                .search(k, "is sex dangerous")
                .first()
                .map(|(e, _)| e.id.as_str())
        );
    }

    #[test]
    fn common_words_are_dropped() {
        assert_eq!(terms("Is it dangerous?"), vec!["dangerous"]);
        assert_eq!(
            terms("why does my back hurt after sex"),
            vec!["why", "back", "hurt", "after", "sex"]
        );
    }
}
