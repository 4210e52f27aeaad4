//! The bundled knowledge base loads and keeps its rules.

use spinewise_domain::Knowledge;

#[test]
fn the_bundled_knowledge_base_is_valid() {
    if let Err(e) = Knowledge::bundled() {
        panic!("{e}");
    }
}
