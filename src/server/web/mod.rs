//! The HTML pages: learn, assess, plan (with drawings and a printable summary), check
//! symptoms, sources, the account pages, and sharing with a clinician (the person's links and
//! the page a link opens). Every page works without JavaScript; forms are
//! plain HTML with labels and fieldsets, and every POST carries a CSRF token.

pub mod account;
pub mod charts;
mod circumstances;
pub mod coach;
pub mod drawing;
mod form;
pub mod insights;
pub mod journal;
mod markup;
mod pages;
mod partner;
mod program;
mod share;
mod shared;
mod summary;
mod views;

use axum::Router;
use axum::routing::get;

pub use pages::not_found;
pub use views::Page;
pub use views::render;

use crate::server::state::AppState;

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/faq", get(pages::faq))
        .route("/assess", get(pages::assess_start).post(pages::assess_step))
        .route("/plan", get(pages::plan_form).post(pages::plan))
        .route("/check", get(pages::check_form).post(pages::check))
        .route("/sources", get(pages::sources))
        .route("/offline", get(pages::offline))
        .merge(account::router())
        .merge(journal::router())
        .merge(insights::router())
        .merge(summary::router())
        .merge(partner::router())
        .merge(share::router())
        .merge(shared::router())
        .merge(coach::router())
        .merge(program::router())
}
