//! The sources a response cites, collected as it is built so that their full citations are
//! listed once at the end.

use spinewise_domain::Knowledge;

use crate::dto::SourceDto;

/// Collects the source ids a response cites, to list their full citations once.
#[derive(Debug, Default)]
pub(super) struct Cited(Vec<String>);

impl Cited {
    pub(super) fn strings(&mut self, ids: &[String]) -> Vec<String> {
        for id in ids {
            if !self.0.contains(id) {
                self.0.push(id.clone());
            }
        }
        ids.to_vec()
    }

    pub(super) fn references(&self, k: &Knowledge) -> Vec<SourceDto> {
        self.0
            .iter()
            .filter_map(|id| k.source(id).ok())
            .map(SourceDto::from)
            .collect()
    }
}
