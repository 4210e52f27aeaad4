//! What the fuzz targets share: the clock they all read ([`NOW`]), the bundled knowledge
//! base, a valid journal built from fuzz bytes ([`journal`]) and the official FHIR R4 JSON
//! schema the FHIR export is checked against ([`fhir`]).

pub mod fhir;
pub mod journal;

use spinewise_domain::Knowledge;

/// The server's clock for every target: 2026-06-01T00:00:00Z. Fixed, so that a crash
/// reproduces whatever the day.
pub const NOW: i64 = 1_780_272_000;

/// The bundled knowledge base, which every front end loads.
pub fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base loads")
}
